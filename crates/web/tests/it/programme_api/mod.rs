//! The JSON API against its OpenAPI document (`/api/openapi.json`): every
//! API route is documented and every documented route answers; every
//! answer, errors included, has a documented status and media type and a
//! body valid against the document's schema (JSON Schema 2020-12); every
//! documented value of every query parameter is accepted and a bad one is
//! refused with problem+json naming it; cursors walk each list exactly
//! once; conditional requests get `304`; and the shape the checks
//! rely on.

mod answers;
mod caching;
mod cursors;
mod doc;
mod documented;
mod fixture;
mod parameters;

pub use doc::{BOOKINGS, Doc};
pub use fixture::{programme, project_data, session};

use serde_json::Value;

pub fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

pub fn enc(s: &str) -> String {
    maillage_web::ctx::urlencode(s)
}
