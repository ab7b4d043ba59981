//! A person's display name.

use crate::field::{FieldError, single_line};
use std::fmt;

pub const MAX_LEN: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, FieldError> {
        single_line(input, 1, MAX_LEN).map(PersonName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_any_printable_text() {
        let n = PersonName::parse("  <b>Marie</b> O'Brien; DROP TABLE users ").unwrap();
        assert_eq!(n.as_str(), "<b>Marie</b> O'Brien; DROP TABLE users");
        assert_eq!(PersonName::parse(""), Err(FieldError::Required));
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
    }
}
