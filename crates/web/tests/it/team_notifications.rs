//! The team asks to be told by e-mail: a class request, a call answer, a
//! daily digest of its inbox, each to those whose role acts on it.

use crate::calls::internship;
use crate::util::{TestApp, subjects};
use axum::http::StatusCode;
use maillage_db::bookings::Settings;
use maillage_db::testing::{self, Bookable};
use maillage_domain::Role;
use maillage_domain::programme::RegistrationMode;

fn all_on() -> Vec<(&'static str, &'static str)> {
    vec![
        ("class_requests", "1"),
        ("call_answers", "1"),
        ("digest", "1"),
    ]
}

#[tokio::test]
async fn class_requests_and_call_answers_reach_those_who_asked() {
    let app = TestApp::new().await;
    let (mut staff, _) = app.signed_in_as("julie@example.org", Role::Staff).await;
    let page = staff.get("/account/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"name="class_requests""#));
    let r = staff.post("/account/notifications", &all_on()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = staff.get("/account/notifications").await;
    assert!(
        page.body
            .contains(r#"name="class_requests" value="1" checked"#),
        "{}",
        page.body
    );
    // A volunteer is not offered class requests, and asking anyway does nothing.
    let (mut volunteer, _) = app
        .signed_in_as("victor@example.org", Role::Volunteer)
        .await;
    let page = volunteer.get("/account/notifications").await;
    assert!(!page.body.contains(r#"name="class_requests""#));
    volunteer.post("/account/notifications", &all_on()).await;
    // Somebody who asked nothing.
    app.signed_in_as("quiet@example.org", Role::Staff).await;

    let f = testing::bookable(
        &app.db,
        Bookable {
            mode: RegistrationMode::Groups,
            capacity: 35,
            settings: Some(Settings {
                approval: true,
                one_group: true,
                ..Settings::default()
            }),
            ..Bookable::default()
        },
    )
    .await;
    let mut teacher = app.client();
    teacher.get(&f.form()).await;
    let r = teacher
        .post(
            &f.form(),
            &[
                ("school_name", "Collège Fantin-Latour"),
                ("school_commune", "Grenoble"),
                ("name", "Marc Petit"),
                ("email", "marc.petit@example.org"),
                ("phone", "04 76 11 11 11"),
                ("pupils", "24"),
                ("adults", "2"),
                ("class_level", "6e"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    assert_eq!(
        subjects(&out, "julie@example.org"),
        ["Demande de classe : Voyage au planétarium"]
    );
    assert!(subjects(&out, "victor@example.org").is_empty());
    assert!(subjects(&out, "quiet@example.org").is_empty());
    let mail = out
        .iter()
        .find(|m| m.to_addr == "julie@example.org")
        .unwrap();
    assert!(mail.body_text.contains("Collège Fantin-Latour"));
    assert!(mail.body_text.contains("24 élèves"));
    assert!(mail.body_text.contains(&format!(
        "http://localhost:8080/team/sessions/{}/bookings",
        f.session()
    )));

    // An answer to a call.
    internship(&app).await;
    let mut applicant = app.client();
    let start = "/appel/stage/repondre";
    applicant.get(start).await;
    let pdf = crate::calls::pdf("CV");
    let r = applicant
        .post_files(
            start,
            &[
                ("_page", "0"),
                ("_action", "submit"),
                ("name", "Ada Lovelace"),
                ("email", "ada@example.org"),
            ],
            &[("cv", "cv.pdf", &pdf), ("letter", "lettre.pdf", &pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = app.outbox().await;
    let to_julie = subjects(&out, "julie@example.org");
    assert_eq!(to_julie.len(), 2, "{to_julie:?}");
    assert!(
        to_julie
            .iter()
            .any(|s| s.starts_with("Nouvelle réponse : ")),
        "{to_julie:?}"
    );
}

#[tokio::test]
async fn the_digest_goes_once_a_morning_when_something_waits() {
    use chrono::TimeZone;
    let app = TestApp::new().await;
    let (mut staff, _) = app.signed_in_as("julie@example.org", Role::Staff).await;
    staff
        .post("/account/notifications", &[("digest", "1")])
        .await;
    // Nothing waits: nothing sent (and the day is claimed).
    let paris = |d: u32, h: u32| {
        chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 12, d, h, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    assert_eq!(
        maillage_web::send_digests(&app.state, paris(7, 9))
            .await
            .unwrap(),
        0
    );
    // A class request arrives; before seven the next day, nothing; then one.
    let f = testing::bookable(
        &app.db,
        Bookable {
            mode: RegistrationMode::Groups,
            capacity: 35,
            settings: Some(Settings {
                approval: true,
                ..Settings::default()
            }),
            ..Bookable::default()
        },
    )
    .await;
    let class = maillage_db::bookings::Request {
        kind: maillage_domain::booking::BookingKind::Group,
        pupils: 20,
        adults: 2,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("38185".into()),
        class_level: Some(maillage_domain::booking::ClassLevel::Cm2),
        ..testing::seats("Mme Martin", 0)
    };
    let tx = app.db.write().await.unwrap();
    maillage_db::bookings::book(&tx, f.session(), &class, maillage_db::now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        maillage_web::send_digests(&app.state, paris(8, 6))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        maillage_web::send_digests(&app.state, paris(8, 7))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        maillage_web::send_digests(&app.state, paris(8, 18))
            .await
            .unwrap(),
        0
    );
    let out = app.outbox().await;
    let digest = out
        .iter()
        .find(|m| m.to_addr == "julie@example.org")
        .unwrap();
    assert_eq!(digest.subject, "Maillage : à traiter aujourd'hui");
    assert!(
        digest
            .body_text
            .contains("Demandes de classes à valider (1)"),
        "{}",
        digest.body_text
    );
    assert!(digest.body_text.contains("http://localhost:8080/team"));
}
