//! Times are stored in UTC and shown in Europe/Paris, DST-correct.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::Locale;

pub fn datetime(locale: Locale, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Paris);
    match locale {
        Locale::Fr => local.format("%d/%m/%Y %H:%M").to_string(),
        Locale::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// "samedi 11 octobre 2025" / "Saturday 11 October 2025".
pub fn long_date(locale: Locale, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match locale {
        Locale::Fr => {
            let day = DAYS_FR[d.weekday().num_days_from_monday() as usize];
            let month = locale.month_name(d.month0());
            let n = if d.day() == 1 {
                "1er".to_owned()
            } else {
                d.day().to_string()
            };
            format!("{day} {n} {month} {}", d.year())
        }
        Locale::En => d.format("%A %-d %B %Y").to_string(),
    }
}

pub fn time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris).format("%H:%M").to_string()
}

/// An instant as the API writes it: RFC 3339 with the offset of
/// Europe/Paris, to the second (`2025-10-11T14:00:00+02:00`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn paris_time_across_dst() {
        let winter = Utc.with_ymd_and_hms(2025, 1, 15, 9, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2025, 7, 15, 9, 0, 0).unwrap();
        assert_eq!(datetime(Locale::Fr, winter), "15/01/2025 10:00");
        assert_eq!(datetime(Locale::Fr, summer), "15/07/2025 11:00");
        assert_eq!(datetime(Locale::En, summer), "2025-07-15 11:00");
        // The night the clocks go back, 00:30 and 01:30 UTC are both 02:30
        // in Paris: first in summer time, then in winter time.
        let a = Utc.with_ymd_and_hms(2025, 10, 26, 0, 30, 0).unwrap();
        let b = Utc.with_ymd_and_hms(2025, 10, 26, 1, 30, 0).unwrap();
        assert_eq!(time(a), "02:30");
        assert_eq!(time(b), "02:30");
        let d = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
        assert_eq!(long_date(Locale::Fr, d), "samedi 1er novembre 2025");
        assert_eq!(long_date(Locale::En, d), "Saturday 1 November 2025");
    }
}
