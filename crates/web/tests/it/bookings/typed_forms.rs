//! The typed forms of bookings: what each fixed form of the team's and the
//! booker's pages accepts, and that a refusal keeps its message beside the
//! field with what was typed, nothing stored.

use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::bookings::{self, Booking, Settings};
use maillage_db::{now, testing};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;

async fn book(app: &TestApp, session: i64, name: &str, seats: i32) -> Booking {
    let tx = app.db.write().await.unwrap();
    let b = bookings::book(&tx, session, &testing::seats(name, seats), now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    b
}

async fn find(app: &TestApp, id: i64) -> Booking {
    bookings::find(app.db.conn(), id).await.unwrap().unwrap()
}

#[tokio::test]
async fn the_teams_forms_refuse_beside_the_field_and_keep_what_was_typed() {
    let app = TestApp::new().await;
    let f = testing::bookable(
        &app.db,
        testing::Bookable {
            sessions: 2,
            ..Default::default()
        },
    )
    .await;
    let b = book(&app, f.sessions[0], "Alice", 2).await;
    let mut staff = app.signed_in(Role::Admin).await;

    // Rules: a session's mode that is none of the modes is refused beside
    // its select, the rules typed are kept, nothing changes.
    let path = format!("/team/activities/{}/bookings/settings", f.activity_id);
    let mode_field = format!("mode-{}", f.sessions[1]);
    let rules = |mode| {
        [
            ("max_seats", "7"),
            ("offer_hours", "24"),
            ("approval", "1"),
            (mode_field.as_str(), mode),
        ]
    };
    let r = staff.post(&path, &rules("téléportation")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains(&format!("id=\"f-mode-{}-error\"", f.sessions[1])),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"7\""), "{}", r.body);
    let s = bookings::settings(app.db.conn(), f.activity_id)
        .await
        .unwrap();
    assert_eq!(s, Settings::default());
    // The same rules with a mode of the list are saved, the box ticked.
    let r = staff
        .post(&path, &rules(RegistrationMode::None.code()))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = bookings::settings(app.db.conn(), f.activity_id)
        .await
        .unwrap();
    assert_eq!((s.max_seats, s.approval, s.waitlist), (7, true, false));

    // A move needs a session: a target that is not one says so.
    let r = staff
        .post(&format!("/team/bookings/{}/move", b.id), &[("target", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une autre séance"), "{}", r.body);
    assert_eq!(find(&app, b.id).await.session_id, f.sessions[0]);

    // At the door, "nobody came" needs no counts; a count that is not one
    // is named, and the walk-in form keeps what was typed.
    let r = staff
        .post(
            &format!("/team/bookings/{}/checkin", b.id),
            &[("public", "beaucoup"), ("op", "noshow")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(find(&app, b.id).await.came(), Some(0));
    let walk_in = format!("/team/sessions/{}/walkin", f.sessions[0]);
    let r = staff.post(&walk_in, &[("adults", "-3")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"-3\""), "{}", r.body);
    let r = staff.post(&walk_in, &[("adults", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Indiquez au moins une personne"));
    let c = bookings::counts(app.db.conn(), f.sessions[0])
        .await
        .unwrap();
    assert_eq!(c.walk_ins, 0);

    // Erasing a person's data needs the box ticked: the error stands beside
    // it, with the address kept.
    let r = staff
        .post(
            "/team/bookings/person/erase",
            &[("email", "alice@example.org")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-confirm-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"alice@example.org\""));
    assert!(find(&app, b.id).await.anonymised_at.is_none());
}

#[tokio::test]
async fn the_personal_page_checks_each_request_before_changing_anything() {
    let app = TestApp::new().await;
    let f = testing::bookable(&app.db, testing::Bookable::default()).await;
    let b = book(&app, f.session(), "Bob", 2).await;
    let mut c = app.client();
    let base = format!("/reservation/{}", b.link_secret());

    let r = c.post(&format!("{base}/teleporter"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = c
        .post(&format!("{base}/places"), &[("seats", "deux")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"deux\""), "{}", r.body);
    assert_eq!(find(&app, b.id).await.seats, 2);

    let r = c.post(&format!("{base}/annuler"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-confirm-error\""), "{}", r.body);
    assert_eq!(find(&app, b.id).await.status, BookingStatus::Confirmed);

    let r = c.post(&format!("{base}/places"), &[("seats", "3")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{base}?fait=changed"));
    assert_eq!(find(&app, b.id).await.seats, 3);

    let r = c
        .post(&format!("{base}/annuler"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(find(&app, b.id).await.status, BookingStatus::Cancelled);
}
