//! Calls created and edited by the team, with criteria, in Paris time.

use super::*;
use crate::util::{TestApp, escaped};
use axum::http::StatusCode;
use maillage_db::forms::calls;
use maillage_db::testing;
use maillage_domain::Role;

#[tokio::test]
async fn the_team_creates_and_edits_a_call_with_criteria_in_paris_time() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use maillage_db::forms::{self, FormData};
    use maillage_db::programme::projects::ProjectData;
    use maillage_domain::forms::{CallKind, FormAudience, Schema};
    use maillage_domain::programme::ProjectStatus;

    let app = TestApp::new().await;
    let c = app.db.conn();
    let now = maillage_db::now();
    let project = testing::project(
        c,
        &ProjectData {
            starts_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            status: ProjectStatus::Draft,
            ..testing::project_data("residence-2026", "Résidence 2026", 2026)
        },
    )
    .await;
    let schema = Schema::from_json(
        r#"{"items":[{"type":"field","key":"name","label":"Nom","required":true,"kind":{"type":"short_text"}}]}"#,
    )
    .unwrap();
    let form = forms::create(
        c,
        &FormData {
            audience: Some(FormAudience::Public),
            ..testing::call_form_data("Candidature résidence", CallKind::Application, project.id)
        },
        &schema,
        now,
    )
    .await
    .unwrap();
    let (mut staff, _) = signed_in(&app, Role::Staff, "staff").await;
    let (mut intern, _) = signed_in(&app, Role::Intern, "intern").await;

    let r = staff.get("/team/calls/new").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&escaped("Candidature résidence")));
    assert!(r.body.contains("Résidence 2026"));
    assert_eq!(
        intern.get("/team/calls/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(intern.get("/team/calls").await.status, StatusCode::OK);

    let (p, f) = (project.id.to_string(), form.id.to_string());
    let fields = |slug: &'static str, opens_time: &'static str, closes: &'static str| {
        vec![
            ("title", "Résidence d'artistes & chercheurs"),
            ("slug", slug),
            ("project", p.as_str()),
            ("form", f.as_str()),
            ("kind", "application"),
            ("opens_date", "2026-03-29"),
            ("opens_time", opens_time),
            ("closes_date", closes),
            ("closes_time", "23:59"),
            ("criterion_label_0", "Qualité du projet"),
            ("criterion_weight_0", "2"),
            ("criterion_max_0", "10"),
            ("criterion_label_1", ""),
            ("criterion_weight_1", "1"),
            ("criterion_max_1", "5"),
            ("retention", "24"),
        ]
    };
    // Errors beside their fields, what was typed kept.
    let r = staff
        .post("/team/calls", &fields("Pas un slug", "09:00", "2026-03-01"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-slug-error") && r.body.contains("f-closes_date-error"));
    assert!(
        r.body
            .contains(&escaped("Résidence d'artistes & chercheurs"))
    );
    // 02:30 does not exist in Paris on 29 March 2026.
    let r = staff
        .post("/team/calls", &fields("residence", "02:30", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-opens_time-error"));
    assert!(calls::find_by_slug(c, "residence").await.unwrap().is_none());
    // A retention out of its range: said beside it, kept.
    let mut zero = fields("residence", "09:00", "2026-04-30");
    *zero.last_mut().unwrap() = ("retention", "0");
    let r = staff.post("/team/calls", &zero).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-retention-error"));
    assert!(
        r.body
            .contains(r#"name="retention" type="number" value="0""#),
        "{}",
        r.body
    );

    let r = staff
        .post("/team/calls", &fields("residence", "09:00", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let created = calls::find_by_slug(c, "residence").await.unwrap().unwrap();
    assert_eq!(
        r.location(),
        format!("/team/calls/{}/submissions", created.id)
    );
    // Summer time from 29 March: Paris is UTC+2.
    assert_eq!(
        created.data.opens_at,
        Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap()
    );
    assert_eq!(
        created.data.closes_at,
        Utc.with_ymd_and_hms(2026, 4, 30, 21, 59, 0).unwrap()
    );
    assert_eq!(created.data.retention_months, 24);
    let criteria = calls::criteria(c, created.id).await.unwrap();
    assert_eq!(criteria.len(), 1);
    assert_eq!(
        (
            criteria[0].label.as_str(),
            criteria[0].weight,
            criteria[0].max_score
        ),
        ("Qualité du projet", 2, 10)
    );
    // The slug is taken now.
    let r = staff
        .post("/team/calls", &fields("residence", "09:00", "2026-04-30"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-slug-error"));

    // Editing: the form shows Paris times; a criterion is added.
    let edit = format!("/team/calls/{}/edit", created.id);
    let r = staff.get(&edit).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("value=\"09:00\"") && r.body.contains("value=\"2026-03-29\""));
    let mut changed = fields("residence", "10:00", "2026-04-30");
    changed[9] = ("criterion_label_0", "Faisabilité");
    changed[10] = ("criterion_weight_0", "1");
    changed[11] = ("criterion_max_0", "5");
    let r = staff
        .post(&format!("/team/calls/{}", created.id), &changed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = calls::find(c, created.id).await.unwrap().unwrap();
    assert_eq!(
        after.data.opens_at,
        Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap()
    );
    let criteria = calls::criteria(c, created.id).await.unwrap();
    assert_eq!(criteria.len(), 2);
    assert_ne!(criteria[0].key, criteria[1].key);
    // The call is listed with its counts.
    let r = staff.get("/team/calls").await;
    assert!(
        r.body
            .contains(&escaped("Résidence d'artistes & chercheurs"))
    );
}
