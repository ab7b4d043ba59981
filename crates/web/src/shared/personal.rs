//! Requests about a person's data (see, export, erase), found by their
//! e-mail address: the form every such page sends, checked.

use crate::forms::FormErrors;
use crate::i18n::{Messages, field_error};
use maillage_domain::Email;
use serde::Deserialize;

/// The forms of a person's data page as sent: `email`, and `confirm` to
/// erase.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub email: String,
    #[serde(deserialize_with = "crate::forms::ticked")]
    pub confirm: bool,
}

/// A request about a person's data, checked: a valid address (in lower
/// case), and whether erasing was confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub email: String,
    pub confirm: bool,
}

impl PersonForm {
    /// The request, or what was typed with the message beside the field.
    pub fn check(&self, m: &Messages) -> Result<Person, (String, FormErrors)> {
        let typed = self.email.trim();
        match Email::parse(typed) {
            Ok(e) => Ok(Person {
                email: e.as_str().to_lowercase(),
                confirm: self.confirm,
            }),
            Err(err) => {
                let mut e = FormErrors::new();
                e.add("email", field_error(m, &err));
                Err((typed.to_owned(), e))
            }
        }
    }
}
