//! The team's week of tasks: a section per day, Monday to Sunday, in the
//! reader's language; late tasks (before the current week's Monday, open)
//! first and marked in words; other weeks and filters by GET, kept in the
//! links; a week that cannot be read shows the current one with a message
//! beside the field; who may see it; linked from "my tasks".

use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use chrono::{Datelike, Days, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::testing::{self, task};
use maillage_domain::Role;
use maillage_domain::planning::TaskStatus;

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

fn monday() -> NaiveDate {
    let t = today();
    t - Days::new(u64::from(t.weekday().num_days_from_monday()))
}

fn week_of(d: NaiveDate) -> String {
    format!("{}-W{:02}", d.iso_week().year(), d.iso_week().week())
}

struct Week {
    project: i64,
    ada: i64,
    /// Due this week, assigned to Ada, in the project.
    this_week: i64,
    /// Open, due before this week's Monday.
    late: i64,
}

async fn week(app: &TestApp) -> Week {
    let c = app.db.conn();
    let zoe = testing::user_named(c, "zoe@example.org", "Zoé Martin", Role::Staff).await;
    let ada = testing::user_named(c, "ada@example.org", "Ada Lovelace", Role::Intern).await;
    let year = today().year() + 1;
    let p = testing::project(
        c,
        &testing::project_data("fete", "Fête de la science", year),
    )
    .await;
    let m = monday();
    let this_week = task(
        c,
        Some(p.id),
        "Réserver les salles",
        TaskStatus::Todo,
        Some(m + Days::new(6)),
        &[ada.id, zoe.id],
    )
    .await;
    let late = task(
        c,
        Some(p.id),
        "Envoyer le dossier",
        TaskStatus::InProgress,
        Some(m - Days::new(2)),
        &[zoe.id],
    )
    .await;
    task(
        c,
        Some(p.id),
        "Ancienne tâche faite",
        TaskStatus::Done,
        Some(m - Days::new(3)),
        &[zoe.id],
    )
    .await;
    task(
        c,
        None,
        "Ranger le local",
        TaskStatus::Waiting,
        Some(m),
        &[],
    )
    .await;
    task(
        c,
        None,
        "La semaine prochaine",
        TaskStatus::Todo,
        Some(m + Days::new(8)),
        &[ada.id],
    )
    .await;
    Week {
        project: p.id,
        ada: ada.id,
        this_week,
        late,
    }
}

#[tokio::test]
async fn the_week_lists_the_team_tasks_day_by_day_late_ones_first() {
    let app = TestApp::new().await;
    let w = week(&app).await;
    let (mut staff, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    let mine = staff.get("/team/tasks").await;
    assert!(mine.body.contains(r#"href="/team/tasks/week""#));

    let r = staff.get("/team/tasks/week").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    // Seven days, Monday first, named in French.
    let m = monday();
    let mut at = 0;
    for i in 0..7 {
        let d = m + Days::new(i);
        let id = format!(r#"<h2 id="day-{d}">"#);
        let found = body[at..]
            .find(&id)
            .unwrap_or_else(|| panic!("{d} after the day before"));
        at += found;
    }
    assert!(body.contains(&format!(r#"<h2 id="day-{m}">lundi "#)));
    assert!(body.contains("dimanche "));
    // The late group first, marked in words; done tasks are not late.
    let late = body
        .find(r#"<h2 id="late" class="late-note">"#)
        .expect("a late group");
    assert!(late < body.find(&format!(r#"id="day-{m}""#)).unwrap());
    assert!(body.contains(&format!(r#"<li id="task-{}" class="late">"#, w.late)));
    assert!(body.contains("En retard"));
    assert!(!body.contains("Ancienne tâche faite"));
    assert!(!body.contains("La semaine prochaine"));
    // Each task links to its plan and names its people.
    assert!(body.contains(&format!(
        r#"href="/team/projects/{}/plan#task-{}""#,
        w.project, w.this_week
    )));
    assert!(body.contains("Ada Lovelace, Zoé Martin"), "{body}");
    assert!(body.contains("Tâche de l’équipe") || body.contains(&escaped("Tâche de l’équipe")));
    assert!(body.contains("3 tâches"));
    // The weeks around, this one.
    let next = week_of(m + Days::new(7));
    assert!(body.contains(&format!(
        r#"href="/team/tasks/week?week={next}" rel="next""#
    )));
    assert!(body.contains(&format!(r#"value="{}""#, week_of(m))));
}

#[tokio::test]
async fn other_weeks_and_filters_by_get_in_english() {
    let app = TestApp::new().await;
    let w = week(&app).await;
    let (mut staff, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    staff.headers.push(("accept-language".into(), "en".into()));
    let next = week_of(monday() + Days::new(7));
    let r = staff.get(&format!("/team/tasks/week?week={next}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("La semaine prochaine"));
    assert!(!r.body.contains("Réserver les salles"));
    assert!(
        !r.body.contains(r#"id="late""#),
        "late tasks only in the current week"
    );
    assert!(r.body.contains(">Monday "), "day names in English");
    assert!(r.body.contains(">Previous week<"));

    // Filters: by person, by project, by status; kept in the week links.
    let mine = format!("/team/tasks/week?assignee={}", w.ada);
    let r = staff.get(&mine).await;
    assert!(r.body.contains("Réserver les salles"));
    assert!(!r.body.contains("Envoyer le dossier") && !r.body.contains("Ranger le local"));
    assert!(r.body.contains(&format!(
        r#"<option value="{}" selected>Ada Lovelace</option>"#,
        w.ada
    )));
    assert!(
        r.body.contains(&format!("&#38;assignee={}", w.ada))
            || r.body.contains(&format!("&amp;assignee={}", w.ada))
    );
    let r = staff
        .get(&format!("/team/tasks/week?project={}", w.project))
        .await;
    assert!(r.body.contains("Envoyer le dossier") && !r.body.contains("Ranger le local"));
    let r = staff.get("/team/tasks/week?status=waiting").await;
    assert!(r.body.contains("Ranger le local") && !r.body.contains("Réserver les salles"));
    assert!(
        !r.body.contains("Envoyer le dossier"),
        "the late group is filtered too"
    );
}

#[tokio::test]
async fn a_bad_week_shows_the_current_one_with_a_message_beside_the_field() {
    let app = TestApp::new().await;
    let w = week(&app).await;
    let (mut staff, _) = app.signed_in_as("staff@example.org", Role::Staff).await;
    for bad in ["2027-W99", "demain", "2027-10-01"] {
        let r = staff
            .get(&format!(
                "/team/tasks/week?week={}",
                crate::programme_api::enc(bad)
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{bad}: {}", r.body);
        assert!(
            r.body
                .contains(r#"<p class="field-error" id="f-week-error">"#),
            "{bad}"
        );
        assert!(
            r.body
                .contains(r#"aria-invalid="true" aria-describedby="f-week-error f-week-hint""#)
        );
        assert!(
            r.body.contains(&format!(r#"value="{bad}""#)),
            "what was typed is kept"
        );
        assert!(
            r.body.contains(&format!(r#"id="task-{}""#, w.this_week)),
            "the current week"
        );
    }
    // A value no select offers: a message beside it, the filter left out.
    let r = staff
        .get("/team/tasks/week?project=abc&assignee=999999&status=fini")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for field in ["project", "assignee", "status"] {
        assert!(
            r.body.contains(&format!(r#"id="f-{field}-error""#)),
            "{field}"
        );
    }
    assert!(r.body.contains("Réserver les salles"));
}

#[tokio::test]
async fn the_week_is_for_admins_and_staff() {
    let app = TestApp::new().await;
    week(&app).await;
    for (email, role, status) in [
        ("s@example.org", Role::Staff, StatusCode::OK),
        ("a@example.org", Role::Admin, StatusCode::OK),
        ("i@example.org", Role::Intern, StatusCode::FORBIDDEN),
        ("v@example.org", Role::Volunteer, StatusCode::FORBIDDEN),
        ("p@example.org", Role::Partner, StatusCode::FORBIDDEN),
    ] {
        let (mut c, _) = app.signed_in_as(email, role).await;
        assert_eq!(c.get("/team/tasks/week").await.status, status, "{role}");
    }
    let r = app.client().get("/team/tasks/week").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}
