//! The API gives the image as documented.

use super::*;
use axum::http::StatusCode;
use maillage_db::media::{self, Owner};
use serde_json::Value;

/// Checks `instance` against a component of the OpenAPI document.
fn validate(doc: &Value, component: &str, instance: &Value) {
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [{ "$ref": format!("#/components/schemas/{component}") }],
    });
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{component}: {errors:?}\n{instance:#}");
}

#[tokio::test]
async fn the_api_gives_the_image_as_documented() {
    let (app, s, mut staff) = staffed().await;
    let r = upload(
        &mut staff,
        s.published,
        &[
            ("alt_fr", "La coupole du planétarium"),
            ("credit", "© Cosmocité"),
        ],
        "coupole.jpg",
        &jpeg(1600, 900),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let img = image_of(&app, s.published).await;
    let mut c = app.client();
    // An English page without an English text shows the French one, marked.
    c.get("/lang/en").await;
    let r = c.get(PUBLISHED_URL).await;
    assert!(
        r.body
            .contains("alt=\"La coupole du planétarium\" lang=\"fr\""),
        "{}",
        r.body
    );
    let doc: Value = serde_json::from_str(&c.get("/api/openapi.json").await.body).unwrap();

    let r = c.get(&format!("/api/v1/activities/{}", s.published)).await;
    assert_eq!(r.status, StatusCode::OK);
    let a: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityDetail", &a);
    assert_eq!(
        a["image"]["url"],
        format!("http://localhost:8080{}", img.path(1280))
    );
    assert_eq!(a["image"]["width"], 1280);
    assert_eq!(a["image"]["height"], 720);
    assert_eq!(a["image"]["alt"], "La coupole du planétarium");
    assert_eq!(a["image"]["alt_en"], Value::Null);
    assert_eq!(a["image"]["credit"], "© Cosmocité");

    let r = c.get("/api/v1/activities?project=fds-2025").await;
    assert_eq!(r.status, StatusCode::OK);
    let list: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityList", &list);
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == s.published)
        .unwrap();
    assert_eq!(item["image"]["width"], 1280);

    // Without an image, null.
    media::delete(app.db.conn(), Owner::Activity(s.published))
        .await
        .unwrap();
    let r = c.get(&format!("/api/v1/activities/{}", s.published)).await;
    let a: Value = serde_json::from_str(&r.body).unwrap();
    validate(&doc, "ActivityDetail", &a);
    assert_eq!(a["image"], Value::Null);
}
