//! Staff decisions: approval, refusal, cancellation, confirmation beyond
//! capacity, moves between sessions.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::bookings::Settings;
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn staff_approve_and_refuse_classes_and_the_waiting_list_gets_the_places() {
    let app = TestApp::new().await;
    let f = setup(
        &app,
        RegistrationMode::Groups,
        40,
        Settings {
            approval: true,
            ..Settings::default()
        },
        vec![],
    )
    .await;
    let s = f.sessions[0];
    let c1 = book(&app, s, &class("Mme Martin", 10, 2)).await;
    let c2 = book(&app, s, &class("M. Petit", 26, 2)).await;
    let c3 = book(&app, s, &class("Mme Durand", 20, 2)).await;
    assert_eq!(
        (c1.status, c2.status, c3.status),
        (
            BookingStatus::Pending,
            BookingStatus::Pending,
            BookingStatus::Waitlisted
        )
    );
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get(&format!("/team/sessions/{s}/bookings")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mme Martin") && page.body.contains("Mme Durand"));
    assert!(
        page.body
            .contains(&format!("/team/bookings/{}/approve", c1.id))
    );
    // A volunteer neither reads the list (addresses, phones) nor decides.
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        volunteer
            .get(&format!("/team/sessions/{s}/bookings"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = volunteer
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status(&app, c1.id).await, BookingStatus::Pending);

    let r = staff
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .starts_with(&format!("/team/sessions/{s}/bookings"))
    );
    assert_eq!(status(&app, c1.id).await, BookingStatus::Confirmed);
    app.assert_mailed(&c1.email, "Réservation validée").await;
    // Approving twice is refused with a message, not an error.
    let r = staff
        .post(&format!("/team/bookings/{}/approve", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Refusing frees 28 places: the waiting class (22) is offered them.
    let r = staff
        .post(&format!("/team/bookings/{}/refuse", c2.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, c2.id).await, BookingStatus::Refused);
    assert_eq!(status(&app, c3.id).await, BookingStatus::Offered);
    app.assert_mailed(&c2.email, "Réservation non retenue")
        .await;
    app.assert_mailed(&c3.email, "Des places se sont libérées")
        .await;
    // Cancelling by staff tells the booker.
    let r = staff
        .post(&format!("/team/bookings/{}/cancel", c1.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, c1.id).await, BookingStatus::Cancelled);
    app.assert_mailed(&c1.email, "Réservation annulée").await;
    // Every decision is in the audit log.
    let audit = maillage_db::audit::list(
        app.db.conn(),
        &Default::default(),
        maillage_db::PageRequest::new(1, 50),
    )
    .await
    .unwrap()
    .items;
    for action in ["approve", "refuse", "cancel"] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.entity_type == "booking"),
            "{action}"
        );
    }
}

#[tokio::test]
async fn force_confirm_and_moves_between_sessions() {
    let app = TestApp::new().await;
    let f = seats_setup(&app, 4).await;
    let (s1, s2) = (f.sessions[0], f.sessions[1]);
    let a = book(&app, s1, &testing::seats("Alice", 4)).await;
    let b = book(&app, s1, &testing::seats("Bob", 2)).await;
    assert_eq!(b.status, BookingStatus::Waitlisted);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff
        .post(&format!("/team/bookings/{}/force", b.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, b.id).await, BookingStatus::Confirmed);
    let overview = staff
        .get(&format!("/team/projects/{}/bookings", f.project_id))
        .await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("150 %"), "{}", overview.body);

    // Alice moves to the second session, which has room.
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", a.id),
            &[("target", &s2.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let moved = booking(&app, a.id).await;
    assert_eq!(
        (moved.session_id, moved.status),
        (s2, BookingStatus::Confirmed)
    );
    app.assert_mailed(&a.email, "Votre réservation change de séance")
        .await;
    // Bob does not fit there any more, unless forced.
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &s2.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("pas assez de place"), "{}", r.body);
    assert_eq!(booking(&app, b.id).await.session_id, s1);
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &s2.to_string()), ("force", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(booking(&app, b.id).await.session_id, s2);
    // A session of another project is not a target.
    let other = seats_setup(&app, 10).await;
    let r = staff
        .post(
            &format!("/team/bookings/{}/move", b.id),
            &[("target", &other.sessions[0].to_string()), ("force", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
