//! Every documented value of every query parameter accepted, bad ones
//! refused with problem+json naming them.

use super::*;
use crate::util::TestApp;
use axum::http::StatusCode;
use serde_json::Value;

/// A bad value for a query parameter, from its schema or its meaning;
/// `None` for free text.
fn bad_value(doc: &Doc, param: &Value) -> Option<String> {
    let name = param["name"].as_str().unwrap();
    let schema = doc.resolve(&param["schema"]);
    if schema.get("enum").is_some() {
        return Some("zz-not-a-code".into());
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("boolean"), _) => return Some("maybe".into()),
        (Some("string"), Some("date")) => return Some("2025-02-30".into()),
        (Some("integer"), _) => {
            return Some((schema["minimum"].as_i64().unwrap_or(1) - 1).to_string());
        }
        _ => {}
    }
    match name {
        "commune" | "near" => Some("Atlantis".into()),
        "epci" => Some("000000000".into()),
        "project" => Some("no-such-project".into()),
        "cursor" => Some("!!".into()),
        "q" | "departement" => None,
        other => panic!("no bad value known for the parameter {other}"),
    }
}

/// Values of a query parameter that must be accepted.
fn good_values(doc: &Doc, param: &Value) -> Vec<String> {
    let name = param["name"].as_str().unwrap();
    let schema = doc.resolve(&param["schema"]);
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("boolean"), _) => return ["true", "false", "1", "0"].map(String::from).to_vec(),
        (Some("string"), Some("date")) => return vec!["2025-10-24".into()],
        (Some("integer"), _) => {
            let mut v = vec![schema["minimum"].as_i64().unwrap_or(1).to_string()];
            if let Some(max) = schema["maximum"].as_i64() {
                v.push(max.to_string());
            }
            return v;
        }
        _ => {}
    }
    match name {
        "commune" => ["38317", "38000", "Le Pont-de-Claix"]
            .map(String::from)
            .to_vec(),
        "epci" => vec!["200040715".into()],
        "near" => vec!["Vif".into(), "38185".into()],
        "project" => vec!["fds-2025".into()],
        "q" => vec!["planétarium".into(), "".into()],
        "departement" => vec!["38".into()],
        // Valid cursors come from `next` (see the pagination test).
        "cursor" => vec!["".into()],
        other => panic!("no good value known for the parameter {other}"),
    }
}

#[tokio::test]
async fn every_documented_parameter_value_is_accepted_and_bad_ones_are_refused_by_name() {
    let app = TestApp::new().await;
    let d = programme(&app).await;
    let mut c = app.client();
    let doc = Doc::load(&mut c).await;
    let mut tried = 0;
    for path in doc.paths().iter().filter(|p| !p.contains('{')) {
        // Operations for the team only are asked with a team token.
        let team_only = doc.operation(path)["security"].as_array().is_some_and(|s| {
            !s.iter()
                .any(|x| x.as_object().is_some_and(|o| o.is_empty()))
        });
        for param in doc.query_parameters(path) {
            let name = param["name"].as_str().unwrap();
            for value in good_values(&doc, param) {
                let url = format!("{path}?{name}={}", enc(&value));
                let r = if team_only {
                    c.api_get(&url, &d.token).await
                } else {
                    c.get(&url).await
                };
                assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
                doc.check(path, &r);
                tried += 1;
                // The filter is applied: every activity listed has the value.
                if path == "/api/v1/activities" {
                    let field = match name {
                        "audience" => "audiences",
                        "level" => "levels",
                        "theme" => "themes",
                        "format" => "format",
                        _ => continue,
                    };
                    for item in r.json()["items"].as_array().unwrap() {
                        let has = match &item[field] {
                            Value::Array(a) => a.iter().any(|x| x == value.as_str()),
                            x => x == value.as_str(),
                        };
                        assert!(has, "{url}: {item}");
                    }
                }
            }
            let Some(bad) = bad_value(&doc, param) else {
                continue;
            };
            let url = format!("{path}?{name}={}", enc(&bad));
            let r = if team_only {
                c.api_get(&url, &d.token).await
            } else {
                c.get(&url).await
            };
            assert!(
                r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
                "{url}: {} {}",
                r.status,
                r.body
            );
            assert_eq!(r.header("content-type"), "application/problem+json");
            doc.check(path, &r);
            let problem = r.json();
            assert_eq!(problem["status"], r.status.as_u16());
            assert!(
                problem["errors"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|e| e["field"] == name)),
                "{url}: the problem does not name {name}: {problem}"
            );
        }
    }
    assert!(tried > 60, "{tried}");
    // The programme's routes refuse with 400, as the issue wants.
    let r = c.get("/api/v1/activities?level=licence").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c.get("/api/v1/venues?epci=000000000").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // `false` does not mean yes.
    let free = c.get("/api/v1/activities?free=false").await.json();
    assert_eq!(ids(&free).len(), 5);
    let free = c.get("/api/v1/activities?free=true").await.json();
    assert_eq!(ids(&free).len(), 1);
}
