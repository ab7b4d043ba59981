//! Writing events in OpenAgenda's API v2 shape.

use serde_json::{Map, Value, json};

use crate::EXTENSION_KEY;
use crate::model::{ImportedEvent, Location, Timing};
use crate::time::write_paris;

/// Writes events in the OpenAgenda v2 shape: an array of event objects with
/// `uid`, `slug`, `title {fr}`, `description {fr}`, `longDescription {fr}`,
/// `keywords {fr: [...]}`, `conditions {fr}`, `timings [{begin, end}]` with
/// their Europe/Paris offsets, `firstTiming`/`lastTiming`, `location`,
/// `onlineAccessLink`, `attendanceMode`, `registration [{type, value}]`,
/// `age {min, max}`, `accessibility {mi, hi, vi, ii, pi}`, `status`,
/// `image {url}` and `timezone`. What OpenAgenda's standard fields cannot
/// hold (audiences, themes, event types, organiser, whether registration is
/// required) goes in an [`EXTENSION_KEY`] object, only when there is some.
///
/// Absent texts are left out. [`crate::parse`] reads the result back into
/// the same events.
pub fn export(events: &[ImportedEvent]) -> Value {
    Value::Array(events.iter().map(event).collect())
}

fn fr(text: &str) -> Value {
    json!({ "fr": text })
}

fn timing(t: &Timing) -> Value {
    json!({ "begin": write_paris(t.begin), "end": write_paris(t.end) })
}

fn event(e: &ImportedEvent) -> Value {
    let mut o = Map::new();
    // OpenAgenda's uids are numbers; a uid that would not read back the same
    // as a number (leading zeros, letters) stays a string.
    let uid = match e.uid.parse::<u64>() {
        Ok(n) if n.to_string() == e.uid => Value::from(n),
        _ => Value::from(e.uid.as_str()),
    };
    o.insert("uid".into(), uid);
    if let Some(slug) = &e.slug {
        o.insert("slug".into(), Value::from(slug.as_str()));
    }
    o.insert("title".into(), fr(&e.title));
    if let Some(summary) = &e.summary {
        o.insert("description".into(), fr(summary));
    }
    if let Some(description) = &e.description {
        o.insert("longDescription".into(), fr(description));
    }
    o.insert("keywords".into(), json!({ "fr": e.keywords }));
    if let Some(conditions) = &e.conditions {
        o.insert("conditions".into(), fr(conditions));
    }
    o.insert(
        "timings".into(),
        Value::Array(e.timings.iter().map(timing).collect()),
    );
    // As OpenAgenda computes them: the earliest and the latest occurrence.
    if let Some(first) = e.timings.iter().min() {
        o.insert("firstTiming".into(), timing(first));
    }
    if let Some(last) = e.timings.iter().max() {
        o.insert("lastTiming".into(), timing(last));
    }
    o.insert("timezone".into(), Value::from("Europe/Paris"));
    o.insert(
        "location".into(),
        e.location.as_ref().map_or(Value::Null, location),
    );
    o.insert(
        "onlineAccessLink".into(),
        e.online_url.as_deref().map_or(Value::Null, Value::from),
    );
    o.insert("attendanceMode".into(), Value::from(e.attendance.code()));
    o.insert(
        "registration".into(),
        Value::Array(
            e.registration
                .iter()
                .map(|r| json!({ "type": r.kind(), "value": r.value() }))
                .collect(),
        ),
    );
    o.insert(
        "age".into(),
        json!({
            "min": e.age.and_then(|a| a.min),
            "max": e.age.and_then(|a| a.max),
        }),
    );
    let a = e.accessibility;
    o.insert(
        "accessibility".into(),
        json!({ "mi": a.motor, "hi": a.hearing, "vi": a.visual, "ii": a.intellectual, "pi": a.psychic }),
    );
    o.insert("status".into(), Value::from(e.status.code()));
    if let Some(url) = &e.image_url {
        o.insert("image".into(), json!({ "url": url }));
    }

    let mut ext = Map::new();
    for (key, list) in [
        ("audiences", &e.audiences),
        ("themes", &e.themes),
        ("eventTypes", &e.event_types),
    ] {
        if !list.is_empty() {
            ext.insert(key.into(), json!(list));
        }
    }
    if let Some(organiser) = &e.organiser {
        ext.insert("organiser".into(), Value::from(organiser.as_str()));
    }
    if let Some(required) = e.registration_required {
        ext.insert("registrationRequired".into(), Value::from(required));
    }
    if !ext.is_empty() {
        o.insert(EXTENSION_KEY.into(), Value::Object(ext));
    }
    Value::Object(o)
}

fn location(l: &Location) -> Value {
    let mut o = Map::new();
    let texts = [
        ("name", &l.name),
        ("address", &l.address),
        ("city", &l.city),
        ("postalCode", &l.postcode),
        ("insee", &l.insee),
        ("department", &l.department),
        ("region", &l.region),
        ("countryCode", &l.country),
    ];
    for (key, value) in texts {
        if let Some(v) = value {
            o.insert(key.into(), Value::from(v.as_str()));
        }
    }
    if let (Some(lat), Some(lon)) = (l.lat, l.lon) {
        o.insert("latitude".into(), Value::from(lat));
        o.insert("longitude".into(), Value::from(lon));
    }
    Value::Object(o)
}
