//! The real OpenAgenda and Ministry files of `shared/data` (see its README).

use crate::common::{
    ALBI, DETAILED_LOCATION, FETE_SCIENCE, ONLINE, REGISTRATION_LINK, TCHEQUE, data, json,
};
use chrono::{DateTime, Utc};
use maillage_openagenda::{
    Attendance, EventStatus, ImportedEvent, Parsed, Registration, WarningKind, export, parse,
    parse_fete_de_la_science,
};
use serde_json::Value;

fn parsed(rel: &str) -> Parsed {
    parse(&data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn timing_count(p: &Parsed) -> usize {
    p.events.iter().map(|e| e.timings.len()).sum()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn by_uid<'a>(p: &'a Parsed, uid: &str) -> &'a ImportedEvent {
    p.events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no event {uid}"))
}

fn round_trip(events: &[ImportedEvent]) -> Parsed {
    let bytes = serde_json::to_vec(&export(events)).unwrap();
    parse(&bytes).unwrap()
}

#[test]
fn counts_of_events_and_timings() {
    // file, events, timings, timings given twice (kept once)
    for (rel, events, timings, twice) in [
        (TCHEQUE, 205, 663, 1),
        (ALBI, 75, 97, 0),
        (DETAILED_LOCATION, 1, 1, 0),
        (ONLINE, 1, 359, 0),
        (REGISTRATION_LINK, 1, 7, 0),
    ] {
        let p = parsed(rel);
        assert_eq!(p.events.len(), events, "{rel}: events");
        assert_eq!(timing_count(&p), timings - twice, "{rel}: timings");
        let merged = p
            .warnings
            .iter()
            .filter(|w| matches!(w.kind, WarningKind::DuplicateTimingMerged { .. }))
            .count();
        assert_eq!(merged, twice, "{rel}: duplicates said");
        assert!(p.skipped.is_empty(), "{rel}: {:?}", p.skipped);
        // The files' own counts, read independently.
        let raw = json(rel);
        let raw_events: Vec<&Value> = match &raw {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let raw_timings: usize = raw_events
            .iter()
            .map(|e| e["timings"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(raw_events.len(), events, "{rel}");
        assert_eq!(raw_timings, timings, "{rel}");
    }
}

#[test]
fn instants_are_kept_exactly() {
    let p = parsed(TCHEQUE);
    let e = by_uid(&p, "43760404");
    assert_eq!(e.title, "Exposition Europe 2050");
    assert_eq!(e.timings.len(), 2);
    assert_eq!(e.timings[0].begin, utc("2022-10-15T15:00:00Z"));
    assert_eq!(e.timings[0].end, utc("2022-10-15T18:00:00Z"));
    assert_eq!(e.timings[1].begin, utc("2022-10-16T11:00:00Z"));
    // Albi writes milliseconds and winter offsets.
    let p = parsed(ALBI);
    let e = by_uid(&p, "48516406");
    assert_eq!(e.timings[0].begin, utc("2023-11-25T06:00:00Z"));
    assert_eq!(e.timings[0].end, utc("2023-11-25T11:30:00Z"));
}

#[test]
fn midnight_ends_of_the_centre_tcheque_are_read_as_the_end_of_the_day() {
    let p = parsed(TCHEQUE);
    let extended: Vec<_> = p
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::EndAtMidnightExtended { .. }))
        .collect();
    assert_eq!(extended.len(), 28);
    // And one timing given twice, kept once.
    assert_eq!(p.warnings.len(), 29, "{:?}", p.warnings);
    let mut uids: Vec<_> = extended.iter().filter_map(|w| w.uid.clone()).collect();
    uids.dedup();
    assert_eq!(uids.len(), 25);
    // "Azarine collectif": 19:30 → "00:00" the same day, in summer time.
    let e = by_uid(&p, "77224535");
    assert_eq!(e.timings.len(), 1);
    assert_eq!(e.timings[0].begin, utc("2019-06-28T17:30:00Z"));
    assert_eq!(e.timings[0].end, utc("2019-06-28T22:00:00Z"));
    for e in &p.events {
        for t in &e.timings {
            assert!(t.begin <= t.end, "{}: {t:?}", e.uid);
        }
    }
}

#[test]
fn albi_events_without_first_timing_keep_all_their_timings() {
    let p = parsed(ALBI);
    let raw = json(ALBI);
    let mut without = 0;
    let mut their_timings = 0;
    for r in raw.as_array().unwrap() {
        // In this file the key is absent (never `null`); both mean the same.
        if !r.get("firstTiming").is_none_or(Value::is_null) {
            continue;
        }
        without += 1;
        let uid = r["uid"].to_string();
        let raw_timings = r["timings"].as_array().unwrap();
        let e = by_uid(&p, &uid);
        assert_eq!(e.timings.len(), raw_timings.len(), "{uid}");
        for (t, rt) in e.timings.iter().zip(raw_timings) {
            assert_eq!(t.begin, utc(rt["begin"].as_str().unwrap()), "{uid}");
            assert_eq!(t.end, utc(rt["end"].as_str().unwrap()), "{uid}");
        }
        their_timings += e.timings.len();
    }
    assert_eq!(without, 65);
    assert_eq!(their_timings, 85);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn detailed_location_keeps_its_insee_code_and_coordinates() {
    let p = parsed(DETAILED_LOCATION);
    let e = &p.events[0];
    assert_eq!(e.uid, "63825911");
    assert_eq!(e.slug.as_deref(), Some("gratuite-du-museum"));
    // Five languages: the French one is taken.
    assert_eq!(e.title, "Gratuité du Muséum");
    let l = e.location.as_ref().unwrap();
    assert_eq!(l.name.as_deref(), Some("Muséum de Nantes"));
    assert_eq!(
        l.address.as_deref(),
        Some("12 Rue Voltaire, 44000 Nantes, France")
    );
    assert_eq!(l.city.as_deref(), Some("Nantes"));
    assert_eq!(l.postcode.as_deref(), Some("44000"));
    assert_eq!(l.insee.as_deref(), Some("44109"));
    assert_eq!(l.department.as_deref(), Some("Loire-Atlantique"));
    assert_eq!(l.region.as_deref(), Some("Pays de la Loire"));
    assert_eq!(l.lat, Some(47.212388));
    assert_eq!(l.lon, Some(-1.56465));
    assert_eq!(l.country.as_deref(), Some("FR"));
    assert_eq!(l.department_code().as_deref(), Some("44"));
    assert_eq!(e.attendance, Attendance::Offline);
    assert_eq!(
        e.image_url.as_deref(),
        Some("https://cdn.openagenda.com/main/9fcfbcc44c764a77a839ca340c1f237e.base.image.jpg")
    );
    assert_eq!(e.timings[0].begin, utc("2025-05-17T16:00:00Z"));
    assert_eq!(e.timings[0].end, utc("2025-05-17T21:59:00Z"));
}

#[test]
fn online_event_is_online_with_its_link() {
    let p = parsed(ONLINE);
    let e = &p.events[0];
    assert_eq!(e.attendance, Attendance::Online);
    assert_eq!(
        e.online_url.as_deref(),
        Some("https://youtu.be/SmV51j7qBiM?si=jBJ6Rq5s39nR9DfF")
    );
    assert_eq!(e.location, None);
    assert_eq!(e.timings.len(), 359);
    assert_eq!(e.timings[0].begin, utc("2025-04-06T22:00:00Z"));
    assert_eq!(e.timings[358].end, utc("2026-03-31T21:59:00Z"));
}

#[test]
fn registration_link_event_has_its_link() {
    let p = parsed(REGISTRATION_LINK);
    let e = &p.events[0];
    assert_eq!(e.title, "Ateliers Urb'Braye");
    assert_eq!(
        e.registration,
        vec![Registration::Link(
            "https://www.saintjeandebraye.fr/evenement/ateliers-urbbraye/".into()
        )]
    );
    let age = e.age.unwrap();
    assert_eq!((age.min, age.max), (Some(11), Some(17)));
    assert_eq!(e.keywords, ["gratuit", "atelier", "art", "festival"]);
    assert_eq!(e.conditions.as_deref(), Some("Gratuit sur inscription"));
    assert_eq!(e.location.as_ref().unwrap().insee.as_deref(), Some("45284"));
    assert!(
        e.description
            .as_deref()
            .unwrap()
            .starts_with("### Pour les 11/15 ans")
    );
}

#[test]
fn registrations_of_the_files() {
    let p = parsed(TCHEQUE);
    let count = |f: fn(&Registration) -> bool| -> usize {
        p.events
            .iter()
            .flat_map(|e| &e.registration)
            .filter(|r| f(r))
            .count()
    };
    assert_eq!(count(|r| matches!(r, Registration::Link(_))), 35);
    assert_eq!(count(|r| matches!(r, Registration::Email(_))), 43);
    assert_eq!(count(|r| matches!(r, Registration::Phone(_))), 33);
    // Albi's first event lists the same e-mail address five times: kept once.
    let p = parsed(ALBI);
    assert_eq!(
        by_uid(&p, "48516406").registration,
        vec![
            Registration::Email("paris@czech.cz".into()),
            Registration::Link(
                "https://paris.czechcentres.cz/fr/programme/prazsky-vyber-v-ceskem-centru?locale=fr"
                    .into()
            ),
            Registration::Link("https://paris.czechcentres.cz/fr/programme/festival-havel-21-monika-naceva-zdivoceli-kone-trop-long?locale=fr".into()),
            Registration::Link("https://paris.czechcentres.cz/fr/programme/festival-havel-21-monika-naceva-zdivoceli-kone-beaucoup-trop-long?locale=fr".into()),
        ]
    );
}

#[test]
fn statuses_and_accessibility_of_the_files() {
    let p = parsed(TCHEQUE);
    assert!(p.events.iter().all(|e| e.status == EventStatus::Scheduled));
    assert!(p.events.iter().all(|e| e.attendance == Attendance::Offline));
    let count = |f: fn(&ImportedEvent) -> bool| p.events.iter().filter(|e| f(e)).count();
    assert_eq!(count(|e| e.accessibility.motor), 149);
    assert_eq!(count(|e| e.accessibility.hearing), 81);
    assert_eq!(count(|e| e.accessibility.visual), 86);
    assert_eq!(count(|e| e.accessibility.psychic), 88);
    assert_eq!(count(|e| e.accessibility.intellectual), 0);
    assert_eq!(count(|e| e.age.is_some()), 17);
    let with_all = by_uid(&p, "43760404");
    assert!(!with_all.accessibility.any());
}

/// The real files all say "scheduled" and "offline": every code is checked on
/// a real event whose status and mode are changed.
#[test]
fn every_status_and_attendance_mode_is_mapped() {
    let mut raw = json(REGISTRATION_LINK);
    for (code, name, status) in [
        (1, "scheduled", EventStatus::Scheduled),
        (2, "rescheduled", EventStatus::Rescheduled),
        (3, "movedOnline", EventStatus::MovedOnline),
        (4, "postponed", EventStatus::Postponed),
        (5, "full", EventStatus::Full),
        (6, "cancelled", EventStatus::Cancelled),
    ] {
        for value in [Value::from(code), Value::from(name)] {
            raw["status"] = value;
            let p = parse(raw.to_string().as_bytes()).unwrap();
            assert_eq!(p.events[0].status, status);
            assert!(p.warnings.is_empty());
            assert_eq!(round_trip(&p.events).events, p.events);
        }
    }
    for (code, mode) in [
        (1, Attendance::Offline),
        (2, Attendance::Online),
        (3, Attendance::Mixed),
    ] {
        raw["attendanceMode"] = Value::from(code);
        let p = parse(raw.to_string().as_bytes()).unwrap();
        assert_eq!(p.events[0].attendance, mode);
    }
    raw["status"] = Value::from(9);
    raw["accessibility"] =
        serde_json::json!({"mi": true, "hi": 1, "vi": false, "ii": true, "pi": "true"});
    let p = parse(raw.to_string().as_bytes()).unwrap();
    assert_eq!(p.events[0].status, EventStatus::Scheduled);
    assert!(matches!(
        p.warnings[0].kind,
        WarningKind::UnknownStatus { .. }
    ));
    let a = p.events[0].accessibility;
    assert!(a.motor && a.hearing && !a.visual && a.intellectual && a.psychic);
}

#[test]
fn round_trip_of_the_openagenda_files() {
    for rel in [TCHEQUE, ALBI, DETAILED_LOCATION, ONLINE, REGISTRATION_LINK] {
        let once = parsed(rel);
        let twice = round_trip(&once.events);
        assert!(
            twice.skipped.is_empty() && twice.warnings.is_empty(),
            "{rel}"
        );
        assert_eq!(twice.events, once.events, "{rel}");
    }
}

#[test]
fn export_has_openagenda_shape_with_paris_offsets() {
    let p = parsed(TCHEQUE);
    let out = export(&p.events[..1]);
    let e = &out[0];
    assert_eq!(e["uid"], 43760404);
    assert_eq!(e["title"]["fr"], "Exposition Europe 2050");
    assert_eq!(e["keywords"]["fr"][0], "exposition paris europe");
    assert_eq!(e["timings"][0]["begin"], "2022-10-15T17:00:00+02:00");
    assert_eq!(e["firstTiming"]["begin"], "2022-10-15T17:00:00+02:00");
    assert_eq!(e["lastTiming"]["end"], "2022-10-16T19:00:00+02:00");
    assert_eq!(e["location"]["insee"], "75056");
    assert_eq!(e["location"]["postalCode"], "75006");
    assert_eq!(e["status"], 1);
    assert_eq!(e["attendanceMode"], 1);
    assert_eq!(e["registration"][0]["type"], "link");
    assert!(e.get("x-maillage").is_none());
    // Winter time.
    let p = parsed(ALBI);
    let out = export(&p.events[..1]);
    assert_eq!(out[0]["timings"][0]["begin"], "2023-11-25T07:00:00+01:00");
}

#[test]
fn fete_de_la_science_records() {
    let p = parse_fete_de_la_science(&data(FETE_SCIENCE)).unwrap();
    assert_eq!(p.events.len(), 100);
    assert!(p.skipped.is_empty(), "{:?}", p.skipped);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(timing_count(&p), 205);

    let isere: Vec<&ImportedEvent> = p
        .events
        .iter()
        .filter(|e| {
            e.location
                .as_ref()
                .and_then(|l| l.department_code())
                .as_deref()
                == Some("38")
        })
        .collect();
    assert_eq!(isere.len(), 7);
    let mut uids: Vec<&str> = isere.iter().map(|e| e.uid.as_str()).collect();
    uids.sort_unstable();
    assert_eq!(
        uids,
        [
            "30054776", "35707888", "42146346", "46504920", "48410408", "84910604", "98781718"
        ]
    );
    for e in &isere {
        let l = e.location.as_ref().unwrap();
        assert_eq!(l.department.as_deref(), Some("Isère"));
        assert!(matches!(
            l.city.as_deref(),
            Some("Grenoble" | "Saint-Martin-d'Hères")
        ));
        assert!(
            l.lat.is_some_and(|lat| (45.0..45.4).contains(&lat)),
            "{l:?}"
        );
        assert!(l.lon.is_some_and(|lon| (5.6..5.9).contains(&lon)), "{l:?}");
        assert!(!e.themes.is_empty());
    }

    let e = by_uid(&p, "98781718");
    assert_eq!(
        e.title,
        "L'Internet des Objets : application à l'agriculture urbaine"
    );
    assert_eq!(e.timings.len(), 5);
    assert_eq!(e.timings[0].begin, utc("2017-10-12T07:00:00Z"));
    let l = e.location.as_ref().unwrap();
    assert_eq!(l.postcode.as_deref(), Some("38400"));
    assert_eq!(l.city.as_deref(), Some("Saint-Martin-d'Hères"));
    assert_eq!((l.lat, l.lon), (Some(45.188086), Some(5.765591)));
    assert_eq!(
        e.audiences,
        [
            "Primaire (6- 10 ans)",
            "Collège (11 - 14 ans)",
            "Lycée (15 18 ans)",
            "Post-Bac (adulte)",
            "Scolaires"
        ]
    );
    assert_eq!(
        e.themes,
        [
            "Écologie, agronomie, développement durable, énergie",
            "Nouvelles technologies, numérique, informatique"
        ]
    );
    assert_eq!(e.event_types, ["Atelier"]);
    assert_eq!(e.registration_required, Some(true));
    assert_eq!(
        e.registration,
        [
            Registration::Phone("04 56 52 97 90".into()),
            Registration::Email("helene.deschamps@univ-grenoble-alpes.fr".into())
        ]
    );
    assert_eq!(
        e.slug.as_deref(),
        Some("l-internet-des-objets-application-a-l-agriculture-urbaine")
    );
    assert_eq!(
        e.keywords,
        ["agriculture urbaine", "internet des objets", "28 nuances"]
    );

    // Across the file.
    let required = |v: Option<bool>| {
        p.events
            .iter()
            .filter(|e| e.registration_required == v)
            .count()
    };
    assert_eq!(
        (required(Some(true)), required(Some(false)), required(None)),
        (17, 81, 2)
    );
    assert_eq!(
        p.events.iter().filter(|e| !e.audiences.is_empty()).count(),
        79
    );
    assert_eq!(p.events.iter().filter(|e| !e.themes.is_empty()).count(), 98);
    assert_eq!(
        p.events.iter().filter(|e| e.accessibility.motor).count(),
        21
    );
    assert_eq!(
        p.events.iter().filter(|e| e.accessibility.hearing).count(),
        3
    );
    assert!(p.events.iter().all(|e| {
        let l = e.location.as_ref().unwrap();
        l.lat.is_some() && l.postcode.is_some() && l.city.is_some()
    }));
    // The record without a département still has its code, from the postcode.
    let rochelle = p
        .events
        .iter()
        .find(|e| e.location.as_ref().unwrap().department.is_none())
        .unwrap();
    let l = rochelle.location.as_ref().unwrap();
    assert_eq!(l.city.as_deref(), Some("La Rochelle"));
    assert_eq!(l.department_code().as_deref(), Some("17"));

    // The Ministry's events go out and come back whole.
    assert_eq!(round_trip(&p.events).events, p.events);
}
