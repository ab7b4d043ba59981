//! The programme editor of the team space, on the records kit of
//! `shared::records`: projects and their partners, activities (bulk publish
//! and cancel, reconduction into another edition), sessions (one by one or
//! in series; typed in Europe/Paris, stored UTC), and the week and day
//! planning of a venue with conflict warnings.

pub(crate) mod activities;
pub(crate) mod planning;
pub(crate) mod projects;
pub(crate) mod sessions;

use crate::authz::Routes;
use crate::error::AppError;
use crate::shared::records;
use maillage_db::programme::activities::Activity;
use maillage_db::programme::projects::Project;
use maillage_domain::Action::*;

/// The routes of the editor.
pub(crate) fn routes() -> Routes {
    type A = Activity;
    type P = Project;
    Routes::new()
        .get("/team/programme", ReadProgramme, projects::list)
        .post(
            "/team/programme/projects",
            ManageProgramme,
            records::create::<P>,
        )
        .get(
            "/team/programme/projects/new",
            ManageProgramme,
            records::new_form::<P>,
        )
        .get(
            "/team/programme/projects/{id}",
            ReadProgramme,
            records::show::<P>,
        )
        .post(
            "/team/programme/projects/{id}",
            ManageProgramme,
            records::update::<P>,
        )
        .get(
            "/team/programme/projects/{id}/edit",
            ManageProgramme,
            records::edit_form::<P>,
        )
        .post(
            "/team/programme/projects/{id}/delete",
            ManageProgramme,
            records::delete::<P>,
        )
        .post(
            "/team/programme/projects/{id}/bulk",
            ManageProgramme,
            projects::show::bulk,
        )
        .get(
            "/team/programme/projects/{id}/activities/new",
            EditProgramme,
            records::new_form_in::<A>,
        )
        .post(
            "/team/programme/projects/{id}/activities",
            EditProgramme,
            records::create_in::<A>,
        )
        .get(
            "/team/programme/activities/{id}",
            ReadProgramme,
            records::show::<A>,
        )
        .post(
            "/team/programme/activities/{id}",
            EditProgramme,
            records::update::<A>,
        )
        .get(
            "/team/programme/activities/{id}/edit",
            EditProgramme,
            records::edit_form::<A>,
        )
        .post(
            "/team/programme/activities/{id}/delete",
            ManageProgramme,
            records::delete::<A>,
        )
        .post(
            "/team/programme/activities/{id}/copy",
            EditProgramme,
            activities::copy,
        )
        .merge(session_routes())
}

fn session_routes() -> Routes {
    use sessions as s;
    Routes::new()
        .post(
            "/team/programme/activities/{id}/sessions",
            EditProgramme,
            s::add,
        )
        .post(
            "/team/programme/activities/{id}/series",
            EditProgramme,
            s::series,
        )
        .post("/team/programme/sessions/{id}", EditProgramme, s::update)
        .post(
            "/team/programme/sessions/{id}/delete",
            EditProgramme,
            s::delete,
        )
        .get("/team/programme/planning", ReadProgramme, planning::index)
        .get(
            "/team/programme/venues/{id}/planning",
            ReadProgramme,
            planning::venue,
        )
}

pub(crate) use crate::shared::programme::description;

/// The project of an activity, or 404.
pub(crate) async fn project_of(
    st: &crate::state::AppState,
    a: &Activity,
) -> Result<Project, AppError> {
    maillage_db::programme::projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)
}
