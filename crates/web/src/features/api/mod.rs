//! The JSON API's own routes: the index `/api/v1`, the token's account
//! `/api/v1/me`, the OpenAPI document, and the directory's read-only
//! routes (communes, organisations). The other API routes are declared by
//! their features; `openapi` documents them all.

mod index;
mod openapi;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .open_get("/api/v1", index::index)
        .open_get("/api/v1/communes", index::communes)
        .open_get("/api/v1/organisations", index::organisations)
        .open_get("/api/openapi.json", openapi::serve)
        .get("/api/v1/me", OwnAccount, index::me)
}
