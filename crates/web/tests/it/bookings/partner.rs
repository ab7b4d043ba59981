//! Partners kept to their own activities' bookings.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::bookings::{self, Settings};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn partners_see_only_their_own_activities() {
    let app = TestApp::new().await;
    let (mut mine, org) = app
        .signed_in_as("casemate@example.org", Role::Partner)
        .await;
    let org = org.organisation_id.unwrap();
    let (mut other, _) = app.signed_in_as("autre@example.org", Role::Partner).await;
    let f = setup(
        &app,
        RegistrationMode::Booking,
        10,
        Settings::default(),
        vec![org],
    )
    .await;
    let s = f.sessions[0];
    let b = book(&app, s, &testing::seats("Alice", 2)).await;
    let list = mine.get("/partner/bookings").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains(&format!("/partner/sessions/{s}/bookings"))
    );
    let page = mine.get(&format!("/partner/sessions/{s}/bookings")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alice"));
    assert!(!page.body.contains("/approve"));
    assert_eq!(
        mine.get(&format!("/partner/sessions/{s}/bookings/export/csv"))
            .await
            .status,
        StatusCode::OK
    );
    // Another organisation's partner: 404 everywhere, nothing changes.
    let l = other.get("/partner/bookings").await;
    assert!(!l.body.contains(&format!("/partner/sessions/{s}/bookings")));
    for path in [
        format!("/partner/sessions/{s}/bookings"),
        format!("/partner/sessions/{s}/checkin"),
        format!("/partner/sessions/{s}/bookings/sheet"),
        format!("/partner/sessions/{s}/bookings/export/csv"),
    ] {
        assert_eq!(
            other.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = other
        .post(
            &format!("/partner/bookings/{}/checkin", b.id),
            &[("public", "2"), ("op", "came")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(&format!("/partner/sessions/{s}/walkin"), &[("public", "3")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let c = bookings::counts(app.db.conn(), s).await.unwrap();
    assert_eq!((c.checked_in, c.walk_ins), (0, 0));
    // Partners check in, but do not decide.
    let r = mine
        .post(
            &format!("/partner/bookings/{}/checkin", b.id),
            &[("public", "2"), ("op", "came")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location()
            .starts_with(&format!("/partner/sessions/{s}/checkin"))
    );
    assert_eq!(
        bookings::counts(app.db.conn(), s)
            .await
            .unwrap()
            .came_public,
        2
    );
    let r = mine
        .post(&format!("/team/bookings/{}/cancel", b.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status(&app, b.id).await, BookingStatus::Confirmed);
}
