//! Form errors as the templates show them: a message per field in the
//! user's language, plus an optional message for the whole form; form
//! bodies as their list of fields ([`Pairs`], for forms whose fields are
//! dynamic) or read into a struct ([`Typed`], for fixed forms).

use crate::error::AppError;
use crate::i18n::{Messages, field_error};
use axum::extract::{FromRequest, Request};
use maillage_domain::{FieldError, FieldErrors};

mod typed;
pub use typed::Typed;

/// A check box read into a `bool` (`#[serde(deserialize_with = "…")]`):
/// ticked when sent with any value.
pub fn ticked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(!<String as serde::Deserialize>::deserialize(d)?.is_empty())
}

/// A form body as its list of fields, for forms with repeated fields
/// (check boxes) or a variable set of fields.
#[derive(Debug, Clone, Default)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a check box `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

impl<S: Send + Sync> FromRequest<S> for Pairs {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Pairs, AppError> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest(None))?;
        Ok(Pairs(pairs))
    }
}

/// An option of a select or a check box of a list.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    /// A message about the form as a whole (e.g. wrong password).
    pub general: Option<String>,
    /// The fields' labels, as the error summary names them
    /// ("Titre : ", "Title: ").
    names: Vec<(String, String)>,
}

impl FormErrors {
    pub fn new() -> FormErrors {
        FormErrors::default()
    }

    pub fn from_fields(m: &Messages, errors: &FieldErrors) -> FormErrors {
        FormErrors {
            fields: errors
                .iter()
                .map(|(f, e)| (f.to_owned(), field_error(m, e)))
                .collect(),
            general: None,
            names: Vec::new(),
        }
    }

    pub fn general(message: impl Into<String>) -> FormErrors {
        FormErrors {
            general: Some(message.into()),
            ..FormErrors::default()
        }
    }

    /// Names the fields in the summary by their labels, as `locale`
    /// writes "Label : message" (French) or "Label: message".
    pub fn name_fields<'a>(
        &mut self,
        locale: maillage_domain::Locale,
        labels: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        let colon = match locale {
            maillage_domain::Locale::Fr => "\u{a0}: ",
            maillage_domain::Locale::En => ": ",
        };
        for (key, label) in labels {
            if self.get(key).is_some() {
                self.names.push((
                    key.to_owned(),
                    format!("{}{colon}", label.trim_end_matches([':', ' '])),
                ));
            }
        }
    }

    /// The label naming `field` in the summary, with its colon ("" if none).
    pub fn name_of(&self, field: &str) -> &str {
        self.names
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, n)| n.as_str())
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push((field.to_owned(), message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// Adds the errors of `other` after these.
    pub fn extend(&mut self, other: FormErrors) {
        self.fields.extend(other.fields);
        if self.general.is_none() {
            self.general = other.general;
        }
    }
}

/// Records the error of `r` under `field` (in the user's language).
pub fn check<T>(
    e: &mut FormErrors,
    m: &Messages,
    field: &str,
    r: Result<T, FieldError>,
) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(err) => {
            e.add(field, field_error(m, &err));
            None
        }
    }
}
