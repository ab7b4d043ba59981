//! iCalendar (RFC 5545) feeds of the public programme.
//!
//! A small writer, not a general iCalendar library: [`render`] turns a
//! [`Calendar`] of [`Event`]s into the body of a `text/calendar` response that
//! Google Calendar, Apple Calendar, Thunderbird and Outlook subscribe to.
//!
//! - Times are stored in UTC and written as Europe/Paris wall-clock times
//!   (`DTSTART;TZID=Europe/Paris:20251004T100000`), with a `VTIMEZONE` that
//!   describes the current EU rule. An event is written in UTC (`…Z`) instead
//!   when one of its times is ambiguous in Paris (the repeated hour of the
//!   October change) or falls where that rule and the time-zone database
//!   disagree (before 1996, or after a future change of the law), so the
//!   instant read back is always the one stored.
//! - Text is cleaned (control characters dropped, line breaks normalised,
//!   blank values omitted) and escaped; lines are folded at 75 octets without
//!   splitting a UTF-8 character, an escape sequence or a combining sequence,
//!   and never next to a space (some parsers trim folded lines).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;

/// The media type to send with [`render`]'s output.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// `PRODID` of every feed.
pub const PRODID: &str = "-//Maillage//Programme public//FR";

/// The time zone the programme's times are written in.
pub const TZID: &str = "Europe/Paris";

/// How often subscribed clients are asked to refresh (`REFRESH-INTERVAL`,
/// `X-PUBLISHED-TTL`). Clients treat it as a hint; Google refreshes at its own pace.
pub const REFRESH_INTERVAL: &str = "PT1H";

/// Octets per line, excluding the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// A feed: one activity, one project, or one filter state of the programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Shown as the calendar's name (`X-WR-CALNAME`, and RFC 7986 `NAME`).
    pub name: String,
    /// `X-WR-CALDESC` and RFC 7986 `DESCRIPTION`.
    pub description: Option<String>,
    /// Web page of the feed's contents (RFC 7986 `URL`). Must be an absolute URI.
    pub url: Option<String>,
    pub events: Vec<Event>,
}

/// One dated occurrence of the programme (a session of an activity).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable and globally unique, e.g. `session-123@maillage.example.org`:
    /// clients match updates and cancellations on it.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    /// Written as `DTEND` only when later than `starts_at` (to the second):
    /// RFC 5545 forbids an end that is not after the start.
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    /// Latitude and longitude in degrees (WGS 84).
    pub geo: Option<(f64, f64)>,
    /// Absolute URI of the event's page.
    pub url: Option<String>,
    pub status: EventStatus,
    pub categories: Vec<String>,
    pub last_modified: DateTime<Utc>,
    /// Incremented by the caller on each significant change (time, place, status).
    pub sequence: u32,
    /// An event of a whole day (a task due): written as `DTSTART;VALUE=DATE`
    /// with the next day as `DTEND`, and `starts_at`/`ends_at` unused.
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventStatus {
    Confirmed,
    Cancelled,
    Tentative,
}

impl EventStatus {
    pub fn as_ical(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
            EventStatus::Tentative => "TENTATIVE",
        }
    }
}

/// The `VTIMEZONE` written in every feed: Europe/Paris under the EU rule in
/// force since 1996 (change on the last Sunday of March and of October at
/// 01:00 UTC). `DTSTART`s are the local times just before each change.
const VTIMEZONE_PARIS: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Renders a feed: the `text/calendar` body, with CRLF line endings.
/// `now` is written as every event's `DTSTAMP`.
pub fn render(cal: &Calendar, now: DateTime<Utc>) -> String {
    let mut w = Writer::default();
    w.raw("BEGIN:VCALENDAR");
    w.raw("VERSION:2.0");
    w.prop("PRODID", PRODID);
    w.raw("CALSCALE:GREGORIAN");
    w.raw("METHOD:PUBLISH");
    let name = clean_line(&cal.name);
    w.text("X-WR-CALNAME", &name);
    w.text("NAME", &name);
    if let Some(description) = cal.description.as_deref().map(clean_text) {
        w.text("X-WR-CALDESC", &description);
        w.text("DESCRIPTION", &description);
    }
    if let Some(url) = cal.url.as_deref().and_then(clean_uri) {
        w.prop("URL", &url);
    }
    w.prop("X-WR-TIMEZONE", TZID);
    w.prop("REFRESH-INTERVAL;VALUE=DURATION", REFRESH_INTERVAL);
    w.prop("X-PUBLISHED-TTL", REFRESH_INTERVAL);
    for line in VTIMEZONE_PARIS {
        w.raw(line);
    }
    for event in &cal.events {
        write_event(&mut w, event, now);
    }
    w.raw("END:VCALENDAR");
    w.out
}

fn write_event(w: &mut Writer, e: &Event, now: DateTime<Utc>) {
    let start = truncate_to_second(e.starts_at);
    let end = Some(truncate_to_second(e.ends_at)).filter(|end| *end > start);
    // Wall-clock Paris times when every time of the event has one
    // unambiguous reading; otherwise the whole event in UTC, so that a
    // client never sees one event in two forms.
    let local = match (paris_local(start), end.map(paris_local)) {
        (Some(local_start), None) => Some((local_start, None)),
        (Some(local_start), Some(Some(local_end))) => Some((local_start, Some(local_end))),
        _ => None,
    };

    w.raw("BEGIN:VEVENT");
    let uid = clean_line(&e.uid);
    if uid.is_empty() {
        w.text("UID", &fallback_uid(e));
    } else {
        w.text("UID", &uid);
    }
    w.prop("DTSTAMP", &utc_stamp(now));
    match (e.day, local) {
        (Some(day), _) => {
            w.prop("DTSTART;VALUE=DATE", &day.format("%Y%m%d").to_string());
            if let Some(next) = day.succ_opt() {
                w.prop("DTEND;VALUE=DATE", &next.format("%Y%m%d").to_string());
            }
        }
        (None, Some((local_start, local_end))) => {
            w.prop("DTSTART;TZID=Europe/Paris", &local_stamp(local_start));
            if let Some(local_end) = local_end {
                w.prop("DTEND;TZID=Europe/Paris", &local_stamp(local_end));
            }
        }
        (None, None) => {
            w.prop("DTSTART", &utc_stamp(start));
            if let Some(end) = end {
                w.prop("DTEND", &utc_stamp(end));
            }
        }
    }
    w.text("SUMMARY", &clean_line(&e.summary));
    if let Some(description) = e.description.as_deref() {
        w.text("DESCRIPTION", &clean_text(description));
    }
    if let Some(location) = e.location.as_deref() {
        w.text("LOCATION", &clean_line(location));
    }
    if let Some((lat, lon)) = e.geo
        && lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
    {
        w.prop("GEO", &format!("{lat:.6};{lon:.6}"));
    }
    if let Some(url) = e.url.as_deref().and_then(clean_uri) {
        w.prop("URL", &url);
    }
    w.prop("STATUS", e.status.as_ical());
    let mut categories: Vec<String> = Vec::new();
    for category in &e.categories {
        let category = clean_line(category);
        if !category.is_empty() && !categories.contains(&category) {
            categories.push(category);
        }
    }
    if !categories.is_empty() {
        let list: Vec<String> = categories.iter().map(|c| escape_text(c)).collect();
        w.prop("CATEGORIES", &list.join(","));
    }
    // INTEGER is a signed 32-bit value (RFC 5545 §3.3.8).
    w.prop("SEQUENCE", &e.sequence.min(i32::MAX as u32).to_string());
    w.prop("LAST-MODIFIED", &utc_stamp(e.last_modified));
    w.raw("END:VEVENT");
}

/// Output with CRLF endings and folding; omits properties whose value is empty.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// A line known to be short and plain.
    fn raw(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push_str("\r\n");
    }

    /// `name` (with its parameters) and an already encoded value.
    fn prop(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let mut line = String::with_capacity(name.len() + 1 + value.len());
        line.push_str(name);
        line.push(':');
        line.push_str(value);
        fold_into(&line, &mut self.out);
    }

    /// A TEXT value, cleaned but not yet escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.prop(name, &escape_text(value));
    }
}

/// Drops control characters (other than line breaks, which become `\n`, and
/// tabs, which become spaces) and surrounding white space.
fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            // Stray byte-order marks from pasted text.
            '\u{feff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// [`clean_text`] for one-line values (summary, location, categories, names):
/// line breaks become spaces.
fn clean_line(s: &str) -> String {
    let text = clean_text(s);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// An absolute URI, with anything outside RFC 3986's characters
/// percent-encoded; `None` when blank or relative.
fn clean_uri(s: &str) -> Option<String> {
    let s = s.trim();
    let scheme_end = s.find(':')?;
    let scheme = &s[..scheme_end];
    let mut scheme_chars = scheme.chars();
    if !scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        || s.len() == scheme_end + 1
    {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            continue;
        }
        let allowed = c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | ':'
                    | '/'
                    | '?'
                    | '#'
                    | '['
                    | ']'
                    | '@'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
            );
        if allowed {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Some(out)
}

/// Folds one content line into `out` (RFC 5545 §3.1): at most 75 octets a
/// line, continuation lines starting with a space.
///
/// A break never splits a UTF-8 character (which would make either line
/// invalid UTF-8) nor, when it can be avoided, an escape sequence (`\n`), a
/// base character from its combining marks or joiners, or a word from its
/// neighbouring space: parsers that trim each physical line would lose it.
fn fold_into(line: &str, out: &mut String) {
    let mut start = 0;
    let mut limit = MAX_LINE_OCTETS;
    while line.len() - start > limit {
        let cut = best_break(line, start, start + limit);
        out.push_str(&line[start..cut]);
        out.push_str("\r\n ");
        start = cut;
        // The leading space counts towards the 75 octets.
        limit = MAX_LINE_OCTETS - 1;
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

/// The last position in `(start, max]` to break `line` at, by preference.
fn best_break(line: &str, start: usize, max: usize) -> usize {
    let boundaries = || {
        (start + 1..=max)
            .rev()
            .filter(|&i| line.is_char_boundary(i))
    };
    boundaries()
        .find(|&i| !splits_escape(line, i) && !splits_cluster(line, i) && !next_to_space(line, i))
        .or_else(|| boundaries().find(|&i| !splits_escape(line, i)))
        .or_else(|| boundaries().next())
        // A character is at most 4 octets, far fewer than a line.
        .unwrap_or(max)
}

/// Whether `i` falls between a backslash and the character it escapes.
fn splits_escape(line: &str, i: usize) -> bool {
    let backslashes = line.as_bytes()[..i]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

fn splits_cluster(line: &str, i: usize) -> bool {
    let next = line[i..].chars().next();
    let prev = line[..i].chars().next_back();
    next.is_some_and(|c| {
        matches!(c,
            '\u{0300}'..='\u{036f}' // combining diacritical marks (decomposed accents)
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
            | '\u{200c}' | '\u{200d}' // joiners
            | '\u{fe00}'..='\u{fe0f}' // variation selectors
            | '\u{1f3fb}'..='\u{1f3ff}' // skin tones
            | '\u{e0020}'..='\u{e007f}') // tag characters (flags)
    }) || prev == Some('\u{200d}')
}

fn next_to_space(line: &str, i: usize) -> bool {
    let is_space = |c: char| c == ' ' || c == '\t';
    line[..i].chars().next_back().is_some_and(is_space)
        || line[i..].chars().next().is_some_and(is_space)
}

fn truncate_to_second(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// The Paris wall-clock time of `t`, when it reads back to the same instant
/// both through the time-zone database and through the `VTIMEZONE` we write.
fn paris_local(t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let local = t.with_timezone(&Paris);
    let naive = local.naive_local();
    let offset = naive - t.naive_utc();
    if offset != vtimezone_offset(t)? {
        return None;
    }
    match Paris.from_local_datetime(&naive) {
        LocalResult::Single(_) => Some(naive),
        _ => None,
    }
}

/// The UTC offset of `t` under the rule of [`VTIMEZONE_PARIS`].
fn vtimezone_offset(t: DateTime<Utc>) -> Option<Duration> {
    let year = t.year();
    let summer_starts = last_sunday(year, 3)?.and_hms_opt(1, 0, 0)?.and_utc();
    let summer_ends = last_sunday(year, 10)?.and_hms_opt(1, 0, 0)?.and_utc();
    let hours = if (summer_starts..summer_ends).contains(&t) {
        2
    } else {
        1
    };
    Some(Duration::hours(hours))
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last_day = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last_day.weekday().num_days_from_sunday();
    Some(last_day - Duration::days(i64::from(back)))
}

/// A UID for an event given none: stable for the same start and summary.
fn fallback_uid(e: &Event) -> String {
    // FNV-1a, 64 bits: stable across builds, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in e.summary.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{hash:016x}@maillage.invalid", utc_stamp(e.starts_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Offset;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(line, &mut out);
        out
    }

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "").trim_end_matches("\r\n").to_owned()
    }

    fn check_lines(s: &str) {
        for physical in s.split_terminator("\r\n") {
            assert!(
                physical.len() <= MAX_LINE_OCTETS,
                "{} octets: {physical:?}",
                physical.len()
            );
            assert!(
                !physical.ends_with(' ') || physical.trim().is_empty(),
                "{physical:?}"
            );
        }
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("SUMMARY:Atelier"), "SUMMARY:Atelier\r\n");
        let exact = format!("SUMMARY:{}", "a".repeat(75 - 8));
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_accented_line_folds_on_characters_and_unfolds_back() {
        let line = format!(
            "DESCRIPTION:{}",
            escape_text(
                "Fête de la science à Grenoble : découvrez l'élégance des équations, \
                 ça va être épatant ! Œuvres, rôles, naïveté, où ? « Déjà » là. \
                 Ünïcödé ÀÉÈÊËÎÏÔÙÛÜŸÇ àéèêëîïôùûüÿç — fin."
            )
        );
        let out = folded(&line);
        assert!(out.matches("\r\n ").count() >= 2, "{out}");
        check_lines(&out);
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn emoji_and_decomposed_accents_stay_whole() {
        // 4-octet characters at every offset, a ZWJ sequence and a skin tone.
        for pad in 0..4 {
            let line = format!(
                "SUMMARY:{}{}",
                "x".repeat(pad),
                "🔬🧪 👩\u{200d}🔬👋🏽 e\u{301}te\u{301} "
                    .repeat(8)
                    .trim_end()
            );
            let out = folded(&line);
            check_lines(&out);
            assert_eq!(unfold(&out), line);
            for physical in out.split("\r\n ").skip(1) {
                let first = physical.chars().next().unwrap();
                assert!(
                    !matches!(first, '\u{301}' | '\u{200d}' | '\u{1f3fd}' | ' '),
                    "continuation starts with {first:?}"
                );
            }
        }
    }

    #[test]
    fn escapes_are_not_split() {
        for pad in 0..3 {
            let line = format!(
                "DESCRIPTION:{}{}",
                "y".repeat(pad),
                "\\n\\,\\;\\\\".repeat(30)
            );
            let out = folded(&line);
            check_lines(&out);
            assert_eq!(unfold(&out), line);
            for physical in out.split("\r\n ") {
                assert!(
                    !splits_escape(physical, physical.trim_end().len()),
                    "{physical:?}"
                );
            }
        }
    }

    #[test]
    fn a_line_of_spaces_still_folds() {
        let line = format!("DESCRIPTION:a{}b", " ".repeat(200));
        let out = folded(&line);
        for physical in out.split_terminator("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS);
        }
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        assert_eq!(escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(
            clean_text(" \u{feff}Bonjour\r\nà\rtous\u{7}\u{0}\u{1b}[0m\tlà \u{9f}\n "),
            "Bonjour\nà\ntous[0m là"
        );
        assert_eq!(
            clean_line("Salle\r\n\r\n  polyvalente \n"),
            "Salle polyvalente"
        );
        assert_eq!(clean_text("\u{7}\r\n \t"), "");
    }

    #[test]
    fn uris_are_absolute_and_encoded() {
        assert_eq!(
            clean_uri(" https://exemple.fr/événement?a=1&b=x y\n").as_deref(),
            Some("https://exemple.fr/%C3%A9v%C3%A9nement?a=1&b=x%20y")
        );
        assert_eq!(clean_uri("/programme/12"), None);
        assert_eq!(clean_uri("https:"), None);
        assert_eq!(clean_uri("   "), None);
        assert_eq!(clean_uri("1http://x"), None);
    }

    #[test]
    fn vtimezone_rule_matches_the_time_zone_database() {
        for year in 1996..=2037 {
            for (month, hours_before, hours_after) in [(3, 1, 2), (10, 2, 1)] {
                let change = last_sunday(year, month)
                    .unwrap()
                    .and_hms_opt(1, 0, 0)
                    .unwrap()
                    .and_utc();
                for (t, hours) in [
                    (change - Duration::seconds(1), hours_before),
                    (change, hours_after),
                    (change + Duration::hours(3), hours_after),
                ] {
                    let tzdb = t.with_timezone(&Paris).offset().fix().local_minus_utc();
                    assert_eq!(tzdb, hours * 3600, "{t}");
                    assert_eq!(
                        vtimezone_offset(t),
                        Some(Duration::hours(i64::from(hours))),
                        "{t}"
                    );
                }
            }
        }
        // The VTIMEZONE's DTSTARTs are the local times of the 1970 changes.
        assert_eq!(last_sunday(1970, 3), NaiveDate::from_ymd_opt(1970, 3, 29));
        assert_eq!(last_sunday(1970, 10), NaiveDate::from_ymd_opt(1970, 10, 25));
    }

    #[test]
    fn paris_local_times() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let local = |s: &str| paris_local(at(s)).map(local_stamp);
        assert_eq!(
            local("2025-07-14T08:00:00Z").as_deref(),
            Some("20250714T100000")
        );
        assert_eq!(
            local("2025-12-01T09:00:00Z").as_deref(),
            Some("20251201T100000")
        );
        // Both readings of 02:30 on 26 October 2025 are ambiguous.
        assert_eq!(local("2025-10-26T00:30:00Z"), None);
        assert_eq!(local("2025-10-26T01:30:00Z"), None);
        assert_eq!(local("2025-10-26T01:00:00Z"), None); // 02:00 CET, also repeated
        assert_eq!(
            local("2025-10-26T02:00:00Z").as_deref(),
            Some("20251026T030000")
        );
        assert_eq!(
            local("2025-10-25T23:59:59Z").as_deref(),
            Some("20251026T015959")
        );
        // Spring: 01:59:59 CET is followed by 03:00 CEST.
        assert_eq!(
            local("2025-03-30T00:59:59Z").as_deref(),
            Some("20250330T015959")
        );
        assert_eq!(
            local("2025-03-30T01:00:00Z").as_deref(),
            Some("20250330T030000")
        );
        // 1990: summer time ended in September, unlike the VTIMEZONE's rule.
        assert_eq!(local("1990-10-10T10:00:00Z"), None);
        assert_eq!(
            local("1990-12-10T10:00:00Z").as_deref(),
            Some("19901210T110000")
        );
    }
}
