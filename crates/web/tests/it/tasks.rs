//! A task's page: made by hand (of the team or of a project), given to
//! people, its checklist ticked and comments written by whoever does it,
//! what it waits for (a circle refused), edited by staff; bad input beside
//! its field; each change in its history; who may do what.

use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::planning::{details, tasks};
use maillage_db::testing;
use maillage_domain::Role;
use maillage_domain::planning::Priority;

#[tokio::test]
async fn a_task_made_by_hand_is_worked_on_by_its_assignee() {
    let app = TestApp::new().await;
    let p = testing::project(
        app.db.conn(),
        &testing::project_data("fete-2027", "Fête de la science 2027", 2027),
    )
    .await;
    let (mut staff, _) = app.signed_in_as("coord@example.org", Role::Staff).await;
    let (mut intern, i) = app
        .signed_in_as("stagiaire@example.org", Role::Intern)
        .await;
    let (mut volunteer, _) = app
        .signed_in_as("benevole@example.org", Role::Volunteer)
        .await;

    // Bad input beside its fields, as typed.
    let r = staff
        .post(
            "/team/tasks",
            &[
                ("title", ""),
                ("due", "32/13/2027"),
                ("project", "999"),
                ("assignee", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["title", "due", "project", "assignee"] {
        assert!(
            r.body.contains(&format!(r#"id="f-{field}-error""#)),
            "{field}"
        );
    }
    assert!(r.body.contains(r#"value="32/13/2027""#));

    let r = staff
        .post(
            "/team/tasks",
            &[
                ("title", "Réserver la navette du samedi"),
                ("due", "2027-09-20"),
                ("project", &p.id.to_string()),
                ("assignee", &i.id.to_string()),
                ("priority", "high"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let t = tasks::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(t.priority, Priority::High);
    assert!(
        intern
            .get("/team/tasks")
            .await
            .body
            .contains("Réserver la navette du samedi")
    );

    // The intern works on it: a checklist line, ticked; a comment.
    let page = format!("/team/tasks/{id}");
    assert_eq!(intern.get(&page).await.status, StatusCode::OK);
    let r = intern
        .post(&format!("{page}/checklist"), &[("label", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="f-label-error""#));
    let r = intern
        .post(
            &format!("{page}/checklist"),
            &[("label", "Demander le devis")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let line = details::checklist(app.db.conn(), id).await.unwrap()[0].id;
    let r = intern
        .post(&format!("{page}/checklist/{line}"), &[("done", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(details::checklist(app.db.conn(), id).await.unwrap()[0].done);
    assert_eq!(
        intern
            .post(&format!("{page}/checklist/999999"), &[("done", "1")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = intern
        .post(&format!("{page}/comments"), &[("body", "   ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = intern
        .post(
            &format!("{page}/comments"),
            &[("body", "Devis demandé à deux sociétés.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = intern.get(&page).await;
    assert!(r.body.contains("Devis demandé à deux sociétés."));
    // They neither edit nor give it away.
    assert_eq!(
        intern.post(&page, &[("title", "Autre")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        intern
            .post(&format!("{page}/assign"), &[("user", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A volunteer on nothing of it does not see it.
    assert_eq!(volunteer.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        volunteer
            .post(&format!("{page}/comments"), &[("body", "?")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // What it waits for; a circle refused beside the field.
    let other = {
        let tx = app.db.write().await.unwrap();
        let o = tasks::insert(
            &tx,
            &tasks::NewTask {
                project_id: Some(p.id),
                title: "Choisir les villages".into(),
                ..Default::default()
            },
            maillage_db::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        o.id
    };
    let r = staff
        .post(&format!("{page}/depends"), &[("on", &other.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff
        .post(
            &format!("/team/tasks/{other}/depends"),
            &[("on", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("s’attendraient"), "{}", r.body);
    let r = staff.get(&page).await;
    assert!(
        r.body
            .contains("Cette tâche attend des tâches encore ouvertes.")
    );

    // Staff edit it: a bad date refused, then saved; the history tells.
    let r = staff
        .post(
            &page,
            &[
                ("title", "Réserver la navette"),
                ("due", "demain"),
                ("priority", "normal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"value="demain""#));
    let r = staff
        .post(
            &page,
            &[
                ("title", "Réserver la navette"),
                ("due", "2027-09-21"),
                ("priority", "normal"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let t = tasks::find(app.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(t.title, "Réserver la navette");
    assert_eq!(t.due_on, chrono::NaiveDate::from_ymd_opt(2027, 9, 21));
    // Given to someone else too, then taken back from the intern.
    let r = staff.post(&format!("{page}/unassign/{}", i.id), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!tasks::is_assigned(app.db.conn(), id, i.id).await.unwrap());
    let audit = app.client();
    drop(audit);
    let entries = maillage_db::audit::list(
        app.db.conn(),
        &maillage_db::audit::AuditFilter {
            entity_type: Some("task".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        },
        maillage_db::PageRequest::new(1, 50),
    )
    .await
    .unwrap();
    let actions: Vec<&str> = entries.items.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "create",
        "add_check",
        "tick",
        "comment",
        "depend",
        "update",
        "unassign",
    ] {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
}
