//! Meetings: minutes whose action becomes a task assigned to its person
//! (in their open tasks and their organisation's shared tasks), open
//! actions carried to the next meeting of the series, attendees with their
//! organisation, and the calendar feed's secret; on both engines, through
//! the audited write path.

use crate::programme::project;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use maillage_db::audit::{self, Actor, AuditFilter};
use maillage_db::organisations::{self, OrganisationData};
use maillage_db::planning::meetings::{self, Action, MeetingData, Who};
use maillage_db::planning::tasks;
use maillage_db::{DbErr, PageRequest, calendar_feeds, now, records, users};
use maillage_domain::planning::{Outcome, TaskStatus};
use maillage_domain::{Email, Locale, Role};

fn data(project: i64, day: u32) -> MeetingData {
    let starts_at = Utc.with_ymd_and_hms(2027, 3, day, 9, 0, 0).unwrap();
    MeetingData {
        project_id: Some(project),
        series: Some("Comité de pilotage".into()),
        title: format!("Comité de pilotage du {day} mars"),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        venue_id: None,
        online_url: Some("https://visio.example.org/copil".into()),
    }
}

#[tokio::test]
async fn an_action_in_the_minutes_is_a_task_of_its_assignee_carried_to_the_next_meeting() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let p = project(&db, "fete-2027").await;
    let tx = db.write().await.unwrap();
    let t = now();
    let org = organisations::insert(
        &tx,
        &OrganisationData {
            name: "La Casemate".into(),
            ..Default::default()
        },
        t,
    )
    .await
    .unwrap();
    let partner = users::create(
        &tx,
        users::NewUser {
            email: &Email::parse("contact@casemate.example.org").unwrap(),
            name: "Inès Partenaire",
            role: Role::Partner,
            organisation_id: Some(org.id),
            password: None,
            locale: Locale::Fr,
        },
        t,
    )
    .await
    .unwrap();
    let first = meetings::insert(&tx, &data(p.id, 2), t).await.unwrap();
    let second = meetings::insert(&tx, &data(p.id, 30), t).await.unwrap();
    let added = records::write(&tx, &actor, t, async |tx, _| {
        meetings::add_attendee(tx, &first, Who::User(partner.id), Some(org.id)).await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    assert!(added);
    let again = records::write(&tx, &actor, t, async |tx, _| {
        meetings::add_attendee(tx, &first, Who::User(partner.id), Some(org.id)).await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    assert!(!again, "an attendee is added once");
    let item = records::write(&tx, &actor, t, async |tx, _| {
        meetings::add_item(tx, &first, "Programme imprimé").await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    let due = NaiveDate::from_ymd_opt(2027, 4, 15).unwrap();
    let action = Action {
        title: "Envoyer les textes du programme".into(),
        assignee: partner.id,
        due_on: due,
        organisation_id: Some(org.id),
        shared: true,
    };
    let recorded = records::write(&tx, &actor, t, async |tx, now| {
        meetings::record_minutes(
            tx,
            &first,
            &item,
            Some("Les textes arrivent trop tard chaque année.".into()),
            Some(Outcome::Action),
            Some(&action),
            now,
        )
        .await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    tx.commit().await.unwrap();

    // The action is a task of the project, of its assignee, of the
    // meeting, shared with the organisation.
    let task = tasks::find(db.conn(), recorded.task_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(task.title, "Envoyer les textes du programme");
    assert_eq!(task.project_id, Some(p.id));
    assert_eq!(task.meeting_id, Some(first.id));
    assert_eq!(task.due_on, Some(due));
    let mine = tasks::open_for(db.conn(), partner.id).await.unwrap();
    assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), [task.id]);
    let shared = tasks::shared_with(db.conn(), org.id).await.unwrap();
    assert_eq!(shared.len(), 1);
    assert!(
        tasks::shared_with(db.conn(), org.id + 1000)
            .await
            .unwrap()
            .is_empty()
    );

    // Carried to the next meeting of the series, not to the first.
    assert_eq!(
        meetings::carried(db.conn(), &second)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect::<Vec<_>>(),
        [task.id]
    );
    assert!(
        meetings::carried(db.conn(), &first)
            .await
            .unwrap()
            .is_empty()
    );
    // Another series carries nothing.
    let other = meetings::MeetingData {
        series: Some("Réunion des animateurs".into()),
        ..data(p.id, 31)
    };
    let tx = db.write().await.unwrap();
    let other = meetings::insert(&tx, &other, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        meetings::carried(db.conn(), &other)
            .await
            .unwrap()
            .is_empty()
    );

    // Done, it is carried no more.
    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::set_status(tx, task.id, TaskStatus::Done, now).await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    tx.commit().await.unwrap();
    assert!(
        meetings::carried(db.conn(), &second)
            .await
            .unwrap()
            .is_empty()
    );

    // Recording the same minutes again revises the task, makes no other.
    let tx = db.write().await.unwrap();
    let item = meetings::find_item(&tx, item.id).await.unwrap().unwrap();
    let later = Action {
        due_on: due + Duration::days(7),
        ..action.clone()
    };
    let again = records::write(&tx, &actor, now(), async |tx, now| {
        meetings::record_minutes(
            tx,
            &first,
            &item,
            item.minutes.clone(),
            Some(Outcome::Action),
            Some(&later),
            now,
        )
        .await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again.task_id, Some(task.id));
    assert_eq!(
        tasks::of_meetings(db.conn(), &[first.id])
            .await
            .unwrap()
            .len(),
        1
    );

    // Attendees and the organisation's meetings.
    let who = meetings::attendees(db.conn(), first.id).await.unwrap();
    assert_eq!(who.len(), 1);
    assert_eq!(who[0].name, "Inès Partenaire");
    assert_eq!(
        who[0].email.as_deref(),
        Some("contact@casemate.example.org")
    );
    let of_org = meetings::of_organisation(db.conn(), org.id).await.unwrap();
    assert_eq!(of_org.iter().map(|m| m.id).collect::<Vec<_>>(), [first.id]);
    assert_eq!(
        meetings::of_user(db.conn(), partner.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Every change has its audit entry.
    let entries = audit::list(
        db.conn(),
        &AuditFilter {
            entity_type: Some("meeting".into()),
            entity_id: Some(first.id.to_string()),
            ..Default::default()
        },
        PageRequest::new(1, 50),
    )
    .await
    .unwrap();
    let actions: Vec<&str> = entries.items.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"add_attendee"), "{actions:?}");
    assert!(actions.contains(&"add_item"), "{actions:?}");
    assert!(actions.contains(&"update"), "{actions:?}");
}

#[tokio::test]
async fn a_calendar_feed_secret_is_kept_as_a_digest_renewed_and_revoked() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    let u = users::create(
        &tx,
        users::NewUser {
            email: &Email::parse("stagiaire@example.org").unwrap(),
            name: "Léa Stagiaire",
            role: Role::Intern,
            organisation_id: None,
            password: None,
            locale: Locale::Fr,
        },
        now(),
    )
    .await
    .unwrap();
    let first = calendar_feeds::renew(&tx, u.id, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        calendar_feeds::owner(db.conn(), &first).await.unwrap(),
        Some(u.id)
    );
    assert!(
        calendar_feeds::made_at(db.conn(), u.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        calendar_feeds::owner(db.conn(), "not-a-token")
            .await
            .unwrap(),
        None
    );

    let tx = db.write().await.unwrap();
    let second = calendar_feeds::renew(&tx, u.id, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_ne!(first, second);
    assert_eq!(
        calendar_feeds::owner(db.conn(), &first).await.unwrap(),
        None,
        "the old address stops"
    );
    assert_eq!(
        calendar_feeds::owner(db.conn(), &second).await.unwrap(),
        Some(u.id)
    );

    let tx = db.write().await.unwrap();
    assert!(calendar_feeds::revoke(&tx, u.id).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(
        calendar_feeds::owner(db.conn(), &second).await.unwrap(),
        None
    );
    assert!(
        calendar_feeds::made_at(db.conn(), u.id)
            .await
            .unwrap()
            .is_none()
    );
}
