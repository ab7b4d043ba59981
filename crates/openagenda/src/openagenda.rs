//! Reading OpenAgenda API v2 events.

use chrono_tz::Tz;
use serde_json::Value;

use crate::model::{
    Accessibility, AgeRange, Attendance, EventStatus, ImportedEvent, Location, Registration,
    SkipReason, Skipped, Timing, TimingProblem, Warning, WarningKind,
};
use crate::text::{keywords, pick, plain, push_unique, trimmed};
use crate::time::{TimingOutcome, timing, zone};
use crate::{EXTENSION_KEY, Expected, ParseError, Parsed};

/// Reads OpenAgenda API v2 events. Accepts the shapes found in real files: a
/// JSON array of events, an object with `events: [...]` (the API's list
/// answer), an object with `event: {...}` (the API's single answer), or a
/// single event object.
pub fn parse(json: &[u8]) -> Result<Parsed, ParseError> {
    let value: Value = serde_json::from_slice(strip_bom(json))?;
    let entries = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            if let Some(Value::Array(_)) = map.get("events") {
                match map.remove("events") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                }
            } else if let Some(Value::Object(_)) = map.get("event") {
                map.remove("event").into_iter().collect()
            } else if ["uid", "title", "timings", "firstTiming", "slug"]
                .iter()
                .any(|k| map.contains_key(*k))
            {
                vec![Value::Object(map)]
            } else {
                return Err(ParseError::Shape(Expected::Events));
            }
        }
        _ => {
            return Err(ParseError::Shape(Expected::Events));
        }
    };
    let mut parsed = Parsed::default();
    for (index, entry) in entries.iter().enumerate() {
        read_event(index, entry, &mut parsed);
    }
    Ok(parsed)
}

pub(crate) fn strip_bom(json: &[u8]) -> &[u8] {
    json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json)
}

fn read_event(index: usize, entry: &Value, parsed: &mut Parsed) {
    let Some(e) = entry.as_object() else {
        parsed.skipped.push(Skipped {
            index,
            uid: None,
            title: None,
            reason: SkipReason::NotAnObject,
        });
        return;
    };
    let uid = id(e.get("uid"));
    let title = pick(e.get("title"), plain);
    let skip = |reason| Skipped::of(index, &uid, &title, reason);
    let Some((uid, title)) = Skipped::identify(index, &uid, &title, parsed) else {
        return;
    };

    let mut warnings = Vec::new();
    let tz = zone(e.get("timezone").and_then(Value::as_str));
    let (candidates, from_first_last) = match e.get("timings") {
        Some(Value::Array(list)) if !list.is_empty() => (list.iter().collect::<Vec<_>>(), false),
        _ => {
            let mut pair: Vec<&Value> = Vec::new();
            for key in ["firstTiming", "lastTiming"] {
                if let Some(v @ Value::Object(_)) = e.get(key)
                    && !pair.contains(&v)
                {
                    pair.push(v);
                }
            }
            (pair, true)
        }
    };
    let timings = match read_timings(&candidates, tz, &mut warnings) {
        Ok(t) => t,
        Err(reason) => {
            parsed.skipped.push(skip(reason));
            return;
        }
    };
    if from_first_last && candidates.len() > 1 {
        warnings.push(WarningKind::TimingsFromFirstAndLast);
    }

    let status = match e.get("status") {
        None | Some(Value::Null) => EventStatus::Scheduled,
        Some(v) => int(v)
            .and_then(EventStatus::from_code)
            .or_else(|| v.as_str().and_then(|s| EventStatus::from_name(s.trim())))
            .unwrap_or_else(|| {
                warnings.push(WarningKind::UnknownStatus { value: short(v) });
                EventStatus::Scheduled
            }),
    };
    let attendance = match e.get("attendanceMode") {
        None | Some(Value::Null) => Attendance::Offline,
        Some(v) => attendance(v).unwrap_or_else(|| {
            warnings.push(WarningKind::UnknownAttendance { value: short(v) });
            Attendance::Offline
        }),
    };
    let mut registration = Vec::new();
    if let Some(Value::Array(items)) = e.get("registration") {
        for item in items {
            read_registration(item, &mut registration, &mut warnings);
        }
    }
    let ext = e.get(EXTENSION_KEY).and_then(Value::as_object);
    let ext_list = |key: &str| ext.map(|x| keywords(x.get(key))).unwrap_or_default();

    parsed.events.push(ImportedEvent {
        uid: uid.clone(),
        slug: string(e.get("slug"), plain),
        title,
        summary: pick(e.get("description"), plain),
        description: pick(e.get("longDescription"), trimmed),
        keywords: keywords(e.get("keywords")),
        timings,
        location: e.get("location").and_then(location),
        online_url: string(e.get("onlineAccessLink"), plain),
        attendance,
        registration,
        registration_required: ext.and_then(|x| boolean(x.get("registrationRequired"))),
        age: e.get("age").and_then(age),
        accessibility: e
            .get("accessibility")
            .map(accessibility)
            .unwrap_or_default(),
        status,
        conditions: pick(e.get("conditions"), plain),
        image_url: e.get("image").and_then(image),
        audiences: ext_list("audiences"),
        themes: ext_list("themes"),
        event_types: ext_list("eventTypes"),
        organiser: ext.and_then(|x| string(x.get("organiser"), plain)),
    });
    parsed
        .warnings
        .extend(warnings.into_iter().map(|kind| Warning {
            index,
            uid: Some(uid.clone()),
            kind,
        }));
}

/// Reads `{begin, end}` pairs; fails with the skip reason when none is valid.
pub(crate) fn read_timings(
    candidates: &[&Value],
    tz: Tz,
    warnings: &mut Vec<WarningKind>,
) -> Result<Vec<Timing>, SkipReason> {
    if candidates.is_empty() {
        return Err(SkipReason::NoTimings);
    }
    let mut timings = Vec::with_capacity(candidates.len());
    let mut problems = Vec::new();
    for (n, candidate) in candidates.iter().enumerate() {
        let begin = candidate.get("begin").and_then(Value::as_str);
        let end = candidate.get("end").and_then(Value::as_str);
        let outcome = match (begin, end) {
            (Some(b), Some(e)) => timing(b, e, tz),
            _ => TimingOutcome::Invalid(TimingProblem::NotAPair {
                position: n + 1,
                value: short(candidate),
            }),
        };
        // The same timing twice is one session: kept once, and said.
        if let TimingOutcome::Valid(t) | TimingOutcome::Extended(t) = &outcome
            && timings.contains(t)
        {
            warnings.push(WarningKind::DuplicateTimingMerged { begin: t.begin });
            continue;
        }
        match outcome {
            TimingOutcome::Valid(t) => timings.push(t),
            TimingOutcome::Extended(t) => {
                warnings.push(WarningKind::EndAtMidnightExtended {
                    begin: t.begin,
                    end: t.end,
                });
                timings.push(t);
            }
            TimingOutcome::Invalid(problem) => problems.push(problem),
        }
    }
    if timings.is_empty() {
        return Err(SkipReason::InvalidTiming { problems });
    }
    warnings.extend(
        problems
            .into_iter()
            .map(|problem| WarningKind::TimingDropped { problem }),
    );
    Ok(timings)
}

/// An identifier: a number or a non-empty string.
pub(crate) fn id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => plain(s),
        _ => None,
    }
}

/// A string (or number) field cleaned with `clean`.
pub(crate) fn string(value: Option<&Value>, clean: fn(&str) -> Option<String>) -> Option<String> {
    match value? {
        Value::String(s) => clean(s),
        Value::Number(n) => clean(&n.to_string()),
        _ => None,
    }
}

/// An integer written as a number (`1`, `1.0`) or a string (`"1"`).
pub(crate) fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn float(value: Option<&Value>) -> Option<f64> {
    let f = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    f.is_finite().then_some(f)
}

pub(crate) fn boolean(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "1" | "oui" | "yes" | "o" | "y" => Some(true),
            "false" | "0" | "non" | "no" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A short rendering of a value for messages.
fn short(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(80).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn attendance(value: &Value) -> Option<Attendance> {
    if let Some(n) = int(value) {
        return match n {
            1 => Some(Attendance::Offline),
            2 => Some(Attendance::Online),
            3 => Some(Attendance::Mixed),
            _ => None,
        };
    }
    match value {
        Value::String(s) => match s.trim() {
            "offline" => Some(Attendance::Offline),
            "online" => Some(Attendance::Online),
            "mixed" => Some(Attendance::Mixed),
            _ => None,
        },
        Value::Object(map) => map.get("id").and_then(attendance),
        _ => None,
    }
}

/// Coordinates in range, or none: one without the other is useless.
pub(crate) fn coordinates(lat: Option<f64>, lon: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (lat, lon) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            (Some(lat), Some(lon))
        }
        _ => (None, None),
    }
}

/// Country codes are two ASCII letters, upper case.
pub(crate) fn country(value: Option<&Value>) -> Option<String> {
    let code = string(value, plain)?;
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

/// A commune code (INSEE or postcode): numbers get their leading zeros back.
pub(crate) fn code(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => n
            .as_u64()
            .filter(|&n| n < 100_000)
            .map(|n| format!("{n:05}")),
        other => string(Some(other), plain),
    }
}

fn location(value: &Value) -> Option<Location> {
    let l = value.as_object()?;
    let (lat, lon) = coordinates(float(l.get("latitude")), float(l.get("longitude")));
    let location = Location {
        name: pick(l.get("name"), plain),
        address: pick(l.get("address"), plain),
        city: pick(l.get("city"), plain),
        postcode: code(l.get("postalCode")),
        insee: code(l.get("insee")),
        department: pick(l.get("department"), plain),
        region: pick(l.get("region"), plain),
        lat,
        lon,
        country: country(l.get("countryCode")),
    };
    (!location.is_empty()).then_some(location)
}

fn read_registration(item: &Value, out: &mut Vec<Registration>, warnings: &mut Vec<WarningKind>) {
    let (kind, value) = match item {
        Value::Object(map) => (
            map.get("type").and_then(Value::as_str).map(str::trim),
            map.get("value"),
        ),
        other => (None, Some(other)),
    };
    let Some(value) = string(value, plain) else {
        return;
    };
    let registration = match kind {
        Some("link") => Registration::Link(value),
        Some("email") => Registration::Email(value),
        Some("phone") => Registration::Phone(value),
        _ => match classify(&value) {
            Some(r) => r,
            None => return warnings.push(WarningKind::RegistrationDropped { value }),
        },
    };
    push_unique(out, Some(registration));
}

/// Tells a link, an e-mail address and a phone number apart in free text.
pub(crate) fn classify(value: &str) -> Option<Registration> {
    let v = plain(value)?;
    let lower = v.to_lowercase();
    let no_space = !v.chars().any(char::is_whitespace);
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return no_space.then_some(Registration::Link(v));
    }
    if v.contains('@') {
        return no_space.then_some(Registration::Email(v));
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let phone_chars = v
        .chars()
        .all(|c| c.is_ascii_digit() || " .-()/+".contains(c) || c == '\u{a0}');
    if phone_chars && (6..=20).contains(&digits) {
        return Some(Registration::Phone(v));
    }
    if no_space && v.contains('.') && v.chars().any(|c| c.is_alphabetic()) {
        return Some(Registration::Link(v));
    }
    None
}

fn age(value: &Value) -> Option<AgeRange> {
    let a = value.as_object()?;
    let bound = |key: &str| a.get(key).and_then(int).and_then(|n| u8::try_from(n).ok());
    age_range(bound("min"), bound("max"))
}

pub(crate) fn age_range(min: Option<u8>, max: Option<u8>) -> Option<AgeRange> {
    (min.is_some() || max.is_some()).then_some(AgeRange { min, max })
}

fn accessibility(value: &Value) -> Accessibility {
    let Some(a) = value.as_object() else {
        return Accessibility::default();
    };
    let flag = |key: &str| boolean(a.get(key)).unwrap_or(false);
    Accessibility {
        motor: flag("mi"),
        hearing: flag("hi"),
        visual: flag("vi"),
        intellectual: flag("ii"),
        psychic: flag("pi"),
    }
}

/// `{"base": "https://cdn…/", "filename": "….jpg"}`, `{"url": …}` or a URL.
fn image(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => trimmed(s),
        Value::Object(map) => {
            if let Some(url) = string(map.get("url"), trimmed) {
                return Some(url);
            }
            let base = map.get("base").and_then(Value::as_str).map(str::trim)?;
            let file = map.get("filename").and_then(Value::as_str).map(str::trim)?;
            trimmed(&format!("{base}{file}")).filter(|_| !file.is_empty())
        }
        _ => None,
    }
}
