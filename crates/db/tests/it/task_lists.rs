//! Tasks listed across projects (filters, late as of a day, pages, their
//! project, template offset and assignees by name) and the daily digest of
//! tasks: who gets it (open tasks late or due soon, the team only, not
//! those who turned it off), claimed once a day whatever the number of
//! instances; on both engines.

use chrono::{Days, NaiveDate};
use maillage_db::audit::Actor;
use maillage_db::outbox::{self, NewMail};
use maillage_db::planning::digest;
use maillage_db::planning::queries::{self, Filter};
use maillage_db::planning::{tasks, templates};
use maillage_db::testing::{self, task};
use maillage_db::{Backend, PageRequest, now, records, users};
use maillage_domain::Role;
use maillage_domain::planning::{Anchor, Offset, TaskStatus};
use sea_orm::ActiveModelTrait;
use sea_orm::ActiveValue::Set;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

fn titles(lines: &[queries::Line]) -> Vec<&str> {
    lines.iter().map(|l| l.title.as_str()).collect()
}

#[tokio::test]
async fn tasks_are_listed_with_filters_pages_and_their_people() {
    let db = crate::db().await;
    let c = db.conn();
    let fete = testing::project(c, &testing::project_data("fete-2027", "Fête 2027", 2027)).await;
    let jam = testing::project(c, &testing::project_data("jam-2027", "Game Jam", 2027)).await;
    let zoe = testing::user_named(c, "zoe@example.org", "Zoé", Role::Staff).await;
    let ada = testing::user_named(c, "ada@example.org", "Ada", Role::Intern).await;
    let today = day(3, 10);
    let late = task(
        c,
        Some(fete.id),
        "Réserver les salles",
        TaskStatus::Todo,
        Some(day(3, 1)),
        &[zoe.id, ada.id],
    )
    .await;
    let soon = task(
        c,
        Some(fete.id),
        "Imprimer",
        TaskStatus::InProgress,
        Some(day(3, 12)),
        &[ada.id],
    )
    .await;
    let done = task(
        c,
        Some(jam.id),
        "Trouver le jury",
        TaskStatus::Done,
        Some(day(2, 1)),
        &[ada.id],
    )
    .await;
    let team = task(c, None, "Ranger le local", TaskStatus::Waiting, None, &[]).await;
    let today_task = task(
        c,
        Some(jam.id),
        "Le jour même",
        TaskStatus::Todo,
        Some(today),
        &[],
    )
    .await;

    let all = queries::all(c, &Filter::new(today)).await.unwrap();
    assert_eq!(
        all.iter().map(|l| l.id).collect::<Vec<_>>(),
        [done, late, today_task, soon, team],
        "soonest first, undated last"
    );
    let l = &all[1];
    assert_eq!(l.project.as_ref().unwrap().slug, "fete-2027");
    assert_eq!(l.project.as_ref().unwrap().name, "Fête 2027");
    assert_eq!(
        l.assignees
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Ada", "Zoé"]
    );
    assert!(l.is_late(today));
    assert!(all[4].project.is_none() && all[4].assignees.is_empty());
    assert!(!all[0].is_late(today), "done is never late");
    assert!(!all[2].is_late(today), "due today is not late yet");

    let with = |f: Filter| async move { queries::all(c, &f).await.unwrap() };
    let late_only = with(Filter {
        late: Some(true),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(titles(&late_only), ["Réserver les salles"]);
    let not_late = with(Filter {
        late: Some(false),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(not_late.len(), 4);
    assert!(!not_late.iter().any(|l| l.id == late));
    let of_ada = with(Filter {
        assignee: Some(ada.id),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(
        titles(&of_ada),
        ["Trouver le jury", "Réserver les salles", "Imprimer"]
    );
    let open_of_ada = with(Filter {
        assignee: Some(ada.id),
        open: true,
        ..Filter::new(today)
    })
    .await;
    assert_eq!(titles(&open_of_ada), ["Réserver les salles", "Imprimer"]);
    let jam_tasks = with(Filter {
        project: Some(jam.id),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(titles(&jam_tasks), ["Trouver le jury", "Le jour même"]);
    let waiting = with(Filter {
        status: Some(TaskStatus::Waiting),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(titles(&waiting), ["Ranger le local"]);
    let week = with(Filter {
        due_from: Some(day(3, 8)),
        due_to: Some(day(3, 14)),
        ..Filter::new(today)
    })
    .await;
    assert_eq!(titles(&week), ["Le jour même", "Imprimer"]);

    // Pages: the total, then each task once.
    let mut seen = Vec::new();
    for n in 1..=3 {
        let page = queries::list(c, &Filter::new(today), PageRequest::new(n, 2))
            .await
            .unwrap();
        assert_eq!(page.total, 5);
        assert_eq!(page.has_next(), n < 3);
        seen.extend(page.items.iter().map(|l| l.id));
    }
    assert_eq!(seen, [done, late, today_task, soon, team]);
    let filtered = queries::list(
        c,
        &Filter {
            assignee: Some(zoe.id),
            ..Filter::new(today)
        },
        PageRequest::new(1, 2),
    )
    .await
    .unwrap();
    assert_eq!((filtered.total, filtered.items.len()), (1, 1));

    // The team, by name; partners and disabled accounts are not in it.
    testing::user_named(c, "p@example.org", "Paul", Role::Partner).await;
    let gone = testing::user_named(c, "gone@example.org", "Bob", Role::Staff).await;
    users::entity::ActiveModel {
        id: Set(gone.id),
        disabled_at: Set(Some(now())),
        ..Default::default()
    }
    .update(c)
    .await
    .unwrap();
    let names: Vec<String> = queries::team(c)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Ada", "Zoé"]);
}

#[tokio::test]
async fn a_template_task_carries_its_offset() {
    let db = crate::db().await;
    let p = testing::project(
        db.conn(),
        &testing::project_data("fete-2027", "Fête 2027", 2027),
    )
    .await;
    let tx = db.write().await.unwrap();
    let actor = Actor::system("test");
    let template = records::write(&tx, &actor, now(), async |tx, now| {
        templates::create(
            tx,
            "Fête",
            None,
            &[templates::NewTask {
                title: "Imprimer le programme".into(),
                anchor: Anchor::Start,
                offset: Offset(-60),
            }],
            now,
        )
        .await
    })
    .await
    .map_err(|e: maillage_db::DbErr| e)
    .unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::apply_template(tx, &p, &template, now).await
    })
    .await
    .unwrap();
    task(&tx, Some(p.id), "À la main", TaskStatus::Todo, None, &[]).await;
    tx.commit().await.unwrap();
    let all = queries::all(db.conn(), &Filter::new(day(1, 1)))
        .await
        .unwrap();
    assert_eq!(titles(&all), ["Imprimer le programme", "À la main"]);
    assert_eq!(all[0].template_offset_days, Some(-60));
    assert_eq!(all[0].due_on, Some(p.data.starts_on - Days::new(60)));
    assert_eq!(all[1].template_offset_days, None);
}

#[tokio::test]
async fn the_digest_goes_to_those_with_late_or_soon_tasks_once_a_day() {
    let db = crate::db().await;
    let c = db.conn();
    let today = day(3, 10);
    let until = today + Days::new(7);
    let zoe = testing::user(c, "zoe@example.org", Role::Staff).await;
    let ada = testing::user(c, "ada@example.org", Role::Volunteer).await;
    let far = testing::user(c, "far@example.org", Role::Intern).await;
    let done = testing::user(c, "done@example.org", Role::Admin).await;
    let off = testing::user(c, "off@example.org", Role::Staff).await;
    let partner = testing::user(c, "partner@example.org", Role::Partner).await;
    testing::user(c, "none@example.org", Role::Staff).await;
    task(
        c,
        None,
        "En retard",
        TaskStatus::Todo,
        Some(day(2, 1)),
        &[zoe.id, off.id, partner.id],
    )
    .await;
    task(
        c,
        None,
        "Dans la semaine",
        TaskStatus::Waiting,
        Some(until),
        &[ada.id],
    )
    .await;
    task(
        c,
        None,
        "Plus tard",
        TaskStatus::Todo,
        Some(until + Days::new(1)),
        &[far.id],
    )
    .await;
    task(c, None, "Sans date", TaskStatus::Todo, None, &[far.id]).await;
    task(
        c,
        None,
        "Fini",
        TaskStatus::Done,
        Some(day(3, 1)),
        &[done.id],
    )
    .await;
    task(
        c,
        None,
        "Abandonné",
        TaskStatus::Dropped,
        Some(day(3, 11)),
        &[done.id],
    )
    .await;
    assert!(digest::is_on(c, off.id).await.unwrap(), "on by default");
    digest::set_on(c, off.id, false).await.unwrap();
    digest::set_on(c, off.id, false).await.unwrap();
    assert!(!digest::is_on(c, off.id).await.unwrap());

    let emails = |v: Vec<users::User>| v.into_iter().map(|u| u.email).collect::<Vec<_>>();
    let who = emails(digest::recipients(c, today, until).await.unwrap());
    assert_eq!(who, ["zoe@example.org", "ada@example.org"]);

    // Claimed once a day.
    let tx = db.write().await.unwrap();
    assert!(digest::claim(&tx, zoe.id, today).await.unwrap());
    assert!(!digest::claim(&tx, zoe.id, today).await.unwrap());
    tx.commit().await.unwrap();
    let who = emails(digest::recipients(c, today, until).await.unwrap());
    assert_eq!(who, ["ada@example.org"], "Zoé had hers today");
    let other = db.second_instance().await;
    let tx = other.write().await.unwrap();
    assert!(
        !digest::claim(&tx, zoe.id, today).await.unwrap(),
        "another instance"
    );
    assert!(
        digest::claim(&tx, zoe.id, today + Days::new(1))
            .await
            .unwrap(),
        "the next day"
    );
    assert_eq!(
        digest::forget_before(&tx, today + Days::new(1))
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();

    // Turned on again, it comes back (Zoé had hers the next day).
    digest::set_on(c, off.id, true).await.unwrap();
    let next = today + Days::new(1);
    let who = emails(digest::recipients(c, next, until).await.unwrap());
    assert_eq!(who, ["ada@example.org", "off@example.org"]);
}

/// Two instances claiming the same person's day at once, each queuing the
/// e-mail in its claim's transaction: one e-mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_claiming_at_once_send_one_digest() {
    let db = crate::db().await;
    let zoe = testing::user(db.conn(), "zoe@example.org", Role::Staff).await;
    let today = day(3, 10);
    let other = db.second_instance().await;
    // On PostgreSQL both transactions are open before either claims; on
    // SQLite a write transaction waits for the other's end.
    let both = (db.backend() == Backend::Postgres)
        .then(|| std::sync::Arc::new(tokio::sync::Barrier::new(2)));
    let mut handles = Vec::new();
    for pool in [db.db.clone(), other] {
        let both = both.clone();
        handles.push(tokio::spawn(async move {
            let tx = pool.write().await.unwrap();
            if let Some(b) = both {
                b.wait().await;
            }
            let claimed = digest::claim(&tx, zoe.id, today).await.unwrap();
            if claimed {
                let mail = NewMail {
                    to_addr: "zoe@example.org".into(),
                    to_name: None,
                    subject: "Vos tâches".into(),
                    body_text: "…".into(),
                    body_html: None,
                    ics: None,
                };
                outbox::enqueue(&tx, mail, now()).await.unwrap();
            }
            tx.commit().await.unwrap();
            claimed
        }));
    }
    let mut claims = 0;
    for h in handles {
        claims += usize::from(h.await.unwrap());
    }
    assert_eq!(claims, 1);
    let queued = outbox::list(db.conn(), None, PageRequest::new(1, 10))
        .await
        .unwrap();
    assert_eq!(queued.total, 1);
}
