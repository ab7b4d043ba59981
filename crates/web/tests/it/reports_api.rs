//! The bilans of the report API against the OpenAPI document: every
//! project of the demo (the past festival compared with the edition
//! before, questionnaires beside theirs, coverage commune by commune) and a
//! project with nothing to count, each answer checked against the schema
//! derived from the bilan's types, which is closed like every other answer.

use crate::programme_api::Doc;
use crate::util::TestApp;
use axum::http::StatusCode;
use chrono::NaiveDate;
use maillage_db::programme::projects::{self, ProjectData};
use maillage_db::{api_tokens, demo};
use maillage_domain::Role;
use maillage_domain::programme::{ProjectKind, ProjectStatus};
use serde_json::{Value, json};

const REPORT: &str = "/api/v1/projects/{slug}/report";

#[tokio::test]
async fn every_bilan_of_the_demo_matches_the_document() {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let c = app.db.conn();
    let t = maillage_db::now();
    // A project without any activity: no coverage to measure.
    let empty = ProjectData {
        slug: "rien-2040".into(),
        name: "Rien 2040".into(),
        kind: ProjectKind::Festival,
        starts_on: NaiveDate::from_ymd_opt(2040, 10, 1).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2040, 10, 2).unwrap(),
        description: None,
        lead_user_id: None,
        status: ProjectStatus::Published,
    };
    projects::insert(c, &empty, t).await.unwrap();
    let staff = app.user("bilans@example.org", Role::Staff).await;
    let (_, token) = api_tokens::create(c, staff.id, "api", t).await.unwrap();
    let mut cl = app.client();
    let doc = Doc::load(&mut cl).await;

    let (mut measured, mut compared, mut questionnaires_compared, mut unmeasured) = (0, 0, 0, 0);
    for p in projects::list(c, false).await.unwrap() {
        let url = REPORT.replace("{slug}", &p.data.slug);
        let r = cl.api_get(&url, &token).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
        doc.check(REPORT, &r);
        let bilan: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(bilan["project"]["slug"], p.data.slug.as_str());
        if bilan["previous"]["coverage"].is_object() {
            compared += 1;
        }
        if bilan["questionnaires"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["previous"]["questions"].is_array())
        {
            questionnaires_compared += 1;
        }
        if p.data.slug == empty.slug {
            assert_eq!(
                bilan["coverage"],
                json!({
                    "communes_reached": 0,
                    "population_reached": 0,
                    "communes_never_reached": [],
                })
            );
            assert!(bilan["previous"]["project"]["id"].is_i64());
            unmeasured += 1;
        }
        if bilan["coverage"]["departement"]["code"].is_string() {
            measured += 1;
        }
    }
    // Each shape of the answer was seen.
    assert!(measured >= 1, "no coverage measured");
    assert!(compared >= 1, "no bilan compared with the edition before");
    assert!(questionnaires_compared >= 1, "no questionnaire compared");
    assert_eq!(unmeasured, 1, "the empty project");

    // The schema is the bilan's types', closed: nothing but its fields.
    let r = cl.get("/api/openapi.json").await;
    let document: Value = serde_json::from_str(&r.body).unwrap();
    let schemas = &document["components"]["schemas"];
    let bilan = &schemas["Bilan"];
    assert_eq!(bilan["additionalProperties"], false, "{bilan}");
    for field in [
        "project",
        "generated_at",
        "figures",
        "coverage",
        "questionnaires",
        "previous",
    ] {
        assert!(
            bilan["required"]
                .as_array()
                .unwrap()
                .contains(&json!(field)),
            "{field}: {bilan}"
        );
    }
    for name in [
        "BilanFigures",
        "BilanCoverageDetail",
        "BilanNoCoverage",
        "BilanQuestionnaire",
        "BilanQuestion",
    ] {
        assert_eq!(
            schemas[name]["additionalProperties"], false,
            "{name}: {}",
            schemas[name]
        );
    }
}
