//! Field-level validation errors. Each error is a code; the web layer turns it
//! into a message in the user's language, shown next to the field.

use serde::Serialize;

/// Why a value was refused. Codes are stable (they appear in JSON errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    InvalidEmail,
    InvalidChoice,
    ControlCharacters,
    AlreadyTaken,
    Mismatch,
    InvalidNumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    InvalidDate,
    /// A time of day that cannot be read ("14:30", "9h", "9h15").
    InvalidTime,
    InvalidUrl,
    NotFound,
    /// A SIRET, UAI or similar number with a wrong format or checksum.
    InvalidIdentifier,
    InvalidPhone,
    InvalidPostcode,
    /// A commune that cannot be found (or several match).
    UnknownCommune,
    AmbiguousCommune,
    /// Lower-case letters, digits and dashes only.
    InvalidSlug,
    /// An end before its start.
    EndBeforeStart,
    /// A number below the smallest allowed (no upper bound).
    TooSmall {
        min: i64,
    },
    /// A number above the largest allowed (no lower bound).
    TooLarge {
        max: i64,
    },
    /// A whole number was expected.
    NotWhole,
    /// Fewer options ticked than asked.
    TooFewChoices {
        min: usize,
    },
    /// More options ticked than allowed.
    TooManyChoices {
        max: usize,
    },
    /// A file of a type not accepted (checked by its content).
    FileType,
    /// A file larger than allowed (`max` in bytes).
    FileTooLarge {
        max: u64,
    },
    /// A condition on a field that does not come earlier, cannot be
    /// conditioned on, or a value it cannot take.
    InvalidCondition,
    /// A minimum above the maximum.
    MinAboveMax,
}

impl FieldError {
    /// Stable machine code, used in problem+json bodies and message keys.
    pub fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort { .. } => "too_short",
            FieldError::TooLong { .. } => "too_long",
            FieldError::InvalidEmail => "invalid_email",
            FieldError::InvalidChoice => "invalid_choice",
            FieldError::ControlCharacters => "control_characters",
            FieldError::AlreadyTaken => "already_taken",
            FieldError::Mismatch => "mismatch",
            FieldError::InvalidNumber => "invalid_number",
            FieldError::OutOfRange { .. } => "out_of_range",
            FieldError::InvalidDate => "invalid_date",
            FieldError::InvalidTime => "invalid_time",
            FieldError::InvalidUrl => "invalid_url",
            FieldError::NotFound => "not_found",
            FieldError::InvalidIdentifier => "invalid_identifier",
            FieldError::InvalidPhone => "invalid_phone",
            FieldError::InvalidPostcode => "invalid_postcode",
            FieldError::UnknownCommune => "unknown_commune",
            FieldError::AmbiguousCommune => "ambiguous_commune",
            FieldError::InvalidSlug => "invalid_slug",
            FieldError::EndBeforeStart => "end_before_start",
            FieldError::TooSmall { .. } => "too_small",
            FieldError::TooLarge { .. } => "too_large",
            FieldError::NotWhole => "not_whole",
            FieldError::TooFewChoices { .. } => "too_few_choices",
            FieldError::TooManyChoices { .. } => "too_many_choices",
            FieldError::FileType => "file_type",
            FieldError::FileTooLarge { .. } => "file_too_large",
            FieldError::InvalidCondition => "invalid_condition",
            FieldError::MinAboveMax => "min_above_max",
        }
    }
}

/// A time of day as people type it: "14:30", "9h", "9h15", "14".
pub fn parse_time(s: &str) -> Result<chrono::NaiveTime, FieldError> {
    let s = s.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    let (h, m) = match s.split_once([':', 'h']) {
        Some((h, "")) => (h, "0"),
        Some((h, m)) => (h, m),
        None => (s.as_str(), "0"),
    };
    let h: u32 = h.trim().parse().map_err(|_| FieldError::InvalidTime)?;
    let m: u32 = m.trim().parse().map_err(|_| FieldError::InvalidTime)?;
    chrono::NaiveTime::from_hms_opt(h, m, 0).ok_or(FieldError::InvalidTime)
}

/// Errors of a whole form, keyed by field name, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, FieldError)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, error: FieldError) {
        self.0.push((field.into(), error));
    }

    /// Records the error of `result` under `field` and returns the value if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, e)| e)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(f, e)| (f.as_str(), e))
    }

    /// `Ok(())` when there is no error, else `Err(self)`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<(&str, FieldError)> for FieldErrors {
    fn from((field, error): (&str, FieldError)) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, error);
        e
    }
}

/// Trims `input` and checks it is a single line of printable text within bounds.
pub fn single_line(input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Required);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacters);
    }
    let len = trimmed.chars().count();
    if len < min {
        return Err(FieldError::TooShort { min });
    }
    if len > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_rules() {
        assert_eq!(single_line("  Ada ", 1, 10), Ok("Ada".into()));
        assert_eq!(single_line("   ", 1, 10), Err(FieldError::Required));
        assert_eq!(
            single_line("a\nb", 1, 10),
            Err(FieldError::ControlCharacters)
        );
        assert_eq!(
            single_line("abcdef", 1, 5),
            Err(FieldError::TooLong { max: 5 })
        );
        assert_eq!(single_line("é", 2, 5), Err(FieldError::TooShort { min: 2 }));
    }

    #[test]
    fn errors_collect_in_order() {
        let mut e = FieldErrors::new();
        assert_eq!(e.check("a", Ok::<_, FieldError>(1)), Some(1));
        assert_eq!(e.check::<()>("b", Err(FieldError::Required)), None);
        assert_eq!(e.get("b"), Some(&FieldError::Required));
        assert!(e.get("a").is_none());
        assert!(e.into_result().is_err());
    }
}
