//! The booking API: its refusals as documented, the rate limit.

use super::*;
use crate::programme_api::{BOOKINGS, Doc};
use crate::util::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::TimeDelta;
use maillage_db::bookings::Settings;
use maillage_db::now;
use maillage_db::programme::activities::{self, ActivityData};
use maillage_db::programme::projects;
use maillage_db::programme::sessions::{self, SessionData};
use maillage_domain::programme::{ActivityStatus, RegistrationMode, SessionStatus};
use serde_json::json;

#[tokio::test]
async fn the_api_refuses_clearly_and_answers_as_documented() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let ok = book_api(&mut c, &api, "Ada Lovelace", "ada@example.org", 2).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    doc.check(BOOKINGS, &ok);
    assert!(ok.header("location").contains("/reservation/"));
    // Partners' pages may call it from their own origin.
    assert_eq!(ok.header("access-control-allow-origin"), "*");
    let preflight = c
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri(&api)
                .header("origin", "https://www.la-casemate.example")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("POST")
    );
    assert!(
        preflight
            .header("access-control-allow-headers")
            .contains("Content-Type")
    );

    let too_many = book_api(&mut c, &api, "Ada Lovelace", "ada@example.org", 7).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    doc.check(BOOKINGS, &too_many);
    assert_eq!(too_many.json()["code"], "too_many_seats");

    let invalid = book_api(&mut c, &api, "", "not-an-address", 1).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    doc.check(BOOKINGS, &invalid);
    let fields: Vec<String> = invalid.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["name", "email"]);

    let garbage = c
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(&api)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"name\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    doc.check(BOOKINGS, &garbage);

    let missing = c
        .post_json(
            "/api/v1/sessions/999999/bookings",
            &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    doc.check(BOOKINGS, &missing);

    // A session of free entry is not booked here; a past one is closed.
    let free = fixture(&app.db, RegistrationMode::None, 10, None).await;
    let r = c
        .post_json(
            &format!("/api/v1/sessions/{}/bookings", free.session()),
            &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    doc.check(BOOKINGS, &r);
    assert_eq!(r.json()["code"], "not_bookable");
    let closed = fixture(
        &app.db,
        RegistrationMode::Booking,
        10,
        Some(Settings {
            closes_at: Some(now() - TimeDelta::hours(1)),
            ..Settings::default()
        }),
    )
    .await;
    let r = c
        .post_json(
            &format!("/api/v1/sessions/{}/bookings", closed.session()),
            &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "closed");
    doc.check(BOOKINGS, &r);
    let s = c
        .get(&format!("/api/v1/sessions/{}", closed.session()))
        .await;
    assert_eq!(s.json()["booking"]["open"], false);

    // A draft activity's sessions do not exist for the public.
    let t = now();
    let p = projects::find_by_slug(app.db.conn(), &f.project_slug)
        .await
        .unwrap()
        .unwrap();
    let draft = activities::insert(
        app.db.conn(),
        &ActivityData {
            project_id: p.id,
            slug: "brouillon".into(),
            title: "Brouillon".into(),
            registration: Some(RegistrationMode::Booking),
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let ds = sessions::insert(
        app.db.conn(),
        draft.id,
        &SessionData {
            starts_at: t + TimeDelta::days(3),
            ends_at: t + TimeDelta::days(3) + TimeDelta::hours(1),
            capacity: Some(5),
            status: SessionStatus::Scheduled,
            venue_id: None,
        },
        t,
    )
    .await
    .unwrap();
    let r = c
        .post_json(
            &format!("/api/v1/sessions/{}/bookings", ds.id),
            &json!({"name": "Ada", "email": "ada@example.org", "seats": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The limit is counted in the database: with two instances (each its own
/// pool) on one database, the 31st booking of a minute from one client is
/// refused whichever instance takes it.
#[tokio::test]
async fn the_rate_limit_holds_across_instances() {
    let mut app = TestApp::new().await;
    app.reconfigure(|config| {
        config.rate_limit = maillage_web::ratelimit::RateLimit::parse("30/min").unwrap();
    });
    let f = fixture(&app.db, RegistrationMode::Booking, 200, None).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let other =
        maillage_web::AppState::new(app.db.second_instance().await, (*app.state.config).clone());
    let routers = [app.app.clone(), maillage_web::router(other)];
    let mut c = app.client();
    for i in 0..30 {
        c.app = routers[i % 2].clone();
        let r = book_api(
            &mut c,
            &api,
            "Ada Lovelace",
            &format!("m{i}@example.org"),
            1,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "booking {i}");
    }
    for (i, router) in routers.iter().enumerate() {
        c.app = router.clone();
        let r = book_api(
            &mut c,
            &api,
            "Ada Lovelace",
            &format!("late{i}@example.org"),
            1,
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "instance {i}");
    }
    // Another client is not affected.
    c.ip = "198.51.100.99".into();
    let r = book_api(&mut c, &api, "Bob Martin", "bob@example.org", 1).await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn forwarded_entries_written_by_the_client_do_not_escape_the_limit() {
    let mut app = TestApp::new().await;
    app.reconfigure(|config| {
        config.rate_limit = maillage_web::ratelimit::RateLimit::parse("3/min").unwrap();
    });
    let f = fixture(&app.db, RegistrationMode::Booking, 50, None).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut c = app.client();
    let mut statuses = Vec::new();
    for i in 0..6 {
        // The client writes a new address on the left each time; the proxy
        // appends the one it saw.
        c.ip = format!("10.9.{i}.1, 198.51.100.23");
        statuses.push(
            book_api(
                &mut c,
                &api,
                "Ada Lovelace",
                &format!("x{i}@example.org"),
                1,
            )
            .await
            .status,
        );
    }
    assert_eq!(&statuses[..3], &[StatusCode::CREATED; 3]);
    assert_eq!(&statuses[3..], &[StatusCode::TOO_MANY_REQUESTS; 3]);
}

#[tokio::test]
async fn the_rate_limit_applies_per_address_and_can_be_turned_off() {
    let mut app = TestApp::new().await;
    app.reconfigure(|config| {
        config.rate_limit = maillage_web::ratelimit::RateLimit::parse("2/min").unwrap();
    });
    let f = fixture(&app.db, RegistrationMode::Booking, 50, None).await;
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut c = app.client();
    for i in 0..2 {
        let r = c
            .post_json(
                &api,
                &json!({"name": "Ada Lovelace", "email": format!("a{i}@example.org"), "seats": 1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = book_api(&mut c, &api, "Ada Lovelace", "a3@example.org", 1).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!r.header("retry-after").is_empty());
    assert_eq!(r.json()["code"], "rate_limited");
    // The form says it in words, keeping what was typed.
    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Ada Lovelace"),
                ("email", "a4@example.org"),
                ("seats", "1"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de réservations"));
    assert!(r.body.contains("a4@example.org"));
    // Another address is not limited.
    let mut other = app.client();
    other.ip = "198.51.100.9".into();
    let r = book_api(&mut other, &api, "Ada Lovelace", "a5@example.org", 1).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // `off`: no limit.
    assert_eq!(maillage_web::ratelimit::RateLimit::parse("off"), Ok(None));
}
