//! Reading and writing instants.
//!
//! OpenAgenda writes `2022-10-15T17:00:00+02:00` in `timings` and
//! `2025-05-17T18:00:00.000+02:00` in `firstTiming`/`lastTiming` (and in
//! some `timings`); the Ministry's `horaires_iso` joins two of the first kind
//! with `-`. Offsets without a colon (`+0200`), `Z`, and times without an
//! offset (read in the event's time zone, Europe/Paris by default) are
//! accepted too.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDateTime, SecondsFormat, TimeZone,
    Timelike, Utc,
};
use chrono_tz::{Europe::Paris, Tz};

use crate::model::{Bound, InstantProblem, Timing, TimingProblem};

/// Timings outside these years are refused as implausible (and could not be
/// written back in RFC 3339).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The zone used for times written without an offset, from the event's
/// `timezone` field.
pub(crate) fn zone(name: Option<&str>) -> Tz {
    name.and_then(|n| n.trim().parse::<Tz>().ok())
        .unwrap_or(Paris)
}

/// Parses one instant; keeps the offset it was written with.
pub(crate) fn parse_instant(s: &str, tz: Tz) -> Result<DateTime<FixedOffset>, InstantProblem> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return in_range(dt);
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, format) {
            return in_range(dt);
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, format) {
            let local = match tz.from_local_datetime(&naive) {
                LocalResult::Single(dt) => dt,
                // The hour repeated when clocks go back: the first one.
                LocalResult::Ambiguous(first, _) => first,
                LocalResult::None => {
                    return Err(InstantProblem::DoesNotExist {
                        zone: tz.to_string(),
                    });
                }
            };
            return in_range(local.fixed_offset());
        }
    }
    Err(InstantProblem::NotADateTime)
}

fn in_range(dt: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, InstantProblem> {
    if YEARS.contains(&dt.with_timezone(&Utc).year()) {
        Ok(dt)
    } else {
        Err(InstantProblem::OutOfYears {
            first: *YEARS.start(),
            last: *YEARS.end(),
        })
    }
}

/// What became of one `{begin, end}` pair.
pub(crate) enum TimingOutcome {
    Valid(Timing),
    /// End at 00:00 on the day it begins, read as the following midnight.
    Extended(Timing),
    Invalid(TimingProblem),
}

pub(crate) fn timing(begin: &str, end: &str, tz: Tz) -> TimingOutcome {
    let b = match parse_instant(begin, tz) {
        Ok(b) => b,
        Err(why) => return unreadable(Bound::Begin, begin, why),
    };
    let e = match parse_instant(end, tz) {
        Ok(e) => e,
        Err(why) => return unreadable(Bound::End, end, why),
    };
    let (bu, eu) = (b.with_timezone(&Utc), e.with_timezone(&Utc));
    if eu >= bu {
        return TimingOutcome::Valid(Timing { begin: bu, end: eu });
    }
    // `19:30 → 00:00` on the same local day: the end of that day. Midnight
    // plus one day in the same offset is the next local midnight in France,
    // whose clock changes happen at 02:00 or 03:00.
    let local_end = e.naive_local();
    if local_end.time().num_seconds_from_midnight() == 0
        && local_end.nanosecond() == 0
        && local_end.date() == b.naive_local().date()
        && e.offset() == b.offset()
    {
        let extended = (e + Duration::days(1)).with_timezone(&Utc);
        if extended >= bu && YEARS.contains(&extended.year()) {
            return TimingOutcome::Extended(Timing {
                begin: bu,
                end: extended,
            });
        }
    }
    TimingOutcome::Invalid(TimingProblem::EndBeforeBegin {
        begin: begin.to_owned(),
        end: end.to_owned(),
    })
}

fn unreadable(bound: Bound, value: &str, why: InstantProblem) -> TimingOutcome {
    TimingOutcome::Invalid(TimingProblem::Unreadable {
        bound,
        value: value.trim().to_owned(),
        why,
    })
}

/// The wall-clock time of an instant in Europe/Paris, the zone warnings
/// say their times in.
pub fn in_paris(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&Paris).naive_local()
}

/// An instant written with its Europe/Paris offset, to the second (or
/// finer when it has a fraction): `2022-10-15T17:00:00+02:00`.
pub(crate) fn write_paris(dt: DateTime<Utc>) -> String {
    dt.with_timezone(&Paris)
        .fixed_offset()
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_found_in_the_files() {
        for s in [
            "2022-10-15T17:00:00+02:00",
            "2025-05-17T17:00:00.000+02:00",
            "2022-10-15T15:00:00Z",
            "2022-10-15T17:00:00+0200",
            "2022-10-15T17:00:00",
        ] {
            let dt = parse_instant(s, Paris).unwrap();
            assert_eq!(
                dt.with_timezone(&Utc).hour(),
                15,
                "{s} is 15:00 UTC (or 17:00 in Paris)"
            );
        }
        assert!(parse_instant("2022-13-15T17:00:00+02:00", Paris).is_err());
        assert!(parse_instant("0001-01-01T10:53:28+00:53", Paris).is_err());
        assert!(parse_instant("", Paris).is_err());
    }

    #[test]
    fn midnight_end_is_the_end_of_the_day() {
        let TimingOutcome::Extended(t) = timing(
            "2019-06-28T19:30:00+02:00",
            "2019-06-28T00:00:00+02:00",
            Paris,
        ) else {
            panic!("should be extended")
        };
        assert_eq!(write_paris(t.end), "2019-06-29T00:00:00+02:00");
        assert!(matches!(
            timing(
                "2019-06-28T19:30:00+02:00",
                "2019-06-28T10:00:00+02:00",
                Paris
            ),
            TimingOutcome::Invalid(_)
        ));
    }

    #[test]
    fn writes_paris_offsets() {
        let dt = DateTime::parse_from_rfc3339("2023-11-25T06:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(write_paris(dt), "2023-11-25T07:00:00+01:00");
        let dt = DateTime::parse_from_rfc3339("2023-07-01T06:00:00.5Z")
            .unwrap()
            .to_utc();
        assert_eq!(write_paris(dt), "2023-07-01T08:00:00.500+02:00");
    }
}
