//! The forms API: open calls (public), questionnaires, their results with
//! filters and their responses as CSV and XLSX (staff token), all checked
//! against the OpenAPI document.

use crate::programme_api::Doc;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_db::{api_tokens, demo};
use maillage_domain::Role;
use serde_json::Value;

fn body(r: &crate::util::Resp) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

#[tokio::test]
async fn calls_questionnaires_results_and_exports() {
    let app = TestApp::new().await;
    demo::load(&app.db).await.unwrap();
    let staff = app.user("results-staff@example.org", Role::Staff).await;
    let partner = app.user("results-partner@example.org", Role::Partner).await;
    let c = app.db.conn();
    let t = maillage_db::now();
    let (_, token) = api_tokens::create(c, staff.id, "api", t).await.unwrap();
    let (_, partner_token) = api_tokens::create(c, partner.id, "api", t).await.unwrap();
    let mut cl = app.client();
    let doc = Doc::load(&mut cl).await;

    // The open calls, for anyone.
    let r = cl.get("/api/v1/calls").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    doc.check("/api/v1/calls", &r);
    let calls = body(&r);
    let items = calls["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{calls}");
    let fds = items
        .iter()
        .find(|c| c["slug"] == demo::forms::PARTICIPATION_CALL)
        .unwrap();
    assert_eq!(fds["kind"], "participation");
    assert!(
        fds["project"]
            .as_str()
            .unwrap()
            .starts_with("Fête de la science")
    );
    let closes = fds["closes_at"].as_str().unwrap();
    assert!(
        closes.ends_with("+01:00") || closes.ends_with("+02:00"),
        "{closes}"
    );
    assert!(
        fds["url"]
            .as_str()
            .unwrap()
            .ends_with("/appel/appel-fete-de-la-science")
    );

    // Questionnaires: a token of the team only.
    let r = cl.get("/api/v1/questionnaires").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    doc.check("/api/v1/questionnaires", &r);
    let r = cl.api_get("/api/v1/questionnaires", &partner_token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    doc.check("/api/v1/questionnaires", &r);
    let r = cl.api_get("/api/v1/questionnaires", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    doc.check("/api/v1/questionnaires", &r);
    let list = body(&r);
    let q = &list["items"][0];
    let id = q["id"].as_i64().unwrap();
    let total = q["responses"].as_i64().unwrap();
    assert!((300..=400).contains(&total), "{list}");

    // Results, all and filtered.
    let path = "/api/v1/questionnaires/{id}/results";
    let url = format!("/api/v1/questionnaires/{id}/results");
    let r = cl.get(&url).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = cl.api_get(&url, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    doc.check(path, &r);
    let all = body(&r);
    assert_eq!(all["responses"].as_i64().unwrap(), total);
    let q = |key: &str| {
        all["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == key)
            .unwrap()
            .clone()
    };
    assert!(q("nps")["nps"].is_number());
    assert_eq!(q("satisfaction")["options"].as_array().unwrap().len(), 5);
    assert!(q("satisfaction")["mean"].as_f64().unwrap() > 3.0);
    assert_eq!(q("come_back")["kind"], "yes_no");
    assert!(!q("comment")["texts"].as_array().unwrap().is_empty());

    let stream = |f: maillage_db::forms::questionnaires::Filter| async move {
        let mut first = None;
        maillage_db::forms::questionnaires::stream(c, id, &f, true, |r| {
            first.get_or_insert((r.activity_id, r.commune_insee.clone(), r.day));
        })
        .await
        .unwrap();
        first.unwrap()
    };
    let (activity, commune, day) = stream(Default::default()).await;
    for query in [
        format!("activity={}", activity.unwrap()),
        format!("commune={}", commune.unwrap()),
        format!("from={day}&to={day}"),
    ] {
        let r = cl.api_get(&format!("{url}?{query}"), &token).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        doc.check(path, &r);
        let n = body(&r)["responses"].as_i64().unwrap();
        assert!(n >= 1 && n < total, "{query}: {n}");
    }
    // Bad values are refused by name, never a 500.
    for (name, value) in [
        ("activity", "x"),
        ("session", "-3"),
        ("commune", "Atlantis"),
        ("from", "2025-02-30"),
        ("to", "demain"),
    ] {
        let r = cl.api_get(&format!("{url}?{name}={value}"), &token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(r.header("content-type"), "application/problem+json");
        doc.check(path, &r);
        assert!(
            body(&r)["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == name),
            "{name}: {}",
            r.body
        );
    }
    let r = cl
        .api_get("/api/v1/questionnaires/999999/results", &token)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    doc.check(path, &r);

    // Exports: one row per response, as attachments.
    let r = cl
        .api_get(
            &format!("/api/v1/questionnaires/{id}/responses.csv"),
            &token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert!(r.header("content-disposition").starts_with("attachment"));
    let table = maillage_tabular::read_csv(&r.bytes).unwrap();
    // No response number, which would give the order of the answers.
    assert_eq!(table.headers[0], "day");
    assert!(!table.headers.iter().any(|h| h == "response"));
    assert!(
        table.headers.iter().any(|h| h.contains("satisfait")),
        "{:?}",
        table.headers
    );
    assert_eq!(table.rows.len() as i64, total);
    let table = maillage_tabular::read(&r.bytes).unwrap();
    assert_eq!(table.rows.len() as i64, total);
    let r = cl
        .api_get(
            &format!("/api/v1/questionnaires/{id}/responses.xlsx?from={day}&to={day}"),
            &token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert!(r.header("content-disposition").starts_with("attachment"));
    let sheet = maillage_tabular::read_xlsx(&r.bytes).unwrap();
    assert!(!sheet.rows.is_empty() && (sheet.rows.len() as i64) < total);
    let r = cl
        .api_get(
            &format!("/api/v1/questionnaires/{id}/responses.csv?to=nope"),
            &token,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
