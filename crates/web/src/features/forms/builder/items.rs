//! The forms of an item — a field, a section heading, a help text — as
//! typed, read into the item (with defaults where an input could not be
//! read, and its messages), and the domain's messages about a schema put
//! beside the inputs they concern.

use crate::forms::FormErrors;
use crate::i18n::{Messages, field_error, fill};
use maillage_domain::field::single_line;
use maillage_domain::forms::{
    Choice as Opt, Condition, Field, FileKind, Item, KEY_MAX, Kind, Schema, format_number, number,
};
use maillage_domain::{FieldError, FieldErrors};
use serde::Deserialize;

/// An item's form as typed: the inputs of a field, of a section heading
/// (`title`, `help`) or of a help text (`text`), and the hidden inputs
/// that say which change it is.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    /// The revision of the questions the page showed.
    pub rev: String,
    /// The item edited, from 0.
    pub n: String,
    /// What is added: field, section or text.
    #[serde(rename = "type")]
    pub item: String,
    pub kind: String,
    pub label: String,
    pub key: String,
    pub help: String,
    pub required: bool,
    /// `key=value` of an earlier question, or empty: always shown.
    pub condition: String,
    /// Bounds of a number, or how many boxes may be ticked.
    pub min: String,
    pub max: String,
    pub integer: bool,
    pub scale_min: String,
    pub scale_max: String,
    pub min_label: String,
    pub max_label: String,
    /// The file types accepted (check boxes).
    pub types: Vec<String>,
    pub max_mb: String,
    /// One option per line: `label`, or `key | label`.
    pub options: String,
    pub title: String,
    pub text: String,
}

/// What an item's form makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum What {
    Field,
    Section,
    Text,
}

impl What {
    /// The kind of `item`.
    pub fn of(item: &Item) -> What {
        match item {
            Item::Field(_) => What::Field,
            Item::Section { .. } => What::Section,
            Item::HelpText { .. } => What::Text,
        }
    }

    /// The kind an "add" form names in its hidden `type`.
    pub fn parse(code: &str) -> Option<What> {
        match code {
            "field" => Some(What::Field),
            "section" => Some(What::Section),
            "text" => Some(What::Text),
            _ => None,
        }
    }
}

/// An optional number as typed.
fn typed<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl ItemForm {
    /// What a new field's form starts with.
    pub fn new_field() -> ItemForm {
        ItemForm {
            kind: "short_text".into(),
            scale_min: "1".into(),
            scale_max: "5".into(),
            max_mb: "5".into(),
            types: vec!["pdf".into()],
            ..Default::default()
        }
    }

    /// The inputs of an item as they show it.
    pub fn of(item: &Item) -> ItemForm {
        match item {
            Item::Field(f) => ItemForm::of_field(f),
            Item::Section { title, help } => ItemForm {
                title: title.clone(),
                help: help.clone().unwrap_or_default(),
                ..Default::default()
            },
            Item::HelpText { text } => ItemForm {
                text: text.clone(),
                ..Default::default()
            },
        }
    }

    fn of_field(f: &Field) -> ItemForm {
        let mut p = ItemForm {
            kind: f.kind.code().into(),
            label: f.label.clone(),
            key: f.key.clone(),
            help: f.help.clone().unwrap_or_default(),
            required: f.required,
            condition: f
                .condition
                .as_ref()
                .map(|c| format!("{}={}", c.field, c.value))
                .unwrap_or_default(),
            options: f
                .kind
                .options()
                .iter()
                .map(|o| format!("{} | {}", o.key, o.label))
                .collect::<Vec<_>>()
                .join("\n"),
            ..Default::default()
        };
        match &f.kind {
            Kind::Number { min, max, integer } => {
                (p.min, p.max, p.integer) = (typed(*min), typed(*max), *integer);
            }
            Kind::MultipleChoice { min, max, .. } => (p.min, p.max) = (typed(*min), typed(*max)),
            Kind::Scale {
                min: lo,
                max: hi,
                min_label,
                max_label,
            } => {
                (p.scale_min, p.scale_max) = (lo.to_string(), hi.to_string());
                (p.min_label, p.max_label) = (typed(min_label.clone()), typed(max_label.clone()));
            }
            Kind::File { types, max_bytes } => {
                p.types = types.iter().map(|t| t.code().to_owned()).collect();
                p.max_mb = format_number(*max_bytes as f64 / 1e6);
            }
            _ => {}
        }
        p
    }

    /// Reads the item (a field, a heading, a text): the item, with
    /// defaults where an input could not be read, and the messages. It
    /// goes at `at` in `schema` (`replace`: instead of the item there).
    pub fn read(
        &self,
        m: &Messages,
        what: What,
        schema: &Schema,
        (at, replace): (usize, bool),
    ) -> (Item, FormErrors) {
        let mut e = FieldErrors::new();
        let item = match what {
            What::Field => Item::Field(self.field(&mut e, schema, at, replace)),
            What::Section => Item::Section {
                title: self.title.trim().to_owned(),
                help: self.help(&mut e),
            },
            What::Text => {
                let text = self.text.replace("\r\n", "\n").trim().to_owned();
                if text.chars().count() > 5000 {
                    e.add("text", FieldError::TooLong { max: 5000 });
                }
                Item::HelpText { text }
            }
        };
        (item, FormErrors::from_fields(m, &e))
    }

    fn help(&self, e: &mut FieldErrors) -> Option<String> {
        match self.help.trim() {
            "" => None,
            h => e.check("help", single_line(h, 1, 1000)),
        }
    }

    /// Reads the field's inputs.
    fn field(&self, e: &mut FieldErrors, schema: &Schema, at: usize, replace: bool) -> Field {
        let old = match schema.items.get(at) {
            Some(Item::Field(f)) if replace => Some(f),
            _ => None,
        };
        let label = self.label.trim().to_owned();
        let taken: Vec<&str> = schema
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| !(replace && *i == at))
            .filter_map(|(_, it)| match it {
                Item::Field(f) => Some(f.key.as_str()),
                _ => None,
            })
            .collect();
        let key = match self.key.trim() {
            "" => derive_key(&label, &taken, &format!("question_{}", at + 1)),
            k => k.to_owned(),
        };
        let help = self.help(e);
        let old_options = old.map(|f| f.kind.options()).unwrap_or(&[]);
        let options = || parse_options(&self.options, old_options);
        let kind = match self.kind.as_str() {
            "short_text" => Kind::ShortText,
            "long_text" => Kind::LongText,
            "email" => Kind::Email,
            "phone" => Kind::Phone,
            "number" => Kind::Number {
                min: e.check("min", whole(&self.min)).flatten(),
                max: e.check("max", whole(&self.max)).flatten(),
                integer: self.integer,
            },
            "date" => Kind::Date,
            "time" => Kind::Time,
            "single_choice" => Kind::SingleChoice { options: options() },
            "dropdown" => Kind::Dropdown { options: options() },
            "multiple_choice" => {
                let mut count = |name: &str, v: &str| {
                    let n = e.check(name, whole(v)).flatten()?;
                    e.check(
                        name,
                        usize::try_from(n).map_err(|_| FieldError::TooSmall { min: 0 }),
                    )
                };
                let (min, max) = (count("min", &self.min), count("max", &self.max));
                Kind::MultipleChoice {
                    options: options(),
                    min,
                    max,
                }
            }
            "scale" => {
                let mut bound = |name: &str, v: &str, default: i32| {
                    if v.trim().is_empty() {
                        return default;
                    }
                    let bound = whole(v).and_then(|n| {
                        n.map_or(Ok(default), |n| {
                            i32::try_from(n).map_err(|_| FieldError::OutOfRange {
                                min: -100,
                                max: 100,
                            })
                        })
                    });
                    e.check(name, bound).unwrap_or(default)
                };
                let min = bound("scale_min", &self.scale_min, 1);
                let max = bound("scale_max", &self.scale_max, 5);
                let text = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
                Kind::Scale {
                    min,
                    max,
                    min_label: text(&self.min_label),
                    max_label: text(&self.max_label),
                }
            }
            "nps" => Kind::Nps,
            "yes_no" => Kind::YesNo,
            "file" => self.file(e),
            _ => {
                e.add("kind", FieldError::InvalidChoice);
                Kind::ShortText
            }
        };
        let condition = match self.condition.trim() {
            "" => None,
            c => match c.split_once('=') {
                Some((field, value)) => Some(Condition {
                    field: field.to_owned(),
                    value: value.to_owned(),
                }),
                None => {
                    e.add("condition", FieldError::InvalidCondition);
                    None
                }
            },
        };
        Field {
            key,
            label,
            help,
            required: self.required,
            condition,
            kind,
        }
    }

    /// A file field: its types ticked and its largest size in MB.
    fn file(&self, e: &mut FieldErrors) -> Kind {
        let mut types = Vec::new();
        for t in &self.types {
            match FileKind::parse(t) {
                Some(k) if !types.contains(&k) => types.push(k),
                Some(_) => {}
                None => e.add("types", FieldError::InvalidChoice),
            }
        }
        let max_bytes = match self.max_mb.trim() {
            "" => 5_000_000,
            v => match number(v) {
                Ok(n) if n > 0.0 && n < 1e6 => (n * 1e6).round() as u64,
                Ok(_) => 0,
                Err(x) => {
                    e.add("max_mb", x);
                    5_000_000
                }
            },
        };
        Kind::File { types, max_bytes }
    }
}

/// A key made from a label, unique among `taken`.
fn derive_key(label: &str, taken: &[&str], fallback: &str) -> String {
    let mut base = maillage_domain::programme::slugify(label).replace('-', "_");
    if base.is_empty() {
        base = fallback.to_owned();
    }
    base.truncate(KEY_MAX - 4);
    let base = base.trim_end_matches('_').to_owned();
    if !taken.contains(&base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken.contains(&k.as_str()))
        .unwrap_or(base)
}

/// Reads the options typed, one per line: `label`, or `key | label` to
/// fix the stored code. A line without a key keeps the key of an option
/// of the same label in `old`, else gets one made from its label.
fn parse_options(text: &str, old: &[Opt]) -> Vec<Opt> {
    let mut out: Vec<Opt> = Vec::new();
    let lines: Vec<(Option<String>, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((k, label)) if !k.trim().is_empty() => {
                (Some(k.trim().to_owned()), label.trim().to_owned())
            }
            Some((_, label)) => (None, label.trim().to_owned()),
            None => (None, l.to_owned()),
        })
        .collect();
    let given: Vec<String> = lines.iter().filter_map(|(k, _)| k.clone()).collect();
    for (i, (k, label)) in lines.into_iter().enumerate() {
        let key = match k {
            Some(k) => k,
            None => {
                let mut taken: Vec<&str> = out.iter().map(|o| o.key.as_str()).collect();
                taken.extend(given.iter().map(String::as_str));
                match old.iter().find(|o| o.label == label) {
                    Some(o) if !taken.contains(&o.key.as_str()) => o.key.clone(),
                    _ => derive_key(&label, &taken, &format!("option_{}", i + 1)),
                }
            }
        };
        out.push(Opt { key, label });
    }
    out
}

/// An optional whole number typed in a field.
fn whole(v: &str) -> Result<Option<i64>, FieldError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let n = number(v)?;
    if n.fract() != 0.0 {
        return Err(FieldError::NotWhole);
    }
    if n.abs() > 1e15 {
        return Err(FieldError::InvalidNumber);
    }
    Ok(Some(n as i64))
}

/// The input a domain message about item `n` belongs beside.
fn input_of(kind: Option<&Kind>, what: &str) -> (&'static str, Option<usize>) {
    let mut parts = what.split('.');
    let first = parts.next().unwrap_or("");
    let line = parts.next().and_then(|j| j.parse::<usize>().ok());
    let scale = matches!(kind, Some(Kind::Scale { .. }));
    let name = match first {
        "key" => "key",
        "label" => "label",
        "options" => "options",
        "min" if scale => "scale_min",
        "max" if scale => "scale_max",
        "min" => "min",
        "max" => "max",
        "types" => "types",
        "max_bytes" => "max_mb",
        "condition" => "condition",
        "title" => "title",
        "text" => "text",
        "help" => "help",
        _ => "",
    };
    (name, line)
}

/// A short name of an item, for messages and the list.
pub fn item_name(m: &Messages, it: &Item) -> String {
    match it {
        Item::Field(f) => f.label.clone(),
        Item::Section { title, .. } => format!("{} « {title} »", m.fb_section),
        Item::HelpText { text } => {
            let t: String = text.chars().take(40).collect();
            format!("{} « {t} »", m.fb_help_text)
        }
    }
}

/// Checks `schema` with the domain; messages about item `focus` go
/// beside its inputs (in `e`), others into the general message.
pub fn validate(m: &Messages, schema: &Schema, focus: Option<usize>, e: &mut FormErrors) {
    let Err(errs) = schema.validate() else {
        return;
    };
    let mut general = Vec::new();
    for (path, err) in errs.iter() {
        let rest = path.strip_prefix("items.");
        let (n, what) = match rest.and_then(|r| r.split_once('.')) {
            Some((n, what)) => (n.parse::<usize>().ok(), what),
            None => (None, ""),
        };
        let msg = field_error(m, err);
        let item = n.and_then(|n| schema.items.get(n));
        if n.is_some() && n == focus {
            let kind = match item {
                Some(Item::Field(f)) => Some(&f.kind),
                _ => None,
            };
            let (name, line) = input_of(kind, what);
            let msg = match line {
                Some(j) => fill(
                    m.fb_err_line,
                    &[("line", &(j + 1).to_string()), ("message", &msg)],
                ),
                None => msg,
            };
            if e.get(name).is_none() {
                e.add(name, msg);
            }
        } else {
            let name = item.map(|it| item_name(m, it));
            general.push(match (n, name) {
                (Some(n), Some(name)) => fill(
                    m.fb_err_item,
                    &[
                        ("n", &(n + 1).to_string()),
                        ("name", &name),
                        ("message", &msg),
                    ],
                ),
                _ => msg,
            });
        }
    }
    if !general.is_empty() {
        e.general = Some(general.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_derived_from_labels_and_unique() {
        assert_eq!(derive_key("Âge de l'enfant ?", &[], "q"), "age_de_l_enfant");
        assert_eq!(derive_key("Note", &["note"], "q"), "note_2");
        assert_eq!(derive_key("Note", &["note", "note_2"], "q"), "note_3");
        assert_eq!(derive_key("???", &[], "question_3"), "question_3");
        assert!(derive_key(&"très long ".repeat(20), &[], "q").len() <= KEY_MAX);
    }

    #[test]
    fn options_keep_their_keys() {
        let old = vec![Opt {
            key: "5".into(),
            label: "Très satisfait".into(),
        }];
        let o = parse_options("Très satisfait\n\nbof | Bof\nPas du tout\n", &old);
        let keys: Vec<&str> = o.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["5", "bof", "pas_du_tout"]);
        assert_eq!(o[1].label, "Bof");
    }

    #[test]
    fn messages_go_beside_the_right_input() {
        let scale = Kind::Scale {
            min: 1,
            max: 5,
            min_label: None,
            max_label: None,
        };
        assert_eq!(input_of(Some(&scale), "max"), ("scale_max", None));
        assert_eq!(input_of(None, "max"), ("max", None));
        assert_eq!(input_of(None, "options.2.key"), ("options", Some(2)));
        assert_eq!(input_of(None, "max_bytes"), ("max_mb", None));
    }

    #[test]
    fn a_field_shown_reads_back_the_same() {
        let f = Field {
            key: "note".into(),
            label: "Note".into(),
            help: Some("De 1 à 5".into()),
            required: true,
            condition: None,
            kind: Kind::Scale {
                min: 1,
                max: 5,
                min_label: Some("Bof".into()),
                max_label: None,
            },
        };
        let schema = Schema {
            items: vec![Item::Field(f.clone())],
        };
        let typed = ItemForm::of(&schema.items[0]);
        let m = crate::i18n::messages(maillage_domain::Locale::Fr);
        let (read, e) = typed.read(m, What::Field, &schema, (0, true));
        assert!(e.is_empty());
        assert_eq!(read, Item::Field(f));
    }
}
