//! A programme covering the cases a feed meets, with what readers must find in it.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use maillage_ical::{Calendar, Event, EventStatus};

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn now() -> DateTime<Utc> {
    at("2025-09-15T12:34:56Z")
}

/// What a reader must get back for one event.
pub struct Expected {
    pub uid: &'static str,
    pub summary: Option<&'static str>,
    pub description: Option<&'static str>,
    pub location: Option<&'static str>,
    pub start: DateTime<Utc>,
    /// `None`: no `DTEND` (an event that does not last).
    pub end: Option<DateTime<Utc>>,
    /// Whether times are written as Paris wall-clock times (else in UTC).
    pub local: bool,
    pub status: &'static str,
    pub categories: Vec<&'static str>,
    pub sequence: u32,
    pub url: Option<&'static str>,
    pub geo: Option<&'static str>,
}

impl Expected {
    /// A confirmed event in Paris time with only a summary and its times.
    fn plain(
        uid: &'static str,
        summary: Option<&'static str>,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    ) -> Expected {
        Expected {
            uid,
            summary,
            description: None,
            location: None,
            start,
            end,
            local: true,
            status: "CONFIRMED",
            categories: vec![],
            sequence: 0,
            url: None,
            geo: None,
        }
    }
}

pub const LONG_DESCRIPTION: &str = "Découvrez la chimie des couleurs : pigments, teintures et réactions étonnantes ! \
    Atelier ouvert à toutes et à tous, dès 8 ans ; inscription conseillée, places limitées. \
    Œuvres d'élèves exposées à l'entrée — « Ça déménage » 🎨🔬👩\u{200d}🔬.\n\
    Accès : tram B, arrêt « Bibliothèques universitaires ».\n\
    Chemin Windows : C:\\Atelier\\couleurs";

fn event(uid: &str, starts_at: &str, ends_at: &str, summary: &str) -> Event {
    Event {
        uid: uid.to_owned(),
        starts_at: at(starts_at),
        ends_at: at(ends_at),
        summary: summary.to_owned(),
        description: None,
        location: None,
        geo: None,
        url: None,
        status: EventStatus::Confirmed,
        categories: Vec::new(),
        last_modified: at("2025-09-01T08:00:00Z"),
        sequence: 0,
        day: None,
    }
}

pub fn programme() -> (Calendar, Vec<Expected>) {
    let mut events = Vec::new();
    let mut expected = Vec::new();

    // Summer (CEST): 10:00–12:00 in Paris, with everything filled in.
    let mut e = event(
        "session-1@maillage.example.org",
        "2025-07-05T08:00:00Z",
        "2025-07-05T10:00:00Z",
        "Atelier « Chimie des couleurs » à l'École, pour tous",
    );
    e.description = Some(format!(
        "\u{feff}{}\r\n\u{7}",
        LONG_DESCRIPTION.replace('\n', "\r\n")
    ));
    e.location = Some("Médiathèque Kateb-Yacine, 202 Grand'Place; 38100 Grenoble\n".to_owned());
    e.geo = Some((45.1566, 5.7319));
    e.url = Some("https://maillage.example.org/programme/séance-1?vue=liste&lang=fr".to_owned());
    e.categories = vec![
        "Chimie".to_owned(),
        "Atelier, démonstration".to_owned(),
        " ".to_owned(),
        "Chimie".to_owned(),
    ];
    e.sequence = 2;
    events.push(e);
    expected.push(Expected {
        uid: "session-1@maillage.example.org",
        summary: Some("Atelier « Chimie des couleurs » à l'École, pour tous"),
        description: Some(LONG_DESCRIPTION),
        location: Some("Médiathèque Kateb-Yacine, 202 Grand'Place; 38100 Grenoble"),
        start: at("2025-07-05T08:00:00Z"),
        end: Some(at("2025-07-05T10:00:00Z")),
        local: true,
        status: "CONFIRMED",
        categories: vec!["Chimie", "Atelier, démonstration"],
        sequence: 2,
        url: Some("https://maillage.example.org/programme/s%C3%A9ance-1?vue=liste&lang=fr"),
        geo: Some("45.156600;5.731900"),
    });

    // Winter (CET): 14:30–16:00 in Paris.
    let mut e = event(
        "session-2@maillage.example.org",
        "2025-12-03T13:30:00Z",
        "2025-12-03T15:00:00Z",
        "Conférence : « Les étoiles, ça s'étudie ! »",
    );
    e.status = EventStatus::Cancelled;
    e.sequence = 5;
    e.description = Some("  \n\t".to_owned()); // blank: no DESCRIPTION
    e.location = Some(String::new());
    e.url = Some("/relative/url".to_owned()); // not absolute: no URL
    e.geo = Some((f64::NAN, 2.0)); // invalid: no GEO
    events.push(e);
    expected.push(Expected {
        uid: "session-2@maillage.example.org",
        summary: Some("Conférence : « Les étoiles, ça s'étudie ! »"),
        description: None,
        location: None,
        start: at("2025-12-03T13:30:00Z"),
        end: Some(at("2025-12-03T15:00:00Z")),
        local: true,
        status: "CANCELLED",
        categories: vec![],
        sequence: 5,
        url: None,
        geo: None,
    });

    // The night of the October change: 00:30 UTC and 01:30 UTC are both
    // 02:30 in Paris. Written in UTC.
    for (uid, start, end) in [
        (
            "session-3a@maillage.example.org",
            "2025-10-26T00:30:00Z",
            "2025-10-26T00:50:00Z",
        ),
        (
            "session-3b@maillage.example.org",
            "2025-10-26T01:30:00Z",
            "2025-10-26T02:30:00Z",
        ),
    ] {
        events.push(event(
            uid,
            start,
            end,
            "Observation nocturne — l'heure d'hiver",
        ));
        expected.push(Expected {
            local: false,
            ..Expected::plain(
                uid,
                Some("Observation nocturne — l'heure d'hiver"),
                at(start),
                Some(at(end)),
            )
        });
    }

    // Across the October change, at unambiguous times: 00:00 CEST to 04:00 CET (5 hours).
    events.push(event(
        "session-4@maillage.example.org",
        "2025-10-25T22:00:00Z",
        "2025-10-26T03:00:00Z",
        "Nuit des étoiles",
    ));
    expected.push(Expected::plain(
        "session-4@maillage.example.org",
        Some("Nuit des étoiles"),
        at("2025-10-25T22:00:00Z"),
        Some(at("2025-10-26T03:00:00Z")),
    ));

    // The March change: 01:30 CET to 03:30 CEST (one hour).
    let mut e = event(
        "session-5@maillage.example.org",
        "2026-03-29T00:30:00.250Z",
        "2026-03-29T01:30:00Z",
        "Café des sciences\u{0}\u{1b} \r\n (printemps)",
    );
    e.status = EventStatus::Tentative;
    e.categories = vec!["Astronomie".to_owned()];
    events.push(e);
    expected.push(Expected {
        uid: "session-5@maillage.example.org",
        summary: Some("Café des sciences (printemps)"),
        description: None,
        location: None,
        start: at("2026-03-29T00:30:00Z"),
        end: Some(at("2026-03-29T01:30:00Z")),
        local: true,
        status: "TENTATIVE",
        categories: vec!["Astronomie"],
        sequence: 0,
        url: None,
        geo: None,
    });

    // No duration (end not after start): no DTEND; no summary.
    let mut e = event(
        "session-6@maillage.example.org",
        "2025-11-12T17:00:00Z",
        "2025-11-12T17:00:00.900Z",
        "\u{7}",
    );
    e.description = Some("Ligne 1 \\ ; ,\nLigne 2".to_owned());
    events.push(e);
    expected.push(Expected {
        description: Some("Ligne 1 \\ ; ,\nLigne 2"),
        ..Expected::plain(
            "session-6@maillage.example.org",
            None,
            at("2025-11-12T17:00:00Z"),
            None,
        )
    });

    let calendar = Calendar {
        name: "Fête de la science — Isère, programme 2025".to_owned(),
        description: Some(
            "Toutes les séances du programme public, mises à jour chaque heure.".to_owned(),
        ),
        url: Some("https://maillage.example.org/programme?territoire=isère".to_owned()),
        events,
    };
    (calendar, expected)
}
