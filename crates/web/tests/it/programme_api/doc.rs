//! The OpenAPI document, and checks of answers against it.

use crate::util::{Client, Resp};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The one route of the API that writes.
pub const BOOKINGS: &str = "/api/v1/sessions/{id}/bookings";

pub struct Doc(pub Value);

impl Doc {
    pub async fn load(c: &mut Client) -> Doc {
        let r = c.get("/api/openapi.json").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type"), "application/json");
        let doc: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        Doc(doc)
    }

    pub fn paths(&self) -> BTreeSet<String> {
        self.0["paths"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    pub fn operation(&self, path: &str) -> &Value {
        let item = &self.0["paths"][path];
        assert!(item.is_object(), "{path} is not documented");
        let methods: Vec<&String> = item.as_object().unwrap().keys().collect();
        if path == BOOKINGS {
            assert_eq!(methods, ["post"], "{path}");
            return &item["post"];
        }
        assert_eq!(methods, ["get"], "{path}: only booking requests write");
        &item["get"]
    }

    /// `v`, or what its `$ref` points to in the document.
    pub fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => self
                .0
                .pointer(r.strip_prefix('#').unwrap())
                .unwrap_or_else(|| panic!("dangling {r}")),
            None => v,
        }
    }

    /// The query parameters of an operation.
    pub fn query_parameters(&self, path: &str) -> Vec<&Value> {
        self.operation(path)["parameters"]
            .as_array()
            .map(|a| a.iter().map(|p| self.resolve(p)).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p["in"] == "query")
            .collect()
    }

    /// Checks `instance` against `schema`, whose references are resolved in
    /// the document's components (JSON Schema 2020-12, formats checked).
    pub fn validate(&self, schema: &Value, instance: &Value, what: &str) {
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.0["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{what}: the schema does not build: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{what}: the answer does not match the document:\n{}\n{instance:#}",
            errors.join("\n")
        );
    }

    /// Checks an answer of the route `path`: its status is documented for
    /// the operation, with its media type, headers and body schema.
    pub fn check(&self, path: &str, r: &Resp) {
        let op = self.operation(path);
        let status = r.status.as_u16().to_string();
        let documented = op["responses"]
            .get(&status)
            .unwrap_or_else(|| panic!("{path}: status {status} is not documented: {}", r.body));
        let documented = self.resolve(documented);
        if let Some(headers) = documented.get("headers").and_then(Value::as_object) {
            for name in headers.keys() {
                assert!(!r.header(name).is_empty(), "{path} {status}: no {name}");
            }
        }
        match documented.get("content").and_then(Value::as_object) {
            None => assert!(r.body.is_empty(), "{path} {status}: a body"),
            Some(content) => {
                let media = content.get(r.header("content-type")).unwrap_or_else(|| {
                    panic!(
                        "{path} {status}: {} is not documented",
                        r.header("content-type")
                    )
                });
                // Files (CSV, XLSX, PDF) are checked by their own tests.
                if !r.header("content-type").contains("json") {
                    assert!(!r.bytes.is_empty(), "{path} {status}: empty");
                    return;
                }
                let body: Value = serde_json::from_str(&r.body)
                    .unwrap_or_else(|e| panic!("{path} {status}: not JSON ({e}): {}", r.body));
                self.validate(&media["schema"], &body, &format!("{path} {status}"));
            }
        }
    }
}
