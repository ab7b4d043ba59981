//! The waiting list: places offered on, offers running out, addresses to
//! confirm.

use super::*;
use crate::util::{TestApp, subjects};
use axum::http::StatusCode;
use chrono::TimeDelta;
use maillage_db::bookings::Settings;
use maillage_db::now;
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::RegistrationMode;
use maillage_web::AppState;
use serde_json::json;

/// The example: a 3-seat booking is cancelled while a party of 4
/// waits before a party of 2 and one of 3: the 2 is offered the places by
/// e-mail; when its offer runs out, the places go to the 3.
#[tokio::test]
async fn cancelled_places_go_to_the_first_waiting_party_that_fits_and_the_offer_moves_on() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 6, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let mut secret = String::new();
    for (name, seats, expected) in [
        ("Alice", 3, 201),
        ("Bruno", 3, 201),
        ("Four", 4, 202),
        ("Two", 2, 202),
        ("Three", 3, 202),
    ] {
        let r = c.post_json(
            &api,
            &json!({"name": format!("{name} Martin"), "email": format!("{}@example.org", name.to_lowercase()), "seats": seats}),
        )
        .await;
        assert_eq!(r.status.as_u16(), expected, "{name}: {}", r.body);
        if name == "Alice" {
            let url = r.json()["manage_url"].as_str().unwrap().to_owned();
            secret = url.rsplit('/').next().unwrap().to_owned();
        }
    }
    let form = c.get(&f.form()).await;
    assert!(form.body.contains("Places disponibles : 0 sur 6."));
    assert!(
        form.body
            .contains("M&#39;inscrire sur la liste d&#39;attente"),
        "{}",
        form.body
    );
    let out = app.outbox().await;
    assert_eq!(
        subjects(&out, "three@example.org"),
        ["Liste d'attente : Voyage au planétarium"]
    );
    assert!(
        out.iter()
            .find(|m| m.to_addr == "alice@example.org")
            .unwrap()
            .ics
            .as_deref()
            .unwrap()
            .contains("BEGIN:VEVENT")
    );

    // Alice cancels from her personal page (the box must be ticked).
    let manage = format!("/reservation/{secret}");
    let r = c.get(&manage).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Voyage au planétarium"));
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    let r = c.post(&format!("{manage}/annuler"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cochez la case pour confirmer"));
    let r = c
        .post(&format!("{manage}/annuler"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    assert!(
        subjects(&out, "alice@example.org")
            .contains(&"Réservation annulée : Voyage au planétarium")
    );
    let cancelled = out
        .iter()
        .find(|m| m.to_addr == "alice@example.org" && m.subject.starts_with("Réservation annulée"))
        .unwrap();
    assert!(
        !cancelled.body_text.contains("annuler") && !cancelled.body_text.contains("/reservation/"),
        "a cancelled booking offers nothing to cancel: {}",
        cancelled.body_text
    );
    assert!(
        subjects(&out, "two@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
    assert_eq!(
        subjects(&out, "four@example.org").len(),
        1,
        "only the waiting-list e-mail"
    );
    assert_eq!(subjects(&out, "three@example.org").len(), 1);
    let offer = out
        .iter()
        .find(|m| m.to_addr == "two@example.org" && m.subject.starts_with("Des places"))
        .unwrap();
    assert!(
        offer.body_text.contains("/reservation/"),
        "{}",
        offer.body_text
    );

    // Nobody answers; a day later the offer runs out and moves on to the 3.
    let later = now() + TimeDelta::hours(25);
    let h = maillage_web::bookings_housekeeping(&app.state, later)
        .await
        .unwrap();
    assert_eq!((h.expired, h.offered), (1, 1));
    let out = app.outbox().await;
    assert!(
        subjects(&out, "two@example.org").contains(&"Places non acceptées : Voyage au planétarium")
    );
    assert!(
        subjects(&out, "three@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
    assert_eq!(subjects(&out, "four@example.org").len(), 1);
    // Another instance's housekeeping at the same time sends nothing more.
    let second = AppState::new(app.db.db.clone(), (*app.state.config).clone());
    let again = maillage_web::bookings_housekeeping(&second, later)
        .await
        .unwrap();
    assert_eq!(again, maillage_web::Housekeeping::default());

    // The 3 accepts from its link.
    let three = booking_of(&app, "three@example.org").await;
    assert_eq!(three.status, BookingStatus::Offered);
    let r = c
        .post(
            &format!("/reservation/{}/accepter", three.link_secret()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let three = booking(&app, three.id).await;
    assert_eq!(three.status, BookingStatus::Confirmed);
    let s = c
        .get(&format!("/api/v1/sessions/{}", f.session()))
        .await
        .json();
    assert_eq!(
        (
            s["booked"].as_i64(),
            s["available"].as_i64(),
            s["waitlisted"].as_i64()
        ),
        (Some(6), Some(0), Some(4))
    );
}

/// A session of two seats whose bookers confirm their address.
async fn confirming(app: &TestApp) -> BookableFixture {
    let settings = Settings {
        confirm_email: true,
        ..Settings::default()
    };
    fixture(&app.db, RegistrationMode::Booking, 2, Some(settings)).await
}

/// Optional e-mail confirmation: the places are held 30 minutes until the
/// link is used; unconfirmed, they are released and offered on.
#[tokio::test]
async fn places_wait_thirty_minutes_for_the_address_to_be_confirmed() {
    let app = TestApp::new().await;
    let f = confirming(&app).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = book_api(&mut c, &api, "Ada Lovelace", "ada@example.org", 2).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(r.json()["status"], "unconfirmed");
    let r = book_api(&mut c, &api, "Bob Martin", "bob@example.org", 2).await;
    assert_eq!(r.json()["status"], "waitlisted");
    let out = app.outbox().await;
    assert_eq!(
        subjects(&out, "ada@example.org"),
        ["Confirmez votre réservation : Voyage au planétarium"]
    );

    // Ada confirms within the half hour, with the link of the e-mail.
    let ada = booking_of(&app, "ada@example.org").await;
    let page = c.get(&format!("/reservation/{}", ada.link_secret())).await;
    assert!(!page.body.contains("Confirmer ma réservation"));
    let link = confirmation_link(&app, "ada@example.org").await;
    let page = c.get(&link).await;
    assert!(page.body.contains("Confirmer ma réservation"));
    let code = link.rsplit('/').next().unwrap();
    let r = c
        .post(
            &format!("/reservation/{}/confirmer", ada.link_secret()),
            &[("code", code)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(booking(&app, ada.id).await.status, BookingStatus::Confirmed);
    assert!(
        subjects(&app.outbox().await, "ada@example.org")
            .contains(&"Réservation confirmée : Voyage au planétarium")
    );
    // Confirming twice is refused with a message, not an error page.
    let r = c
        .post(
            &format!("/reservation/{}/confirmer", ada.link_secret()),
            &[("code", code)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ne peut plus être modifiée"));

    // Carl never confirms: 31 minutes later the places go to the next.
    let other = confirming(&app).await;
    let api = format!("/api/v1/sessions/{}/bookings", other.session());
    book_api(&mut c, &api, "Carl Petit", "carl@example.org", 2).await;
    book_api(&mut c, &api, "Dora Blanc", "dora@example.org", 1).await;
    let h = maillage_web::bookings_housekeeping(&app.state, now() + TimeDelta::minutes(31))
        .await
        .unwrap();
    assert_eq!((h.expired, h.offered), (1, 1));
    let out = app.outbox().await;
    assert!(
        subjects(&out, "carl@example.org")
            .contains(&"Réservation non confirmée : Voyage au planétarium")
    );
    assert!(
        subjects(&out, "dora@example.org")
            .contains(&"Des places se sont libérées : Voyage au planétarium")
    );
}

/// The confirmation link e-mailed to `to`, as a path.
async fn confirmation_link(app: &TestApp, to: &str) -> String {
    let mails = app.mails_to(to).await;
    let body = &mails.last().expect("a message").body_text;
    let start = body.find("/reservation/").expect("a link");
    let link: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    assert!(link.contains("/confirmer/"), "{body}");
    link
}

/// Whoever books for someone else's address gets the personal link (the
/// API answers with it), not the code sent to the mailbox: the booking
/// cannot be confirmed without the e-mail.
#[tokio::test]
async fn a_booking_for_someone_else_cannot_be_confirmed_without_the_email() {
    let app = TestApp::new().await;
    let f = confirming(&app).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    let r = book_api(&mut c, &api, "Eve Intruse", "victim@example.org", 1).await;
    assert_eq!(r.json()["status"], "unconfirmed");
    let manage = r.json()["manage_url"].as_str().unwrap().to_owned();
    let path = manage
        .trim_start_matches("http://localhost:8080")
        .to_owned();
    let b = booking_of(&app, "victim@example.org").await;
    // The personal page offers no button, and the bare action is refused.
    let page = c.get(&path).await;
    assert!(!page.body.contains("name=\"code\""));
    assert!(page.body.contains("ouvrez le lien que nous avons envoyé"));
    for code in [
        "",
        "nope",
        b.link_secret(),
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let r = c
            .post(&format!("{path}/confirmer"), &[("code", code)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert_eq!(booking(&app, b.id).await.status, BookingStatus::Unconfirmed);
    }
    // A made-up code in the link shows the button, which still refuses.
    let r = c
        .get(&format!("{path}/confirmer/{}", b.link_secret()))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c
        .post(&format!("{path}/confirmer"), &[("code", b.link_secret())])
        .await;
    assert!(
        r.body
            .contains("lien de confirmation n&#39;est pas valable")
            || r.body.contains("lien de confirmation n'est pas valable")
    );
    assert_eq!(booking(&app, b.id).await.status, BookingStatus::Unconfirmed);
    // The mailbox's owner confirms with the e-mailed link.
    let link = confirmation_link(&app, "victim@example.org").await;
    let code = link.rsplit('/').next().unwrap().to_owned();
    let r = c
        .post(&format!("{path}/confirmer"), &[("code", code.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(booking(&app, b.id).await.status, BookingStatus::Confirmed);
}
