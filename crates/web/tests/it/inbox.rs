//! The team's home is its inbox: what waits, by role, each line a link to
//! where it is done.

use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::TimeDelta;
use maillage_db::bookings::{self, Request, Settings};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_db::testing::{self, Bookable, seats};
use maillage_domain::Role;
use maillage_domain::booking::{BookingKind, ClassLevel};
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn staff_find_the_class_requests_and_volunteers_the_week() {
    let app = TestApp::new().await;
    let slot = testing::bookable(
        &app.db,
        Bookable {
            title: "Planétarium pour les classes",
            mode: RegistrationMode::Groups,
            capacity: 40,
            settings: Some(Settings {
                approval: true,
                one_group: true,
                ..Settings::default()
            }),
            ..Bookable::default()
        },
    )
    .await;
    let class = Request {
        kind: BookingKind::Group,
        pupils: 24,
        adults: 2,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("38185".into()),
        class_level: Some(ClassLevel::Cm2),
        ..seats("Mme Martin", 0)
    };
    let tx = app.db.write().await.unwrap();
    bookings::book(&tx, slot.session(), &class, maillage_db::now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();

    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff.get("/team").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains("À traiter"), "{b}");
    assert!(b.contains("Demandes de classes à valider (1)"), "{b}");
    let link = format!(r#"href="/team/sessions/{}/bookings""#, slot.session());
    assert!(b.contains(&link), "{b}");
    assert!(b.contains("1 demande en attente de validation"));
    // The session is ten days away: not in the week.
    assert!(b.contains("Aucune séance dans les 7 prochains jours."));
    assert!(b.contains("Séances passées sans questionnaire (0)"));

    // A volunteer sees the week and nothing to approve.
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    let r = volunteer.get("/team").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Demandes de classes"));
    assert!(!r.body.contains("Réponses aux appels"));
    assert!(r.body.contains("Séances des 7 prochains jours"));
    // Partners have their own space.
    let mut partner = app.signed_in(Role::Partner).await;
    assert_eq!(partner.get("/team").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_week_shows_each_sessions_fill_and_a_volunteer_goes_to_check_in() {
    let app = TestApp::new().await;
    let talk = testing::bookable(&app.db, Bookable::default()).await;
    // Brought into the coming week.
    let soon = maillage_db::now() + TimeDelta::days(2);
    let c = app.db.conn();
    let s = sessions::find(c, talk.session()).await.unwrap().unwrap();
    let length = s.data.ends_at - s.data.starts_at;
    let moved = SessionData {
        starts_at: soon,
        ends_at: soon + length,
        ..s.data
    };
    sessions::update(c, s.id, &moved, maillage_db::now())
        .await
        .unwrap();
    let tx = app.db.write().await.unwrap();
    bookings::book(&tx, talk.session(), &seats("Ada", 4), maillage_db::now())
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let mut volunteer = app.signed_in(Role::Volunteer).await;
    let r = volunteer.get("/team").await;
    assert!(r.body.contains("4 / 10 places (40 %)"), "{}", r.body);
    let check_in = format!("/team/sessions/{}/checkin", talk.session());
    assert!(r.body.contains(&format!(r#"href="{check_in}""#)));
    assert_eq!(volunteer.get(&check_in).await.status, StatusCode::OK);
    let mut staff = app.signed_in(Role::Staff).await;
    let r = staff.get("/team").await;
    assert!(r.body.contains(&format!(
        r#"href="/team/sessions/{}/bookings""#,
        talk.session()
    )));
    // A session to evaluate leads to a new questionnaire on its activity.
    let r = staff
        .get(&format!("/team/forms/new?activity={}", talk.activity_id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!(
            r#"<option value="{}" selected>"#,
            talk.activity_id
        )),
        "{}",
        r.body
    );
}
