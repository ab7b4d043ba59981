//! The bilan of the demo's past Fête de la science through the team page,
//! its downloads and the report API; the season dashboard; who may see
//! them.

use crate::util::{Client, TestApp, escaped};
use axum::http::StatusCode;
use chrono::Datelike;
use maillage_db::programme::projects::{self, Project};
use maillage_db::{api_tokens, demo};
use maillage_domain::Role;
use maillage_domain::programme::ProjectKind;
use serde_json::Value;

async fn demo_app() -> (TestApp, Project) {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let past = projects::of_kind(app.db.conn(), ProjectKind::Festival)
        .await
        .unwrap()
        .into_iter()
        .rfind(|p| p.data.ends_on < today)
        .expect("a past festival");
    (app, past)
}

/// A client signed in as a new user (the demo has its own accounts).
async fn signed_in(app: &TestApp, role: Role) -> Client {
    let email = format!("test-{}@example.org", role.as_str());
    app.signed_in_as(&email, role).await.0
}

async fn token(app: &TestApp, email: &str, role: Role) -> String {
    let u = app.user(email, role).await;
    api_tokens::create(app.db.conn(), u.id, "bilan", maillage_db::now())
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn the_past_festival_bilan_opens_as_html_downloads_and_answers_the_api() {
    let (app, past) = demo_app().await;
    let id = past.id;
    let mut staff = signed_in(&app, Role::Staff).await;

    let r = staff.get(&format!("/team/projects/{id}/report")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&escaped(&past.data.name)));
    // Compared with the edition before, with charts and the map beside
    // their tables.
    let before_year = past
        .data
        .starts_on
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        - 1;
    assert!(r.body.contains(&before_year.to_string()));
    assert!(r.body.contains("Édition précédente"));
    assert!(r.body.contains("Non touchées par cette édition"));
    assert!(r.body.contains(r#"role="img""#));
    assert!(r.body.contains("<circle"));
    assert!(r.body.contains("<caption>Fréquentation</caption>"));

    // The same figures as JSON, with the coverage the checks read.
    let secret = token(&app, "analyste@example.org", Role::Staff).await;
    let mut api = app.client();
    let r = api
        .api_get(
            &format!("/api/v1/projects/{}/report", past.data.slug),
            &secret,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.header("content-type").starts_with("application/json"));
    let json: Value = serde_json::from_str(&r.body).unwrap();
    let cov = &json["coverage"];
    assert!(cov["communes_reached"].as_u64().unwrap() > 60);
    assert!(cov["population_reached"].as_u64().unwrap() > 100_000);
    let never = cov["communes_never_reached"].as_array().unwrap();
    assert!(!never.is_empty());
    // A commune never reached is named on the page and shown on the map.
    let name = never[0]["name"].as_str().unwrap();
    let page = staff.get(&format!("/team/projects/{id}/report")).await;
    assert!(
        page.body
            .contains(&format!("<title>{}</title>", escaped(name)))
    );
    assert_eq!(json["project"]["id"], id);
    assert!(json["previous"]["project"]["id"].is_i64());
    assert!(json["figures"]["attendance"]["total"].as_i64().unwrap() > 1000);

    // The PDF.
    let r = api
        .api_get(
            &format!("/api/v1/projects/{}/report.pdf?lang=en", past.data.slug),
            &secret,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert!(r.bytes.starts_with(b"%PDF-"));
    let r = staff.get(&format!("/team/projects/{id}/report/pdf")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").starts_with("attachment"));

    // The workbook: one sheet per table, readable back.
    let r = api
        .api_get(
            &format!("/api/v1/projects/{}/report.xlsx", past.data.slug),
            &secret,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").starts_with("attachment"));
    let first = maillage_tabular::read_xlsx(&r.bytes).unwrap();
    assert_eq!(
        first.rows[0].cells[1],
        json["figures"]["activities"].to_string()
    );
    let r = staff.get(&format!("/team/projects/{id}/report/xlsx")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.bytes.starts_with(b"PK"));
    let r = staff.get(&format!("/team/projects/{id}/report/json")).await;
    assert_eq!(r.status, StatusCode::OK);
    let again: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(again["coverage"], json["coverage"]);

    // Unknown project or format: 404.
    let r = api
        .api_get("/api/v1/projects/pas-de-projet/report", &secret)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = staff.get(&format!("/team/projects/{id}/report/docx")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn reports_are_for_staff_only() {
    let (app, past) = demo_app().await;
    let slug = &past.data.slug;
    // No token, a partner's token, a volunteer's token.
    let mut anon = app.client();
    let r = anon
        .api_get(&format!("/api/v1/projects/{slug}/report"), "mlg_nope")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    for (email, role) in [
        ("p@example.org", Role::Partner),
        ("v@example.org", Role::Volunteer),
    ] {
        let secret = token(&app, email, role).await;
        let r = anon
            .api_get(&format!("/api/v1/projects/{slug}/report"), &secret)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    let mut v: Client = signed_in(&app, Role::Volunteer).await;
    let r = v.get(&format!("/team/projects/{}/report", past.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = v.get("/team/season").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_season_dashboard_lists_every_project_of_the_season() {
    let (app, past) = demo_app().await;
    let mut staff = signed_in(&app, Role::Intern).await;
    // Seasons start in September.
    let d = past.data.starts_on;
    let season = d.year() - i32::from(d.month() < 9);
    let r = staff.get(&format!("/team/season?season={season}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&escaped(&past.data.name)));
    assert!(
        r.body
            .contains(&format!("/team/projects/{}/report", past.id))
    );
    assert!(r.body.contains(&format!("{season}–{}", season + 1)));
    // The edition before belongs to the season before.
    let r = staff
        .get(&format!("/team/season?season={}", season - 1))
        .await;
    assert!(!r.body.contains(&escaped(&past.data.name)));
    // Nonsense falls back to the current season, without an error.
    let r = staff.get("/team/season?season=abc").await;
    assert_eq!(r.status, StatusCode::OK);
}
