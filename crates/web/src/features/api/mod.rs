//! The JSON API's own routes: the index `/api/v1`, the token's account
//! `/api/v1/me`, and the OpenAPI document. The other API routes are declared by
//! their features; `openapi` documents them all.

mod index;
mod openapi;

pub(crate) use index::ApiDoc;
pub use openapi::documented as openapi_operations;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .open_get("/api/v1", index::index)
        .open_get("/api/openapi.json", openapi::serve)
        .get("/api/v1/me", OwnAccount, index::me)
}
