//! The network directory: organisations, people, venues and their spaces
//! (team pages on the records kit of `shared::records`: search, filters,
//! merge and export), imports, the public
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
use crate::shared::records;
use maillage_db::organisations::Organisation;
use maillage_db::people::Person;
use maillage_db::venues::Venue;
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
    use organisations::show as o;
    type O = Organisation;
    Routes::new()
        .get("/team/organisations", ReadDirectory, records::list::<O>)
        .post("/team/organisations", EditDirectory, records::create::<O>)
        .get(
            "/team/organisations/new",
            EditDirectory,
            records::new_form::<O>,
        )
        .get(
            "/team/organisations/export/{format}",
            ManageDirectory,
            records::export::<O>,
        )
        .get(
            "/team/organisations/{id}",
            ReadDirectory,
            records::show::<O>,
        )
        .post(
            "/team/organisations/{id}",
            EditDirectory,
            records::update::<O>,
        )
        .get(
            "/team/organisations/{id}/edit",
            EditDirectory,
            records::edit_form::<O>,
        )
        .post(
            "/team/organisations/{id}/delete",
            ManageDirectory,
            records::delete::<O>,
        )
        .get(
            "/team/organisations/{id}/merge",
            ManageDirectory,
            records::merge_form::<O>,
        )
        .post(
            "/team/organisations/{id}/merge",
            ManageDirectory,
            records::merge::<O>,
        )
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
    use people::show as p;
    type P = Person;
    Routes::new()
        .get("/team/people", ReadPeople, records::list::<P>)
        .post("/team/people", EditDirectory, records::create::<P>)
        .get("/team/people/new", EditDirectory, records::new_form::<P>)
        .get(
            "/team/people/export/{format}",
            ManageDirectory,
            records::export::<P>,
        )
        .get("/team/people/{id}", ReadPeople, records::show::<P>)
        .post("/team/people/{id}", EditDirectory, records::update::<P>)
        .get(
            "/team/people/{id}/edit",
            EditDirectory,
            records::edit_form::<P>,
        )
        .post(
            "/team/people/{id}/delete",
            ManageDirectory,
            records::delete::<P>,
        )
        .get(
            "/team/people/{id}/merge",
            ManageDirectory,
            records::merge_form::<P>,
        )
        .post(
            "/team/people/{id}/merge",
            ManageDirectory,
            records::merge::<P>,
        )
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
    use venues::spaces as s;
    type V = Venue;
    Routes::new()
        .get("/team/venues", ReadDirectory, records::list::<V>)
        .post("/team/venues", EditDirectory, records::create::<V>)
        .get("/team/venues/new", EditDirectory, records::new_form::<V>)
        .get(
            "/team/venues/export/{format}",
            ManageDirectory,
            records::export::<V>,
        )
        .get("/team/venues/{id}", ReadDirectory, records::show::<V>)
        .post("/team/venues/{id}", EditDirectory, records::update::<V>)
        .get(
            "/team/venues/{id}/edit",
            EditDirectory,
            records::edit_form::<V>,
        )
        .post(
            "/team/venues/{id}/delete",
            ManageDirectory,
            records::delete::<V>,
        )
        .post("/team/venues/{id}/spaces", EditDirectory, s::add_space)
        .post("/team/spaces/{id}", EditDirectory, s::update_space)
        .post("/team/spaces/{id}/delete", EditDirectory, s::delete_space)
}
