//! Bookings in the browser: a teacher books a class for a planetarium
//! session from a phone-sized screen without JavaScript; staff approve it in
//! the team space, found in their inbox; the teacher receives both e-mails.
//! axe-core on the pages.

use maillage_db::bookings::{self, Settings};
use maillage_db::{PageRequest, now, organisations, outbox, testing};
use maillage_domain::Role;
use maillage_domain::booking::BookingStatus;
use maillage_domain::directory::OrgKind;
use maillage_domain::programme::RegistrationMode;
use maillage_e2e::{Browser, Site};

struct Planetarium {
    activity_path: String,
    session: i64,
    school: i64,
}

async fn planetarium(site: &Site) -> Planetarium {
    let f = testing::bookable(
        &site.db,
        testing::Bookable {
            title: "Séance de planétarium — cycle 3",
            mode: RegistrationMode::Groups,
            capacity: 35,
            settings: Some(Settings {
                approval: true,
                one_group: true,
                ..Settings::default()
            }),
            ..Default::default()
        },
    )
    .await;
    let c = site.db.conn();
    let t = now();
    let school = organisations::create(c, "École élémentaire Jean Macé (essai)", t)
        .await
        .unwrap();
    let mut data = school.data.clone();
    data.kind = Some(OrgKind::School);
    data.commune_insee = Some("38317".into());
    organisations::update(c, school.id, &data, t).await.unwrap();
    Planetarium {
        activity_path: format!("/p/{}/a/{}", f.project_slug, f.activity_slug),
        session: f.session(),
        school: school.id,
    }
}

/// The subjects of the e-mails to `to`, in the order they were queued.
async fn mails_to(site: &Site, to: &str) -> Vec<String> {
    let mut list: Vec<_> = outbox::list(site.db.conn(), None, PageRequest::new(1, 500))
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.to_addr == to)
        .collect();
    list.sort_by_key(|m| m.id);
    list.into_iter().map(|m| m.subject).collect()
}

#[tokio::test]
async fn a_teacher_books_a_class_from_a_phone_without_javascript_and_staff_approve_it() {
    let site = Site::start().await;
    let p = planetarium(&site).await;
    let b = Browser::launch(false).await;
    b.resize(390, 844).await;

    // From the activity page to the class form: one link.
    b.goto(&site.url(&p.activity_path)).await;
    let href = b.link_with_text("Réserver pour une classe").await;
    b.click_to(&format!("main a[href='{href}']"), &href).await;
    assert!(b.fits_width().await, "the form fits a phone's width");
    let form_path = b.path().await;

    // A first try with a mistake: the page says where, and keeps the rest.
    b.click(&format!("#f-organisation_id option[value='{}']", p.school))
        .await;
    b.fill("#f-name", "Claire Dupont").await;
    b.fill("#f-email", "claire.dupont@example").await;
    b.fill("#f-phone", "04 76 00 00 00").await;
    b.click("#f-class_level option[value=cm1]").await;
    b.fill("#f-pupils", "24").await;
    b.fill("#f-adults", "3").await;
    b.click("#f-consent").await;
    b.submit("form.form button[type=submit]").await;
    assert!(
        b.text("#f-email-error")
            .await
            .contains("Adresse e-mail invalide"),
        "error beside the field"
    );
    assert_eq!(
        b.client
            .find(fantoccini::Locator::Css("#f-pupils"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("24"),
        "typed values kept"
    );
    b.fill("#f-email", "claire.dupont@example.org").await;
    // Unchecked boxes are not kept by the browser's form: tick it again if needed.
    let consent = b
        .client
        .find(fantoccini::Locator::Css("#f-consent"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    if consent.as_deref() != Some("true") {
        b.click("#f-consent").await;
    }
    b.submit("form.form button[type=submit]").await;
    assert!(
        b.path().await.starts_with("/reservation/"),
        "{}",
        b.path().await
    );
    assert!(
        b.text("main [role=status]")
            .await
            .contains("Demande enregistrée"),
    );
    assert!(b.fits_width().await);
    let manage_path = b.path().await;
    b.close().await;

    // axe-core needs JavaScript: the same pages, at the same size, with it.
    let js = Browser::launch(true).await;
    js.resize(390, 844).await;
    js.goto(&site.url(&form_path)).await;
    js.assert_accessible("class booking form").await;
    js.submit("form.form button[type=submit]").await;
    assert!(js.html().await.contains("f-name-error"));
    js.assert_accessible("class booking form with errors").await;
    js.goto(&site.url(&manage_path)).await;
    js.assert_accessible("booking page").await;
    js.goto(&site.url("/reservation")).await;
    js.assert_accessible("lost links").await;
    js.close().await;

    let booking = bookings::of_email(site.db.conn(), "claire.dupont@example.org")
        .await
        .unwrap()
        .remove(0);
    assert_eq!(booking.status, BookingStatus::Pending);
    assert_eq!((booking.pupils, booking.adults, booking.seats), (24, 3, 27));

    // Staff approve it from the session's bookings (the page checked by
    // axe-core first, with JavaScript).
    let js = Browser::launch(true).await;
    js.login(&site, Role::Staff).await;
    js.goto(&site.url("/team")).await;
    js.assert_accessible("team inbox").await;
    js.goto(&site.url("/account/notifications")).await;
    js.assert_accessible("notifications").await;
    js.goto(&site.url(&format!("/team/sessions/{}/bookings", p.session)))
        .await;
    js.assert_accessible("session bookings").await;
    js.goto(&site.url(&format!("/team/sessions/{}/checkin", p.session)))
        .await;
    js.assert_accessible("check-in").await;
    js.close().await;
    // Staff find the request in their inbox, on their home page, and
    // follow it to the session's bookings.
    let staff = Browser::launch(false).await;
    staff.login(&site, Role::Staff).await;
    staff.goto(&site.url("/team")).await;
    let heading = staff.text("#inbox-requests").await;
    assert!(
        heading.starts_with("Demandes de classes à valider"),
        "{heading}"
    );
    let session_path = format!("/team/sessions/{}/bookings", p.session);
    staff
        .click_to(
            &format!(".inbox-lines a[href='{session_path}']"),
            &session_path,
        )
        .await;
    staff
        .submit(&format!(
            "form[action$='/bookings/{}/approve'] button[type=submit]",
            booking.id
        ))
        .await;
    staff.close().await;
    let booking = bookings::find(site.db.conn(), booking.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, BookingStatus::Confirmed);
    assert_eq!(
        mails_to(&site, "claire.dupont@example.org").await,
        [
            "Demande de réservation reçue : Séance de planétarium — cycle 3",
            "Réservation validée : Séance de planétarium — cycle 3",
        ]
    );
}
