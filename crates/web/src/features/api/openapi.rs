//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`.
//!
//! It is derived from the code (utoipa), so that the two cannot drift apart:
//! each handler of the API carries its operation (`#[utoipa::path]`: method,
//! path, parameters — the structs the handler reads —, answers, security),
//! each view type its schema (`#[derive(ToSchema)]`, doc comments as
//! descriptions), and each file serving API routes lists its operations in
//! its own `ApiDoc`. This module merges those documents and adds what they
//! share: the information, tags and bearer scheme, the problem answers, and
//! the vocabularies of the domain as enumerations of their codes ([`vocab`]).
//! The `/api/v1` index links every operation by its `x-link` name
//! ([`links`]). The tests check every answer of the API against the
//! document, every documented value of every parameter, and that every
//! route is documented ([`documented`]).

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// Where the document is served.
pub const PATH: &str = "/api/openapi.json";

const DESCRIPTION: &str = "\
The public programme of Maillage (projects, activities, sessions, venues) and its directory \
(communes, organisations) in JSON; booking places; with a token of the team, questionnaires \
and bilans.

* **Errors** are `application/problem+json` (RFC 9457). A refused query parameter gives `400` \
  (`422` on the directory routes) with one entry per parameter in `errors`.
* **Pages**: lists return `items` and `next`, an opaque cursor to pass back as `cursor` with the \
  same filters; `next` is null on the last page.
* **Caching**: programme answers carry `ETag` and `Last-Modified`; send `If-None-Match` or \
  `If-Modified-Since` to get `304 Not Modified` while the programme has not changed.
* **Times** are RFC 3339 with the offset of Europe/Paris; dates are Europe/Paris days.
* **Codes** (formats, audiences, levels, themes…) are stable; French or English labels are also \
  accepted in parameters.
* **Links**: `/api/v1` lists every operation by the name in its `x-link`.";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Maillage API",
        version = concat!("v1 (", env!("CARGO_PKG_VERSION"), ")"),
        description = DESCRIPTION,
        license(name = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "programme", description = "Projects, activities, sessions and venues."),
        (name = "directory", description = "Communes and organisations."),
        (name = "bookings", description = "Booking places on sessions."),
        (name = "account", description = "The token's account."),
        (name = "reports", description = "Bilans of projects and coverage (staff)."),
        (name = "forms", description = "Open calls; questionnaires and their results (staff)."),
        (name = "meta", description = "About the API."),
    ),
    components(responses(
        crate::shared::api::BadRequest,
        crate::shared::api::Unprocessable,
        crate::shared::api::NotFound,
        crate::shared::api::Unauthorized,
        crate::shared::api::Forbidden
    )),
)]
struct Document;

fn build() -> Value {
    let mut doc = Document::openapi();
    // The documents of the files that serve API routes.
    for part in crate::features::api_docs() {
        doc.merge(part);
    }
    if let Some(license) = doc.info.license.as_mut() {
        license.identifier = Some("AGPL-3.0-or-later".into());
    }
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("A token made in the team space (`/team/tokens`)."))
        .build();
    doc.components
        .get_or_insert_with(Default::default)
        .security_schemes
        .insert("bearerAuth".into(), SecurityScheme::Http(bearer));
    let mut doc = serde_json::to_value(&doc).unwrap_or_default();
    close(&mut doc);
    let links = links_of(&doc);
    let index_links = &mut doc["components"]["schemas"]["Index"]["properties"]["links"];
    index_links["properties"] = links
        .iter()
        .map(|(k, v)| (k.clone(), json!({ "const": v })))
        .collect();
    index_links["required"] = links.keys().cloned().collect();
    index_links["additionalProperties"] = json!(false);
    doc
}

/// Says what utoipa cannot read from serde: an answer holds every field of
/// its view (`null` when there is nothing) but for those skipped when empty,
/// which are not nullable, and nothing else; and a view flattened into
/// another is one object with it. Request bodies, and objects that say
/// whether they take more properties, are left as they are.
fn close(doc: &mut Value) {
    let requests: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|item| item.as_object())
        .flat_map(|ops| ops.values())
        .filter_map(|op| op["requestBody"]["content"].as_object())
        .flat_map(|content| content.values())
        .filter_map(|media| media["schema"]["$ref"].as_str())
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect();
    let all = doc["components"]["schemas"].clone();
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !requests.contains(name) {
            *schema = merged(schema, &all);
            closed(schema);
        }
    }
}

/// `schema` with the parts of its `allOf` (inline or referenced) as one
/// object.
fn merged(schema: &Value, all: &Value) -> Value {
    let Some(parts) = schema["allOf"].as_array() else {
        return schema.clone();
    };
    let mut out = json!({ "type": "object", "properties": {}, "required": [] });
    if let Some(d) = schema.get("description") {
        out["description"] = d.clone();
    }
    for part in parts {
        let part = match part["$ref"].as_str() {
            Some(r) => merged(&all[r.trim_start_matches("#/components/schemas/")], all),
            None => merged(part, all),
        };
        for (k, v) in part["properties"].as_object().into_iter().flatten() {
            out["properties"][k] = v.clone();
        }
        let required = part["required"].as_array().cloned().unwrap_or_default();
        if let Some(all_required) = out["required"].as_array_mut() {
            all_required.extend(required);
        }
    }
    out
}

fn admits_null(s: &Value) -> bool {
    match &s["type"] {
        Value::String(t) => t == "null",
        Value::Array(types) => types.iter().any(|t| t == "null"),
        _ => ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| s[*k].as_array())
            .flatten()
            .any(admits_null),
    }
}

fn closed(s: &mut Value) {
    if s["type"] == "object"
        && s.get("additionalProperties").is_none()
        && let Some(props) = s["properties"].as_object()
    {
        let nullable: Vec<Value> = props
            .iter()
            .filter(|(_, p)| admits_null(p))
            .map(|(k, _)| json!(k))
            .collect();
        let required = s
            .as_object_mut()
            .and_then(|m| m.entry("required").or_insert(json!([])).as_array_mut());
        if let Some(required) = required {
            for k in nullable {
                if !required.contains(&k) {
                    required.push(k);
                }
            }
        }
        s["additionalProperties"] = json!(false);
    }
    for (k, v) in s.as_object_mut().into_iter().flatten() {
        match (k.as_str(), v) {
            ("properties", Value::Object(props)) => props.values_mut().for_each(closed),
            ("items", v) => closed(v),
            ("oneOf" | "anyOf", Value::Array(parts)) => parts.iter_mut().for_each(closed),
            _ => {}
        }
    }
}

/// The operations by the name in their `x-link`.
fn links_of(doc: &Value) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for op in item.as_object().into_iter().flat_map(|ops| ops.values()) {
            if let Some(name) = op["x-link"].as_str() {
                links.insert(name.to_owned(), path.clone());
            }
        }
    }
    links
}

fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

/// Every route of the API by name (URI templates for single resources),
/// for the `/api/v1` index.
pub(crate) fn links() -> &'static BTreeMap<String, String> {
    static LINKS: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    LINKS.get_or_init(|| links_of(document()))
}

/// Every operation of the document: its method and path (for the tests
/// that hold the document and the router together).
pub fn documented() -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for (path, item) in document()["paths"].as_object().into_iter().flatten() {
        for method in item.as_object().into_iter().flat_map(|ops| ops.keys()) {
            if let Ok(m) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) {
                out.push((m, path.clone()));
            }
        }
    }
    out
}

/// The document and its validator, made once.
fn served() -> &'static (Bytes, String) {
    static SERVED: OnceLock<(Bytes, String)> = OnceLock::new();
    SERVED.get_or_init(|| {
        let body = serde_json::to_vec(document()).unwrap_or_default();
        let hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        (Bytes::from(body), format!("\"oas-{hash:x}\""))
    })
}

/// `GET /api/openapi.json`.
pub async fn serve(headers: HeaderMap) -> Response {
    let (body, etag) = served();
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag);
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = (StatusCode::OK, body.clone()).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}
