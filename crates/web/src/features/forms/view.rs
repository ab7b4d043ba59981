//! How a form's questions are drawn: one view of each field (widget,
//! options, labelled ends, the note of a conditional question, the value
//! sent and its message) shared by every page that shows a form — the
//! public questionnaire, calls, the builder's preview. The markup is the
//! `fields` macro of `templates/forms/view/fields.html`.

use crate::ctx::Ctx;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::{Messages, fill};
use maillage_domain::Locale;
use maillage_domain::forms::{Choice, Field, Item, Kind, MAX_FILE_BYTES, Schema};

/// One option of a choice, a scale or yes/no.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question as the template shows it.
pub struct QField {
    pub key: String,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    /// "(answer only if …)" for a conditional question.
    pub note: Option<String>,
    /// How it is drawn: text, email, tel, number, date, textarea, radio,
    /// row (scale, NPS), checkbox, select.
    pub widget: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    pub error: Option<String>,
    /// A file field: the types and size it accepts, in words.
    pub file_hint: Option<String>,
    /// A file field: the `accept` attribute (extensions and media types).
    pub accept: String,
    /// A file field: the name of the file already sent, if any.
    pub current_file: Option<String>,
}

/// An item of the page: a heading, a paragraph or a question.
pub struct QItem {
    pub heading: Option<String>,
    pub text: Option<String>,
    pub field: Option<QField>,
}

fn values<'a>(pairs: &'a Pairs, key: &str) -> Vec<&'a str> {
    pairs.all(key).into_iter().map(str::trim).collect()
}

pub(crate) fn field_view(
    ctx: &Ctx,
    schema: &Schema,
    f: &Field,
    pairs: &Pairs,
    errors: &FormErrors,
) -> QField {
    let m = ctx.m;
    let sent = values(pairs, &f.key);
    let first = sent.first().copied().unwrap_or("").to_owned();
    let opt = |value: String, label: String| Opt {
        checked: sent.contains(&value.as_str()),
        value,
        label,
    };
    let choices = |options: &[Choice]| -> Vec<Opt> {
        options
            .iter()
            .map(|o| opt(o.key.clone(), o.label.clone()))
            .collect()
    };
    let (widget, options, min_label, max_label) = match &f.kind {
        Kind::ShortText => ("text", Vec::new(), None, None),
        Kind::LongText => ("textarea", Vec::new(), None, None),
        Kind::Email => ("email", Vec::new(), None, None),
        Kind::Phone => ("tel", Vec::new(), None, None),
        Kind::Number { .. } => ("number", Vec::new(), None, None),
        Kind::Date => ("date", Vec::new(), None, None),
        Kind::Time => ("time", Vec::new(), None, None),
        Kind::SingleChoice { options } => ("radio", choices(options), None, None),
        Kind::Dropdown { options } => ("select", choices(options), None, None),
        Kind::MultipleChoice { options, .. } => ("checkbox", choices(options), None, None),
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => (
            "row",
            (*min..=*max)
                .map(|n| opt(n.to_string(), n.to_string()))
                .collect(),
            min_label.clone(),
            max_label.clone(),
        ),
        Kind::Nps => (
            "row",
            (0..=10)
                .map(|n| opt(n.to_string(), n.to_string()))
                .collect(),
            Some(m.fm_nps_low.to_owned()),
            Some(m.fm_nps_high.to_owned()),
        ),
        Kind::YesNo => (
            "radio",
            vec![
                opt("yes".into(), m.fm_yes.into()),
                opt("no".into(), m.fm_no.into()),
            ],
            None,
            None,
        ),
        // Drawn as a file input (calls); `items` leaves them out.
        Kind::File { .. } => ("file", Vec::new(), None, None),
    };
    let note = f.condition.as_ref().and_then(|c| {
        let target = schema.field(&c.field)?;
        let answer = answer_label(m, &target.kind, &c.value);
        Some(fill(
            m.fm_only_if,
            &[("question", &target.label), ("answer", &answer)],
        ))
    });
    let (file_hint, accept, current_file) = match &f.kind {
        Kind::File { types, max_bytes } => {
            let names: Vec<String> = types.iter().map(|t| t.extension().to_uppercase()).collect();
            let accept: Vec<String> = types
                .iter()
                .flat_map(|t| [format!(".{}", t.extension()), t.mime().to_owned()])
                .collect();
            // What was sent for a file field is `upload_id:file name`.
            let current = first
                .split_once(':')
                .map(|(_, name)| name.to_owned())
                .filter(|n| !n.is_empty());
            (
                Some(fill(
                    m.sb_file_hint,
                    &[
                        ("types", &names.join(", ")),
                        (
                            "max",
                            &megabytes(ctx.locale, (*max_bytes).min(MAX_FILE_BYTES)),
                        ),
                    ],
                )),
                accept.join(","),
                current,
            )
        }
        _ => (None, String::new(), None),
    };
    QField {
        key: f.key.clone(),
        label: f.label.clone(),
        help: f.help.clone(),
        required: f.required,
        note,
        widget,
        value: first,
        options,
        min_label,
        max_label,
        error: errors.get(&f.key).map(str::to_owned),
        file_hint,
        accept,
        current_file,
    }
}

/// The answer `value` of a question of `kind` as its label: yes or no,
/// an option's label (the value itself when no option has it).
pub(crate) fn answer_label(m: &Messages, kind: &Kind, value: &str) -> String {
    match kind {
        Kind::YesNo if value == "yes" => m.fm_yes.to_owned(),
        Kind::YesNo => m.fm_no.to_owned(),
        k => k
            .options()
            .iter()
            .find(|o| o.key == value)
            .map_or_else(|| value.to_owned(), |o| o.label.clone()),
    }
}

/// A size in megabytes (of 1,048,576 bytes), to a tenth: `5`, `1.5`
/// (`1,5` in French); the catalogs write the unit.
pub(crate) fn megabytes(locale: Locale, bytes: u64) -> String {
    let mb = (bytes as f64 / 1_048_576.0 * 10.0).round() / 10.0;
    locale.decimal(mb, if mb.fract() == 0.0 { 0 } else { 1 })
}

/// The items of a schema as the form template draws them, with what
/// was sent (`pairs`) and the messages (`errors`). File fields are left
/// out: only calls take files, and they draw them themselves.
pub(crate) fn items(ctx: &Ctx, schema: &Schema, pairs: &Pairs, errors: &FormErrors) -> Vec<QItem> {
    let without_files: Vec<Item> = schema
        .items
        .iter()
        .filter(|i| !matches!(i, Item::Field(f) if matches!(f.kind, Kind::File { .. })))
        .cloned()
        .collect();
    view_items(ctx, schema, &without_files, pairs, errors)
}

/// Some items of a schema (one page of a multi-page form, say), file
/// fields included (drawn as file inputs: the form must be sent as
/// `multipart/form-data`).
pub(crate) fn view_items(
    ctx: &Ctx,
    schema: &Schema,
    shown: &[Item],
    pairs: &Pairs,
    errors: &FormErrors,
) -> Vec<QItem> {
    shown
        .iter()
        .map(|i| match i {
            Item::Section { title, help } => QItem {
                heading: Some(title.clone()),
                text: help.clone(),
                field: None,
            },
            Item::HelpText { text } => QItem {
                heading: None,
                text: Some(text.clone()),
                field: None,
            },
            Item::Field(f) => QItem {
                heading: None,
                text: None,
                field: Some(field_view(ctx, schema, f, pairs, errors)),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_megabytes_to_a_tenth_in_the_user_s_language() {
        assert_eq!(megabytes(Locale::Fr, 5 * 1_048_576), "5");
        assert_eq!(megabytes(Locale::Fr, 1_572_864), "1,5");
        assert_eq!(megabytes(Locale::En, 1_572_864), "1.5");
        assert_eq!(megabytes(Locale::En, 20 * 1_048_576 + 1), "20");
    }
}
