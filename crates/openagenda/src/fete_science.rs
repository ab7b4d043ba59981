//! Reading the Ministry's Fête de la science open data.
//!
//! The dataset `fr-esr-fete-de-la-science-*` is published on Opendatasoft;
//! its records export is an array of `{datasetid, recordid, fields: {...},
//! geometry, record_timestamp}`. The fields used are `identifiant`,
//! `titre_fr`, `description_fr`, `description_longue_fr` (plain text; the
//! `_html_` variant only when it is missing), `mots_cles_fr` (comma list),
//! `horaires_iso` (lines of `begin-end`, both RFC 3339), `nom_du_lieu`,
//! `adresse`, `ville`, `code_postal`, `departement`, `region`, `pays`,
//! `geolocalisation` (`[lat, lon]`), `type_d_animation`, `thematiques` and
//! `publics_concernes` (`|` lists), `public_specifique`, `age_minimum`,
//! `age_maximum`, `accessibilite_fr` (`handicap moteur|handicap auditif…`),
//! `inscription_necessaire` (Oui/Non), `lien_d_inscription` (links, e-mail
//! addresses and phone numbers separated by commas), `detail_des_conditions_fr`,
//! `organisateur`, `image`, `lien` (the event on OpenAgenda, whose last path
//! segment is the slug) and `statut`.

use chrono_tz::Europe::Paris;
use serde_json::{Map, Value};

use crate::model::{
    Accessibility, Attendance, EventStatus, ImportedEvent, Location, SkipReason, Skipped, Warning,
    WarningKind,
};
use crate::openagenda::{
    age_range, boolean, classify, code, coordinates, id, int, read_timings, string, strip_bom,
};
use crate::text::{plain, push_unique, split_list, trimmed};
use crate::{Expected, ParseError, Parsed};

/// Reads the Ministry's Opendatasoft records (Fête de la science open data)
/// as events: an array of records (`{fields: {...}}` or flat objects), or an
/// object with `records` or `results` holding them.
pub fn parse_fete_de_la_science(json: &[u8]) -> Result<Parsed, ParseError> {
    let value: Value = serde_json::from_slice(strip_bom(json))?;
    let entries = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match ["records", "results"]
            .into_iter()
            .find(|k| matches!(map.get(*k), Some(Value::Array(_))))
        {
            Some(key) => match map.remove(key) {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            None if map.contains_key("fields") || map.contains_key("identifiant") => {
                vec![Value::Object(map)]
            }
            None => return Err(ParseError::Shape(Expected::Records)),
        },
        _ => return Err(ParseError::Shape(Expected::Records)),
    };
    let mut parsed = Parsed::default();
    for (index, entry) in entries.iter().enumerate() {
        read_record(index, entry, &mut parsed);
    }
    Ok(parsed)
}

fn read_record(index: usize, entry: &Value, parsed: &mut Parsed) {
    let Some(record) = entry.as_object() else {
        parsed.skipped.push(Skipped {
            index,
            uid: None,
            title: None,
            reason: SkipReason::NotAnObject,
        });
        return;
    };
    // Opendatasoft v1 records wrap the values in `fields`; v2 exports are flat.
    let f: &Map<String, Value> = match record.get("fields") {
        Some(Value::Object(fields)) => fields,
        _ => record,
    };
    let text = |key: &str| string(f.get(key), plain);
    let raw = |key: &str| f.get(key).and_then(Value::as_str);

    let uid = id(f.get("identifiant"));
    let title = text("titre_fr");
    let skip = |reason| Skipped::of(index, &uid, &title, reason);
    let Some((uid, title)) = Skipped::identify(index, &uid, &title, parsed) else {
        return;
    };

    let mut warnings = Vec::new();
    let ranges: Vec<Value> = raw("horaires_iso")
        .map(|s| {
            s.split(['\n', ';'])
                .filter(|line| !line.trim().is_empty())
                .map(|line| match split_range(line.trim()) {
                    Some((b, e)) => serde_json::json!({ "begin": b, "end": e }),
                    None => Value::String(line.trim().to_owned()),
                })
                .collect()
        })
        .unwrap_or_default();
    let candidates: Vec<&Value> = ranges.iter().collect();
    let timings = match read_timings(&candidates, Paris, &mut warnings) {
        Ok(t) => t,
        Err(reason) => {
            parsed.skipped.push(skip(reason));
            return;
        }
    };

    // `geolocalisation` is [lat, lon]; GeoJSON's `geometry` is [lon, lat].
    let point = |v: Option<&Value>, lat_first: bool| -> (Option<f64>, Option<f64>) {
        let Some(Value::Array(pair)) = v else {
            return (None, None);
        };
        let n = |i: usize| {
            pair.get(i)
                .and_then(Value::as_f64)
                .filter(|f| f.is_finite())
        };
        if lat_first {
            (n(0), n(1))
        } else {
            (n(1), n(0))
        }
    };
    let (mut lat, mut lon) = point(f.get("geolocalisation"), true);
    if lat.is_none() {
        (lat, lon) = point(
            record.get("geometry").and_then(|g| g.get("coordinates")),
            false,
        );
    }
    let (lat, lon) = coordinates(lat, lon);
    let location = Location {
        name: text("nom_du_lieu"),
        address: text("adresse"),
        city: text("ville"),
        postcode: code(f.get("code_postal")),
        insee: code(f.get("code_insee")),
        department: text("departement"),
        region: text("region"),
        lat,
        lon,
        country: raw("pays")
            .filter(|p| p.trim_start().starts_with("France"))
            .map(|_| "FR".to_owned()),
    };

    let mut registration = Vec::new();
    for part in raw("lien_d_inscription")
        .unwrap_or("")
        .split([',', ';', '\n'])
    {
        if plain(part).is_none() {
            continue;
        }
        match classify(part) {
            Some(r) => push_unique(&mut registration, Some(r)),
            None => warnings.push(WarningKind::RegistrationDropped {
                value: part.trim().to_owned(),
            }),
        }
    }

    let age_bound = |key: &str| f.get(key).and_then(int).and_then(|n| u8::try_from(n).ok());
    let (mut min, mut max) = (age_bound("age_minimum"), age_bound("age_maximum"));
    if min.is_none()
        && max.is_none()
        && let Some((a, b)) = raw("tranche").and_then(|t| t.split_once('-'))
    {
        min = a.trim().parse().ok();
        max = b.trim().parse().ok();
    }

    let needs = split_list(raw("accessibilite_fr"), &['|'])
        .join(" ")
        .to_lowercase();
    let accessibility = Accessibility {
        motor: needs.contains("moteur"),
        hearing: needs.contains("auditi"),
        visual: needs.contains("visuel"),
        intellectual: needs.contains("mental") || needs.contains("intellectuel"),
        psychic: needs.contains("psychique"),
    };

    let mut audiences = split_list(raw("publics_concernes"), &['|']);
    for a in split_list(raw("public_specifique"), &['|']) {
        push_unique(&mut audiences, Some(a));
    }
    let status = match raw("statut").map(str::to_lowercase) {
        Some(s) if s.contains("annul") => EventStatus::Cancelled,
        Some(s) if s.contains("report") => EventStatus::Postponed,
        Some(s) if s.contains("complet") => EventStatus::Full,
        _ => EventStatus::Scheduled,
    };

    parsed.events.push(ImportedEvent {
        uid: uid.clone(),
        slug: raw("lien").and_then(slug_of_link),
        title,
        summary: text("description_fr"),
        description: string(f.get("description_longue_fr"), trimmed)
            .or_else(|| string(f.get("description_longue_html_fr"), trimmed)),
        keywords: split_list(raw("mots_cles_fr"), &[',']),
        timings,
        location: (!location.is_empty()).then_some(location),
        online_url: None,
        attendance: Attendance::Offline,
        registration,
        registration_required: boolean(f.get("inscription_necessaire")),
        age: age_range(min, max),
        accessibility,
        status,
        conditions: text("detail_des_conditions_fr"),
        image_url: string(f.get("image"), trimmed),
        audiences,
        themes: split_list(raw("thematiques"), &['|']),
        event_types: split_list(raw("type_d_animation"), &['|']),
        organiser: text("organisateur"),
    });
    parsed
        .warnings
        .extend(warnings.into_iter().map(|kind| Warning {
            index,
            uid: Some(uid.clone()),
            kind,
        }));
}

/// `2017-10-14T10:00:00+02:00-2017-10-14T18:00:00+02:00`: the separator is
/// the `-` followed by a year and a `-`.
fn split_range(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (1..bytes.len()).find_map(|i| {
        let year = bytes.get(i + 1..i + 6)?;
        (bytes[i] == b'-' && year[..4].iter().all(u8::is_ascii_digit) && year[4] == b'-')
            .then(|| (&line[..i], &line[i + 1..]))
    })
}

/// `https://openagenda.com/fetedelascience2017/events/des-pentagones_666` →
/// `des-pentagones_666`.
fn slug_of_link(link: &str) -> Option<String> {
    let (_, after) = link.split_once("/events/")?;
    let slug = after.split(['?', '#', '/']).next()?;
    plain(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_iso_ranges() {
        assert_eq!(
            split_range("2017-10-14T10:00:00+02:00-2017-10-14T18:00:00+02:00"),
            Some(("2017-10-14T10:00:00+02:00", "2017-10-14T18:00:00+02:00"))
        );
        assert_eq!(
            split_range("2017-10-14T10:00:00-05:00-2017-10-14T18:00:00-05:00"),
            Some(("2017-10-14T10:00:00-05:00", "2017-10-14T18:00:00-05:00"))
        );
        assert_eq!(split_range("2017-10-14T10:00:00+02:00"), None);
        assert_eq!(split_range("é-1234-"), Some(("é", "1234-")));
    }

    #[test]
    fn slug_from_link() {
        assert_eq!(
            slug_of_link("https://openagenda.com/fds2017/events/atelier_666?lang=fr").as_deref(),
            Some("atelier_666")
        );
        assert_eq!(slug_of_link("https://example.org/"), None);
    }
}
