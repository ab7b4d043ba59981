//! The features of the web layer, one folder each: its `routes()` (every
//! route with the action it needs, or open to everybody), its handlers,
//! forms and view models; its templates under `templates/<feature>/`,
//! mirroring the modules. What several features use lives in
//! [`crate::shared`], never in one of them.

mod account;
mod admin;
mod api;
mod auth;
mod bookings;
mod directory;
mod forms;
mod partner;
mod planning;
mod programme;
mod reports;
mod site;
mod team;

pub use api::openapi_operations;
pub use bookings::{Housekeeping, PlaceCache, housekeeping as bookings_housekeeping};
pub use planning::digest::send_task_digests;
pub use team::send_digests;

use crate::authz::Routes;

/// The OpenAPI documents of the features that serve API routes.
pub(crate) fn api_docs() -> Vec<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    vec![
        api::ApiDoc::openapi(),
        directory::api::ApiDoc::openapi(),
        programme::api::ApiDoc::openapi(),
        bookings::api::ApiDoc::openapi(),
        forms::api::ApiDoc::openapi(),
        reports::handlers::ApiDoc::openapi(),
        planning::api::ApiDoc::openapi(),
    ]
}

/// Every route of the application, feature by feature.
pub fn routes() -> Routes {
    Routes::new()
        .merge(site::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(team::routes())
        .merge(partner::routes())
        .merge(directory::routes())
        .merge(programme::routes())
        .merge(bookings::routes())
        .merge(forms::routes())
        .merge(reports::routes())
        .merge(planning::routes())
        .merge(api::routes())
}
