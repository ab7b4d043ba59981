//! The programme editor of the team space: projects and their partners,
//! activities (bulk publish and cancel, reconduction into another edition),
//! sessions (one by one or in series; typed in Europe/Paris, stored UTC),
//! and the week and day planning of a venue with conflict warnings.

pub(crate) mod activities;
pub(crate) mod planning;
pub(crate) mod projects;
pub(crate) mod sessions;

use crate::error::AppError;
use maillage_db::programme::activities::Activity;
use maillage_db::programme::projects::Project;

/// The project of an activity, or 404.
pub(crate) async fn project_of(
    st: &crate::state::AppState,
    a: &Activity,
) -> Result<Project, AppError> {
    maillage_db::programme::projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)
}
