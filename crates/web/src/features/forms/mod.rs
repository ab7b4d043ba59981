//! Forms: one engine for calls for participation and applications, their
//! review, registrations and evaluation questionnaires. `view` draws a
//! form's fields for every page that shows one; `common` finds forms and
//! says what they are attached to; `calls` is the public call page and
//! answering it; `review` the team's review of the answers;
//! `questionnaires` the public questionnaire, the team's results and the
//! QR codes; `builder` the team's form builder; `mail` the e-mails to
//! submitters; `api` the forms' JSON API.
//!
//! The fixed forms (settings, items, calls, comments, scores, decisions…)
//! are read into typed structs ([`crate::forms::Typed`]) and checked into
//! domain types; the answers to a form's own questions stay pairs, read
//! by `Schema::parse_answers`.

pub(crate) mod api;
mod builder;
mod calls;
mod common;
mod mail;
mod questionnaires;
mod review;
mod view;

use crate::authz::Routes;
use maillage_domain::Action::*;

pub(crate) fn routes() -> Routes {
    public_routes()
        .merge(builder_routes())
        .merge(review_routes())
        .merge(questionnaire_routes())
        .open_get("/api/v1/calls", api::calls_list)
        .get(
            "/api/v1/questionnaires",
            ReadQuestionnaireResults,
            api::questionnaires_list,
        )
        .get(
            "/api/v1/questionnaires/{id}/results",
            ReadQuestionnaireResults,
            api::results,
        )
        .get(
            "/api/v1/questionnaires/{id}/responses.csv",
            ReadQuestionnaireResults,
            api::responses_csv,
        )
        .get(
            "/api/v1/questionnaires/{id}/responses.xlsx",
            ReadQuestionnaireResults,
            api::responses_xlsx,
        )
}

/// The public side: questionnaires and calls, answered without an account
/// (partners answer calls with their login).
fn public_routes() -> Routes {
    use calls::answer::{self, withdraw};
    use calls::page;
    use questionnaires::{public as q, qr};
    Routes::new()
        .open_get("/q/{key}", q::show)
        .open_post("/q/{key}", q::submit)
        .open_get("/q/{key}/merci", q::thanks)
        .open_get("/q/{key}/qr.svg", qr::qr_svg_file)
        .open_get("/q/{key}/qr.png", qr::qr_png_file)
        .open_get("/appel/{slug}", page::show)
        .open_get("/appel/{slug}/repondre", answer::start_form)
        .open_post_upload("/appel/{slug}/repondre", answer::start)
        .open_get("/appel/{slug}/reponse/{secret}", answer::resume)
        .open_post_upload("/appel/{slug}/reponse/{secret}", answer::save)
        .open_post(
            "/appel/{slug}/reponse/{secret}/retrait",
            withdraw::withdraw_by_secret,
        )
        .open_get("/appel/{slug}/merci/{id}", answer::partner_done)
        .open_post(
            "/appel/{slug}/merci/{id}/retrait",
            withdraw::withdraw_by_partner,
        )
}

fn builder_routes() -> Routes {
    use builder::{changes as c, item, list, page, preview as p, settings as s};
    Routes::new()
        .get("/team/forms", ManageForms, list::list)
        .post("/team/forms", ManageForms, s::create)
        .get("/team/forms/new", ManageForms, s::new_form)
        .get("/team/forms/{id}", ManageForms, page::show)
        .get("/team/forms/{id}/settings", ManageForms, s::settings)
        .post("/team/forms/{id}/settings", ManageForms, s::save_settings)
        .post("/team/forms/{id}/items", ManageForms, c::add)
        .post("/team/forms/{id}/copy", ManageForms, s::copy)
        .get("/team/forms/{id}/item", ManageForms, item::edit_item)
        .post("/team/forms/{id}/item", ManageForms, item::save_item)
        .post("/team/forms/{id}/move", ManageForms, c::move_item)
        .post("/team/forms/{id}/remove", ManageForms, c::remove_item)
        .get("/team/forms/{id}/preview", ManageForms, p::preview)
        .post("/team/forms/{id}/preview", ManageForms, p::preview_check)
}

/// The team's review of calls. Assigned reviewers outside
/// ReviewSubmissions reach their submissions and files through TeamSpace
/// routes that check the assignment.
fn review_routes() -> Routes {
    use review::{
        call_form as cf, calls, decisions as d, notes as n, person, submission, submissions,
    };
    Routes::new()
        .get("/team/calls", ReviewSubmissions, calls::calls_list)
        .get("/team/calls/person", ManageForms, person::show)
        .post("/team/calls/person", ManageForms, person::lookup)
        .post("/team/calls/person/export", ManageForms, person::export)
        .post("/team/calls/person/erase", ManageForms, person::erase)
        .post("/team/calls", ManageForms, cf::create_call)
        .get("/team/calls/new", ManageForms, cf::new_call)
        .post("/team/calls/{id}", ManageForms, cf::update_call)
        .get("/team/calls/{id}/edit", ManageForms, cf::edit_call)
        .get(
            "/team/calls/{id}/submissions",
            ReviewSubmissions,
            submissions::submissions_list,
        )
        .post(
            "/team/calls/{id}/send",
            ReviewSubmissions,
            submissions::send_staged,
        )
        .get("/team/submissions/{id}", TeamSpace, submission::show)
        .post("/team/submissions/{id}/comment", TeamSpace, n::comment)
        .post("/team/submissions/{id}/scores", TeamSpace, n::score)
        .post(
            "/team/submissions/{id}/status",
            ReviewSubmissions,
            d::change_status,
        )
        .post("/team/submissions/{id}/stage", ReviewSubmissions, d::stage)
        .post(
            "/team/submissions/{id}/reviewers",
            ReviewSubmissions,
            n::assign,
        )
        .post(
            "/team/submissions/{id}/reviewers/remove",
            ReviewSubmissions,
            n::unassign,
        )
        .get("/team/uploads/{id}", TeamSpace, review::uploads::upload)
}

/// The team's questionnaires, their results and posters.
fn questionnaire_routes() -> Routes {
    use questionnaires::{links, qr, results as q};
    Routes::new()
        .get("/team/questionnaires/{id}/liens", ManageForms, links::show)
        .post(
            "/team/questionnaires/{id}/liens/envoyer",
            ManageForms,
            links::send,
        )
        .post(
            "/team/questionnaires/{id}/liens.csv",
            ManageForms,
            links::print,
        )
        .get("/team/questionnaires", ReadQuestionnaireResults, q::list)
        .get(
            "/team/questionnaires/{id}",
            ReadQuestionnaireResults,
            q::results,
        )
        .get(
            "/team/questionnaires/{id}/responses.csv",
            ReadQuestionnaireResults,
            q::responses_csv,
        )
        .get(
            "/team/questionnaires/{id}/responses.xlsx",
            ReadQuestionnaireResults,
            q::responses_xlsx,
        )
        .get(
            "/team/questionnaires/{id}/print",
            ReadQuestionnaireResults,
            qr::print,
        )
}
