//! Forms: the schema a builder edits (an ordered list of fields, section
//! headings and help texts), the answers parsed from what a person submits
//! (typed, trimmed, with conditional display), file types checked by
//! content ([`sniff`]), statistics streamed over many responses
//! ([`tally`]), and the review of submissions to calls ([`review`]).
//!
//! A schema is stored as JSON, one row per version; answers are stored as
//! JSON too and always read against the version they answered.

pub mod disclosure;
pub mod review;
pub mod sniff;
pub mod tally;

mod answers;
mod proposal;
mod schema;

pub use answers::{key, number};
pub use proposal::{
    ACTIVITY_KEYS, ActivityProposal, MAX_PROPOSED_SESSIONS, ProposedSession, is_commune_key,
};

use crate::field::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use sniff::{FileKind, sniff};

/// Longest answer to a short text field, in characters.
pub const SHORT_TEXT_MAX: usize = 500;
/// Longest answer to a long text field, in characters.
pub const LONG_TEXT_MAX: usize = 20_000;
/// Longest key of a field or an option.
pub const KEY_MAX: usize = 60;
/// The most items a form may hold.
pub const MAX_ITEMS: usize = 300;
/// Largest file a form may accept, whatever its settings say (20 MB).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// A form: its items, in order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Schema {
    pub items: Vec<Item>,
}

/// One item of a form: a field to answer, or text around the fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// A section heading; in a multi-page form each heading starts a page.
    Section {
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
    },
    /// A paragraph of explanation.
    HelpText {
        text: String,
    },
    Field(Field),
}

impl Item {
    /// A question without help text or condition.
    pub fn field(key: &str, label: &str, required: bool, kind: Kind) -> Item {
        Item::Field(Field {
            key: key.into(),
            label: label.into(),
            help: None,
            required,
            condition: None,
            kind,
        })
    }
}

/// A question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Stable identifier (a slug, unique in the form): answers are keyed by
    /// it, across versions.
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// Shown only when an earlier answer has a given value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    pub kind: Kind,
}

/// "Show only when the answer to `field` equals (single choice, dropdown,
/// yes/no: `yes` or `no`) or contains (multiple choice) `value`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub value: String,
}

/// A proposed answer of a choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Stable identifier of the option (what is stored).
    pub key: String,
    pub label: String,
}

/// What kind of answer a field takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    ShortText,
    LongText,
    Email,
    Phone,
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<i64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
    },
    Date,
    /// A time of day, stored as "HH:MM".
    Time,
    /// Radio buttons.
    SingleChoice {
        options: Vec<Choice>,
    },
    /// Checkboxes, with optional bounds on how many may be ticked.
    MultipleChoice {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<usize>,
    },
    Dropdown {
        options: Vec<Choice>,
    },
    /// A whole number from `min` to `max`, with labels for both ends.
    Scale {
        min: i32,
        max: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_label: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_label: Option<String>,
    },
    /// Net promoter score: 0 to 10.
    Nps,
    YesNo,
    /// A file, of the allowed types, at most `max_bytes`.
    File {
        types: Vec<FileKind>,
        max_bytes: u64,
    },
}

impl Kind {
    /// Stable code of the kind (builder, exports).
    pub fn code(&self) -> &'static str {
        match self {
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Number { .. } => "number",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::SingleChoice { .. } => "single_choice",
            Kind::MultipleChoice { .. } => "multiple_choice",
            Kind::Dropdown { .. } => "dropdown",
            Kind::Scale { .. } => "scale",
            Kind::Nps => "nps",
            Kind::YesNo => "yes_no",
            Kind::File { .. } => "file",
        }
    }

    /// The options of a choice field (empty for other kinds).
    pub fn options(&self) -> &[Choice] {
        match self {
            Kind::SingleChoice { options }
            | Kind::MultipleChoice { options, .. }
            | Kind::Dropdown { options } => options,
            _ => &[],
        }
    }

    /// Whether a condition may depend on this field.
    pub fn can_condition(&self) -> bool {
        matches!(
            self,
            Kind::SingleChoice { .. }
                | Kind::MultipleChoice { .. }
                | Kind::Dropdown { .. }
                | Kind::YesNo
        )
    }
}

/// An uploaded file an answer points at (stored apart, see the storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub upload_id: i64,
    pub name: String,
}

/// One typed answer. Serialised compactly (`{"c":"yes"}`): responses are
/// stored and read by the hundred thousand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    #[serde(rename = "t")]
    Text(String),
    #[serde(rename = "n")]
    Number(f64),
    #[serde(rename = "d")]
    Date(NaiveDate),
    /// The key of the option chosen (single choice, dropdown).
    #[serde(rename = "c")]
    Choice(String),
    /// The keys of the options ticked, in the form's order.
    #[serde(rename = "cs")]
    Choices(Vec<String>),
    #[serde(rename = "b")]
    Bool(bool),
    #[serde(rename = "f")]
    File(FileRef),
}

impl Answer {
    /// Does this answer satisfy a condition's `value`?
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Answer::Choice(c) => c == value,
            Answer::Choices(cs) => cs.iter().any(|c| c == value),
            Answer::Bool(b) => value == if *b { "yes" } else { "no" },
            _ => false,
        }
    }

    /// The answer as plain text, with option labels from `field` (exports,
    /// e-mail copies, reading an old answer).
    pub fn display(&self, field: Option<&Field>) -> String {
        let label = |k: &str| -> String {
            field
                .and_then(|f| f.kind.options().iter().find(|o| o.key == k))
                .map_or_else(|| k.to_owned(), |o| o.label.clone())
        };
        match self {
            Answer::Text(t) => t.clone(),
            Answer::Number(n) => format_number(*n),
            Answer::Date(d) => d.format("%Y-%m-%d").to_string(),
            Answer::Choice(c) => label(c),
            Answer::Choices(cs) => cs.iter().map(|c| label(c)).collect::<Vec<_>>().join(", "),
            Answer::Bool(true) => "yes".into(),
            Answer::Bool(false) => "no".into(),
            Answer::File(f) => f.name.clone(),
        }
    }
}

/// A number as people write it: no trailing `.0` on whole numbers.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The answers of one submission or response, by field key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

impl Answers {
    pub fn get(&self, key: &str) -> Option<&Answer> {
        self.0.get(key)
    }

    /// The text answered to `key` ("" when none, or not a text).
    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Some(Answer::Text(t)) => t,
            _ => "",
        }
    }

    pub fn insert(&mut self, key: impl Into<String>, a: Answer) {
        self.0.insert(key.into(), a);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The uploads the answers point at.
    pub fn uploads(&self) -> Vec<i64> {
        self.0
            .values()
            .filter_map(|a| match a {
                Answer::File(f) => Some(f.upload_id),
                _ => None,
            })
            .collect()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(s: &str) -> Result<Answers, serde_json::Error> {
        serde_json::from_str(s)
    }
}

/// One page of a multi-page form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page<'a> {
    /// The heading that starts it (none for a first page before any heading).
    pub title: Option<&'a str>,
    pub items: &'a [Item],
}

/// One question and its answer, as an answer is read back against the
/// version of the form it answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadAnswer<'a> {
    pub field: &'a Field,
    pub answer: Option<&'a Answer>,
    /// The answer as text (empty when none).
    pub text: String,
}

vocabulary! {
    /// What a form is for.
    Purpose {
        ParticipationCall = "participation_call", "Appel à participation", "Call for participation";
        ApplicationCall = "application_call", "Appel à candidatures", "Call for applications";
        Registration = "registration", "Inscription", "Registration";
        Questionnaire = "questionnaire", "Questionnaire d'évaluation", "Evaluation questionnaire";
    }
}

vocabulary! {
    /// Who a questionnaire asks.
    FormAudience {
        Public = "public", "Public", "Public";
        Partners = "partners", "Partenaires", "Partners";
        Teachers = "teachers", "Enseignant·es", "Teachers";
    }
}

vocabulary! {
    /// The kind of a call.
    CallKind {
        Participation = "participation", "Appel à participation", "Call for participation";
        Application = "application", "Appel à candidatures", "Call for applications";
    }
}

#[cfg(test)]
mod tests;
