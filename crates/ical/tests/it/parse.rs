//! The feeds read back by independent parsers from crates.io: `icalendar`
//! (nom-based, checks that each `END` matches its `BEGIN`, unescapes TEXT) and
//! `ical` (reads physical lines as UTF-8, so a character split by folding
//! fails). Times given with `TZID=Europe/Paris` are resolved here through
//! chrono-tz; the instants must be those stored.

use crate::common;

use std::io::BufReader;
use std::path::PathBuf;

use crate::common::{Expected, now, programme};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use icalendar::parser::{read_calendar, unfold};
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use maillage_ical::{Calendar, render};

/// The instant a parsed `DTSTART`/`DTEND` denotes.
fn instant(value: DatePerhapsTime) -> DateTime<Utc> {
    match value {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => t,
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            assert_eq!(tzid, "Europe/Paris");
            paris(date_time)
        }
        other => panic!("expected a UTC or Europe/Paris date-time, got {other:?}"),
    }
}

fn paris(local: NaiveDateTime) -> DateTime<Utc> {
    Paris
        .from_local_datetime(&local)
        .single()
        .unwrap_or_else(|| panic!("{local} is not a single instant in Paris"))
        .with_timezone(&Utc)
}

/// Checks RFC 5545's line rules by hand: CRLF only, at most 75 octets,
/// continuation lines start with one space, no property without a value.
fn check_lines(body: &str) {
    assert!(body.ends_with("\r\n"));
    assert!(
        !body.replace("\r\n", "").contains(['\r', '\n']),
        "bare CR or LF"
    );
    let physical: Vec<&str> = body.split_terminator("\r\n").collect();
    for line in &physical {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.is_empty());
        assert!(
            !line.chars().any(|c| c.is_control()),
            "control character in {line:?}"
        );
    }
    let logical = body.replace("\r\n ", "");
    for line in logical.split_terminator("\r\n") {
        let name_end = line
            .find([':', ';'])
            .unwrap_or_else(|| panic!("no name: {line:?}"));
        let name = &line[..name_end];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "bad name in {line:?}"
        );
        assert!(!line.ends_with(':'), "empty property: {line:?}");
    }
    assert!(physical.first() == Some(&"BEGIN:VCALENDAR"));
    assert!(physical.last() == Some(&"END:VCALENDAR"));
}

/// Unescapes a TEXT value (for the `ical` crate, which leaves values raw).
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c @ ('\\' | ';' | ',')) => out.push(c),
                other => panic!("bad escape \\{other:?} in {raw:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The events of a calendar read by the `icalendar` crate.
fn events_of(calendar: &icalendar::Calendar) -> Vec<&icalendar::Event> {
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn check_with_icalendar(body: &str, expected: &[Expected]) {
    // Structure: the root and the VTIMEZONE, through the low-level parser.
    let unfolded = unfold(body);
    let parsed = read_calendar(&unfolded).unwrap_or_else(|e| panic!("icalendar: {e}"));
    let prop = |name: &str| {
        parsed
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.as_str().to_owned())
    };
    assert_eq!(prop("VERSION").as_deref(), Some("2.0"));
    assert_eq!(prop("PRODID").as_deref(), Some(maillage_ical::PRODID));
    assert_eq!(prop("CALSCALE").as_deref(), Some("GREGORIAN"));
    assert_eq!(prop("METHOD").as_deref(), Some("PUBLISH"));
    assert_eq!(prop("X-WR-TIMEZONE").as_deref(), Some("Europe/Paris"));
    let timezones: Vec<_> = parsed
        .components
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .collect();
    assert_eq!(timezones.len(), 1);
    let tz = timezones[0];
    assert_eq!(
        tz.find_prop("TZID").map(|p| p.val.as_str()),
        Some("Europe/Paris")
    );
    let observance = |kind: &str| {
        let c = tz.components.iter().find(|c| c.name == kind).unwrap();
        ["TZOFFSETFROM", "TZOFFSETTO", "DTSTART", "RRULE"]
            .map(|name| c.find_prop(name).unwrap().val.as_str().to_owned())
    };
    assert_eq!(
        observance("DAYLIGHT"),
        [
            "+0100",
            "+0200",
            "19700329T020000",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
        ]
    );
    assert_eq!(
        observance("STANDARD"),
        [
            "+0200",
            "+0100",
            "19701025T030000",
            "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
        ]
    );

    // Events, through the typed API.
    let calendar: icalendar::Calendar = body.parse().unwrap();
    let text_prop = |name: &str| {
        calendar
            .properties
            .iter()
            .find(|p| p.key() == name)
            .map(|p| p.value().to_owned())
    };
    assert_eq!(
        text_prop("X-WR-CALNAME").as_deref(),
        Some("Fête de la science — Isère, programme 2025")
    );
    let events = events_of(&calendar);
    assert_eq!(events.len(), expected.len());
    for (event, want) in events.iter().zip(expected) {
        let uid = want.uid;
        assert_eq!(event.get_uid(), Some(uid));
        assert_eq!(event.get_summary(), want.summary, "{uid}");
        assert_eq!(event.get_description(), want.description, "{uid}");
        assert_eq!(event.get_location(), want.location, "{uid}");
        assert_eq!(event.get_url(), want.url, "{uid}");
        assert_eq!(event.property_value("GEO"), want.geo, "{uid}");
        assert_eq!(event.property_value("STATUS"), Some(want.status), "{uid}");
        assert_eq!(event.get_sequence(), Some(want.sequence), "{uid}");
        assert_eq!(event.get_timestamp(), Some(now()), "{uid}");
        assert_eq!(
            event.get_last_modified(),
            Some(common::at("2025-09-01T08:00:00Z"))
        );
        let categories = event.get_categories().unwrap_or_default();
        assert_eq!(categories, want.categories, "{uid}");

        let start = event.get_start().unwrap();
        let is_local = matches!(
            start,
            DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { .. })
        );
        assert_eq!(is_local, want.local, "{uid}: {start:?}");
        assert_eq!(instant(start), want.start, "{uid}");
        assert_eq!(event.get_end().map(instant), want.end, "{uid}");
    }
}

fn check_with_ical(body: &str, expected: &[Expected]) {
    let mut parser = ical::IcalParser::new(BufReader::new(body.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("ical");
    assert!(parser.next().is_none());
    assert_eq!(calendar.timezones.len(), 1);
    let tz = &calendar.timezones[0];
    assert_eq!(tz.transitions.len(), 2);
    assert_eq!(calendar.events.len(), expected.len());
    for (event, want) in calendar.events.iter().zip(expected) {
        let prop = |name: &str| event.properties.iter().find(|p| p.name == name);
        let text = |name: &str| prop(name).and_then(|p| p.value.as_deref()).map(unescape);
        let time = |name: &str| {
            prop(name).map(|p| {
                let value = p.value.as_deref().unwrap();
                match &p.params {
                    None => NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
                        .unwrap()
                        .and_utc(),
                    Some(params) => {
                        assert_eq!(
                            params,
                            &[("TZID".to_owned(), vec!["Europe/Paris".to_owned()])]
                        );
                        paris(NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").unwrap())
                    }
                }
            })
        };
        assert_eq!(text("UID").as_deref(), Some(want.uid));
        assert_eq!(text("SUMMARY").as_deref(), want.summary, "{}", want.uid);
        assert_eq!(
            text("DESCRIPTION").as_deref(),
            want.description,
            "{}",
            want.uid
        );
        assert_eq!(text("LOCATION").as_deref(), want.location, "{}", want.uid);
        assert_eq!(time("DTSTART"), Some(want.start), "{}", want.uid);
        assert_eq!(time("DTEND"), want.end, "{}", want.uid);
    }
}

#[test]
fn programme_reads_back_with_two_parsers() {
    let (calendar, expected) = programme();
    let body = render(&calendar, now());
    check_lines(&body);
    check_with_icalendar(&body, &expected);
    check_with_ical(&body, &expected);
}

#[test]
fn times_are_paris_wall_clock_or_utc_when_ambiguous() {
    let (calendar, _) = programme();
    let body = render(&calendar, now()).replace("\r\n ", "");
    for line in [
        // Summer and winter.
        "DTSTART;TZID=Europe/Paris:20250705T100000",
        "DTEND;TZID=Europe/Paris:20250705T120000",
        "DTSTART;TZID=Europe/Paris:20251203T143000",
        "DTEND;TZID=Europe/Paris:20251203T160000",
        // 02:30 twice on 26 October 2025: in UTC.
        "DTSTART:20251026T003000Z",
        "DTEND:20251026T005000Z",
        "DTSTART:20251026T013000Z",
        "DTEND:20251026T023000Z",
        // Across the change.
        "DTSTART;TZID=Europe/Paris:20251026T000000",
        "DTEND;TZID=Europe/Paris:20251026T040000",
        // March: 01:30 CET to 03:30 CEST; the fraction of a second is dropped.
        "DTSTART;TZID=Europe/Paris:20260329T013000",
        "DTEND;TZID=Europe/Paris:20260329T033000",
        "DTSTAMP:20250915T123456Z",
        "LAST-MODIFIED:20250901T080000Z",
        "CATEGORIES:Chimie,Atelier\\, démonstration",
        "GEO:45.156600;5.731900",
    ] {
        assert!(
            body.contains(&format!("\r\n{line}\r\n")),
            "missing {line}\n{body}"
        );
    }
    // The event without duration has no DTEND, the blank values no property.
    let session6 = body.split("UID:session-6").nth(1).unwrap();
    let session6 = &session6[..session6.find("END:VEVENT").unwrap()];
    assert!(
        !session6.contains("DTEND") && !session6.contains("SUMMARY"),
        "{session6}"
    );
    let session2 = body.split("UID:session-2").nth(1).unwrap();
    let session2 = &session2[..session2.find("END:VEVENT").unwrap()];
    for absent in ["DESCRIPTION", "LOCATION", "URL", "GEO", "CATEGORIES"] {
        assert!(!session2.contains(absent), "{absent} in {session2}");
    }
}

#[test]
fn header_and_vtimezone_come_first() {
    let (calendar, _) = programme();
    let body = render(&calendar, now());
    let head: Vec<&str> = body.split("\r\n").take(5).collect();
    assert_eq!(
        head,
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Maillage//Programme public//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH"
        ]
    );
    let vtimezone = body.find("BEGIN:VTIMEZONE").unwrap();
    assert!(vtimezone < body.find("BEGIN:VEVENT").unwrap());
    assert!(body.contains("\r\nX-WR-CALNAME:Fête de la science — Isère\\, programme 2025\r\n"));
    assert!(
        body.contains("\r\nURL:https://maillage.example.org/programme?territoire=is%C3%A8re\r\n")
    );
}

#[test]
fn empty_calendar_is_valid() {
    let calendar = Calendar {
        name: "Aucune séance".to_owned(),
        description: None,
        url: None,
        events: vec![],
    };
    let body = render(&calendar, now());
    check_lines(&body);
    check_with_icalendar_empty(&body);
    let parsed = ical::IcalParser::new(BufReader::new(body.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    assert!(parsed.events.is_empty());
    assert_eq!(parsed.timezones.len(), 1);
}

fn check_with_icalendar_empty(body: &str) {
    let calendar: icalendar::Calendar = body.parse().unwrap();
    assert!(
        !calendar
            .components
            .iter()
            .any(|c| matches!(c, CalendarComponent::Event(_)))
    );
    assert!(
        calendar
            .properties
            .iter()
            .any(|p| p.key() == "X-WR-CALNAME" && p.value() == "Aucune séance")
    );
}

#[test]
fn blank_uid_gets_a_stable_one() {
    let (mut calendar, _) = programme();
    calendar.events.truncate(1);
    calendar.events[0].uid = " \n".to_owned();
    let body = render(&calendar, now());
    assert_eq!(body, render(&calendar, common::at("2025-09-15T12:34:56Z")));
    let uid = body.replace("\r\n ", "");
    let uid = uid.lines().find_map(|l| l.strip_prefix("UID:")).unwrap();
    assert!(
        uid.starts_with("20250705T080000Z-") && uid.ends_with("@maillage.invalid"),
        "{uid}"
    );
}

// ---------------------------------------------------------------------------
// The parsers are meaningful: they read what real software produces, and
// refuse broken input.

fn shared_ics_dir() -> PathBuf {
    match std::env::var_os("MAILLAGE_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir).join("ics"),
        // shared/ lies beside the work tree (and beside CI's clone).
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ics"),
    }
}

/// Whether a `DTSTART` line (after its name) holds a DATE or DATE-TIME value
/// as its parameters say.
fn valid_start(rest: &str) -> bool {
    // The first colon outside a quoted parameter value.
    let mut quoted = false;
    let Some(colon) = rest.find(|c| {
        quoted ^= c == '"';
        c == ':' && !quoted
    }) else {
        return false;
    };
    let (params, value) = (&rest[..colon], &rest[colon + 1..]);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if params
        .split(';')
        .any(|p| p.eq_ignore_ascii_case("VALUE=DATE"))
    {
        value.len() == 8 && digits(value)
    } else {
        let value = value.strip_suffix('Z').unwrap_or(value);
        value.len() == 15
            && value.as_bytes()[8] == b'T'
            && digits(&value[..8])
            && digits(&value[9..])
    }
}

#[test]
fn parsers_read_calendars_from_real_software() {
    let dir = shared_ics_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (set MAILLAGE_SHARED_DATA to shared/data)",
                dir.display()
            )
        })
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ics"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).unwrap();
        let count = |prefix: &str| text.lines().filter(|l| l.starts_with(prefix)).count();
        let (vevents, uids) = (count("BEGIN:VEVENT"), count("UID"));

        let calendar: icalendar::Calendar = text
            .parse()
            .unwrap_or_else(|e| panic!("icalendar, {name}: {e}"));
        let events = events_of(&calendar);
        assert_eq!(events.len(), vevents, "icalendar, {name}");
        // Some producers (Outlook Web Access, the festival site) omit UIDs.
        let with_uid = events
            .iter()
            .filter(|e| e.get_uid().is_some_and(|u| !u.is_empty()));
        assert_eq!(with_uid.count(), uids, "icalendar, {name}");
        // The festival's site writes `DTSTART;VALUE=DATE:20110804T120000` (a
        // date-time declared as a date), a node-ical fixture `Next Year`: the
        // typed reading refuses them.
        let bad_starts = text
            .lines()
            .filter_map(|l| l.trim_end().strip_prefix("DTSTART"))
            .filter(|l| !valid_start(l))
            .count();
        let typed_starts = events.iter().filter(|e| e.get_start().is_some()).count();
        assert_eq!(typed_starts, vevents - bad_starts, "icalendar, {name}");
        for event in &events {
            assert!(
                event.property_value("DTSTART").is_some(),
                "{name}: {:?}",
                event.get_uid()
            );
            assert!(
                event.get_summary().is_some(),
                "{name}: {:?}",
                event.get_uid()
            );
        }

        let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let parsed = parser
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("ical, {name}: {e}"));
        assert!(parser.next().is_none(), "{name}");
        assert_eq!(parsed.events.len(), vevents, "ical, {name}");
        for event in &parsed.events {
            assert!(
                event
                    .properties
                    .iter()
                    .any(|p| p.name == "DTSTART" && p.value.is_some())
            );
        }
        println!(
            "{name}: {vevents} events read by both parsers ({bad_starts} with a malformed DTSTART)"
        );
    }
}

#[test]
fn parsers_refuse_broken_calendars() {
    let (calendar, _) = programme();
    let body = render(&calendar, now());

    // Truncated (a download cut short).
    let truncated = body.trim_end_matches("END:VCALENDAR\r\n");
    assert!(truncated.parse::<icalendar::Calendar>().is_err());
    let mut parser = ical::IcalParser::new(BufReader::new(truncated.as_bytes()));
    assert!(parser.next().unwrap().is_err());

    // Components badly nested.
    let mismatched = body.replacen("END:VEVENT", "END:VTODO", 1);
    assert!(mismatched.parse::<icalendar::Calendar>().is_err());

    // A line without a value separator.
    let no_colon = body.replacen("STATUS:CONFIRMED", "STATUS CONFIRMED", 1);
    assert!(no_colon.parse::<icalendar::Calendar>().is_err());
    let mut parser = ical::IcalParser::new(BufReader::new(no_colon.as_bytes()));
    assert!(parser.next().unwrap().is_err());

    // A fold inside a UTF-8 character (what a byte-counting folder does).
    let e_acute = body.find('é').unwrap();
    let mut bytes = body.as_bytes()[..e_acute + 1].to_vec();
    bytes.extend_from_slice(b"\r\n ");
    bytes.extend_from_slice(&body.as_bytes()[e_acute + 1..]);
    assert!(std::str::from_utf8(&bytes).is_err());
    let mut parser = ical::IcalParser::new(BufReader::new(bytes.as_slice()));
    assert!(!matches!(parser.next(), Some(Ok(_))));
}

/// A task due on a day is an event of that whole day: `icalendar` reads
/// its start as a date, and the next day as its end.
#[test]
fn an_all_day_event_is_read_as_a_date() {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    let (mut cal, _) = programme();
    let mut e = cal.events[0].clone();
    e.uid = "task-7@example.org".into();
    e.summary = "Imprimer le programme".into();
    e.day = Some(day);
    cal.events = vec![e];
    let text = render(&cal, now());
    let parsed: icalendar::Calendar = text.parse().unwrap();
    let event = parsed
        .components
        .iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .unwrap();
    assert_eq!(event.get_summary(), Some("Imprimer le programme"));
    assert_eq!(event.get_start(), Some(DatePerhapsTime::Date(day)));
    assert_eq!(
        event.get_end(),
        Some(DatePerhapsTime::Date(day.succ_opt().unwrap()))
    );
}
