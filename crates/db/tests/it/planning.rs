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

/// `action` of each entry of template `id`, oldest first.
async fn template_actions(db: &maillage_db::Db, id: i64) -> Vec<String> {
    let filter = maillage_db::audit::AuditFilter {
        entity_type: Some("plan_template".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let page = maillage_db::audit::list(db.conn(), &filter, maillage_db::PageRequest::new(1, 100))
        .await
        .unwrap();
    page.items.iter().rev().map(|e| e.action.clone()).collect()
}

fn titles(t: &templates::Template) -> Vec<&str> {
    t.tasks.iter().map(|x| x.title.as_str()).collect()
}

#[tokio::test]
async fn staff_edit_a_template_and_its_tasks_in_order() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let tx = db.write().await.unwrap();
    let t = records::write(&tx, &actor, now(), async |tx, now| {
        templates::create(tx, "Game jam", None, &[], now).await
    })
    .await
    .map_err(|e: DbErr| e)
    .unwrap();
    // Renamed, its kind set; the same values again record nothing.
    for _ in 0..2 {
        let renamed = records::write(&tx, &actor, now(), async |tx, now| {
            templates::update(
                tx,
                t.id,
                "Scientific Game Jam",
                Some(ProjectKind::GameJam),
                now,
            )
            .await
        })
        .await
        .unwrap();
        assert_eq!(renamed.name, "Scientific Game Jam");
    }
    let mut ids = Vec::new();
    for (title, anchor, days) in [
        ("Trouver le laboratoire partenaire", Anchor::Start, -150),
        ("Ouvrir les inscriptions", Anchor::Start, -45),
        ("Annoncer les lauréats", Anchor::End, 2),
    ] {
        let added = records::write(&tx, &actor, now(), async |tx, now| {
            templates::add_task(
                tx,
                t.id,
                &NewTask {
                    title: title.into(),
                    anchor,
                    offset: Offset(days),
                },
                now,
            )
            .await
        })
        .await
        .unwrap();
        ids.push(added.id);
    }
    tx.commit().await.unwrap();
    let found = templates::find(db.conn(), t.id).await.unwrap().unwrap();
    assert_eq!(found.name, "Scientific Game Jam");
    assert_eq!(found.project_kind, Some(ProjectKind::GameJam));
    assert_eq!(
        titles(&found),
        [
            "Trouver le laboratoire partenaire",
            "Ouvrir les inscriptions",
            "Annoncer les lauréats"
        ]
    );
    assert_eq!(
        templates::find_task(db.conn(), ids[2]).await.unwrap(),
        Some((t.id, found.tasks[2].clone()))
    );

    // Edited; the last one moved up twice (then not further), the first
    // one down; the middle one removed.
    let tx = db.write().await.unwrap();
    let edited = records::write(&tx, &actor, now(), async |tx, now| {
        templates::edit_task(
            tx,
            ids[1],
            &NewTask {
                title: "Ouvrir les inscriptions des équipes".into(),
                anchor: Anchor::End,
                offset: Offset(-50),
            },
            now,
        )
        .await
    })
    .await
    .unwrap();
    assert_eq!(edited.offset, Offset(-50));
    let mut moved = Vec::new();
    for (id, way) in [
        (ids[2], templates::Move::Up),
        (ids[2], templates::Move::Up),
        (ids[2], templates::Move::Up),
        (ids[0], templates::Move::Down),
    ] {
        moved.push(
            records::write(&tx, &actor, now(), async |tx, now| {
                templates::move_task(tx, id, way, now).await
            })
            .await
            .unwrap(),
        );
    }
    assert_eq!(moved, [true, true, false, true]);
    tx.commit().await.unwrap();
    let found = templates::find(db.conn(), t.id).await.unwrap().unwrap();
    assert_eq!(
        titles(&found),
        [
            "Annoncer les lauréats",
            "Ouvrir les inscriptions des équipes",
            "Trouver le laboratoire partenaire"
        ]
    );
    assert_eq!(found.tasks[1].anchor, Anchor::End);
    assert_eq!(found.tasks[1].offset, Offset(-50));

    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        templates::remove_task(tx, ids[0], now).await
    })
    .await
    .unwrap();
    // A task added after moves and a removal goes last.
    records::write(&tx, &actor, now(), async |tx, now| {
        templates::add_task(
            tx,
            t.id,
            &NewTask {
                title: "Bilan".into(),
                anchor: Anchor::End,
                offset: Offset(30),
            },
            now,
        )
        .await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let found = templates::find(db.conn(), t.id).await.unwrap().unwrap();
    assert_eq!(
        titles(&found),
        [
            "Annoncer les lauréats",
            "Ouvrir les inscriptions des équipes",
            "Bilan"
        ]
    );
    assert_eq!(templates::find_task(db.conn(), ids[0]).await.unwrap(), None);
    assert_eq!(
        template_actions(&db, t.id).await,
        [
            "create",
            "update",
            "add_task",
            "add_task",
            "add_task",
            "edit_task",
            "move_task",
            "move_task",
            "move_task",
            "remove_task",
            "add_task"
        ]
    );

    // Unknown ids are errors, not silent successes.
    let tx = db.write().await.unwrap();
    let missing = records::write(&tx, &actor, now(), async |tx, now| {
        templates::move_task(tx, ids[0], templates::Move::Up, now).await
    })
    .await;
    assert!(
        matches!(missing, Err(DbErr::RecordNotFound(_))),
        "{missing:?}"
    );
}

#[tokio::test]
async fn an_edited_offset_moves_open_tasks_when_the_project_moves_and_deleting_keeps_them() {
    let db = crate::db().await;
    let actor = Actor::system("test");
    let p = project(&db, "fete-2029").await;
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
            "Fête",
            Some(ProjectKind::Festival),
            &[
                new("Imprimer le programme", Anchor::Start, -60),
                new("Réserver les lieux", Anchor::Start, -130),
                new("Bilan", Anchor::End, 30),
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
    let booked = tasks::of_project(&tx, p.id)
        .await
        .unwrap()
        .iter()
        .find(|t| t.title == "Réserver les lieux")
        .unwrap()
        .id;
    records::write(&tx, &actor, now(), async |tx, now| {
        tasks::set_status(tx, booked, TaskStatus::Done, now).await
    })
    .await
    .unwrap();
    // The printing earlier and counted from the last day; the venues too
    // (but they are booked); the bilan later.
    let [print, venues, bilan] = [0, 1, 2].map(|i| template.tasks[i].id);
    for (id, t) in [
        (print, new("Imprimer le programme", Anchor::End, -75)),
        (venues, new("Réserver les lieux", Anchor::Start, -200)),
        (bilan, new("Bilan aux financeurs", Anchor::End, 45)),
    ] {
        records::write(&tx, &actor, now(), async |tx, now| {
            templates::edit_task(tx, id, &t, now).await
        })
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let plan = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(due(&plan, "Imprimer le programme"), start - Days::new(60));
    assert_eq!(due(&plan, "Bilan"), end + Days::new(30));

    let tx = db.write().await.unwrap();
    let mut d = p.data.clone();
    d.starts_on = start + Days::new(7);
    d.ends_on = end + Days::new(7);
    projects::update(&tx, p.id, &d, now()).await.unwrap();
    tx.commit().await.unwrap();
    let moved = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(
        due(&moved, "Imprimer le programme"),
        end + Days::new(7) - Days::new(75)
    );
    // Done: it stays where it was.
    assert_eq!(due(&moved, "Réserver les lieux"), start - Days::new(130));
    // Its title is the project's own; its date follows the new offset.
    assert_eq!(due(&moved, "Bilan"), end + Days::new(7 + 45));

    // A template task removed, then the template deleted: the project's
    // tasks stay, dated, no longer tied to a template, and no longer move.
    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, now| {
        templates::remove_task(tx, bilan, now).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let after = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(after.len(), 3);
    let tied: Vec<Option<i64>> = after.iter().map(|t| t.template_task_id).collect();
    assert!(
        tied.contains(&None) && tied.contains(&Some(print)),
        "{tied:?}"
    );
    let tx = db.write().await.unwrap();
    records::write(&tx, &actor, now(), async |tx, _| {
        templates::delete(tx, template.id).await
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(templates::find(db.conn(), template.id).await.unwrap(), None);
    assert_eq!(templates::find_task(db.conn(), print).await.unwrap(), None);
    let kept = tasks::of_project(db.conn(), p.id).await.unwrap();
    assert_eq!(kept.len(), 3);
    assert!(kept.iter().all(|t| t.template_task_id.is_none()));
    assert_eq!(
        kept.iter().map(|t| (t.id, t.due_on)).collect::<Vec<_>>(),
        moved.iter().map(|t| (t.id, t.due_on)).collect::<Vec<_>>()
    );
    let tx = db.write().await.unwrap();
    d.starts_on = start + Days::new(14);
    d.ends_on = end + Days::new(14);
    projects::update(&tx, p.id, &d, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(tasks::of_project(db.conn(), p.id).await.unwrap(), kept);
    assert_eq!(
        template_actions(&db, template.id)
            .await
            .last()
            .map(String::as_str),
        Some("delete")
    );
}

#[tokio::test]
async fn the_demo_has_a_template_for_each_kind_applied_to_the_project_to_come() {
    let db = crate::demo::loaded_demo().await;
    let today = now().date_naive();
    let all = templates::list(db.conn()).await.unwrap();
    for (kind, added) in [
        (ProjectKind::Festival, false),
        (ProjectKind::TalkSeries, false),
        (ProjectKind::SchoolProgramme, false),
        (ProjectKind::GameJam, true),
        (ProjectKind::Residency, true),
        (ProjectKind::Editathon, true),
        (ProjectKind::Forum, true),
    ] {
        let mine: Vec<_> = all
            .iter()
            .filter(|t| t.project_kind == Some(kind))
            .collect();
        assert_eq!(mine.len(), 1, "{kind:?}");
        let t = mine[0];
        assert!((5..=14).contains(&t.tasks.len()), "{kind:?}");
        // The project of that kind to come (under way too, but for the
        // festival) has the template's tasks, due at its dates plus their
        // offsets; the demo has one for each kind added.
        let next = projects::of_kind(db.conn(), kind)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| {
                if kind == ProjectKind::Festival {
                    p.data.starts_on > today
                } else {
                    p.data.ends_on >= today
                }
            })
            .min_by_key(|p| p.data.starts_on);
        let Some(p) = next else {
            assert!(!added, "{kind:?}: no project to come");
            continue;
        };
        let plan = tasks::of_project(db.conn(), p.id).await.unwrap();
        for x in &t.tasks {
            let task = plan
                .iter()
                .find(|y| y.template_task_id == Some(x.id))
                .unwrap_or_else(|| panic!("{kind:?}: {}", x.title));
            let due = maillage_domain::planning::due_on(
                x.anchor,
                x.offset,
                p.data.starts_on,
                p.data.ends_on,
            );
            assert_eq!(task.due_on, Some(due), "{kind:?}: {}", x.title);
        }
    }
}
