//! The booking rules form, and a person's bookings exported and erased.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::bookings::{self, Settings};
use maillage_db::programme::sessions::{self};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn booking_rules_form_keeps_what_was_typed_and_saves() {
    let app = TestApp::new().await;
    let f = seats_setup(&app, 10).await;
    let path = format!("/team/activities/{}/bookings/settings", f.activity_id);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"max_seats\""));
    let r = staff
        .post(
            &path,
            &[
                ("max_seats", "abc"),
                ("offer_hours", "24"),
                ("opens_date", "2026-09-01"),
                ("opens_time", "09h00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"abc\""));
    assert!(
        r.body
            .contains("<p class=\"field-error\" id=\"f-max_seats-error\">Saisissez un nombre.</p>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"09h00\""));
    assert_eq!(
        bookings::settings(app.db.conn(), f.activity_id)
            .await
            .unwrap(),
        Settings::default()
    );
    let mode_field = format!("mode-{}", f.sessions[1]);
    let r = staff
        .post(
            &path,
            &[
                ("max_seats", "4"),
                ("offer_hours", "12"),
                ("reminder_days", ""),
                ("opens_date", "2026-09-01"),
                ("opens_time", "09:00"),
                ("approval", "1"),
                ("waitlist", "1"),
                (mode_field.as_str(), "external"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = bookings::settings(app.db.conn(), f.activity_id)
        .await
        .unwrap();
    assert_eq!(
        (s.max_seats, s.offer_hours, s.reminder_days, s.approval),
        (4, 12, None, true)
    );
    assert_eq!(
        s.opens_at.unwrap().to_rfc3339(),
        "2026-09-01T07:00:00+00:00",
        "09:00 in Paris, summer time"
    );
    assert_eq!(
        sessions::find(app.db.conn(), f.sessions[1])
            .await
            .unwrap()
            .unwrap()
            .mode,
        Some(RegistrationMode::External)
    );
    // Interns read and change the rules; volunteers, who check people in,
    // do neither.
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(volunteer.get(&path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        volunteer.post(&path, &[("max_seats", "2")]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_persons_bookings_can_be_exported_and_erased() {
    let app = TestApp::new().await;
    let f = seats_setup(&app, 2).await;
    let s = f.sessions[0];
    let a = book(&app, s, &testing::seats("Alice", 2)).await;
    let b = book(&app, s, &testing::seats("Bob", 2)).await;
    let mut staff = app.signed_in(Role::Staff).await;
    assert_eq!(
        staff.get("/team/bookings/person").await.status,
        StatusCode::OK
    );
    let r = staff
        .post("/team/bookings/person", &[("email", "pas-une-adresse")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"pas-une-adresse\""));
    let r = staff
        .post("/team/bookings/person", &[("email", "Alice@Example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Voyage au planétarium"));
    let r = staff
        .post("/team/bookings/person/export", &[("email", &a.email)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["bookings"][0]["name"], "Alice");
    // Without the confirmation box, nothing is erased.
    let r = staff
        .post("/team/bookings/person/erase", &[("email", &a.email)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&app, a.id).await, BookingStatus::Confirmed);
    let r = staff
        .post(
            "/team/bookings/person/erase",
            &[("email", &a.email), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let erased = booking(&app, a.id).await;
    assert_eq!(erased.status, BookingStatus::Cancelled);
    assert!(erased.name.is_empty() && erased.email.is_empty());
    assert_eq!(status(&app, b.id).await, BookingStatus::Offered);
    // Interns may not open a person's data.
    let mut intern = app.signed_in(Role::Intern).await;
    assert_eq!(
        intern.get("/team/bookings/person").await.status,
        StatusCode::FORBIDDEN
    );
}
