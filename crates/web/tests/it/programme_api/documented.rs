//! Every API route documented, every documented route answering, the
//! document valid and revalidated.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use maillage_domain::directory::Theme;
use maillage_domain::programme::Format;
use serde_json::{Value, json};
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
    // The document's operations, as the crate lists them for the tests
    // that hold it and the routes together.
    let operations: BTreeSet<(String, String)> = maillage_web::openapi_operations()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p))
        .collect();
    assert_eq!(
        operations
            .iter()
            .map(|o| o.1.clone())
            .collect::<BTreeSet<_>>(),
        documented
    );
    // Every API route of the router, with or without a token, is
    // documented with its method, and every documented operation is routed.
    let routed: BTreeSet<(String, String)> = maillage_web::route_table()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .chain(
            maillage_web::open_route_table()
                .into_iter()
                .map(|r| (r.method.to_string(), r.path.to_owned())),
        )
        .filter(|(_, p)| p.starts_with("/api/") && p != "/api/openapi.json")
        .collect();
    assert_eq!(
        routed, operations,
        "routed API operations = documented ones"
    );
    // Every API path the router source names, in any file, is documented
    // (a route added beside the document would show here).
    let mut named = Vec::new();
    api_paths_in(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut named,
    );
    assert!(named.len() >= 20, "{named:?}");
    for (file, path) in named {
        assert!(
            documented.contains(&path) || path == "/api/openapi.json",
            "{path} is named in {file} but not documented"
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

/// The string literals of the `.rs` files under `dir` that are paths of the
/// API (`/api/v…`, no query string), with their file.
fn api_paths_in(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            api_paths_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for (at, _) in source.match_indices("\"/api/") {
                let literal = source[at + 1..].split('"').next().unwrap_or_default();
                if literal.len() > "/api/".len() && !literal.contains('?') {
                    out.push((path.display().to_string(), literal.to_owned()));
                }
            }
        }
    }
}

/// The `$ref`s of `v`.
fn references<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                out.push(r);
            }
            m.values().for_each(|x| references(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// The schemas of `v` that give a default value.
fn with_defaults<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("default") && (m.contains_key("type") || m.contains_key("$ref")) {
                out.push(v);
            }
            m.values().for_each(|x| with_defaults(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| with_defaults(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    // The schema of OpenAPI 3.1 documents of the OpenAPI Initiative.
    let schema: Value = serde_json::from_str(include_str!("../openapi-3.1.schema.json")).unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc.0)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not OpenAPI 3.1:\n{}", errors.join("\n"));
    // What an OpenAPI validator checks beside: every default value is one
    // its schema accepts.
    let mut defaults = Vec::new();
    with_defaults(&doc.0, &mut defaults);
    assert!(!defaults.is_empty());
    for schema in defaults {
        doc.validate(schema, &schema["default"], "a default value");
    }
    // The check can fail.
    let mut broken = doc.0.clone();
    broken["paths"]["/api/v1"]["get"]["responses"]["200"] = json!({ "content": {} });
    assert!(
        !validator.is_valid(&broken),
        "a response needs a description"
    );
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
    // Every reference resolves.
    let mut refs = Vec::new();
    references(&doc.0, &mut refs);
    assert!(refs.len() > 50);
    for r in refs {
        assert!(
            doc.0.pointer(r.strip_prefix('#').unwrap()).is_some(),
            "dangling {r}"
        );
    }
    // Operation ids are unique.
    let mut ids: Vec<&str> = doc.0["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{ids:?}");
    // The vocabularies are the domain's codes; the public sees no draft.
    let schemas = &doc.0["components"]["schemas"];
    let codes = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not enumerated"))
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes("Format"),
        Format::ALL.iter().map(|f| f.code()).collect::<Vec<_>>()
    );
    assert_eq!(codes("Theme").len(), Theme::ALL.len());
    assert!(codes("ActivityStatus").contains(&"cancelled".to_owned()));
    assert!(!codes("ActivityStatus").contains(&"draft".to_owned()));
    // Answers are closed objects (a flattened view included); requests are
    // as derived.
    let detail = &schemas["ActivityDetail"];
    assert_eq!(detail["additionalProperties"], false);
    assert!(detail["properties"]["title"].is_object(), "{detail}");
    assert!(
        detail["required"]
            .as_array()
            .unwrap()
            .contains(&json!("summary"))
    );
    let r = c.get("/api/openapi.json").await;
    let etag = r.header("etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    c.headers.push(("if-none-match".into(), etag));
    let again = c.get("/api/openapi.json").await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}
