//! Sessions with bookings: not deleted while bookings live, their bookers
//! told when cancelled, places offered when the capacity grows.

use super::*;
use crate::util::{TestApp, subjects};
use axum::http::StatusCode;
use maillage_db::bookings::{self};
use maillage_db::programme::sessions::{self};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;
use serde_json::json;

/// Deleting a session, or an activity, with live bookings is refused: the
/// bookings would be lost. Once they are cancelled, it goes.
#[tokio::test]
async fn sessions_with_live_bookings_are_not_deleted() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = book_api(&mut c, &api, "Ada Lovelace", "ada@example.org", 2).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}/delete", f.session()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Cette séance a 1 réservation(s) en cours"),
        "{}",
        r.body
    );
    let r = staff
        .post(
            &format!("/team/programme/activities/{}/delete", f.activity_id),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("l&#39;animation n&#39;a pas été supprimée"),
        "{}",
        r.body
    );
    assert!(
        sessions::find(app.db.conn(), f.session())
            .await
            .unwrap()
            .is_some()
    );
    let ada = booking_of(&app, "ada@example.org").await;
    let r = c
        .post(
            &format!("/reservation/{}/annuler", ada.link_secret()),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}/delete", f.session()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        sessions::find(app.db.conn(), f.session())
            .await
            .unwrap()
            .is_none()
    );
}

/// Cancelling a session cancels its live bookings, and tells each booker.
#[tokio::test]
async fn a_cancelled_session_tells_its_bookers() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 2, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    for (name, seats) in [("ada", 2), ("bob", 1)] {
        c.post_json( &api, &json!({"name": format!("{name} Martin"), "email": format!("{name}@example.org"), "seats": seats})).await;
    }
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{}", f.session()),
            &[("capacity", "2"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    for who in ["ada@example.org", "bob@example.org"] {
        assert!(
            subjects(&out, who).contains(&"Séance annulée : Voyage au planétarium"),
            "{who}"
        );
    }
    let counts = bookings::counts(app.db.conn(), f.session()).await.unwrap();
    assert_eq!((counts.held, counts.waitlisted), (0, 0));
    // Saving it again sends nothing more.
    staff
        .post(
            &format!("/team/programme/sessions/{}", f.session()),
            &[("capacity", "2"), ("status", "cancelled")],
        )
        .await;
    assert_eq!(app.outbox().await.len(), out.len());
}

#[tokio::test]
async fn a_larger_capacity_offers_places_to_the_waiting_list() {
    let app = TestApp::new().await;
    let f = seats_setup(&app, 2).await;
    let s = f.sessions[0];
    book(&app, s, &testing::seats("Alice", 2)).await;
    let b = book(&app, s, &testing::seats("Bob", 2)).await;
    assert_eq!(b.status, BookingStatus::Waitlisted);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .post(
            &format!("/team/programme/sessions/{s}"),
            &[("capacity", "4"), ("status", "scheduled")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status(&app, b.id).await, BookingStatus::Offered);
    app.assert_mailed(&b.email, "Des places se sont libérées")
        .await;
}
