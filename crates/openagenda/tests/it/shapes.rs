//! Shapes of files, skipped entries and warnings, on small hand-made events.

use maillage_openagenda::{
    Attendance, Bound, InstantProblem, ParseError, Registration, SkipReason, TimingProblem,
    WarningKind, export, parse, parse_fete_de_la_science,
};
use serde_json::{Value, json};

fn event(uid: u64, timings: Value) -> Value {
    json!({
        "uid": uid,
        "title": {"fr": format!("Événement {uid}")},
        "timings": timings,
    })
}

fn ok_timing() -> Value {
    json!([{"begin": "2024-10-05T14:00:00+02:00", "end": "2024-10-05T16:00:00+02:00"}])
}

#[test]
fn accepted_top_level_shapes() {
    let e = event(1, ok_timing());
    for doc in [
        json!([e]),
        json!({"total": 1, "events": [e]}),
        json!({"event": e}),
        e.clone(),
    ] {
        let p = parse(doc.to_string().as_bytes()).unwrap();
        assert_eq!(p.events.len(), 1, "{doc}");
        assert_eq!(p.events[0].uid, "1");
    }
    // A UTF-8 byte order mark is allowed.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(json!([e]).to_string().as_bytes());
    assert_eq!(parse(&bytes).unwrap().events.len(), 1);

    assert!(matches!(
        parse(b"{\"agenda\": 1}"),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(parse(b"42"), Err(ParseError::Shape(_))));
    assert!(matches!(parse(b"[{"), Err(ParseError::Json(_))));
    assert!(matches!(parse(b""), Err(ParseError::Json(_))));
    assert!(matches!(
        parse_fete_de_la_science(b"\"x\""),
        Err(ParseError::Shape(_))
    ));
    assert_eq!(parse(b"[]").unwrap().events.len(), 0);
}

#[test]
fn skip_reasons() {
    let doc = json!([
        "not an event",
        {"title": {"fr": "Sans uid"}, "timings": ok_timing()},
        {"uid": 2, "title": {"fr": "  ", "en": "<br>"}, "timings": ok_timing()},
        event(3, json!([])),
        event(4, json!([{"begin": "2024-10-05T14:00:00+02:00", "end": "2024-10-05T10:00:00+02:00"}, {"begin": "demain"}])),
        event(5, ok_timing()),
    ]);
    let p = parse(doc.to_string().as_bytes()).unwrap();
    assert_eq!(p.events.len(), 1);
    let reasons: Vec<(usize, &SkipReason)> =
        p.skipped.iter().map(|s| (s.index, &s.reason)).collect();
    assert_eq!(reasons[0], (0, &SkipReason::NotAnObject));
    assert_eq!(reasons[1], (1, &SkipReason::NoUid));
    assert_eq!(p.skipped[1].title.as_deref(), Some("Sans uid"));
    assert_eq!(reasons[2], (2, &SkipReason::NoTitle));
    assert_eq!(p.skipped[2].uid.as_deref(), Some("2"));
    assert_eq!(reasons[3], (3, &SkipReason::NoTimings));
    let SkipReason::InvalidTiming { problems } = reasons[4].1 else {
        panic!("{:?}", reasons[4])
    };
    assert!(
        matches!(problems[0], TimingProblem::EndBeforeBegin { .. }),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        TimingProblem::NotAPair {
            position: 2,
            value: r#"{"begin":"demain"}"#.into()
        }
    );
    let said = reasons[4].1.to_string();
    assert!(said.contains("before begin"), "{said}");
    assert!(said.contains("not {begin, end}"), "{said}");
    assert_eq!(p.skipped[4].title.as_deref(), Some("Événement 4"));
}

#[test]
fn bad_timings_are_dropped_and_reported() {
    let doc = event(
        7,
        json!([
            {"begin": "2024-10-05T14:00:00+02:00", "end": "2024-10-05T16:00:00+02:00"},
            {"begin": "2024-10-06T14:00:00+02:00", "end": "2024-10-06T12:00:00+02:00"},
            {"begin": "le 7 octobre", "end": "2024-10-07T12:00:00+02:00"},
            {"begin": "2024-10-08T10:00:00+0200", "end": "2024-10-08T08:30:00Z"},
            {"begin": "2024-10-09T10:00:00", "end": "2024-10-09T11:00:00"},
        ]),
    );
    let p = parse(doc.to_string().as_bytes()).unwrap();
    let e = &p.events[0];
    assert_eq!(e.timings.len(), 3);
    // Without an offset, the event's time zone (Europe/Paris by default).
    assert_eq!(e.timings[2].begin.to_rfc3339(), "2024-10-09T08:00:00+00:00");
    let dropped: Vec<&TimingProblem> = p
        .warnings
        .iter()
        .filter_map(|w| match &w.kind {
            WarningKind::TimingDropped { problem } => Some(problem),
            _ => None,
        })
        .collect();
    assert_eq!(dropped.len(), 2, "{:?}", p.warnings);
    assert_eq!(
        dropped[1],
        &TimingProblem::Unreadable {
            bound: Bound::Begin,
            value: "le 7 octobre".into(),
            why: InstantProblem::NotADateTime
        }
    );
    assert_eq!(
        p.warnings[1].kind.to_string(),
        r#"a timing was dropped (begin "le 7 octobre" is not a date and time)"#
    );
    assert!(
        p.warnings
            .iter()
            .all(|w| w.index == 0 && w.uid.as_deref() == Some("7"))
    );
}

#[test]
fn first_and_last_timing_only_without_timings() {
    let first =
        json!({"begin": "2024-10-05T14:00:00.000+02:00", "end": "2024-10-05T16:00:00.000+02:00"});
    let last =
        json!({"begin": "2024-10-12T14:00:00.000+02:00", "end": "2024-10-12T16:00:00.000+02:00"});
    // `timings` present: first/last ignored.
    let mut with = event(
        1,
        json!([{"begin": "2024-10-08T10:00:00+02:00", "end": "2024-10-08T11:00:00+02:00"}]),
    );
    with["firstTiming"] = first.clone();
    with["lastTiming"] = last.clone();
    // `timings` absent: both used, and said.
    let mut without = json!({"uid": 2, "title": "Deux", "firstTiming": first, "lastTiming": last});
    let p = parse(json!([with, without.clone()]).to_string().as_bytes()).unwrap();
    assert_eq!(p.events[0].timings.len(), 1);
    assert_eq!(p.events[1].timings.len(), 2);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].kind, WarningKind::TimingsFromFirstAndLast);
    // The same first and last: one timing, nothing to say.
    without["lastTiming"] = without["firstTiming"].clone();
    without["timings"] = Value::Null;
    let p = parse(without.to_string().as_bytes()).unwrap();
    assert_eq!(p.events[0].timings.len(), 1);
    assert!(p.warnings.is_empty());
}

#[test]
fn text_is_cleaned() {
    let mut e = event(9, ok_timing());
    e["title"] = json!({"de": "Titel", "en": "  <b>Night</b> of science  "});
    e["description"] = json!("  Un <em>atelier</em> &amp; une expo ");
    e["longDescription"] = json!({"fr": "  <p>**Gras**</p>\n"});
    e["keywords"] = json!({"fr": [" a ", "", "b", "a", 3], "en": ["x"]});
    e["conditions"] = json!({"fr": "   "});
    e["slug"] = json!("");
    e["registration"] = json!([
        {"type": "email", "value": " x@y.fr "},
        {"type": "email", "value": "x@y.fr"},
        {"type": "link", "value": ""},
        "https://billetterie.example/1",
        "04 76 00 00 00",
        "à l'accueil",
    ]);
    let p = parse(e.to_string().as_bytes()).unwrap();
    let ev = &p.events[0];
    assert_eq!(ev.title, "Night of science");
    assert_eq!(ev.summary.as_deref(), Some("Un atelier & une expo"));
    assert_eq!(ev.description.as_deref(), Some("<p>**Gras**</p>"));
    assert_eq!(ev.keywords, ["a", "b"]);
    assert_eq!(ev.conditions, None);
    assert_eq!(ev.slug, None);
    assert_eq!(
        ev.registration,
        [
            Registration::Email("x@y.fr".into()),
            Registration::Link("https://billetterie.example/1".into()),
            Registration::Phone("04 76 00 00 00".into()),
        ]
    );
    assert_eq!(
        p.warnings[0].kind,
        WarningKind::RegistrationDropped {
            value: "à l'accueil".into()
        }
    );
    assert_eq!(ev.attendance, Attendance::Offline);
    let again = parse(export(&p.events).to_string().as_bytes()).unwrap();
    assert_eq!(again.events, p.events);
}

#[test]
fn fete_de_la_science_shapes() {
    let fields = json!({
        "identifiant": "1",
        "titre_fr": "Atelier",
        "horaires_iso": "2017-10-14T10:00:00+02:00-2017-10-14T18:00:00+02:00\n2017-10-15T10:00:00+02:00-2017-10-15T09:00:00+02:00",
        "code_postal": "38000",
        "geolocalisation": [45.19, 5.72],
        "tranche": "8-12",
        "lien_d_inscription": "www.example.org, 03.26.21.16.06",
    });
    for doc in [
        json!([{"fields": fields}]),
        json!([fields]),
        json!({"records": [{"fields": fields}]}),
        json!({"results": [fields]}),
        json!({"fields": fields}),
    ] {
        let p = parse_fete_de_la_science(doc.to_string().as_bytes()).unwrap();
        assert_eq!(p.events.len(), 1, "{doc}");
        let e = &p.events[0];
        assert_eq!(e.timings.len(), 1);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(e.age.map(|a| (a.min, a.max)), Some((Some(8), Some(12))));
        assert_eq!(
            e.registration,
            [
                Registration::Link("www.example.org".into()),
                Registration::Phone("03.26.21.16.06".into())
            ]
        );
        let l = e.location.as_ref().unwrap();
        assert_eq!(
            (l.lat, l.lon, l.department_code().as_deref()),
            (Some(45.19), Some(5.72), Some("38"))
        );
    }
    // GeoJSON order when `geolocalisation` is missing.
    let mut f = fields.clone();
    f.as_object_mut().unwrap().remove("geolocalisation");
    let doc = json!([{"fields": f, "geometry": {"type": "Point", "coordinates": [5.72, 45.19]}}]);
    let p = parse_fete_de_la_science(doc.to_string().as_bytes()).unwrap();
    let l = p.events[0].location.as_ref().unwrap();
    assert_eq!((l.lat, l.lon), (Some(45.19), Some(5.72)));
}

#[test]
fn department_codes() {
    use maillage_openagenda::Location;
    let at = |postcode: &str, insee: Option<&str>| {
        Location {
            name: None,
            address: None,
            city: None,
            postcode: Some(postcode.into()),
            insee: insee.map(Into::into),
            department: None,
            region: None,
            lat: None,
            lon: None,
            country: None,
        }
        .department_code()
    };
    assert_eq!(at("38400", None).as_deref(), Some("38"));
    assert_eq!(at("01000", None).as_deref(), Some("01"));
    assert_eq!(at("20000", None).as_deref(), Some("2A"));
    assert_eq!(at("20200", None).as_deref(), Some("2B"));
    assert_eq!(at("97400", None).as_deref(), Some("974"));
    assert_eq!(at("20200", Some("2B033")).as_deref(), Some("2B"));
    assert_eq!(at("38", None), None);
}

#[test]
fn the_same_timing_twice_is_kept_once_and_said_in_words() {
    let t = json!({"begin": "2024-10-05T14:00:00+02:00", "end": "2024-10-05T16:00:00+02:00"});
    let doc = event(8, json!([t.clone(), t]));
    let p = parse(doc.to_string().as_bytes()).unwrap();
    assert_eq!(p.events[0].timings.len(), 1);
    let said: Vec<String> = p.warnings.iter().map(|w| w.kind.to_string()).collect();
    assert_eq!(
        said,
        ["the timing from 05/10/2024 14:00 was given twice: kept once"]
    );
}
