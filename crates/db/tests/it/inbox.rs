//! What waits for the team: class requests, unassigned call answers, the
//! week's sessions with their fill, waiting lists, sessions to evaluate.

use crate::forms::{open_call, submitted};
use chrono::TimeDelta;
use maillage_db::bookings::{self, Request, Settings};
use maillage_db::forms::{self, FormData};
use maillage_db::inbox;
use maillage_db::now;
use maillage_db::testing::{self, Bookable, seats};
use maillage_domain::booking::{BookingKind, BookingStatus, ClassLevel};
use maillage_domain::forms::{CallKind, Purpose};
use maillage_domain::programme::RegistrationMode;

#[tokio::test]
async fn the_inbox_lists_what_waits_and_forgets_what_is_done() {
    let db = crate::db().await;
    let t = now();
    // A planetarium slot taken by classes that staff approve.
    let planetarium = testing::bookable(
        &db,
        Bookable {
            title: "Planétarium pour les classes",
            mode: RegistrationMode::Groups,
            capacity: 40,
            settings: Some(Settings {
                approval: true,
                one_group: true,
                ..Settings::default()
            }),
            sessions: 2,
            ..Bookable::default()
        },
    )
    .await;
    let slot = planetarium.session();
    let class = |name: &str| Request {
        kind: BookingKind::Group,
        pupils: 24,
        adults: 2,
        school_name: Some("École Jean Jaurès".into()),
        school_commune: Some("38185".into()),
        class_level: Some(ClassLevel::Cm2),
        ..seats(name, 0)
    };
    // A talk with individual seats.
    let talk = testing::bookable(&db, Bookable::default()).await;
    let tx = db.write().await.unwrap();
    let first = bookings::book(&tx, slot, &class("Mme Martin"), t)
        .await
        .unwrap()
        .unwrap();
    let second = bookings::book(&tx, slot, &class("M. Petit"), t)
        .await
        .unwrap()
        .unwrap();
    let ada = bookings::book(&tx, talk.session(), &seats("Ada", 3), t)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(first.status, BookingStatus::Pending);
    assert_eq!(second.status, BookingStatus::Waitlisted);
    assert_eq!(ada.status, BookingStatus::Confirmed);
    // Two answers to a call, nobody assigned.
    let call = open_call(&db, CallKind::Participation).await;
    submitted(&db, &call, "Atelier fusées").await;
    submitted(&db, &call, "Conférence").await;

    let w = inbox::work(db.conn(), t).await.unwrap();
    assert_eq!(
        w.requests
            .iter()
            .map(|l| (l.session_id, l.pending))
            .collect::<Vec<_>>(),
        [(slot, 1)]
    );
    assert_eq!(
        w.waiting
            .iter()
            .map(|l| (l.session_id, l.waiting, l.offers))
            .collect::<Vec<_>>(),
        [(slot, 1, 0)]
    );
    assert_eq!(w.answers.len(), 1);
    assert_eq!(
        (w.answers[0].call_id, w.answers[0].unassigned),
        (call.id, 2)
    );
    // The sessions are ten days away: not this week yet.
    assert!(w.week.is_empty());

    // Two days before: the week shows them with their fill.
    let before = t + TimeDelta::days(8);
    let w = inbox::work(db.conn(), before).await.unwrap();
    let talk_line = w
        .week
        .iter()
        .find(|l| l.session_id == talk.session())
        .unwrap();
    assert_eq!((talk_line.held, talk_line.capacity), (3, Some(10)));
    let slot_line = w.week.iter().find(|l| l.session_id == slot).unwrap();
    assert_eq!(slot_line.held, 26, "the pending class holds its places");

    // Approved: no request left.
    let tx = db.write().await.unwrap();
    bookings::decide(&tx, &first, true, t).await.unwrap();
    tx.commit().await.unwrap();
    assert!(inbox::work(db.conn(), t).await.unwrap().requests.is_empty());

    // Two days after: the talk (with a confirmed booking) waits for its
    // evaluation, until a questionnaire on its activity exists.
    let after = t + TimeDelta::days(12);
    let w = inbox::work(db.conn(), after).await.unwrap();
    assert!(w.to_evaluate.iter().any(|l| l.session_id == talk.session()));
    let schema = maillage_db::demo::forms::questionnaire_schema();
    forms::create(
        db.conn(),
        &FormData {
            title: "Votre avis".into(),
            purpose: Purpose::Questionnaire,
            project_id: None,
            activity_id: Some(talk.activity_id),
            session_id: None,
            audience: None,
            anonymous: true,
            one_per_link: false,
            opens_at: None,
            closes_at: None,
        },
        &schema,
        t,
    )
    .await
    .unwrap();
    let w = inbox::work(db.conn(), after).await.unwrap();
    assert!(!w.to_evaluate.iter().any(|l| l.session_id == talk.session()));
}
