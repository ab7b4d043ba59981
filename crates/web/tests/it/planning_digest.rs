//! The daily digest of tasks: from 7:00 (Paris), once a day, to each member
//! of the team with open tasks late or due within 7 days, in their
//! language: the late ones with how late, then those due soon, each with
//! its project and plan; nobody without such tasks; turned off from the
//! notifications page; one e-mail when two instances send at once.

use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use maillage_db::testing::{self, task};
use maillage_db::users::{self, NewUser, User};
use maillage_domain::planning::TaskStatus;
use maillage_domain::{Email, Locale, Role};
use maillage_web::{AppState, send_task_digests};

fn paris(d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Paris
        .with_ymd_and_hms(2027, 3, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Wednesday 10 March 2027.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()
}

async fn person(app: &TestApp, email: &str, name: &str, role: Role, locale: Locale) -> User {
    users::create(
        app.db.conn(),
        NewUser {
            email: &Email::parse(email).unwrap(),
            name,
            role,
            organisation_id: None,
            password: None,
            locale,
        },
        maillage_db::now(),
    )
    .await
    .unwrap()
}

struct Tasks {
    project: i64,
    late: i64,
    soon: i64,
}

/// For `who`: one task three days late, one due in two days, one due
/// today (of the team), and tasks the digest leaves out: due in ten days,
/// done, undated.
async fn tasks_of(app: &TestApp, who: &[i64]) -> Tasks {
    let c = app.db.conn();
    let p = testing::project(
        c,
        &testing::project_data("fete", "Fête de la science", 2027),
    )
    .await;
    let t = today();
    let d = |n: u64| Some(t + Days::new(n));
    let late = task(
        c,
        Some(p.id),
        "Réserver les salles",
        TaskStatus::InProgress,
        Some(t - Days::new(3)),
        who,
    )
    .await;
    let soon = task(
        c,
        Some(p.id),
        "Imprimer le programme",
        TaskStatus::Todo,
        d(2),
        who,
    )
    .await;
    task(c, None, "Ranger le local", TaskStatus::Waiting, d(0), who).await;
    task(c, Some(p.id), "Bilan", TaskStatus::Todo, d(10), who).await;
    task(
        c,
        Some(p.id),
        "Déjà fait",
        TaskStatus::Done,
        Some(t - Days::new(1)),
        who,
    )
    .await;
    task(c, None, "Un jour", TaskStatus::Todo, None, who).await;
    Tasks {
        project: p.id,
        late,
        soon,
    }
}

#[tokio::test]
async fn late_and_soon_tasks_are_mailed_once_a_morning_in_french() {
    let app = TestApp::new().await;
    let zoe = person(&app, "zoe@example.org", "Zoé", Role::Staff, Locale::Fr).await;
    let partner = person(&app, "p@example.org", "Paul", Role::Partner, Locale::Fr).await;
    person(&app, "idle@example.org", "Idle", Role::Staff, Locale::Fr).await;
    let t = tasks_of(&app, &[zoe.id, partner.id]).await;

    assert_eq!(
        send_task_digests(&app.state, paris(10, 6)).await.unwrap(),
        0,
        "before seven"
    );
    assert_eq!(
        send_task_digests(&app.state, paris(10, 7)).await.unwrap(),
        1
    );
    assert_eq!(
        send_task_digests(&app.state, paris(10, 18)).await.unwrap(),
        0,
        "once a day"
    );
    assert!(
        app.mails_to("p@example.org").await.is_empty(),
        "partners are not the team"
    );
    assert!(
        app.mails_to("idle@example.org").await.is_empty(),
        "nothing to say"
    );
    let mails = app.mails_to("zoe@example.org").await;
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.subject, "Maillage : vos tâches (1 en retard)");
    let body = &m.body_text;
    assert!(body.starts_with("Bonjour Zoé,"), "{body}");
    let plan = |id: i64| {
        format!(
            "http://localhost:8080/team/projects/{}/plan#task-{id}",
            t.project
        )
    };
    let late = body.find("En retard (1)").expect(body);
    let soon = body
        .find("À faire dans les 7 prochains jours (2)")
        .expect(body);
    assert!(late < soon, "late ones first");
    assert!(body.contains(
        "- Réserver les salles — Fête de la science — en retard de 3 jours (échéance : dimanche 7 mars 2027)"
    ), "{body}");
    assert!(body.contains(&plan(t.late)));
    assert!(
        body.contains("- Ranger le local — Tâche de l’équipe — échéance : aujourd’hui"),
        "{body}"
    );
    assert!(body.contains(
        "- Imprimer le programme — Fête de la science — échéance : vendredi 12 mars 2027"
    ));
    assert!(body.contains(&plan(t.soon)));
    assert!(
        late < body.find("Ranger le local").unwrap()
            && body.find("Ranger le local").unwrap() > soon
    );
    for left_out in ["Bilan", "Déjà fait", "Un jour"] {
        assert!(!body.contains(left_out), "{left_out}: {body}");
    }
    assert!(body.contains("Toutes vos tâches : http://localhost:8080/team/tasks"));
    assert!(body.contains("http://localhost:8080/account/notifications"));

    // The next morning, again.
    assert_eq!(
        send_task_digests(&app.state, paris(11, 7)).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn english_readers_get_it_in_english() {
    let app = TestApp::new().await;
    let ada = person(&app, "ada@example.org", "Ada", Role::Volunteer, Locale::En).await;
    let c = app.db.conn();
    task(
        c,
        None,
        "Sort the posters",
        TaskStatus::Todo,
        Some(today() - Days::new(1)),
        &[ada.id],
    )
    .await;
    task(
        c,
        None,
        "Call the printer",
        TaskStatus::Todo,
        Some(today()),
        &[ada.id],
    )
    .await;
    assert_eq!(
        send_task_digests(&app.state, paris(10, 9)).await.unwrap(),
        1
    );
    let m = &app.mails_to("ada@example.org").await[0];
    assert_eq!(m.subject, "Maillage: your tasks (1 late)");
    let body = &m.body_text;
    assert!(body.starts_with("Hello Ada,"), "{body}");
    assert!(body.contains("Late (1)"));
    assert!(
        body.contains("- Sort the posters — Team task — 1 day late (due Tuesday 9 March 2027)"),
        "{body}"
    );
    assert!(body.contains("Due within the next 7 days (1)"));
    assert!(body.contains("- Call the printer — Team task — due today"));
    assert!(body.contains("All your tasks: http://localhost:8080/team/tasks"));
    assert!(!body.contains("échéance") && !body.contains("Bonjour"));
    // Only due soon: the plain subject.
    let bob = person(&app, "bob@example.org", "Bob", Role::Intern, Locale::En).await;
    task(
        c,
        None,
        "Book the bus",
        TaskStatus::Todo,
        Some(today() + Days::new(7)),
        &[bob.id],
    )
    .await;
    assert_eq!(
        send_task_digests(&app.state, paris(10, 10)).await.unwrap(),
        1
    );
    let m = &app.mails_to("bob@example.org").await[0];
    assert_eq!(m.subject, "Maillage: your tasks for the next 7 days");
    assert!(!m.body_text.contains("Late ("));
}

#[tokio::test]
async fn the_digest_is_on_by_default_and_turned_off_on_the_notifications_page() {
    let app = TestApp::new().await;
    let (mut c, me) = app.signed_in_as("julie@example.org", Role::Intern).await;
    tasks_of(&app, &[me.id]).await;
    let page = c.get("/account/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"name="task_digest" value="1" checked"#),
        "{}",
        page.body
    );
    // Saved without it: off, and nothing is sent.
    let r = c.post("/account/notifications", &[("digest", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get("/account/notifications").await;
    assert!(
        page.body.contains(r#"name="task_digest" value="1">"#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"name="digest" value="1" checked"#),
        "the other choices saved"
    );
    assert_eq!(
        send_task_digests(&app.state, paris(10, 8)).await.unwrap(),
        0
    );
    assert!(app.mails_to("julie@example.org").await.is_empty());
    // On again: the next morning it comes.
    c.post("/account/notifications", &[("task_digest", "1")])
        .await;
    assert_eq!(
        send_task_digests(&app.state, paris(11, 8)).await.unwrap(),
        1
    );
    assert_eq!(app.mails_to("julie@example.org").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_sending_at_once_send_one_email_each() {
    let app = TestApp::new().await;
    let zoe = person(&app, "zoe@example.org", "Zoé", Role::Staff, Locale::Fr).await;
    let ada = person(&app, "ada@example.org", "Ada", Role::Intern, Locale::Fr).await;
    tasks_of(&app, &[zoe.id, ada.id]).await;
    let other = AppState::new(app.db.second_instance().await, (*app.state.config).clone());
    let (a, b) = tokio::join!(
        send_task_digests(&app.state, paris(10, 7)),
        send_task_digests(&other, paris(10, 7)),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    assert_eq!(app.mails_to("zoe@example.org").await.len(), 1);
    assert_eq!(app.mails_to("ada@example.org").await.len(), 1);
}
