//! E-mail addresses: trimmed, lower-cased, syntactically plausible.

use crate::field::FieldError;
use std::fmt;

pub const MAX_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses what a person typed. Accepts `local@domain.tld` with no spaces,
    /// one `@`, a dot in the domain and no empty labels.
    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        if s.chars().count() > MAX_LEN {
            return Err(FieldError::TooLong { max: MAX_LEN });
        }
        let (local, domain) = s.rsplit_once('@').ok_or(FieldError::InvalidEmail)?;
        let bad_char =
            |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c);
        if local.is_empty()
            || local.len() > 64
            || local.chars().any(bad_char)
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(FieldError::InvalidEmail);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err(FieldError::InvalidEmail);
        }
        Ok(Email(
            format!("{local}@{}", domain.to_lowercase()).to_lowercase(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse(" Staff@Example.ORG ").unwrap().as_str(),
            "staff@example.org"
        );
        assert!(Email::parse("prénom.nom@université.fr").is_ok());
        assert!(Email::parse("a+tag@sub.example.org").is_ok());
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "plainaddress",
            "@example.org",
            "a@",
            "a@b",
            "a b@example.org",
            "a@exa mple.org",
            "a@-example.org",
            "a..b@example.org",
            "<script>@example.org",
            "a@example..org",
            "'; DROP TABLE users;--@x.org",
        ] {
            assert_eq!(Email::parse(bad), Err(FieldError::InvalidEmail), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(FieldError::Required));
        let long = format!("{}@example.org", "a".repeat(300));
        assert_eq!(
            Email::parse(&long),
            Err(FieldError::TooLong { max: MAX_LEN })
        );
    }
}
