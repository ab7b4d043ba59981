//! Activity pages: schema.org Events, OpenGraph.

use super::*;
use crate::util::TestApp;
use crate::util::{json_ld, meta};
use axum::http::StatusCode;
use chrono::DateTime;
use serde_json::Value;

/// The schema.org properties of `Event` (and of what it inherits from
/// `Thing`) that may appear, with what each must hold.
fn check_event(e: &Value) {
    const ALLOWED: &[&str] = &[
        "@context",
        "@type",
        "name",
        "description",
        "url",
        "image",
        "startDate",
        "endDate",
        "eventStatus",
        "eventAttendanceMode",
        "isAccessibleForFree",
        "inLanguage",
        "superEvent",
        "location",
        "organizer",
        "performer",
        "offers",
        "typicalAgeRange",
        "audience",
        "keywords",
    ];
    let o = e.as_object().expect("an Event is an object");
    for k in o.keys() {
        assert!(ALLOWED.contains(&k.as_str()), "unexpected property {k}");
    }
    assert_eq!(e["@context"], "https://schema.org");
    assert_eq!(e["@type"], "Event");
    assert!(e["name"].as_str().is_some_and(|s| !s.is_empty()));
    let start = DateTime::parse_from_rfc3339(e["startDate"].as_str().unwrap()).unwrap();
    let end = DateTime::parse_from_rfc3339(e["endDate"].as_str().unwrap()).unwrap();
    assert!(end > start);
    assert!(
        [
            "https://schema.org/EventScheduled",
            "https://schema.org/EventCancelled",
            "https://schema.org/EventPostponed",
            "https://schema.org/EventRescheduled",
            "https://schema.org/EventMovedOnline"
        ]
        .contains(&e["eventStatus"].as_str().unwrap())
    );
    assert!(
        [
            "https://schema.org/OfflineEventAttendanceMode",
            "https://schema.org/OnlineEventAttendanceMode",
            "https://schema.org/MixedEventAttendanceMode"
        ]
        .contains(&e["eventAttendanceMode"].as_str().unwrap())
    );
    let loc = &e["location"];
    match loc["@type"].as_str() {
        Some("Place") => {
            assert!(loc["name"].is_string());
            assert_eq!(loc["address"]["@type"], "PostalAddress");
            if let Some(geo) = loc.get("geo") {
                assert_eq!(geo["@type"], "GeoCoordinates");
                assert!(geo["latitude"].is_number() && geo["longitude"].is_number());
            }
        }
        Some("VirtualLocation") => assert!(loc["url"].is_string()),
        other => panic!("location must be a Place or a VirtualLocation, not {other:?}"),
    }
    if let Some(offers) = e.get("offers") {
        assert_eq!(offers["@type"], "Offer");
        assert!(offers["price"].as_str().unwrap().parse::<f64>().is_ok());
        assert_eq!(offers["priceCurrency"], "EUR");
        assert!(
            offers["availability"]
                .as_str()
                .unwrap()
                .starts_with("https://schema.org/")
        );
    }
    for who in ["organizer", "performer"] {
        if let Some(list) = e.get(who) {
            for x in list.as_array().unwrap() {
                assert!(["Organization", "Person"].contains(&x["@type"].as_str().unwrap()));
                assert!(x["name"].is_string());
            }
        }
    }
    assert!(e["isAccessibleForFree"].is_boolean());
    assert_eq!(e["superEvent"]["@type"], "EventSeries");
}

#[tokio::test]
async fn activity_pages_carry_schema_org_events_and_open_graph() {
    let app = TestApp::with_base_url("https://programme.example.org").await;
    season(&app).await;
    let mut c = app.client();
    let r = c.get("/p/fds-2025/a/voyage-planetarium").await;
    assert_eq!(r.status, StatusCode::OK);
    let ld = json_ld(&r.body);
    let events = ld.as_array().expect("one Event per session");
    assert_eq!(events.len(), 2);
    for e in events {
        check_event(e);
        assert_eq!(
            e["url"],
            "https://programme.example.org/p/fds-2025/a/voyage-planetarium"
        );
        assert_eq!(
            e["location"]["address"]["addressLocality"],
            "Le Pont-de-Claix"
        );
        assert_eq!(e["location"]["address"]["postalCode"], "38800");
        assert_eq!(e["organizer"][0]["name"], "La Casemate");
        assert_eq!(e["offers"]["price"], "0");
    }
    // Summer time on the 24th, winter time on the 27th: 10:00 in Paris both days.
    assert_eq!(events[0]["startDate"], "2025-10-24T10:00:00+02:00");
    assert_eq!(events[1]["startDate"], "2025-10-27T10:00:00+01:00");
    assert_eq!(
        meta(&r.body, "og:title").as_deref(),
        Some("Voyage au planétarium")
    );
    assert_eq!(
        meta(&r.body, "og:url").as_deref(),
        Some("https://programme.example.org/p/fds-2025/a/voyage-planetarium")
    );
    assert!(meta(&r.body, "og:description").unwrap().contains("étoiles"));
    assert_eq!(meta(&r.body, "og:locale").as_deref(), Some("fr_FR"));
    assert!(
        r.body
            .contains("<link rel=\"alternate\" type=\"text/calendar\"")
    );
    assert!(
        r.body
            .contains("href=\"/p/fds-2025/a/voyage-planetarium/activity.ics\"")
    );
    // The Markdown description is rendered; raw HTML in it is only text.
    assert!(r.body.contains("<h2>Au programme</h2>"));
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(r.body.contains("vendredi 24 octobre 2025, 10:00–11:30"));
    assert!(r.body.contains("lundi 27 octobre 2025, 10:00–11:30"));

    // A village des sciences and what it holds link to each other.
    let r = c.get("/p/fds-2025/a/village-grenoble").await;
    assert!(r.body.contains("href=\"/p/fds-2025/a/trous-noirs\""));
    let r = c.get("/p/fds-2025/a/trous-noirs").await;
    assert!(r.body.contains("href=\"/p/fds-2025/a/village-grenoble\""));

    // The cancelled film says so to search engines.
    let r = c.get("/p/fds-2025/a/cine-debat").await;
    let e = json_ld(&r.body);
    check_event(&e);
    assert_eq!(e["eventStatus"], "https://schema.org/EventCancelled");
    assert!(
        e.get("offers").is_none(),
        "no offer when the price is not free"
    );

    // In English: the same page, English labels and dates.
    c.get("/lang/en").await;
    let r = c.get("/p/fds-2025/a/voyage-planetarium").await;
    assert!(r.body.contains("lang=\"en\""), "{}", &r.body[..300]);
    assert!(
        r.body.contains("Friday 24 October 2025, 10:00–11:30"),
        "{}",
        r.body
    );
    assert_eq!(meta(&r.body, "og:locale").as_deref(), Some("en_GB"));
    let r = c
        .get("/p/fds-2025?commune=Le+Pont-de-Claix&level=college")
        .await;
    assert_eq!(titles(&r.body), ["Voyage au planétarium"]);
    assert!(
        r.body.contains("Middle school") || r.body.contains("Collège"),
        "level label"
    );
}
