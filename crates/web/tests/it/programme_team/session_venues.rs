//! A session held elsewhere than its activity: chosen on the activity page
//! (one session, a series, a row), shown with its place to the public, in
//! the calendar files and the API; its space's capacity does not follow it.

use super::*;
use crate::util::escaped;
use axum::http::StatusCode;
use maillage_domain::Role;

#[tokio::test]
async fn staff_hold_sessions_elsewhere_and_the_public_sees_where() {
    let app = TestApp::new().await;
    let pid = project(&app, "fds-2025", 2025, ProjectStatus::Published).await;
    let (cosmo, planetarium, _) = cosmocite(&app).await;
    let vif = venues::insert(
        app.db.conn(),
        &testing::venue("Médiathèque de Vif", "38545"),
        now(),
    )
    .await
    .unwrap()
    .id;
    let id = activity(&app, pid, "Ciel d'automne", (cosmo, Some(planetarium))).await;
    activities::set_status(app.db.conn(), &[id], ActivityStatus::Published, now())
        .await
        .unwrap();
    let mut staff = app.signed_in(Role::Staff).await;
    let page = staff.get(&format!("/team/programme/activities/{id}")).await;
    assert!(
        page.body.contains(&format!(
            "<option value=\"{vif}\">Médiathèque de Vif — Vif (38450)</option>"
        )),
        "{}",
        page.body
    );
    let add = format!("/team/programme/activities/{id}/sessions");
    let session = |date: &'static str, venue: String| {
        vec![
            ("s_date", date.to_owned()),
            ("s_start", "10:00".to_owned()),
            ("s_end", "11:00".to_owned()),
            ("s_status", "scheduled".to_owned()),
            ("s_venue", venue),
        ]
    };
    // An unknown venue: refused beside the field, what was typed kept.
    let r = staff
        .post(&add, &pairs(&session("2025-10-08", "999999".into())))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-s_venue-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"2025-10-08\""));
    let r = staff
        .post(&add, &pairs(&session("2025-10-08", String::new())))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = staff
        .post(&add, &pairs(&session("2025-10-09", vif.to_string())))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = find(&app, id).await;
    assert_eq!(a.sessions[0].data.venue_id, None);
    assert_eq!(a.sessions[1].data.venue_id, Some(vif));

    // Moved back by its row: the activity's venue is stored as none.
    let row = format!("/team/programme/sessions/{}", a.sessions[1].id);
    let r = staff
        .post(
            &row,
            &[
                ("capacity", ""),
                ("status", "scheduled"),
                ("venue", &cosmo.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(find(&app, id).await.sessions[1].data.venue_id, None);
    let r = staff
        .post(
            &row,
            &[
                ("capacity", ""),
                ("status", "scheduled"),
                ("venue", &vif.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // The public: the session's place beside its date; both places named.
    let mut public = app.client();
    let page = public.get("/p/fds-2025/a/ciel-d-automne").await;
    assert!(
        page.body
            .contains(&escaped("· Médiathèque de Vif — Vif (38450)")),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches(&escaped("· Médiathèque de Vif")).count(),
        1
    );
    let found = public.get("/p/fds-2025?commune=38545").await;
    assert!(
        found.body.contains(&escaped("Ciel d'automne")),
        "{}",
        found.body
    );
    let ics = public
        .get("/p/fds-2025/a/ciel-d-automne/activity.ics")
        .await;
    assert!(
        ics.body.contains("LOCATION:Médiathèque de Vif"),
        "{}",
        ics.body
    );
    let api = public.get(&format!("/api/v1/activities/{id}")).await.json();
    assert_eq!(api["sessions"][0]["venue"], serde_json::Value::Null);
    assert_eq!(api["sessions"][0]["capacity"], 80, "the planetarium's");
    assert_eq!(api["sessions"][1]["venue"]["name"], "Médiathèque de Vif");
    assert_eq!(
        api["sessions"][1]["capacity"],
        serde_json::Value::Null,
        "the planetarium does not travel"
    );
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, x)| (*k, x.as_str())).collect()
}
