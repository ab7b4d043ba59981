//! Form errors as the templates show them: a message per field in the
//! user's language, plus an optional message for the whole form.

use crate::i18n::{Messages, field_error};
use maillage_domain::FieldErrors;

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    /// A message about the form as a whole (e.g. wrong password).
    pub general: Option<String>,
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
        }
    }

    pub fn general(message: impl Into<String>) -> FormErrors {
        FormErrors {
            fields: Vec::new(),
            general: Some(message.into()),
        }
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
}
