//! Message catalogs (generated from `locales/*.toml` by the build script) and
//! the wording of validation errors.

use maillage_directory::import::Issue;
use maillage_domain::{FieldError, Locale};
use maillage_tabular::ReadError;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

pub fn messages(locale: Locale) -> &'static Messages {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

/// Replaces `{name}` placeholders of a message.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A validation error as a sentence in the user's language.
/// `one` or `many` filled with `n` (as `{n}`), as the language counts: in
/// French 0 and 1 are singular, in English only 1.
pub fn count(locale: Locale, n: i64, one: &str, many: &str) -> String {
    let single = match locale {
        Locale::Fr => n <= 1,
        Locale::En => n == 1,
    };
    fill(if single { one } else { many }, &[("n", &n.to_string())])
}

pub fn field_error(m: &Messages, e: &FieldError) -> String {
    match e {
        FieldError::Required => m.err_required.to_owned(),
        FieldError::TooShort { min } => fill(m.err_too_short, &[("min", &min.to_string())]),
        FieldError::TooLong { max } => fill(m.err_too_long, &[("max", &max.to_string())]),
        FieldError::InvalidEmail => m.err_invalid_email.to_owned(),
        FieldError::InvalidChoice => m.err_invalid_choice.to_owned(),
        FieldError::ControlCharacters => m.err_control_characters.to_owned(),
        FieldError::AlreadyTaken => m.err_already_taken.to_owned(),
        FieldError::Mismatch => m.err_mismatch.to_owned(),
        FieldError::InvalidNumber => m.err_invalid_number.to_owned(),
        FieldError::OutOfRange { min, max } => fill(
            m.err_out_of_range,
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
        FieldError::InvalidDate => m.err_invalid_date.to_owned(),
        FieldError::InvalidTime => m.err_invalid_time.to_owned(),
        FieldError::InvalidUrl => m.err_invalid_url.to_owned(),
        FieldError::NotFound => m.err_not_found_value.to_owned(),
        FieldError::InvalidIdentifier => m.err_invalid_identifier.to_owned(),
        FieldError::InvalidPhone => m.err_invalid_phone.to_owned(),
        FieldError::InvalidPostcode => m.err_invalid_postcode.to_owned(),
        FieldError::UnknownCommune => m.err_unknown_commune.to_owned(),
        FieldError::AmbiguousCommune => m.err_ambiguous_commune.to_owned(),
        FieldError::InvalidSlug => m.err_invalid_slug.to_owned(),
        FieldError::EndBeforeStart => m.err_end_before_start.to_owned(),
        FieldError::TooSmall { min } => fill(m.err_too_small, &[("min", &min.to_string())]),
        FieldError::TooLarge { max } => fill(m.err_too_large, &[("max", &max.to_string())]),
        FieldError::NotWhole => m.err_not_whole.to_owned(),
        FieldError::TooFewChoices { min } => {
            fill(m.err_too_few_choices, &[("min", &min.to_string())])
        }
        FieldError::TooManyChoices { max } => {
            fill(m.err_too_many_choices, &[("max", &max.to_string())])
        }
        FieldError::FileType => m.err_file_type.to_owned(),
        // In megabytes, rounded up.
        FieldError::FileTooLarge { max } => fill(
            m.err_file_too_large,
            &[("max", &max.div_ceil(1_000_000).to_string())],
        ),
        FieldError::InvalidCondition => m.err_invalid_condition.to_owned(),
        FieldError::MinAboveMax => m.err_min_above_max.to_owned(),
        FieldError::TooManyLines { max } => {
            fill(m.err_too_many_lines, &[("max", &max.to_string())])
        }
        FieldError::LineTooLong { max } => fill(m.err_line_too_long, &[("max", &max.to_string())]),
    }
}

/// A problem of an imported file, in the user's language.
pub fn issue_text(m: &Messages, i: &Issue) -> String {
    match i {
        Issue::Field(e) => field_error(m, e),
        Issue::MissingColumn => m.import_missing_column.into(),
        Issue::UnknownOrganisation => m.import_unknown_organisation.into(),
        Issue::AmbiguousOrganisation => m.import_ambiguous_organisation.into(),
        Issue::NotYesNo => m.import_not_yes_no.into(),
    }
}

/// Why an imported file could not be read, in the user's language.
pub fn read_error_text(m: &Messages, e: &ReadError) -> String {
    let line = e.line().map(|l| l.to_string()).unwrap_or_default();
    let text = match e {
        ReadError::Empty | ReadError::NoHeader => m.import_err_empty,
        ReadError::NotText | ReadError::InvalidXlsx { .. } | ReadError::NoWorksheet => {
            m.import_err_format
        }
        ReadError::InvalidCsv { .. } => m.import_err_csv,
        ReadError::TooManyRows { .. }
        | ReadError::TooManyCells { .. }
        | ReadError::TooManyColumns { .. } => m.import_err_too_big,
        ReadError::CellTooLong { .. } => m.import_err_cell,
        ReadError::FileTooLarge { .. } | ReadError::UncompressedTooLarge => m.import_err_too_big,
        ReadError::PasswordProtected => m.import_err_password,
        ReadError::LegacyXls | ReadError::OpenDocument => m.import_err_old_format,
    };
    fill(text, &[("line", &line)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(file: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.split_once('=').unwrap().0.trim().to_owned())
            .collect()
    }

    /// Fails when a key is missing in either language (the build script
    /// refuses too; this says which key, from the test suite).
    #[test]
    fn catalogs_have_the_same_keys() {
        let fr = keys("fr.toml");
        let en = keys("en.toml");
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(only_fr.is_empty(), "missing in en.toml: {only_fr:?}");
        assert!(only_en.is_empty(), "missing in fr.toml: {only_en:?}");
        assert_eq!(fr.len(), KEY_COUNT);
    }

    /// Placeholders match between the languages, so no value is dropped.
    #[test]
    fn placeholders_match() {
        let fr = format!("{FR:?}");
        let en = format!("{EN:?}");
        let fields = |s: &str| -> Vec<(String, Vec<String>)> {
            let body = s.trim_start_matches("Messages {").trim_end_matches('}');
            body.split("\", ")
                .filter_map(|kv| kv.split_once(": "))
                .map(|(k, v)| {
                    let mut ph: Vec<String> = v
                        .split('{')
                        .skip(1)
                        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                        .collect();
                    ph.sort();
                    (k.trim().to_owned(), ph)
                })
                .collect()
        };
        for ((k1, p1), (k2, p2)) in fields(&fr).into_iter().zip(fields(&en)) {
            assert_eq!(k1, k2);
            assert_eq!(p1, p2, "placeholders of {k1} differ");
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("{a} et {b}", &[("a", "1"), ("b", "2")]), "1 et 2");
    }
}
