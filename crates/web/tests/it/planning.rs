//! A project's plan: the demo festival's rétroplanning as a timeline and a
//! table with its late tasks, a task's status changed, a template applied
//! again adding nothing; who may do what.

use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::demo;
use maillage_db::planning::{tasks, templates};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::Role;
use maillage_domain::planning::TaskStatus;
use maillage_domain::programme::ProjectKind;

async fn demo_app() -> (TestApp, Project) {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let next = projects::of_kind(app.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.data.starts_on > today)
        .min_by_key(|p| p.data.starts_on)
        .expect("a festival to come");
    (app, next)
}

#[tokio::test]
async fn the_next_festival_plan_shows_its_tasks_and_late_ones_stand_out() {
    let (app, next) = demo_app().await;
    let id = next.id;
    let plan = tasks::of_project(app.db.conn(), id).await.unwrap();
    assert_eq!(
        plan.iter().filter(|t| t.template_task_id.is_some()).count(),
        14,
        "the demo applies the festival template"
    );
    assert!(
        plan.iter().any(|t| t.meeting_id.is_some()),
        "and its steering committee's actions"
    );
    let today = chrono::Utc::now().date_naive();
    let late: Vec<_> = plan.iter().filter(|t| t.is_late(today)).collect();
    assert!(!late.is_empty(), "the demo has late tasks");
    assert!(plan.iter().any(|t| t.status == TaskStatus::Done));
    assert!(plan.iter().any(|t| t.status == TaskStatus::InProgress));

    let (mut staff, _) = app.signed_in_as("plan@example.org", Role::Staff).await;
    let project = staff.get(&format!("/team/programme/projects/{id}")).await;
    assert!(project.body.contains(&format!("/team/projects/{id}/plan")));
    let r = staff.get(&format!("/team/projects/{id}/plan")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The timeline and the table carry the same tasks.
    assert!(r.body.contains(r#"role="img""#));
    for t in &plan {
        let title = crate::util::escaped(&t.title);
        assert!(r.body.matches(&title).count() >= 1, "{}", t.title);
        assert!(r.body.contains(&format!(r#"id="task-{}""#, t.id)));
    }
    let n = late.len();
    let words = if n == 1 {
        "1 tâche en retard".to_owned()
    } else {
        format!("{n} tâches en retard")
    };
    assert!(r.body.contains(&words), "{words}");
    assert_eq!(r.body.matches(r#"<span class="badge late">"#).count(), n);

    // A late task done: it no longer is.
    let t = late[0].id;
    let r = staff
        .post(&format!("/team/tasks/{t}/status"), &[("status", "done")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/team/projects/{id}/plan#task-{t}"));
    let after = tasks::find(app.db.conn(), t).await.unwrap().unwrap();
    assert_eq!(after.status, TaskStatus::Done);
    let r = staff
        .post(
            &format!("/team/tasks/{t}/status"),
            &[("status", "finished")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The template applied again adds nothing.
    let template = templates::list(app.db.conn())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.project_kind == Some(ProjectKind::Festival))
        .unwrap()
        .id;
    let r = staff
        .post(
            &format!("/team/projects/{id}/plan/apply"),
            &[("template", &template.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        tasks::of_project(app.db.conn(), id).await.unwrap().len(),
        plan.len()
    );
}

#[tokio::test]
async fn interns_update_tasks_staff_apply_templates_others_are_refused() {
    let (app, next) = demo_app().await;
    let id = next.id;
    let plan = tasks::of_project(app.db.conn(), id).await.unwrap();
    let (t, not_mine) = (plan[0].id, plan[1].id);
    let template = templates::list(app.db.conn()).await.unwrap()[0]
        .id
        .to_string();

    let (mut intern, me) = app
        .signed_in_as("stagiaire@example.org", Role::Intern)
        .await;
    // On no task of the project, the intern does not see its plan.
    assert_eq!(
        intern
            .get(&format!("/team/projects/{id}/plan"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assign(&app, t, me.id).await;
    assert_eq!(
        intern
            .get(&format!("/team/projects/{id}/plan"))
            .await
            .status,
        StatusCode::OK
    );
    let r = intern
        .post(
            &format!("/team/tasks/{t}/status"),
            &[("status", "in_progress")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Someone else's task is not theirs to change.
    let r = intern
        .post(
            &format!("/team/tasks/{not_mine}/status"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = intern
        .post(
            &format!("/team/projects/{id}/plan/apply"),
            &[("template", template.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A volunteer on no task of the project: as if it did not exist; a
    // partner: not in the team space at all.
    for (email, role, refused) in [
        (
            "benevole@example.org",
            Role::Volunteer,
            StatusCode::NOT_FOUND,
        ),
        (
            "partenaire@example.org",
            Role::Partner,
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (mut c, _) = app.signed_in_as(email, role).await;
        assert_eq!(
            c.get(&format!("/team/projects/{id}/plan")).await.status,
            refused,
            "{role}"
        );
        let r = c
            .post(&format!("/team/tasks/{t}/status"), &[("status", "done")])
            .await;
        assert_eq!(r.status, refused, "{role}");
    }
    let still = tasks::find(app.db.conn(), t).await.unwrap().unwrap();
    assert_eq!(still.status, TaskStatus::InProgress);
}

#[tokio::test]
async fn a_task_taken_appears_in_my_tasks_with_late_ones_first() {
    let (app, next) = demo_app().await;
    let id = next.id;
    let today = chrono::Utc::now().date_naive();
    let plan = tasks::of_project(app.db.conn(), id).await.unwrap();
    let late = plan.iter().find(|t| t.is_late(today)).unwrap();
    let later = plan.last().unwrap();
    let (mut intern, me) = app.signed_in_as("moi@example.org", Role::Intern).await;
    let r = intern.get("/team/tasks").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Aucune tâche ouverte ne vous est attribuée.")
    );
    // Not on the project yet: its tasks are not theirs to take.
    let r = intern
        .post(&format!("/team/tasks/{}/take", later.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Given one task of the project by staff, they take others.
    let first = plan
        .iter()
        .find(|t| t.id != late.id && t.id != later.id)
        .unwrap();
    assign(&app, first.id, me.id).await;
    intern
        .post(
            &format!("/team/tasks/{}/status", first.id),
            &[("status", "done")],
        )
        .await;
    for t in [later, late] {
        let r = intern
            .post(&format!("/team/tasks/{}/take", t.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = intern.get(&format!("/team/projects/{id}/plan")).await;
    // The task's row names who took it, and offers no second take.
    let row = page
        .body
        .split(&format!(r#"id="task-{}""#, late.id))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(row.contains(&crate::util::escaped(&me.name)), "{row}");
    assert!(!row.contains("/take"));
    let r = intern.get("/team/tasks").await;
    let body = &r.body;
    let (l, m) = (
        body.find(&crate::util::escaped(&late.title)).unwrap(),
        body.find(&crate::util::escaped(&later.title)).unwrap(),
    );
    assert!(l < m, "late first");
    assert!(body.contains("En retard (1)"));
    assert!(body.contains("Plus tard (1)"));
    assert!(body.contains(&format!("/team/projects/{id}/plan#task-{}", late.id)));
    // Done: it leaves the list.
    intern
        .post(
            &format!("/team/tasks/{}/status", late.id),
            &[("status", "done")],
        )
        .await;
    let r = intern.get("/team/tasks").await;
    assert!(!r.body.contains(&crate::util::escaped(&late.title)));

    let (mut v, _) = app
        .signed_in_as("benevole2@example.org", Role::Volunteer)
        .await;
    assert_eq!(v.get("/team/tasks").await.status, StatusCode::OK);
    let r = v.post(&format!("/team/tasks/{}/take", later.id), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Staff give task `task` to `user`.
async fn assign(app: &TestApp, task: i64, user: i64) {
    let tx = app.db.write().await.unwrap();
    let _ = tasks::assign(&tx, task, user).await.unwrap();
    tx.commit().await.unwrap();
}
