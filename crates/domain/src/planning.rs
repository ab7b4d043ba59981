//! Planning: tasks, with their status and priority, and the offsets of a
//! rétroplanning ("J-120", "J+30") from a project's reference dates.

use crate::field::FieldError;
use chrono::{Days, NaiveDate};

vocabulary! {
    /// Where a task stands. Open tasks (to do, in progress, waiting) move
    /// with their project's dates; done and dropped ones stay.
    TaskStatus {
        Todo = "todo", "À faire", "To do";
        InProgress = "in_progress", "En cours", "In progress";
        Waiting = "waiting", "En attente", "Waiting";
        Done = "done", "Terminée", "Done";
        Dropped = "dropped", "Abandonnée", "Dropped";
    }
}

impl TaskStatus {
    /// Still to be done: it can be late, and it moves with its project.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TaskStatus::Todo | TaskStatus::InProgress | TaskStatus::Waiting
        )
    }
}

vocabulary! {
    /// How urgent a task is.
    Priority {
        Low = "low", "Basse", "Low";
        Normal = "normal", "Normale", "Normal";
        High = "high", "Haute", "High";
    }
}

vocabulary! {
    /// What an agenda item of a meeting came to.
    Outcome {
        Information = "information", "Information", "Information";
        Decision = "decision", "Décision", "Decision";
        Action = "action", "Action", "Action";
    }
}

vocabulary! {
    /// The date of a project a rétroplanning's offset counts from.
    Anchor {
        Start = "start", "Premier jour du projet", "First day of the project";
        End = "end", "Dernier jour du projet", "Last day of the project";
    }
}

/// Largest offset of a rétroplanning, in days either way (two years).
pub const OFFSET_MAX: i32 = 730;

/// Days before (negative) or after (positive) a project's reference date:
/// "J-120", "J+30", "J" (the day itself) as French plans write them, "D-120"
/// in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Offset(pub i32);

impl Offset {
    /// Reads "J-120", "j+30", "J", "D-7", "-120", "+30" or "0".
    pub fn parse(input: &str) -> Result<Offset, FieldError> {
        let t: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if t.is_empty() {
            return Err(FieldError::Required);
        }
        let rest = t
            .strip_prefix(['J', 'j', 'D', 'd'])
            .unwrap_or(&t)
            .replace('−', "-");
        let days: i32 = match rest.as_str() {
            "" => 0,
            r => r
                .strip_prefix('+')
                .unwrap_or(r)
                .parse()
                .map_err(|_| FieldError::InvalidNumber)?,
        };
        if days.abs() > OFFSET_MAX {
            return Err(FieldError::OutOfRange {
                min: -i64::from(OFFSET_MAX),
                max: i64::from(OFFSET_MAX),
            });
        }
        Ok(Offset(days))
    }

    /// "J-120", "J+30", "J" in French; "D-120", "D+30", "D" in English.
    pub fn label(self, locale: crate::Locale) -> String {
        let letter = match locale {
            crate::Locale::Fr => 'J',
            crate::Locale::En => 'D',
        };
        match self.0 {
            0 => letter.to_string(),
            d if d > 0 => format!("{letter}+{d}"),
            d => format!("{letter}\u{2212}{}", -d),
        }
    }

    /// The date `self` days from `date` (clamped to the calendar's range).
    pub fn from(self, date: NaiveDate) -> NaiveDate {
        let days = Days::new(u64::from(self.0.unsigned_abs()));
        if self.0 >= 0 {
            date.checked_add_days(days)
        } else {
            date.checked_sub_days(days)
        }
        .unwrap_or(date)
    }
}

/// The due date of a template task: its project's start or end date plus
/// its offset.
pub fn due_on(
    anchor: Anchor,
    offset: Offset,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> NaiveDate {
    offset.from(match anchor {
        Anchor::Start => starts_on,
        Anchor::End => ends_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;

    #[test]
    fn offsets_read_and_write_as_plans_do() {
        assert_eq!(Offset::parse("J-120"), Ok(Offset(-120)));
        assert_eq!(Offset::parse(" j + 30 "), Ok(Offset(30)));
        assert_eq!(Offset::parse("J"), Ok(Offset(0)));
        assert_eq!(Offset::parse("D−7"), Ok(Offset(-7)));
        assert_eq!(Offset::parse("-60"), Ok(Offset(-60)));
        assert_eq!(Offset::parse(""), Err(FieldError::Required));
        assert_eq!(Offset::parse("J-abc"), Err(FieldError::InvalidNumber));
        assert!(matches!(
            Offset::parse("J-1000"),
            Err(FieldError::OutOfRange { .. })
        ));
        assert_eq!(Offset(-120).label(Locale::Fr), "J\u{2212}120");
        assert_eq!(Offset(30).label(Locale::En), "D+30");
        assert_eq!(Offset(0).label(Locale::Fr), "J");
        for d in [-730, -1, 0, 5, 730] {
            assert_eq!(Offset::parse(&Offset(d).label(Locale::Fr)), Ok(Offset(d)));
        }
    }

    #[test]
    fn due_dates_count_from_the_project_dates() {
        let start = NaiveDate::from_ymd_opt(2027, 10, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2027, 10, 11).unwrap();
        assert_eq!(
            due_on(Anchor::Start, Offset(-120), start, end),
            NaiveDate::from_ymd_opt(2027, 6, 3).unwrap()
        );
        assert_eq!(
            due_on(Anchor::End, Offset(30), start, end),
            NaiveDate::from_ymd_opt(2027, 11, 10).unwrap()
        );
        assert!(TaskStatus::Waiting.is_open());
        assert!(!TaskStatus::Done.is_open() && !TaskStatus::Dropped.is_open());
    }
}
