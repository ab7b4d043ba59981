//! The web layer of Maillage: an axum router serving the public site, the
//! team space, the partner space and the JSON API. Server-rendered HTML
//! (askama, auto-escaping, checked at compile time), French first.
//!
//! One request: [`metrics`] times it → [`frame`] resolves language, session
//! or API token and CSRF, and renders any error as a page or problem+json →
//! [`authz`] checks the route's action → the feature's handler parses its
//! input into domain types, calls storage in a transaction, commits, renders.

pub mod assets;
pub mod authz;
pub mod cache;
pub mod cookies;
pub mod ctx;
pub mod error;
pub mod forms;
pub mod frame;
pub mod i18n;
pub mod mail;
pub mod markdown;
pub mod metrics;
pub mod ratelimit;
pub mod shared;
pub mod state;
pub mod time;

mod features;

pub use authz::{OpenRoute, RouteInfo, Routes, open_route_table, route_table};
pub use error::AppError;
pub use features::{
    Housekeeping, bookings_housekeeping, openapi_operations, send_digests, send_task_digests,
};
pub use state::{AppState, Config};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;

/// Largest request body accepted for ordinary forms and JSON.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// Largest multipart body, on the routes that take file uploads only: one
/// file of the largest size a form accepts
/// ([`maillage_domain::forms::MAX_FILE_BYTES`], 20 MiB) and its fields.
pub const UPLOAD_LIMIT: usize = 21 * 1024 * 1024;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(features::routes().router)
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), frame::frame))
        .layer(middleware::from_fn(frame::security_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}
