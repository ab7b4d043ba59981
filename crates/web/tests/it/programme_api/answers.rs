//! Every answer as documented, and what the public sees, only that.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[tokio::test]
async fn every_answer_matches_the_document() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let cases: Vec<(&str, String, StatusCode)> = vec![
        ("/api/v1", "/api/v1".into(), StatusCode::OK),
        (
            "/api/v1/communes",
            format!("/api/v1/communes?q={}", enc("pont de claix")),
            StatusCode::OK,
        ),
        (
            "/api/v1/communes",
            "/api/v1/communes?q=x&limit=0".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/organisations",
            "/api/v1/organisations".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects",
            "/api/v1/projects".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/fds-2025".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/secret".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/projects/{slug}",
            "/api/v1/projects/nope".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?project=fds-2025&commune=38563".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            format!("/api/v1/activities?q={}", enc("trous noirs")),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?level=licence&from=2025-13-01&commune=Atlantis".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?level=college&level=lycee".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.planetarium),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.talk),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.online),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.film),
            StatusCode::OK,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.draft),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities/{id}",
            format!("/api/v1/activities/{}", d.hidden),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/activities/{id}",
            "/api/v1/activities/abc".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sessions/{id}",
            format!("/api/v1/sessions/{}", d.session),
            StatusCode::OK,
        ),
        (
            "/api/v1/sessions/{id}",
            format!("/api/v1/sessions/{}", d.hidden_session),
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/venues", "/api/v1/venues".into(), StatusCode::OK),
        (
            "/api/v1/venues",
            "/api/v1/venues?q=cosmo&epci=200040715".into(),
            StatusCode::OK,
        ),
        (
            "/api/v1/venues",
            "/api/v1/venues?project=secret".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.cosmocite),
            StatusCode::OK,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.unused),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/venues/{id}",
            format!("/api/v1/venues/{}", d.secret_venue),
            StatusCode::NOT_FOUND,
        ),
        ("/api/v1/me", "/api/v1/me".into(), StatusCode::UNAUTHORIZED),
    ];
    for (path, url, status) in &cases {
        let r = c.get(url).await;
        assert_eq!(r.status, *status, "{url}: {}", r.body);
        doc.check(path, &r);
    }
    for (path, url) in [
        ("/api/v1/me", "/api/v1/me"),
        ("/api/v1/organisations", "/api/v1/organisations"),
        ("/api/v1/activities", "/api/v1/activities"),
    ] {
        let r = c.api_get(url, &d.token).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        doc.check(path, &r);
    }

    // What the public sees, and only that.
    let all = c.get("/api/v1/activities").await.json();
    let listed: BTreeSet<i64> = ids(&all).into_iter().collect();
    let expected: BTreeSet<i64> = [d.planetarium, d.village, d.talk, d.film, d.online].into();
    assert_eq!(
        listed, expected,
        "no draft, nothing of an unpublished project"
    );
    assert_eq!(all["next"], Value::Null);
    let venues = c.get("/api/v1/venues").await.json();
    let listed: Vec<i64> = ids(&venues);
    assert_eq!(
        listed,
        [d.cosmocite, d.casemate, d.mediatheque],
        "the venues of public activities, by name"
    );
    let projects = c.get("/api/v1/projects").await.json();
    assert_eq!(projects["items"].as_array().unwrap().len(), 1);
    assert_eq!(projects["items"][0]["partners"][0]["role"], "organiser");
    let with_token = c.api_get("/api/v1/organisations", &d.token).await.json();
    assert_eq!(
        with_token["items"][0]["private"]["email"],
        "contact@example.org"
    );
    assert!(
        c.get("/api/v1/organisations").await.json()["items"][0]
            .get("private")
            .is_none()
    );

    // The planetarium: sessions with the capacity of the space unless their
    // own, in Paris time across the end of summer time.
    let a = c
        .get(&format!("/api/v1/activities/{}", d.planetarium))
        .await
        .json();
    let sessions = a["sessions"].as_array().unwrap();
    assert_eq!(sessions[0]["starts_at"], "2025-10-24T10:00:00+02:00");
    assert_eq!(sessions[1]["starts_at"], "2025-10-27T10:00:00+01:00");
    assert_eq!(sessions[0]["capacity"], 60, "the space's capacity");
    assert_eq!(sessions[1]["capacity"], 30, "the session's own");
    assert_eq!(a["venue"]["space"], "Coupole");
    assert_eq!(
        a["venue"]["commune"],
        json!({"insee": "38317", "name": "Le Pont-de-Claix"})
    );
    assert_eq!(a["accessibility"], json!(["wheelchair", "hearing_loop"]));
    assert_eq!(a["levels"], json!(["college", "lycee"]));
    assert_eq!(a["speakers"], json!(["Marie Curie"]));
    assert_eq!(a["organisers"], json!(["La Casemate"]));
    assert_eq!(
        a["url"],
        "http://localhost:8080/p/fds-2025/a/voyage-planetarium"
    );
    let html = a["description_html"].as_str().unwrap();
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>"),
        "{html}"
    );
    let s = c
        .get(&format!("/api/v1/sessions/{}", d.session))
        .await
        .json();
    assert_eq!(s["capacity"], 60);
    assert_eq!(s["activity"]["id"], d.planetarium);
    let talk = c
        .get(&format!("/api/v1/activities/{}", d.talk))
        .await
        .json();
    assert_eq!(talk["parent"]["id"], d.village);
    assert_eq!(talk["registration"], "external");
    let online = c
        .get(&format!("/api/v1/activities/{}", d.online))
        .await
        .json();
    assert_eq!(online["venue"], Value::Null);
    let v = c
        .get(&format!("/api/v1/venues/{}", d.cosmocite))
        .await
        .json();
    assert_eq!(v["epci"]["siren"], "200040715");
    assert_eq!(
        v["spaces"],
        json!([{"id": v["spaces"][0]["id"], "name": "Coupole", "kind": "planetarium", "capacity": 60}]),
        "no internal notes"
    );
    let p = c.get("/api/v1/projects/fds-2025").await.json();
    assert_eq!(
        p["activities_url"],
        "http://localhost:8080/api/v1/activities?project=fds-2025"
    );
    let by_epci = c.get("/api/v1/venues?epci=200040715").await.json();
    assert_eq!(
        ids(&by_epci),
        [d.cosmocite, d.casemate],
        "Voiron is elsewhere"
    );
    let bad = c
        .get("/api/v1/activities?level=licence&from=2025-13-01&commune=Atlantis")
        .await
        .json();
    let fields: BTreeSet<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["commune", "from", "level"].into());
}

#[tokio::test]
async fn one_date_alone_is_an_open_range() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    for (q, mut want, why) in [
        (
            "from=2025-10-15",
            vec![d.planetarium, d.online],
            "from a day on",
        ),
        ("to=2025-10-10", vec![d.village, d.talk], "up to a day"),
        (
            "from=2025-10-11&to=2025-10-15",
            vec![d.film, d.online],
            "both ends included",
        ),
        (
            "from=2025-10-01&to=2026-12-31",
            vec![d.planetarium, d.village, d.talk, d.film, d.online],
            "a long range, each activity once",
        ),
    ] {
        let mut got = ids(&c
            .get(&format!("/api/v1/activities?project=fds-2025&{q}"))
            .await
            .json());
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{why}");
    }
}
