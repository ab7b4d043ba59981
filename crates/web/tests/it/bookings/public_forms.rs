//! The booking forms without JavaScript, the personal page, lost links.

use super::*;
use crate::util::{TestApp, escaped, subjects};
use axum::http::StatusCode;
use maillage_db::bookings::{self, Settings};
use maillage_db::{now, organisations};
use maillage_domain::booking::BookingStatus;
use maillage_domain::directory::OrgKind;
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn the_seat_form_keeps_what_was_typed_refuses_robots_and_leads_to_the_personal_page() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    // The activity page links each session's form.
    let page = c
        .get(&format!("/p/{}/a/{}", f.project_slug, f.activity_slug))
        .await;
    assert!(page.body.contains(&f.form()), "{}", page.body);
    let form = c.get(&f.form()).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Places disponibles : 10 sur 10."));
    assert!(form.body.contains("anonymisées 12 mois après la séance"));
    assert!(form.body.contains("<label for=\"f-seats\">"));

    let r = c
        .post(
            &f.form(),
            &[("name", "Zoé d'Arc"), ("email", "zoe@"), ("seats", "9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&escaped("Zoé d'Arc")), "typed name kept");
    assert!(r.body.contains("value=\"zoe@\""));
    assert!(r.body.contains("id=\"f-email-error\""));
    assert!(r.body.contains("Saisissez une valeur entre 1 et 6."));
    assert!(r.body.contains("Cochez cette case pour réserver"));

    // The honeypot: nothing is booked.
    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("seats", "1"),
                ("consent", "1"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bookings::of_email(app.db.conn(), "bot@example.org")
            .await
            .unwrap()
            .is_empty()
    );

    let r = c
        .post(
            &f.form(),
            &[
                ("name", "Zoé d'Arc"),
                ("email", "zoe@example.org"),
                ("phone", "04 76 44 88 80"),
                ("seats", "3"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let manage = r.location().to_owned();
    assert!(manage.starts_with("/reservation/") && manage.ends_with("?fait=confirmed"));
    let page = c.get(&manage).await;
    assert!(
        page.body
            .contains("Réservation confirmée. Un e-mail de confirmation vous a été envoyé.")
    );
    assert!(page.body.contains("3 places"));
    let base = manage.split('?').next().unwrap();
    let ics = c.get(&format!("{base}/seance.ics")).await;
    assert!(ics.body.contains("SUMMARY:Voyage au planétarium"));
    // Fewer seats, then too many.
    let r = c.post(&format!("{base}/places"), &[("seats", "2")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.post(&format!("{base}/places"), &[("seats", "7")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("6 places au plus par réservation."));
    assert!(r.body.contains("value=\"7\""));
    let zoe = bookings::of_email(app.db.conn(), "zoe@example.org")
        .await
        .unwrap();
    assert_eq!(zoe[0].seats, 2);
    assert_eq!(zoe[0].phone.as_deref(), Some("04 76 44 88 80"));
    // A made-up link is a plain 404.
    assert_eq!(
        c.get("/reservation/nope").await.status,
        StatusCode::NOT_FOUND
    );

    // In English.
    let mut en = app.client();
    en.headers.push(("accept-language".into(), "en".into()));
    let form = en.get(&f.form()).await;
    assert!(
        form.body.contains("Places available: 8 of 10."),
        "{}",
        form.body
    );
    assert!(form.body.contains("Number of places"));
}

/// Claire Dupont's class of CM2 with three adults, consent given, and
/// `more`.
fn claire<'a>(more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Claire Dupont"),
        ("email", "claire.dupont@example.org"),
        ("adults", "3"),
        ("class_level", "cm2"),
        ("consent", "1"),
    ];
    fields.extend_from_slice(more);
    fields
}

#[tokio::test]
async fn a_class_books_with_its_school_and_waits_for_approval() {
    let app = TestApp::new().await;
    let f = fixture(
        &app.db,
        RegistrationMode::Groups,
        35,
        Some(Settings {
            approval: true,
            one_group: true,
            ..Settings::default()
        }),
    )
    .await;
    let school = organisations::create(app.db.conn(), "École Jean Jaurès", now())
        .await
        .unwrap();
    let mut data = school.data.clone();
    data.kind = Some(OrgKind::School);
    data.commune_insee = Some("38185".into());
    organisations::update(app.db.conn(), school.id, &data, now())
        .await
        .unwrap();
    let mut c = app.client();
    let form = c.get(&f.form()).await;
    assert!(
        form.body.contains("École Jean Jaurès, Grenoble (38000)"),
        "{}",
        form.body
    );
    assert!(form.body.contains("Une seule classe par séance."));
    assert!(form.body.contains("CM2"));

    let r = c
        .post(
            &f.form(),
            &claire(&[("organisation_id", ""), ("pupils", "40")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-organisation_id-error\""),
        "school required"
    );
    assert!(
        r.body.contains("id=\"f-phone-error\""),
        "phone required for a class"
    );
    assert!(r.body.contains("value=\"40\""));

    let id = school.id.to_string();
    let r = c
        .post(
            &f.form(),
            &claire(&[
                ("organisation_id", &id),
                ("phone", "04 76 00 00 00"),
                ("pupils", "40"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("La séance compte 35 places en tout"));

    let r = c
        .post(
            &f.form(),
            &claire(&[
                ("pupils", "26"),
                ("needs", "Un élève en fauteuil"),
                ("organisation_id", &id),
                ("phone", "04 76 00 00 00"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("?fait=pending"));
    let b = booking_of(&app, "claire.dupont@example.org").await;
    assert_eq!(
        (b.status, b.seats, b.pupils, b.adults),
        (BookingStatus::Pending, 29, 26, 3)
    );
    assert_eq!(b.school_name.as_deref(), Some("École Jean Jaurès"));
    assert_eq!(b.school_commune.as_deref(), Some("38185"));
    let out = app.outbox().await;
    assert_eq!(
        subjects(&out, "claire.dupont@example.org"),
        ["Demande de réservation reçue : Voyage au planétarium"]
    );
    // A second class waits: one class per session.
    let r = c
        .post(
            &f.form(),
            &[
                ("school_name", "Collège Fantin-Latour"),
                ("school_commune", "Grenoble"),
                ("name", "Marc Petit"),
                ("email", "marc.petit@example.org"),
                ("phone", "04 76 11 11 11"),
                ("pupils", "5"),
                ("class_level", "6e"),
                ("consent", "1"),
            ],
        )
        .await;
    assert!(
        r.location().ends_with("?fait=waitlisted"),
        "{}",
        r.location()
    );

    // Staff add the typed school to the directory: it is linked, and the
    // next teacher finds it in the list.
    let marc = booking_of(&app, "marc.petit@example.org").await;
    assert_eq!(marc.organisation_id, None);
    let mut staff = app.signed_in(maillage_domain::Role::Staff).await;
    let page = staff
        .get(&format!("/team/sessions/{}/bookings", f.session()))
        .await;
    let action = format!("/team/bookings/{}/school", marc.id);
    assert!(page.body.contains(&action), "{}", page.body);
    let r = staff.post(&action, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let marc = booking(&app, marc.id).await;
    let org = organisations::find(app.db.conn(), marc.organisation_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.kind, OrgKind::School);
    assert_eq!(org.data.commune_insee.as_deref(), Some("38185"));
    assert!(
        c.get(&f.form())
            .await
            .body
            .contains("Collège Fantin-Latour, Grenoble")
    );
    // Twice is refused, not duplicated.
    let r = staff.post(&action, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A lost link: the bookings still to come made with an address are sent to
/// it; the page says the same whatever the address.
#[tokio::test]
async fn lost_links_are_sent_to_the_address_that_booked() {
    let app = TestApp::new().await;
    let f = fixture(&app.db, RegistrationMode::Booking, 10, None).await;
    let mut c = app.client();
    let api = format!("/api/v1/sessions/{}/bookings", f.session());
    book_api(&mut c, &api, "Ada Lovelace", "ada@example.org", 2).await;
    let form = c.get("/reservation").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<label for=\"f-email\">"));
    let r = c
        .post("/reservation", &[("email", "pas une adresse")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"pas une adresse\""));
    let before = app.outbox().await.len();
    let r = c
        .post("/reservation", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Si des réservations à venir existent pour cette adresse")
    );
    assert_eq!(
        app.outbox().await.len(),
        before,
        "nothing sent to a stranger"
    );
    let r = c
        .post("/reservation", &[("email", "ADA@example.org")])
        .await;
    assert!(
        r.body
            .contains("Si des réservations à venir existent pour cette adresse")
    );
    let out = app.outbox().await;
    let links = out
        .iter()
        .find(|m| m.subject == "Vos réservations sur Maillage")
        .unwrap();
    assert_eq!(links.to_addr, "ada@example.org");
    // The link sent opens Ada's booking.
    let ada = booking_of(&app, "ada@example.org").await;
    let start = links.body_text.find("/reservation/").unwrap();
    assert!(
        !links.body_text.contains(ada.link_secret()),
        "a link of its own"
    );
    let link: String = links.body_text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let page = c.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Voyage au planétarium"));
    let opened = bookings::find_by_secret(app.db.conn(), link.trim_start_matches("/reservation/"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(opened.id, ada.id);
    assert!(links.body_text.contains("Voyage au planétarium"));
}
