//! Field-level validation errors. Each error is a code; the web layer turns it
//! into a message in the user's language, shown next to the field.

use serde::Serialize;

/// Why a value was refused. Codes are stable (they appear in JSON errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidEmail,
    InvalidChoice,
    ControlCharacters,
    AlreadyTaken,
    Mismatch,
    InvalidNumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    InvalidDate,
    /// A time of day that cannot be read ("14:30", "9h", "9h15").
    InvalidTime,
    InvalidUrl,
    NotFound,
    /// A SIRET, UAI or similar number with a wrong format or checksum.
    InvalidIdentifier,
    InvalidPhone,
    InvalidPostcode,
    /// A commune that cannot be found (or several match).
    UnknownCommune,
    AmbiguousCommune,
    /// Lower-case letters, digits and dashes only.
    InvalidSlug,
    /// An end before its start.
    EndBeforeStart,
    /// A number below the smallest allowed (no upper bound).
    TooSmall {
        min: i64,
    },
    /// A number above the largest allowed (no lower bound).
    TooLarge {
        max: i64,
    },
    /// A whole number was expected.
    NotWhole,
    /// Fewer options ticked than asked.
    TooFewChoices {
        min: usize,
    },
    /// More options ticked than allowed.
    TooManyChoices {
        max: usize,
    },
    /// A file of a type not accepted (checked by its content).
    FileType,
    /// A file larger than allowed (`max` in bytes).
    FileTooLarge {
        max: u64,
    },
    /// A condition on a field that does not come earlier, cannot be
    /// conditioned on, or a value it cannot take.
    InvalidCondition,
    /// A minimum above the maximum.
    MinAboveMax,
    /// More lines than allowed in a list typed one item a line.
    TooManyLines {
        max: usize,
    },
    /// A line of such a list longer than allowed, in characters.
    LineTooLong {
        max: usize,
    },
}

impl FieldError {
    /// Stable machine code, used in problem+json bodies and message keys.
    pub fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort { .. } => "too_short",
            FieldError::TooLong { .. } => "too_long",
            FieldError::InvalidEmail => "invalid_email",
            FieldError::InvalidChoice => "invalid_choice",
            FieldError::ControlCharacters => "control_characters",
            FieldError::AlreadyTaken => "already_taken",
            FieldError::Mismatch => "mismatch",
            FieldError::InvalidNumber => "invalid_number",
            FieldError::OutOfRange { .. } => "out_of_range",
            FieldError::InvalidDate => "invalid_date",
            FieldError::InvalidTime => "invalid_time",
            FieldError::InvalidUrl => "invalid_url",
            FieldError::NotFound => "not_found",
            FieldError::InvalidIdentifier => "invalid_identifier",
            FieldError::InvalidPhone => "invalid_phone",
            FieldError::InvalidPostcode => "invalid_postcode",
            FieldError::UnknownCommune => "unknown_commune",
            FieldError::AmbiguousCommune => "ambiguous_commune",
            FieldError::InvalidSlug => "invalid_slug",
            FieldError::EndBeforeStart => "end_before_start",
            FieldError::TooSmall { .. } => "too_small",
            FieldError::TooLarge { .. } => "too_large",
            FieldError::NotWhole => "not_whole",
            FieldError::TooFewChoices { .. } => "too_few_choices",
            FieldError::TooManyChoices { .. } => "too_many_choices",
            FieldError::FileType => "file_type",
            FieldError::FileTooLarge { .. } => "file_too_large",
            FieldError::InvalidCondition => "invalid_condition",
            FieldError::MinAboveMax => "min_above_max",
            FieldError::TooManyLines { .. } => "too_many_lines",
            FieldError::LineTooLong { .. } => "line_too_long",
        }
    }
}

/// A time of day as people type it: "14:30", "9h", "9h15", "14".
pub fn parse_time(s: &str) -> Result<chrono::NaiveTime, FieldError> {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    let (h, m) = match s.split_once([':', 'h']) {
        Some((h, "")) => (h, "0"),
        Some((h, m)) => (h, m),
        None => (s.as_str(), "0"),
    };
    let h: u32 = h.trim().parse().map_err(|_| FieldError::InvalidTime)?;
    let m: u32 = m.trim().parse().map_err(|_| FieldError::InvalidTime)?;
    chrono::NaiveTime::from_hms_opt(h, m, 0).ok_or(FieldError::InvalidTime)
}

/// Errors of a whole form, keyed by field name, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, FieldError)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.push((field.into(), error));
    }

    /// Records the error of `result` under `field` and returns the value if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, e)| e)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(f, e)| (f.as_str(), e))
    }

    /// `Ok(())` when there is no error, else `Err(self)`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<(&str, FieldError)> for FieldErrors {
    fn from((field, error): (&str, FieldError)) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, error);
        e
    }
}

/// Trims `input` and checks it is a single line of printable text within bounds.
pub fn single_line(input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Required);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacters);
    }
    let len = trimmed.chars().count();
    if len < min {
        return Err(FieldError::TooShort { min });
    }
    if len > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(trimmed.to_owned())
}

/// Checks a text of several lines (a comment, a message), trimmed: at most
/// `max` characters, no control characters but line breaks and tabs, line
/// breaks as `\n`; `None` when nothing was typed.
pub fn text_block(input: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = input.trim();
    if t.chars().count() > max {
        Err(FieldError::TooLong { max })
    } else if t
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(FieldError::ControlCharacters)
    } else if t.is_empty() {
        Ok(None)
    } else {
        Ok(Some(t.replace("\r\n", "\n")))
    }
}

/// Checks a list typed one item a line: each line trimmed, a leading bullet
/// ("-", "*", "•") dropped, empty lines skipped; at most `max_lines` items
/// of at most `max_len` characters, printable.
pub fn lines(input: &str, max_lines: usize, max_len: usize) -> Result<Vec<String>, FieldError> {
    let mut out = Vec::new();
    for line in input.lines() {
        let line = line.trim();
        let line = line
            .strip_prefix(['-', '*', '•'])
            .map_or(line, str::trim_start);
        if line.is_empty() {
            continue;
        }
        if line.chars().any(char::is_control) {
            return Err(FieldError::ControlCharacters);
        }
        if line.chars().count() > max_len {
            return Err(FieldError::LineTooLong { max: max_len });
        }
        out.push(line.to_owned());
    }
    if out.len() > max_lines {
        return Err(FieldError::TooManyLines { max: max_lines });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_typed_one_item_a_line() {
        assert_eq!(
            lines("- Un\r\n\n  • Deux  \n*Trois\n", 3, 10),
            Ok(vec!["Un".to_owned(), "Deux".to_owned(), "Trois".to_owned()])
        );
        assert_eq!(lines("", 3, 10), Ok(vec![]));
        assert_eq!(
            lines("a\nb\nc\nd", 3, 10),
            Err(FieldError::TooManyLines { max: 3 })
        );
        assert_eq!(
            lines("abcdefghijk", 3, 10),
            Err(FieldError::LineTooLong { max: 10 })
        );
        assert_eq!(lines("a\u{7}b", 3, 10), Err(FieldError::ControlCharacters));
    }

    #[test]
    fn text_blocks_keep_their_lines() {
        assert_eq!(text_block("  a\r\nb ", 10), Ok(Some("a\nb".to_owned())));
        assert_eq!(text_block("   ", 10), Ok(None));
        assert_eq!(text_block("abc", 2), Err(FieldError::TooLong { max: 2 }));
        assert_eq!(text_block("a\u{0}", 10), Err(FieldError::ControlCharacters));
    }

    #[test]
    fn single_line_rules() {
        assert_eq!(single_line("  Ada ", 1, 10), Ok("Ada".into()));
        assert_eq!(single_line("   ", 1, 10), Err(FieldError::Required));
        assert_eq!(
            single_line("a\nb", 1, 10),
            Err(FieldError::ControlCharacters)
        );
        assert_eq!(
            single_line("abcdef", 1, 5),
            Err(FieldError::TooLong { max: 5 })
        );
        assert_eq!(single_line("é", 2, 5), Err(FieldError::TooShort { min: 2 }));
    }

    #[test]
    fn errors_collect_in_order() {
        let mut e = FieldErrors::new();
        assert_eq!(e.check("a", Ok::<_, FieldError>(1)), Some(1));
        assert_eq!(e.check::<()>("b", Err(FieldError::Required)), None);
        assert_eq!(e.get("b"), Some(&FieldError::Required));
        assert!(e.get("a").is_none());
        assert!(e.into_result().is_err());
    }
}
