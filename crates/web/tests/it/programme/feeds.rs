//! iCalendar and Atom feeds read back by real parsers.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::testing::paris;

/// Events of a calendar read by the `icalendar` crate's parser: (UID,
/// start as an instant, SUMMARY, STATUS).
fn read_calendar(body: &str) -> Vec<(String, DateTime<Utc>, String, String)> {
    use icalendar::parser::{read_calendar, unfold};
    let unfolded = unfold(body);
    let parsed = read_calendar(&unfolded).unwrap_or_else(|e| panic!("icalendar: {e}\n{body}"));
    let tz = parsed
        .components
        .iter()
        .find(|c| c.name == "VTIMEZONE")
        .expect("a VTIMEZONE");
    assert!(
        tz.properties
            .iter()
            .any(|p| p.name == "TZID" && p.val.as_str() == "Europe/Paris")
    );
    parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|e| {
            let prop = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == n)
                    .unwrap_or_else(|| panic!("{n} in a VEVENT"))
            };
            let start = prop("DTSTART");
            assert!(
                start.params.iter().any(|p| p.key == "TZID"
                    && p.val.as_ref().map(|v| v.as_str()) == Some("Europe/Paris")),
                "DTSTART in Paris time"
            );
            let local =
                chrono::NaiveDateTime::parse_from_str(start.val.as_str(), "%Y%m%dT%H%M%S").unwrap();
            let at = Paris
                .from_local_datetime(&local)
                .earliest()
                .unwrap()
                .with_timezone(&Utc);
            (
                prop("UID").val.to_string(),
                at,
                prop("SUMMARY").val.to_string(),
                prop("STATUS").val.to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn calendar_feeds_load_in_a_real_parser() {
    let app = TestApp::new().await;
    let s = season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/programme.ics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/calendar"));
    let all = read_calendar(&r.body);
    assert_eq!(all.len(), 4, "every session of the public activities");
    assert!(all.iter().all(|e| e.2 != "Atelier robots"));
    assert!(
        all.iter()
            .any(|e| e.2 == "Ciné-débat sur le climat" && e.3 == "CANCELLED")
    );
    let mut uids: Vec<&str> = all.iter().map(|e| e.0.as_str()).collect();
    uids.dedup();
    assert_eq!(uids.len(), 4, "one UID per session");

    let r = c
        .get("/p/fds-2025/programme.ics?commune=Le+Pont-de-Claix&level=college")
        .await;
    let filtered = read_calendar(&r.body);
    let starts: Vec<DateTime<Utc>> = filtered.iter().map(|e| e.1).collect();
    assert_eq!(
        starts,
        [paris(2025, 10, 24, 10, 0), paris(2025, 10, 27, 10, 0)]
    );
    let r = c.get("/p/fds-2025/a/voyage-planetarium/activity.ics").await;
    assert_eq!(read_calendar(&r.body).len(), 2);
    assert_eq!(
        c.get("/p/fds-2025/programme.ics?level=licence")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        c.get("/p/fds-2025/a/robots/activity.ics").await.status,
        StatusCode::NOT_FOUND
    );
    let _ = s.planetarium;
}

#[tokio::test]
async fn the_atom_feed_lists_published_activities() {
    let app = TestApp::new().await;
    season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/feed.atom").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let doc = roxmltree::Document::parse(&r.body).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<String> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert!(!entries.iter().any(|t| t.contains("robots")));
    assert!(entries.iter().any(|t| t == "Conférence : les trous noirs"));
}
