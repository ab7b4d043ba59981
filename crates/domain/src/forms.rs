//! Forms: the schema a builder edits (an ordered list of fields, section
//! headings and help texts), the answers parsed from what a person submits
//! (typed, trimmed, with conditional display), file types checked by
//! content ([`sniff`]), statistics streamed over many responses
//! ([`tally`]), and the review of submissions to calls ([`review`]).
//!
//! A schema is stored as JSON, one row per version; answers are stored as
//! JSON too and always read against the version they answered.

pub mod review;
pub mod sniff;
pub mod tally;

use crate::field::{FieldError, FieldErrors, single_line};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

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

/// How strictly answers are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// Required fields must be answered (on one page, or everywhere).
    Submit(Option<usize>),
    /// A draft: whatever is there is checked, nothing is required.
    Draft,
}

impl Schema {
    pub fn from_json(s: &str) -> Result<Schema, serde_json::Error> {
        serde_json::from_str(s)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"items\":[]}".into())
    }

    /// The fields, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.items.iter().filter_map(|i| match i {
            Item::Field(f) => Some(f),
            _ => None,
        })
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields().find(|f| f.key == key)
    }

    /// Checks the schema itself, for the builder. Errors are keyed by the
    /// item's position and what is wrong: `items.3.key`, `items.3.options`,
    /// `items.5.condition`, `items` (too many).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.items.len() > MAX_ITEMS {
            e.add("items", FieldError::TooLong { max: MAX_ITEMS });
        }
        // Fields seen so far, for conditions (which must look back).
        let mut earlier: HashMap<&str, &Field> = HashMap::new();
        for (i, item) in self.items.iter().enumerate() {
            let at = |what: &str| format!("items.{i}.{what}");
            let f = match item {
                Item::Section { title, .. } => {
                    e.check(&at("title"), single_line(title, 1, 200));
                    continue;
                }
                Item::HelpText { text } => {
                    if text.trim().is_empty() {
                        e.add(at("text"), FieldError::Required);
                    }
                    continue;
                }
                Item::Field(f) => f,
            };
            if let Err(err) = key(&f.key) {
                e.add(at("key"), err);
            } else if earlier.contains_key(f.key.as_str()) {
                e.add(at("key"), FieldError::AlreadyTaken);
            }
            e.check(&at("label"), single_line(&f.label, 1, 500));
            match &f.kind {
                Kind::SingleChoice { options } | Kind::Dropdown { options } => {
                    check_options(&mut e, &at("options"), options);
                }
                Kind::MultipleChoice { options, min, max } => {
                    check_options(&mut e, &at("options"), options);
                    if let (Some(a), Some(b)) = (min, max)
                        && a > b
                    {
                        e.add(at("max"), FieldError::MinAboveMax);
                    }
                    if max.is_some_and(|m| m == 0) {
                        e.add(at("max"), FieldError::TooSmall { min: 1 });
                    }
                    if min.is_some_and(|m| m > options.len()) {
                        e.add(
                            at("min"),
                            FieldError::TooLarge {
                                max: options.len() as i64,
                            },
                        );
                    }
                }
                Kind::Number {
                    min: Some(a),
                    max: Some(b),
                    ..
                } if a > b => e.add(at("max"), FieldError::MinAboveMax),
                Kind::Scale { min, max, .. } => {
                    if min >= max {
                        e.add(at("max"), FieldError::MinAboveMax);
                    } else if *min < -100 || *max > 100 {
                        e.add(
                            at("max"),
                            FieldError::OutOfRange {
                                min: -100,
                                max: 100,
                            },
                        );
                    }
                }
                Kind::File { types, max_bytes } => {
                    if types.is_empty() {
                        e.add(at("types"), FieldError::Required);
                    }
                    if *max_bytes == 0 || *max_bytes > MAX_FILE_BYTES {
                        e.add(
                            at("max_bytes"),
                            FieldError::FileTooLarge {
                                max: MAX_FILE_BYTES,
                            },
                        );
                    }
                }
                _ => {}
            }
            if let Some(c) = &f.condition {
                let ok = earlier.get(c.field.as_str()).is_some_and(|target| {
                    target.kind.can_condition()
                        && match &target.kind {
                            Kind::YesNo => c.value == "yes" || c.value == "no",
                            k => k.options().iter().any(|o| o.key == c.value),
                        }
                });
                if !ok {
                    e.add(at("condition"), FieldError::InvalidCondition);
                }
            }
            earlier.entry(f.key.as_str()).or_insert(f);
        }
        e.into_result()
    }

    /// The pages of the form: a new page starts at each section heading.
    pub fn pages(&self) -> Vec<Page<'_>> {
        let mut pages = Vec::new();
        let mut start = 0;
        let mut title = None;
        for (i, item) in self.items.iter().enumerate() {
            if let Item::Section { title: t, .. } = item {
                if i > start {
                    pages.push(Page {
                        title,
                        items: &self.items[start..i],
                    });
                }
                start = i;
                title = Some(t.as_str());
            }
        }
        if start < self.items.len() || pages.is_empty() {
            pages.push(Page {
                title,
                items: &self.items[start..],
            });
        }
        pages
    }

    /// The keys of the fields on page `page`.
    fn page_keys(&self, page: usize) -> Vec<&str> {
        self.pages()
            .get(page)
            .map(|p| {
                p.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Field(f) => Some(f.key.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `field` is shown, given the answers to the fields before it.
    pub fn is_visible(&self, field: &Field, answers: &Answers) -> bool {
        match &field.condition {
            None => true,
            Some(c) => {
                let Some(target) = self.field(&c.field) else {
                    return false;
                };
                self.is_visible(target, answers)
                    && answers.get(&c.field).is_some_and(|a| a.matches(&c.value))
            }
        }
    }

    /// Parses what was submitted: `pairs` are the raw form pairs (repeated
    /// keys for checkboxes). Values are trimmed and typed; a field hidden by
    /// its condition is dropped; a required field must be answered when it
    /// is visible — on page `page` only, or on every page when `None`.
    /// Fields of other pages present in `pairs` are parsed too (their
    /// answers decide what is visible).
    pub fn parse_answers(
        &self,
        pairs: &[(String, String)],
        page: Option<usize>,
    ) -> Result<Answers, FieldErrors> {
        self.parse(pairs, Strictness::Submit(page))
    }

    /// Parses a draft being saved: values present are checked, nothing is
    /// required.
    pub fn parse_draft(&self, pairs: &[(String, String)]) -> Result<Answers, FieldErrors> {
        self.parse(pairs, Strictness::Draft)
    }

    fn parse(
        &self,
        pairs: &[(String, String)],
        strict: Strictness,
    ) -> Result<Answers, FieldErrors> {
        let mut raw: HashMap<&str, Vec<&str>> = HashMap::new();
        for (k, v) in pairs {
            let v = v.trim();
            if !v.is_empty() {
                raw.entry(k.as_str()).or_default().push(v);
            }
        }
        let on_page = match strict {
            Strictness::Submit(Some(p)) => Some(self.page_keys(p)),
            _ => None,
        };
        let mut answers = Answers::default();
        let mut e = FieldErrors::new();
        for f in self.fields() {
            if !self.is_visible(f, &answers) {
                continue;
            }
            let values = raw.get(f.key.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            if values.is_empty() {
                let must = match strict {
                    Strictness::Draft => false,
                    Strictness::Submit(None) => f.required,
                    Strictness::Submit(Some(_)) => {
                        f.required
                            && on_page
                                .as_ref()
                                .is_some_and(|keys| keys.contains(&f.key.as_str()))
                    }
                };
                if must {
                    e.add(f.key.clone(), FieldError::Required);
                }
                continue;
            }
            match parse_value(&f.kind, values) {
                Ok(a) => answers.insert(f.key.clone(), a),
                Err(err) => e.add(f.key.clone(), err),
            }
        }
        e.into_result().map(|()| answers)
    }

    /// Every field of this version with its answer, for reading an answer
    /// back against the version it answered.
    pub fn read<'a>(&'a self, answers: &'a Answers) -> Vec<ReadAnswer<'a>> {
        self.fields()
            .map(|f| {
                let answer = answers.get(&f.key);
                ReadAnswer {
                    field: f,
                    answer,
                    text: answer.map(|a| a.display(Some(f))).unwrap_or_default(),
                }
            })
            .collect()
    }
}

fn check_options(e: &mut FieldErrors, at: &str, options: &[Choice]) {
    if options.is_empty() {
        e.add(at, FieldError::Required);
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for (j, o) in options.iter().enumerate() {
        if let Err(err) = key(&o.key) {
            e.add(format!("{at}.{j}.key"), err);
        } else if !seen.insert(o.key.as_str()) {
            e.add(format!("{at}.{j}.key"), FieldError::AlreadyTaken);
        }
        e.check(&format!("{at}.{j}.label"), single_line(&o.label, 1, 300));
    }
}

/// Checks a field or option key: lower-case ASCII letters, digits, `_` and
/// `-`, starting with a letter or digit, at most [`KEY_MAX`] long.
pub fn key(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if s.len() > KEY_MAX {
        return Err(FieldError::TooLong { max: KEY_MAX });
    }
    let ok = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && s.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::InvalidSlug)
    }
}

/// A number typed by a person: `12`, `-3.5`, `3,5` (French decimal comma),
/// spaces between thousands.
pub fn number(input: &str) -> Result<f64, FieldError> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return Err(FieldError::InvalidNumber);
    }
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(FieldError::InvalidNumber),
    }
}

fn one<'a>(values: &[&'a str]) -> Result<&'a str, FieldError> {
    match values {
        [v] => Ok(v),
        // Two values for one single-valued field: a forged form.
        _ => Err(FieldError::InvalidChoice),
    }
}

fn option_key(options: &[Choice], v: &str) -> Result<String, FieldError> {
    options
        .iter()
        .find(|o| o.key == v)
        .map(|o| o.key.clone())
        .ok_or(FieldError::InvalidChoice)
}

fn parse_value(kind: &Kind, values: &[&str]) -> Result<Answer, FieldError> {
    match kind {
        Kind::ShortText => Ok(Answer::Text(single_line(one(values)?, 1, SHORT_TEXT_MAX)?)),
        Kind::LongText => {
            let v = one(values)?.replace("\r\n", "\n");
            if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(FieldError::ControlCharacters);
            }
            if v.chars().count() > LONG_TEXT_MAX {
                return Err(FieldError::TooLong { max: LONG_TEXT_MAX });
            }
            Ok(Answer::Text(v))
        }
        Kind::Email => Ok(Answer::Text(
            crate::Email::parse(one(values)?)?.into_inner(),
        )),
        Kind::Phone => Ok(Answer::Text(crate::directory::phone(one(values)?)?)),
        Kind::Number { min, max, integer } => {
            let n = number(one(values)?)?;
            if *integer && n.fract() != 0.0 {
                return Err(FieldError::NotWhole);
            }
            let below = min.is_some_and(|m| n < m as f64);
            let above = max.is_some_and(|m| n > m as f64);
            if below || above {
                return Err(match (min, max) {
                    (Some(a), Some(b)) => FieldError::OutOfRange { min: *a, max: *b },
                    (Some(a), None) => FieldError::TooSmall { min: *a },
                    (None, Some(b)) => FieldError::TooLarge { max: *b },
                    (None, None) => FieldError::InvalidNumber,
                });
            }
            Ok(Answer::Number(n))
        }
        Kind::Date => {
            let v = one(values)?;
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
                .map(Answer::Date)
                .map_err(|_| FieldError::InvalidDate)
        }
        Kind::SingleChoice { options } | Kind::Dropdown { options } => {
            Ok(Answer::Choice(option_key(options, one(values)?)?))
        }
        Kind::MultipleChoice { options, min, max } => {
            for v in values {
                option_key(options, v)?;
            }
            // In the form's order, each once.
            let chosen: Vec<String> = options
                .iter()
                .filter(|o| values.contains(&o.key.as_str()))
                .map(|o| o.key.clone())
                .collect();
            if let Some(m) = min
                && chosen.len() < *m
            {
                return Err(FieldError::TooFewChoices { min: *m });
            }
            if let Some(m) = max
                && chosen.len() > *m
            {
                return Err(FieldError::TooManyChoices { max: *m });
            }
            Ok(Answer::Choices(chosen))
        }
        Kind::Scale { min, max, .. } => {
            let n = scale_value(one(values)?, i64::from(*min), i64::from(*max))?;
            Ok(Answer::Number(n as f64))
        }
        Kind::Nps => Ok(Answer::Number(scale_value(one(values)?, 0, 10)? as f64)),
        Kind::YesNo => match one(values)? {
            "yes" | "oui" | "true" | "1" => Ok(Answer::Bool(true)),
            "no" | "non" | "false" | "0" => Ok(Answer::Bool(false)),
            _ => Err(FieldError::InvalidChoice),
        },
        Kind::File { .. } => {
            // The web layer stores the upload first (checked by content and
            // size, see the storage) and submits `id:filename`.
            let v = one(values)?;
            let (id, name) = v.split_once(':').unwrap_or((v, ""));
            let upload_id = id.parse::<i64>().map_err(|_| FieldError::NotFound)?;
            Ok(Answer::File(FileRef {
                upload_id,
                name: name.to_owned(),
            }))
        }
    }
}

fn scale_value(v: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    let n: i64 = v.parse().map_err(|_| FieldError::InvalidChoice)?;
    if n < min || n > max {
        return Err(FieldError::OutOfRange { min, max });
    }
    Ok(n)
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

/// What an accepted proposal to a call for participation gives its draft
/// activity, read from well-known field keys: `title`, `summary`,
/// `description`, `format` (an option keyed by a format code), `audience`
/// (options keyed by audience codes), `min_age`, `venue` (an option keyed
/// by a venue id, or a number), `themes` (options keyed by theme codes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityProposal {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub format: Option<crate::programme::Format>,
    pub audiences: Vec<crate::programme::Audience>,
    pub themes: Vec<crate::directory::Theme>,
    pub min_age: Option<i32>,
    pub venue_id: Option<i64>,
}

/// The well-known keys [`ActivityProposal::from_answers`] reads.
pub const ACTIVITY_KEYS: [&str; 8] = [
    "title",
    "summary",
    "description",
    "format",
    "audience",
    "themes",
    "min_age",
    "venue",
];

impl ActivityProposal {
    pub fn from_answers(a: &Answers) -> ActivityProposal {
        let text = |k: &str| match a.get(k) {
            Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            Some(Answer::Choice(c)) => Some(c.clone()),
            _ => None,
        };
        let codes = |k: &str| -> Vec<String> {
            match a.get(k) {
                Some(Answer::Choices(cs)) => cs.clone(),
                Some(Answer::Choice(c)) => vec![c.clone()],
                _ => Vec::new(),
            }
        };
        ActivityProposal {
            title: text("title"),
            summary: text("summary"),
            description: text("description"),
            format: text("format").and_then(|f| crate::programme::Format::parse(&f).ok()),
            audiences: codes("audience")
                .iter()
                .filter_map(|c| crate::programme::Audience::parse(c).ok())
                .collect(),
            themes: codes("themes")
                .iter()
                .filter_map(|c| crate::directory::Theme::parse(c).ok())
                .collect(),
            min_age: match a.get("min_age") {
                Some(Answer::Number(n)) if n.fract() == 0.0 && (0.0..=120.0).contains(n) => {
                    Some(*n as i32)
                }
                _ => None,
            },
            venue_id: match a.get("venue") {
                Some(Answer::Choice(c)) => c.parse().ok(),
                Some(Answer::Number(n)) if n.fract() == 0.0 => Some(*n as i64),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests;
