//! Projects and their programme: the public programme (home, project
//! pages with filters, activity pages, iCalendar and Atom feeds), its JSON
//! API, the team's editor (projects, activities, sessions, venue
//! planning) and the images of activities and projects.

pub(crate) mod api;
mod images;
mod public;
mod team;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .open_get("/", public::home)
        .open_get("/p/{slug}", public::programme)
        .open_get("/p/{slug}/programme.ics", public::programme_ics)
        .open_get("/p/{slug}/feed.atom", public::atom)
        .open_get("/p/{slug}/a/{activity}", public::activity)
        .open_get("/p/{slug}/a/{activity}/activity.ics", public::activity_ics)
        .open_get("/media/{file}", images::serve)
        .open_get("/api/v1/projects", api::projects_list)
        .open_get("/api/v1/projects/{slug}", api::project)
        .open_get("/api/v1/activities", api::activities_list)
        .open_get("/api/v1/activities/{id}", api::activity)
        .open_get("/api/v1/sessions/{id}", api::session)
        .open_get("/api/v1/venues", api::venues_list)
        .open_get("/api/v1/venues/{id}", api::venue)
        .merge(editor_routes())
        .merge(image_routes())
}

fn editor_routes() -> Routes {
    use team::{activities as a, planning, projects as p, sessions as s};
    Routes::new()
        .get("/team/programme", ReadProgramme, p::list)
        .post("/team/programme/projects", ManageProgramme, p::create)
        .get("/team/programme/projects/new", ManageProgramme, p::new_form)
        .get("/team/programme/projects/{id}", ReadProgramme, p::show)
        .post("/team/programme/projects/{id}", ManageProgramme, p::update)
        .get(
            "/team/programme/projects/{id}/edit",
            ManageProgramme,
            p::edit_form,
        )
        .post(
            "/team/programme/projects/{id}/delete",
            ManageProgramme,
            p::delete,
        )
        .post(
            "/team/programme/projects/{id}/bulk",
            ManageProgramme,
            p::bulk,
        )
        .get(
            "/team/programme/projects/{id}/activities/new",
            EditProgramme,
            a::new_form,
        )
        .post(
            "/team/programme/projects/{id}/activities",
            EditProgramme,
            a::create,
        )
        .get("/team/programme/activities/{id}", ReadProgramme, a::show)
        .post("/team/programme/activities/{id}", EditProgramme, a::update)
        .get(
            "/team/programme/activities/{id}/edit",
            EditProgramme,
            a::edit_form,
        )
        .post(
            "/team/programme/activities/{id}/delete",
            ManageProgramme,
            a::delete,
        )
        .post(
            "/team/programme/activities/{id}/copy",
            EditProgramme,
            a::copy,
        )
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

fn image_routes() -> Routes {
    use images as i;
    Routes::new()
        .get(
            "/team/programme/activities/{id}/image",
            EditProgramme,
            i::activity_form,
        )
        .post_upload(
            "/team/programme/activities/{id}/image",
            EditProgramme,
            i::activity_save,
        )
        .post(
            "/team/programme/activities/{id}/image/delete",
            EditProgramme,
            i::activity_delete,
        )
        .get(
            "/team/programme/projects/{id}/image",
            ManageProgramme,
            i::project_form,
        )
        .post_upload(
            "/team/programme/projects/{id}/image",
            ManageProgramme,
            i::project_save,
        )
        .post(
            "/team/programme/projects/{id}/image/delete",
            ManageProgramme,
            i::project_delete,
        )
}
