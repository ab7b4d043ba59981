//! Forms: one engine for calls for participation and applications, their
//! review, registrations and evaluation questionnaires. `view` draws a
//! form's fields for every page that shows one; `calls` is the public call
//! page and answering it; `review` the team's review of the answers;
//! `questionnaires` the public questionnaire and the team's results;
//! `builder` the team's form builder; `api` the forms' JSON API.

pub(crate) mod api;
mod builder;
mod calls;
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
    use calls::{answer, page};
    use questionnaires::{public as q, results};
    Routes::new()
        .open_get("/q/{id}", q::show)
        .open_post("/q/{id}", q::submit)
        .open_get("/q/{id}/merci", q::thanks)
        .open_get("/q/{id}/qr.svg", results::qr_svg_file)
        .open_get("/q/{id}/qr.png", results::qr_png_file)
        .open_get("/appel/{slug}", page::show)
        .open_get("/appel/{slug}/repondre", answer::start_form)
        .open_post_upload("/appel/{slug}/repondre", answer::start)
        .open_get("/appel/{slug}/reponse/{secret}", answer::resume)
        .open_post_upload("/appel/{slug}/reponse/{secret}", answer::save)
        .open_post(
            "/appel/{slug}/reponse/{secret}/retrait",
            answer::withdraw_by_secret,
        )
        .open_get("/appel/{slug}/merci/{id}", answer::partner_done)
        .open_post(
            "/appel/{slug}/merci/{id}/retrait",
            answer::withdraw_by_partner,
        )
}

fn builder_routes() -> Routes {
    use builder as b;
    Routes::new()
        .get("/team/forms", ManageForms, b::list)
        .post("/team/forms", ManageForms, b::create)
        .get("/team/forms/new", ManageForms, b::new_form)
        .get("/team/forms/{id}", ManageForms, b::show)
        .get("/team/forms/{id}/settings", ManageForms, b::settings)
        .post("/team/forms/{id}/settings", ManageForms, b::save_settings)
        .post("/team/forms/{id}/items", ManageForms, b::add)
        .post("/team/forms/{id}/copy", ManageForms, b::copy)
        .get("/team/forms/{id}/item", ManageForms, b::edit_item)
        .post("/team/forms/{id}/item", ManageForms, b::save_item)
        .post("/team/forms/{id}/move", ManageForms, b::move_item)
        .post("/team/forms/{id}/remove", ManageForms, b::remove_item)
        .get("/team/forms/{id}/preview", ManageForms, b::preview)
        .post("/team/forms/{id}/preview", ManageForms, b::preview_check)
}

/// The team's review of calls. Assigned reviewers outside
/// ReviewSubmissions reach their submissions and files through TeamSpace
/// routes that check the assignment.
fn review_routes() -> Routes {
    use review as r;
    Routes::new()
        .get("/team/calls", ReviewSubmissions, r::calls_list)
        .post("/team/calls", ManageForms, r::create_call)
        .get("/team/calls/new", ManageForms, r::new_call)
        .post("/team/calls/{id}", ManageForms, r::update_call)
        .get("/team/calls/{id}/edit", ManageForms, r::edit_call)
        .get(
            "/team/calls/{id}/submissions",
            ReviewSubmissions,
            r::submissions_list,
        )
        .post("/team/calls/{id}/send", ReviewSubmissions, r::send_staged)
        .get("/team/submissions/{id}", TeamSpace, r::show)
        .post("/team/submissions/{id}/comment", TeamSpace, r::comment)
        .post("/team/submissions/{id}/scores", TeamSpace, r::score)
        .post(
            "/team/submissions/{id}/status",
            ReviewSubmissions,
            r::change_status,
        )
        .post("/team/submissions/{id}/stage", ReviewSubmissions, r::stage)
        .post(
            "/team/submissions/{id}/reviewers",
            ReviewSubmissions,
            r::assign,
        )
        .post(
            "/team/submissions/{id}/reviewers/remove",
            ReviewSubmissions,
            r::unassign,
        )
        .get("/team/uploads/{id}", TeamSpace, r::upload)
}

/// The team's questionnaires, their results and posters.
fn questionnaire_routes() -> Routes {
    use questionnaires::results as q;
    Routes::new()
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
            q::print,
        )
}
