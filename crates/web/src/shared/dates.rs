//! Dates and times as people type them in forms (Europe/Paris wall-clock
//! times, stored as UTC instants).

use crate::i18n::Messages;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::FieldError;

/// A date as a date field sends it (`2025-10-11`) or as typed by hand
/// without a date picker (`11/10/2025`).
pub fn parse_date(s: &str) -> Result<NaiveDate, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| FieldError::InvalidDate)
}

/// A time of day: `14:30`, `14h30`, `14h` or `14`.
pub fn parse_time(s: &str) -> Result<NaiveTime, FieldError> {
    maillage_domain::field::parse_time(s)
}

/// Why a local time cannot be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeError {
    /// The clocks skip it (spring forward: 02:00–03:00 does not exist).
    Gap,
}

/// The instant of a Paris wall-clock time. In the autumn, when the clocks go
/// back and the hour happens twice, the first one (summer time) is taken.
pub fn paris_instant(date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, LocalTimeError> {
    let local = NaiveDateTime::new(date, time);
    match Paris.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(LocalTimeError::Gap),
    }
}

/// The message for a time that does not exist in Paris on that day.
pub fn gap_message(m: &Messages, date: NaiveDate, time: NaiveTime) -> String {
    crate::i18n::fill(
        m.pt_err_dst_gap,
        &[
            ("date", &date.format("%d/%m/%Y").to_string()),
            ("time", &time.format("%H:%M").to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_times_across_dst() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            paris_instant(d(2025, 10, 24), t(10, 0))
                .unwrap()
                .to_rfc3339(),
            "2025-10-24T08:00:00+00:00"
        );
        assert_eq!(
            paris_instant(d(2025, 10, 27), t(10, 0))
                .unwrap()
                .to_rfc3339(),
            "2025-10-27T09:00:00+00:00"
        );
        // 02:30 happens twice on 26 October 2025: the first is summer time.
        assert_eq!(
            paris_instant(d(2025, 10, 26), t(2, 30))
                .unwrap()
                .to_rfc3339(),
            "2025-10-26T00:30:00+00:00"
        );
        assert_eq!(
            paris_instant(d(2026, 3, 29), t(2, 30)),
            Err(LocalTimeError::Gap)
        );
        assert_eq!(parse_time("14h30"), Ok(t(14, 30)));
        assert_eq!(parse_time("9h"), Ok(t(9, 0)));
        assert_eq!(parse_time("25:00"), Err(FieldError::InvalidTime));
        assert_eq!(parse_date("11/10/2025"), Ok(d(2025, 10, 11)));
    }
}
