//! Mangled versions of the real files never make the readers panic, and
//! whatever they read goes out and comes back the same.

use crate::common::{
    ALBI, DETAILED_LOCATION, FETE_SCIENCE, ONLINE, REGISTRATION_LINK, TCHEQUE, json,
};
use maillage_openagenda::{Parsed, export, parse, parse_fete_de_la_science};
use serde_json::{Map, Value};

/// xorshift64*: small, deterministic, good enough to shake the readers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Keys the readers look at, so that mutations reach them.
const KEYS: &[&str] = &[
    "uid",
    "slug",
    "title",
    "description",
    "longDescription",
    "keywords",
    "timings",
    "begin",
    "end",
    "firstTiming",
    "lastTiming",
    "timezone",
    "location",
    "name",
    "address",
    "city",
    "postalCode",
    "insee",
    "department",
    "region",
    "latitude",
    "longitude",
    "countryCode",
    "onlineAccessLink",
    "attendanceMode",
    "registration",
    "type",
    "value",
    "age",
    "min",
    "max",
    "accessibility",
    "mi",
    "hi",
    "vi",
    "ii",
    "pi",
    "status",
    "conditions",
    "image",
    "base",
    "filename",
    "url",
    "fr",
    "en",
    "de",
    "x-maillage",
    "audiences",
    "themes",
    "eventTypes",
    "organiser",
    "registrationRequired",
    "events",
    "event",
    "fields",
    "identifiant",
    "titre_fr",
    "horaires_iso",
    "geolocalisation",
    "code_postal",
    "ville",
    "departement",
    "thematiques",
    "publics_concernes",
    "public_specifique",
    "lien_d_inscription",
    "inscription_necessaire",
    "age_minimum",
    "age_maximum",
    "tranche",
    "accessibilite_fr",
    "mots_cles_fr",
    "lien",
    "statut",
    "geometry",
    "coordinates",
    "records",
    "results",
];

const STRINGS: &[&str] = &[
    "",
    " ",
    "\u{a0}",
    "x",
    "<b>gras</b>",
    "<<b>b>",
    "&amp;lt;i&amp;gt;",
    "&#0;&#x110000;&#xD800;&#9;",
    "a<!--",
    "<br>",
    "2019-06-28T19:30:00+02:00",
    "2019-06-28T00:00:00+02:00",
    "2019-06-28T00:00:00.000+02:00",
    "2022-03-27T02:30:00",
    "2022-10-30T02:30:00",
    "2024-02-30T10:00:00+01:00",
    "9999-12-31T23:59:59+14:00",
    "0000-01-01T00:00:00Z",
    "2200-12-31T23:59:59-23:59",
    "1900-01-01T00:00:00+23:59",
    "2016-12-31T23:59:60Z",
    "2017-10-14T10:00:00+02:00-2017-10-14T18:00:00+02:00",
    "2017-10-14T10:00:00+02:00-2017-10-13T18:00:00+02:00\n-\n;",
    "x@y",
    "mailto:x@y.fr",
    "+33 (0)4 76 00 00 00",
    "http://a",
    "www.",
    "Europe/Paris",
    "Mars/Olympus",
    "link",
    "email",
    "phone",
    "offline",
    "movedOnline",
    "Oui",
    "Non",
    "handicap moteur|handicap visuel",
    "a|b||a",
    "3-",
    "-5",
    "/events/",
    "https://openagenda.com/a/events/x?y",
    "é\u{0}\u{202e}",
    "00123",
    "2A004",
    "97411",
    "1e400",
    "NaN",
    "\u{1F600}",
];

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::from(0),
        1 => Value::from(-1),
        2 => Value::from(rng.below(8) as u64),
        3 => Value::from(255),
        4 => Value::from(256),
        5 => Value::from(u64::MAX),
        6 => Value::from(i64::MIN),
        7 => Value::from(1.5),
        8 => Value::from(1e308),
        9 => Value::from(-91.0),
        10 => Value::from(45.188_086),
        _ => Value::from(rng.next() as i64),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 4 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => random_number(rng),
        3 => Value::from(*rng.pick(STRINGS)),
        4 => {
            let n = rng.below(4);
            Value::Array((0..n).map(|_| random_value(rng, depth + 1)).collect())
        }
        5 => {
            let n = rng.below(4);
            let map: Map<String, Value> = (0..n)
                .map(|_| ((*rng.pick(KEYS)).to_owned(), random_value(rng, depth + 1)))
                .collect();
            Value::Object(map)
        }
        _ => {
            // A long string, or deep nesting.
            if rng.chance(2) {
                Value::from("é<b>".repeat(rng.below(2_000)))
            } else {
                let mut v = Value::Null;
                for _ in 0..rng.below(200) {
                    v = Value::Array(vec![v]);
                }
                v
            }
        }
    }
}

/// Changes a few nodes of `value`, more likely near the leaves it walks to.
fn mutate(value: &mut Value, rng: &mut Rng, depth: usize) {
    if rng.chance(8) {
        *value = random_value(rng, depth);
        return;
    }
    match value {
        Value::Object(map) => {
            if map.is_empty() || rng.chance(6) {
                map.insert((*rng.pick(KEYS)).to_owned(), random_value(rng, depth + 1));
                return;
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for _ in 0..1 + rng.below(3) {
                let key = rng.pick(&keys).clone();
                match rng.below(5) {
                    0 => {
                        map.remove(&key);
                    }
                    _ => {
                        if let Some(v) = map.get_mut(&key) {
                            mutate(v, rng, depth + 1);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if items.is_empty() || rng.chance(6) {
                items.push(random_value(rng, depth + 1));
                return;
            }
            match rng.below(6) {
                0 => {
                    let i = rng.below(items.len());
                    items.remove(i);
                }
                1 => {
                    let i = rng.below(items.len());
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => {
                    let i = rng.below(items.len());
                    mutate(&mut items[i], rng, depth + 1);
                }
            }
        }
        Value::String(s) => {
            *s = match rng.below(4) {
                0 => format!(" {s} "),
                1 => s.chars().rev().collect(),
                2 => {
                    let cut = rng.below(s.chars().count() + 1);
                    s.chars().take(cut).collect()
                }
                _ => (*rng.pick(STRINGS)).to_owned(),
            };
        }
        _ => *value = random_value(rng, depth),
    }
}

/// What every successful read must satisfy, and the round trip.
fn check(parsed: &Parsed, entries: Option<usize>, doc: &str) {
    if let Some(n) = entries {
        assert_eq!(parsed.events.len() + parsed.skipped.len(), n, "{doc}");
    }
    for e in &parsed.events {
        assert!(!e.uid.is_empty() && !e.title.is_empty(), "{doc}");
        assert_eq!(e.title.trim(), e.title, "{doc}");
        assert!(!e.timings.is_empty(), "{doc}");
        assert!(e.timings.iter().all(|t| t.begin <= t.end), "{doc}");
    }
    let out = serde_json::to_vec(&export(&parsed.events)).unwrap();
    let again = parse(&out).unwrap_or_else(|e| panic!("{e}: {doc}"));
    assert!(again.skipped.is_empty(), "{:?}\n{doc}", again.skipped);
    assert_eq!(again.events, parsed.events, "{doc}");
}

fn pool(rel: &str) -> Vec<Value> {
    match json(rel) {
        Value::Array(items) => items,
        single => vec![single],
    }
}

#[test]
fn mutated_openagenda_documents() {
    let mut events = Vec::new();
    for rel in [TCHEQUE, ALBI, DETAILED_LOCATION, ONLINE, REGISTRATION_LINK] {
        events.extend(pool(rel));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut read, mut kept) = (0, 0);
    for _ in 0..3_000 {
        let n = 1 + rng.below(4);
        let mut list: Vec<Value> = (0..n).map(|_| rng.pick(&events).clone()).collect();
        for e in &mut list {
            for _ in 0..1 + rng.below(4) {
                mutate(e, &mut rng, 0);
            }
        }
        let (doc, entries) = match rng.below(4) {
            0 => (Value::Array(list), Some(n)),
            1 => (serde_json::json!({ "total": n, "events": list }), Some(n)),
            2 => (serde_json::json!({ "event": list[0] }), None),
            _ => (list.swap_remove(0), None),
        };
        let text = doc.to_string();
        if let Ok(parsed) = parse(text.as_bytes()) {
            read += 1;
            kept += parsed.events.len();
            check(&parsed, entries, &text);
        }
    }
    // The mutations are light enough that most documents still read.
    assert!(read > 2_000, "{read}");
    assert!(kept > 2_000, "{kept}");
}

#[test]
fn mutated_fete_de_la_science_documents() {
    let records = pool(FETE_SCIENCE);
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut kept = 0;
    for _ in 0..2_000 {
        let n = 1 + rng.below(4);
        let mut list: Vec<Value> = (0..n).map(|_| rng.pick(&records).clone()).collect();
        for r in &mut list {
            for _ in 0..1 + rng.below(4) {
                mutate(r, &mut rng, 0);
            }
        }
        let (doc, entries) = match rng.below(3) {
            0 => (Value::Array(list), Some(n)),
            1 => (serde_json::json!({ "records": list }), Some(n)),
            _ => (list.swap_remove(0), None),
        };
        let text = doc.to_string();
        if let Ok(parsed) = parse_fete_de_la_science(text.as_bytes()) {
            kept += parsed.events.len();
            check(&parsed, entries, &text);
        }
        // The other reader on the wrong kind of file: no panic either.
        let _ = parse(text.as_bytes());
    }
    assert!(kept > 1_500, "{kept}");
}

#[test]
fn damaged_bytes() {
    let mut small = Vec::new();
    for rel in [DETAILED_LOCATION, REGISTRATION_LINK] {
        small.push(serde_json::to_vec(&json(rel)).unwrap());
    }
    small.push(serde_json::to_vec(&pool(FETE_SCIENCE)[..3]).unwrap());
    let mut rng = Rng(42);
    for _ in 0..1_500 {
        let mut bytes = rng.pick(&small).clone();
        match rng.below(3) {
            0 => bytes.truncate(rng.below(bytes.len())),
            1 => {
                for _ in 0..1 + rng.below(10) {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.next() as u8;
                }
            }
            _ => {
                let i = rng.below(bytes.len());
                const JUNK: [&[u8]; 6] = [
                    b"\xEF\xBB\xBF",
                    b"[[[[",
                    b"\"\\u0000\"",
                    b"}",
                    b"null,",
                    b"1e999",
                ];
                let junk = JUNK[rng.below(JUNK.len())];
                bytes.splice(i..i, junk.iter().copied());
            }
        }
        for read in [parse, parse_fete_de_la_science] {
            if let Ok(parsed) = read(&bytes) {
                check(&parsed, None, &String::from_utf8_lossy(&bytes));
            }
        }
    }
}
