//! Account roles. The public needs no account.

use crate::field::FieldError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Staff,
    Intern,
    Volunteer,
    Partner,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Staff,
        Role::Intern,
        Role::Volunteer,
        Role::Partner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Intern => "intern",
            Role::Volunteer => "volunteer",
            Role::Partner => "partner",
        }
    }

    pub fn parse(input: &str) -> Result<Role, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::Required);
        }
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or(FieldError::InvalidChoice)
    }

    /// Partners belong to an organisation; the other roles are the team's.
    pub fn needs_organisation(self) -> bool {
        self == Role::Partner
    }
}

impl_vocabulary!(Role, as_str);

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert_eq!(Role::parse("STAFF"), Ok(Role::Staff));
        assert_eq!(Role::parse("root"), Err(FieldError::InvalidChoice));
        assert_eq!(Role::parse(""), Err(FieldError::Required));
    }
}
