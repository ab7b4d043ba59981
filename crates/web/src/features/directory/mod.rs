//! The network directory: organisations, people, venues and their spaces
//! (team pages with search, filters, merge and export), imports, the public
//! directory of actors (`/annuaire`) and its JSON API, and the partner
//! space's pages where partners edit their own organisation and people.

mod actors;
pub(crate) mod api;
mod common;
mod imports;
mod organisations;
mod partner;
mod people;
mod venues;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    organisation_routes()
        .merge(people_routes())
        .merge(venue_routes())
        .get("/team/import", ManageDirectory, imports::form)
        .post_upload("/team/import", ManageDirectory, imports::upload)
        .post(
            "/team/import/{id}/confirm",
            ManageDirectory,
            imports::confirm,
        )
        .open_get("/annuaire", actors::list)
        .open_get("/api/v1/communes", api::communes)
        .open_get("/api/v1/organisations", api::organisations)
        .open_get("/annuaire/{id}", actors::show)
        .get(
            "/partner/organisation",
            EditOwnOrganisation,
            partner::organisation_form,
        )
        .post(
            "/partner/organisation",
            EditOwnOrganisation,
            partner::save_organisation,
        )
        .get(
            "/partner/people/new",
            EditOwnOrganisation,
            partner::new_person_form,
        )
        .post(
            "/partner/people",
            EditOwnOrganisation,
            partner::create_person,
        )
        .get(
            "/partner/people/{id}",
            EditOwnOrganisation,
            partner::person_form,
        )
        .post(
            "/partner/people/{id}",
            EditOwnOrganisation,
            partner::save_person,
        )
}

fn organisation_routes() -> Routes {
    use organisations as o;
    Routes::new()
        .get("/team/organisations", ReadDirectory, o::list)
        .post("/team/organisations", EditDirectory, o::create)
        .get("/team/organisations/new", EditDirectory, o::new_form)
        .get(
            "/team/organisations/export/{format}",
            ManageDirectory,
            o::export,
        )
        .get("/team/organisations/{id}", ReadDirectory, o::show)
        .post("/team/organisations/{id}", EditDirectory, o::update)
        .get("/team/organisations/{id}/edit", EditDirectory, o::edit_form)
        .post(
            "/team/organisations/{id}/delete",
            ManageDirectory,
            o::delete,
        )
        .get(
            "/team/organisations/{id}/merge",
            ManageDirectory,
            o::merge_form,
        )
        .post("/team/organisations/{id}/merge", ManageDirectory, o::merge)
        .post(
            "/team/organisations/{id}/members",
            EditDirectory,
            o::add_member,
        )
        .post(
            "/team/memberships/{id}/delete",
            EditDirectory,
            o::remove_member,
        )
}

fn people_routes() -> Routes {
    use people as p;
    Routes::new()
        .get("/team/people", ReadDirectory, p::list)
        .post("/team/people", EditDirectory, p::create)
        .get("/team/people/new", EditDirectory, p::new_form)
        .get("/team/people/export/{format}", ManageDirectory, p::export)
        .get("/team/people/{id}", ReadDirectory, p::show)
        .post("/team/people/{id}", EditDirectory, p::update)
        .get("/team/people/{id}/edit", EditDirectory, p::edit_form)
        .post("/team/people/{id}/delete", ManageDirectory, p::delete)
        .get("/team/people/{id}/merge", ManageDirectory, p::merge_form)
        .post("/team/people/{id}/merge", ManageDirectory, p::merge)
        .post(
            "/team/people/{id}/memberships",
            EditDirectory,
            p::add_membership,
        )
        .get(
            "/team/people/{id}/export.json",
            ManageDirectory,
            p::export_person,
        )
        .post("/team/people/{id}/erase", ManageDirectory, p::erase)
}

fn venue_routes() -> Routes {
    use venues as v;
    Routes::new()
        .get("/team/venues", ReadDirectory, v::list)
        .post("/team/venues", EditDirectory, v::create)
        .get("/team/venues/new", EditDirectory, v::new_form)
        .get("/team/venues/export/{format}", ManageDirectory, v::export)
        .get("/team/venues/{id}", ReadDirectory, v::show)
        .post("/team/venues/{id}", EditDirectory, v::update)
        .get("/team/venues/{id}/edit", EditDirectory, v::edit_form)
        .post("/team/venues/{id}/delete", ManageDirectory, v::delete)
        .post("/team/venues/{id}/spaces", EditDirectory, v::add_space)
        .post("/team/spaces/{id}", EditDirectory, v::update_space)
        .post("/team/spaces/{id}/delete", EditDirectory, v::delete_space)
}
