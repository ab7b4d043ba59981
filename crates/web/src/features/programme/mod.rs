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
        .open_get("/agenda", public::agenda)
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
        .merge(team::routes())
        .merge(image_routes())
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
