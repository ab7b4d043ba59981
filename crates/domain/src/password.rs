//! Passwords: the policy for new ones, argon2id hashing, verification.

use crate::field::FieldError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::LazyLock;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 256;

/// A new password that meets the policy. Never printed by `Debug`.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Checks a new password: at least 10 characters, at most 256, not only
    /// one repeated character.
    pub fn new(input: &str) -> Result<Password, FieldError> {
        if input.is_empty() {
            return Err(FieldError::Required);
        }
        let len = input.chars().count();
        if len < MIN_LEN {
            return Err(FieldError::TooShort { min: MIN_LEN });
        }
        if len > MAX_LEN {
            return Err(FieldError::TooLong { max: MAX_LEN });
        }
        let mut chars = input.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(FieldError::TooShort { min: MIN_LEN });
        }
        Ok(Password(input.to_owned()))
    }

    /// A random password of 20 characters for `user add` and the demo.
    pub fn generate() -> Password {
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut bytes = [0u8; 20];
        rand::fill(&mut bytes);
        let s = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        Password(s)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> PasswordHash {
        PasswordHash::of(&self.0)
    }
}

/// An argon2id PHC string as stored in the database.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

static DUMMY: LazyLock<PasswordHash> = LazyLock::new(|| PasswordHash::of("not a real password"));

impl PasswordHash {
    fn of(password: &str) -> PasswordHash {
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .expect("argon2 with default parameters and a random salt cannot fail");
        PasswordHash(hash.to_string())
    }

    pub fn from_stored(s: String) -> PasswordHash {
        PasswordHash(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the password. A malformed stored hash never matches.
    pub fn verify(&self, candidate: &str) -> bool {
        match Phc::new(&self.0) {
            Ok(parsed) => Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time of a verification without a user, so that an unknown
    /// e-mail address takes as long to refuse as a wrong password.
    pub fn verify_dummy(candidate: &str) {
        let _ = DUMMY.verify(candidate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(Password::new("").unwrap_err(), FieldError::Required);
        assert_eq!(
            Password::new("short").unwrap_err(),
            FieldError::TooShort { min: 10 }
        );
        assert_eq!(
            Password::new("aaaaaaaaaaaa").unwrap_err(),
            FieldError::TooShort { min: 10 }
        );
        assert!(Password::new("correct horse battery").is_ok());
        assert!(Password::new(&"ab".repeat(200)).is_err());
        assert!(format!("{:?}", Password::new("correct horse").unwrap()).contains("***"));
    }

    #[test]
    fn hash_and_verify() {
        let p = Password::new("correct horse battery").unwrap();
        let h = p.hash();
        assert!(h.as_str().starts_with("$argon2id$"));
        assert!(h.verify("correct horse battery"));
        assert!(!h.verify("correct horse batterY"));
        assert!(!PasswordHash::from_stored("garbage".into()).verify("x"));
        let g = Password::generate();
        assert_eq!(g.expose().len(), 20);
        assert!(Password::new(g.expose()).is_ok());
    }
}
