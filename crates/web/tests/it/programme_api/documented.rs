//! Every API route documented, every documented route answering, the
//! document valid and revalidated.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_api_route_is_documented_and_every_documented_route_answers() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let documented = doc.paths();

    // The index links every route; it is made from the router's own list.
    let index = c.get("/api/v1").await;
    doc.check("/api/v1", &index);
    let index = index.json();
    assert_eq!(index["openapi"], "/api/openapi.json");
    let mut linked: BTreeSet<String> = index["links"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    linked.insert("/api/v1".into());
    assert_eq!(linked, documented);
    for route in maillage_web::route_table() {
        if route.path.starts_with("/api/") {
            assert!(
                documented.contains(route.path),
                "{} is not documented",
                route.path
            );
        }
    }
    // Every API path the router source names is documented (a route added
    // beside the list rather than in it would show here).
    let source = include_str!("../../../src/features/mod.rs");
    let named: Vec<&str> = source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("/api/"))
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for path in named {
        assert!(
            documented.contains(path) || path == "/api/openapi.json",
            "{path} is routed but not documented"
        );
    }

    // Every documented route answers, as documented (booking requests are
    // checked against the document by the booking tests).
    for path in documented.iter().filter(|p| *p != BOOKINGS) {
        let id = if path.starts_with("/api/v1/activities/") {
            d.planetarium
        } else if path.starts_with("/api/v1/sessions/") {
            d.session
        } else if path.starts_with("/api/v1/venues/") {
            d.cosmocite
        } else if path.starts_with("/api/v1/questionnaires/") {
            d.questionnaire
        } else {
            assert!(!path.contains("{id}"), "no example id for {path}");
            0
        };
        let url = path
            .replace("{id}", &id.to_string())
            .replace("{slug}", "fds-2025");
        assert!(!url.contains('{'), "no example for {path}");
        let r = c.get(&url).await;
        doc.check(path, &r);
        if r.status == StatusCode::UNAUTHORIZED {
            assert!(doc.operation(path)["security"][0]["bearerAuth"].is_array());
            let r = c.api_get(&url, &d.token).await;
            doc.check(path, &r);
            assert_eq!(r.status, StatusCode::OK, "{url} with a token");
        } else {
            assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn the_document_is_served_with_a_validator_and_its_schemas_are_valid() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    for (name, schema) in doc.0["components"]["schemas"].as_object().unwrap() {
        assert!(
            jsonschema::draft202012::meta::is_valid(schema),
            "{name} is not a valid JSON Schema"
        );
    }
    let r = c.get("/api/openapi.json").await;
    let etag = r.header("etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    c.headers.push(("if-none-match".into(), etag));
    let again = c.get("/api/openapi.json").await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}
