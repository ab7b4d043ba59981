//! Rétroplannings: a template applied to a project gives tasks due on the
//! project's dates plus their offsets; moving the project moves its open
//! template tasks and leaves done ones; applying twice changes nothing; on
//! both engines, through the audited write path.

use crate::programme::project;
use chrono::Days;
use maillage_db::audit::Actor;
use maillage_db::planning::tasks::{self, Task};
use maillage_db::planning::templates::{self, NewTask};
use maillage_db::programme::projects;
use maillage_db::records;
use maillage_db::{DbErr, now};
use maillage_domain::planning::{Anchor, Offset, TaskStatus};
use maillage_domain::programme::ProjectKind;

fn due(tasks: &[Task], title: &str) -> chrono::NaiveDate {
    tasks
        .iter()
        .find(|t| t.title == title)
        .and_then(|t| t.due_on)
        .unwrap()
}

#[tokio::test]
async fn a_template_dates_a_project_plan_that_follows_its_dates() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let p = project(&db, "fete-2027").await;
    let (start, end) = (p.data.starts_on, p.data.ends_on);
    let new = |title: &str, anchor, offset| NewTask {
        title: title.into(),
        anchor,
        offset: Offset(offset),
    };
    let tx = db.write().await.unwrap();
    let template = records::write(&tx, &actor, now(), async |tx, now| {
        templates::create(
            tx,
            "Fête de la science",
            Some(ProjectKind::Festival),
            &[
                new("Ouvrir l'appel à partenaires", Anchor::Start, -180),
                new("Imprimer le programme", Anchor::Start, -60),
                new("Bilan aux financeurs", Anchor::End, 30),
            ],
            now,
        )
        .await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    let applied = records::write(&tx, &actor, now(), async |tx, now| {
        tasks::apply_template(tx, &p, &template, now).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(applied, 3);
    assert_eq!(
        templates::find(db.conn(), template.id)
            .await
            .unwrap()
            .unwrap(),
        template
    );

    let plan = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(plan.len(), 3);
    assert_eq!(
        due(&plan, "Ouvrir l'appel à partenaires"),
        start - Days::new(180)
    );
    assert_eq!(due(&plan, "Imprimer le programme"), start - Days::new(60));
    assert_eq!(due(&plan, "Bilan aux financeurs"), end + Days::new(30));
    // Soonest first, all to do.
    assert_eq!(plan[0].title, "Ouvrir l'appel à partenaires");
    assert!(plan.iter().all(|t| t.status == TaskStatus::Todo));

    // The call is opened (done); then the festival moves one week later.
    let opened = plan[0].id;
    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::set_status(tx, opened, TaskStatus::Done, now).await
    })
    .await
    .unwrap();
    let mut d = p.data.clone();
    d.starts_on = start + Days::new(7);
    d.ends_on = end + Days::new(7);
    projects::update(&tx, p.id, &d, now()).await.unwrap();
    tx.commit().await.unwrap();
    let moved = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(
        due(&moved, "Ouvrir l'appel à partenaires"),
        start - Days::new(180)
    );
    assert_eq!(due(&moved, "Imprimer le programme"), start - Days::new(53));
    assert_eq!(due(&moved, "Bilan aux financeurs"), end + Days::new(37));

    // Applied again: nothing new, nothing moved, nothing recorded.
    let p = projects::find(db.conn(), p.id).await.unwrap().unwrap();
    let tx = db.write().await.unwrap();
    let again = records::write(&tx, &actor, now(), async |tx, now| {
        tasks::apply_template(tx, &p, &template, now).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, 0);
    assert_eq!(tasks::of_project(db.conn(), p.id).await.unwrap(), moved);

    // Late: open and due before today; done tasks never are.
    let today = start;
    let late: Vec<&str> = moved
        .iter()
        .filter(|t| t.is_late(today))
        .map(|t| t.title.as_str())
        .collect();
    assert_eq!(late, ["Imprimer le programme"]);
}

#[tokio::test]
async fn a_person_sees_the_open_tasks_assigned_to_them() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let p = project(&db, "fete-2028").await;
    let intern = maillage_db::testing::user(
        db.conn(),
        "stage@example.org",
        maillage_domain::Role::Intern,
    )
    .await;
    let tx = db.write().await.unwrap();
    let template = records::write(&tx, &actor, now(), async |tx, now| {
        templates::create(
            tx,
            "Cycle",
            None,
            &[
                NewTask {
                    title: "Réserver la salle".into(),
                    anchor: Anchor::Start,
                    offset: Offset(-30),
                },
                NewTask {
                    title: "Envoyer l'invitation".into(),
                    anchor: Anchor::Start,
                    offset: Offset(-10),
                },
            ],
            now,
        )
        .await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::apply_template(tx, &p, &template, now).await
    })
    .await
    .unwrap();
    let plan = tasks::of_project(&tx, p.id).await.unwrap();
    for t in &plan {
        records::write(&tx, &actor, now(), async |tx, _| {
            tasks::assign(tx, t.id, intern.id).await
        })
        .await
        .unwrap();
    }
    // Assigning again changes nothing.
    records::write(&tx, &actor, now(), async |tx, _| {
        tasks::assign(tx, plan[0].id, intern.id).await
    })
    .await
    .unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::set_status(tx, plan[1].id, TaskStatus::Done, now).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mine = tasks::open_for(db.conn(), intern.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].title, "Réserver la salle");
    let ids: Vec<i64> = plan.iter().map(|t| t.id).collect();
    let who = tasks::assignees(db.conn(), &ids).await.unwrap();
    assert_eq!(who[&plan[0].id], [intern.id]);
    assert_eq!(who[&plan[1].id], [intern.id]);
}
