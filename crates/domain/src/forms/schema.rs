//! Checking a schema as a builder edits it, and reading the answers of a
//! person against it (pages, conditions, required fields).

use super::answers::parse_value;
use super::*;
use crate::field::{FieldError, FieldErrors, single_line};
use std::collections::HashMap;

/// How strictly answers are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Strictness {
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
                // Text before the first section that asks nothing opens
                // the first page rather than being a page of its own.
                let asks = self.items[start..i]
                    .iter()
                    .any(|x| matches!(x, Item::Field(_)));
                if pages.is_empty() && title.is_none() && !asks {
                    title = Some(t.as_str());
                    continue;
                }
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

pub(super) fn check_options(e: &mut FieldErrors, at: &str, options: &[Choice]) {
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
