//! One answer as typed: keys, numbers with a French decimal comma, the
//! value of each kind of field.

use super::*;
use crate::field::{FieldError, single_line};
use chrono::NaiveDate;

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

pub(super) fn option_key(options: &[Choice], v: &str) -> Result<String, FieldError> {
    options
        .iter()
        .find(|o| o.key == v)
        .map(|o| o.key.clone())
        .ok_or(FieldError::InvalidChoice)
}

pub(super) fn parse_value(kind: &Kind, values: &[&str]) -> Result<Answer, FieldError> {
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
        Kind::Time => {
            let t = crate::field::parse_time(one(values)?)?;
            Ok(Answer::Text(t.format("%H:%M").to_string()))
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

pub(super) fn scale_value(v: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    let n: i64 = v.parse().map_err(|_| FieldError::InvalidChoice)?;
    if n < min || n > max {
        return Err(FieldError::OutOfRange { min, max });
    }
    Ok(n)
}
