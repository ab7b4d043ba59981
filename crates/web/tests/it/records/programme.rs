//! Projects, activities and their sessions.

use super::directory::Made;
use super::{BAD, OK, Walk};
use axum::http::StatusCode;

fn project(slug: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Fête de la science"),
        ("slug", slug),
        ("kind", "festival"),
        ("status", "draft"),
        ("starts_on", "2025-10-03"),
        ("ends_on", "2025-10-13"),
    ]
}

pub(super) async fn walk(w: &mut Walk<'_>, made: &Made) {
    let projects = "/team/programme/projects";
    let fds = w
        .create(projects, &project("fds-2025"), "create project #1")
        .await;
    let next = w
        .create(projects, &project("fds-2026"), "create project #2")
        .await;
    let mut fields = project("fds-2025");
    fields.extend([
        ("partner_org", "La Casemate"),
        ("partner_role", "co_organiser"),
    ]);
    let entry = format!("update project #{fds}");
    w.post(
        ("/team/programme/projects/{id}", &fds),
        &fields,
        OK,
        &[&entry],
    )
    .await;

    let place = format!("s:{}", made.space);
    let activity_fields = [
        ("title", "Les étoiles d'automne"),
        ("format", "workshop"),
        ("status", "draft"),
        ("registration", "none"),
        ("audiences", "general"),
        ("place", place.as_str()),
    ];
    let create = ("/team/programme/projects/{id}/activities", fds.as_str());
    let location = w
        .post(create, &activity_fields, OK, &["create activity #1"])
        .await;
    assert!(location.ends_with("/activities/1"), "{location}");
    let a = "1";
    let mut fields = activity_fields.to_vec();
    fields.push(("free", "1"));
    let update = ("/team/programme/activities/{id}", a);
    w.post(update, &fields, OK, &["update activity #1"]).await;

    let fields = [
        ("s_date", "2025-10-04"),
        ("s_start", "10:00"),
        ("s_end", "11:00"),
    ];
    let add = ("/team/programme/activities/{id}/sessions", a);
    let location = w.post(add, &fields, OK, &["add_session activity #1"]).await;
    let session = location.split("added=").nth(1).unwrap().split('#').next();
    let session = session.unwrap().to_owned();
    let series = ("/team/programme/activities/{id}/series", a);
    let mut fields = vec![
        ("r_from", "2025-10-06"),
        ("r_to", "2025-10-07"),
        ("r_times", "14:00"),
        ("r_duration", "60"),
    ];
    // The preview writes nothing; the confirmation writes the series.
    w.post(series, &fields, StatusCode::OK, &[]).await;
    fields.push(("confirm", "1"));
    w.post(series, &fields, OK, &["add_sessions activity #1"])
        .await;
    let row = [("capacity", "30"), ("status", "scheduled")];
    let update = ("/team/programme/sessions/{id}", session.as_str());
    w.post(update, &row, OK, &["update_session activity #1"])
        .await;
    let delete = ("/team/programme/sessions/{id}/delete", session.as_str());
    w.post(delete, &[], OK, &["delete_session activity #1"])
        .await;

    let bulk = ("/team/programme/projects/{id}/bulk", fds.as_str());
    let entry = format!("published project #{fds}");
    w.post(bulk, &[("op", "publish"), ("ids", a)], OK, &[&entry])
        .await;
    let copy = ("/team/programme/activities/{id}/copy", a);
    w.post(copy, &[("project", &next)], OK, &["reconduct activity #2"])
        .await;
    let delete = ("/team/programme/activities/{id}/delete", a);
    w.post(delete, &[], BAD, &[]).await;
    w.post(delete, &[("confirm", "1")], OK, &["delete activity #1"])
        .await;
    let delete = ("/team/programme/projects/{id}/delete", fds.as_str());
    w.post(delete, &[("confirm", "fds")], BAD, &[]).await;
    let entry = format!("delete project #{fds}");
    w.post(delete, &[("confirm", "fds-2025")], OK, &[&entry])
        .await;
}
