//! The features of the web layer, one module each: handlers, form parsing
//! and view models side by side; templates under `templates/<feature>/`.

mod account;
mod actors;
mod admin_users;
mod api;
mod audit;
mod auth;
mod bookings;
mod call_answer;
mod calls;
pub(crate) mod directory;
mod form_builder;
mod form_view;
mod forms_api;
mod images;
mod imports;
mod openapi;
mod ops;
mod organisations;
mod outbox;
mod partner;
mod people;
mod programme;
mod programme_api;
mod programme_team;
mod public;
mod questionnaire;
mod questionnaire_results;
mod reports;
mod review;
mod team;
mod tokens;
mod venues;

pub use bookings::{Housekeeping, PlaceCache, housekeeping as bookings_housekeeping};
pub use openapi::documented as openapi_operations;

use crate::assets;
use crate::authz::Guarded;
use crate::cookies;
use crate::ctx::Flash;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use maillage_domain::Action;

pub fn public_routes() -> Router<AppState> {
    let router = Router::new()
        .route("/", get(programme::home))
        .route("/p/{slug}", get(programme::programme))
        .route("/p/{slug}/programme.ics", get(programme::programme_ics))
        .route("/p/{slug}/feed.atom", get(programme::atom))
        .route("/p/{slug}/a/{activity}", get(programme::activity))
        .route(
            "/p/{slug}/a/{activity}/activity.ics",
            get(programme::activity_ics),
        )
        .route(
            "/p/{slug}/a/{activity}/s/{session}/reserver",
            get(bookings::public::form).post(bookings::public::submit),
        )
        .route(
            "/reservation",
            get(bookings::public::lookup_form).post(bookings::public::lookup),
        )
        .route("/reservation/{secret}", get(bookings::public::manage))
        .route(
            "/reservation/{secret}/seance.ics",
            get(bookings::public::ics),
        )
        .route(
            "/reservation/{secret}/{action}",
            post(bookings::public::act),
        )
        .route(
            "/api/v1/sessions/{id}/bookings",
            post(bookings::api::create),
        )
        .route(
            "/q/{id}",
            get(questionnaire::show).post(questionnaire::submit),
        )
        .route("/q/{id}/merci", get(questionnaire::thanks))
        .route("/q/{id}/qr.svg", get(questionnaire_results::qr_svg_file))
        .route("/q/{id}/qr.png", get(questionnaire_results::qr_png_file))
        .route("/appel/{slug}", get(calls::show))
        .route(
            "/appel/{slug}/repondre",
            get(call_answer::start_form)
                .post(call_answer::start)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route(
            "/appel/{slug}/reponse/{secret}",
            get(call_answer::resume)
                .post(call_answer::save)
                .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route(
            "/appel/{slug}/reponse/{secret}/retrait",
            post(call_answer::withdraw_by_secret),
        )
        .route("/appel/{slug}/merci/{id}", get(call_answer::partner_done))
        .route(
            "/appel/{slug}/merci/{id}/retrait",
            post(call_answer::withdraw_by_partner),
        )
        .route("/lang/{code}", get(public::switch_language))
        .route("/robots.txt", get(public::robots))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/password/forgot",
            get(auth::forgot_form).post(auth::forgot),
        )
        .route(
            "/password/reset/{token}",
            get(auth::reset_form).post(auth::reset),
        )
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/media/{file}", get(images::serve))
        .route("/api/openapi.json", get(openapi::serve))
        .route("/annuaire", get(actors::list))
        .route("/annuaire/{id}", get(actors::show));
    PUBLIC_API
        .iter()
        .fold(router, |r, a| r.route(a.path, (a.handler)()))
}

/// One route of the JSON API that needs no account (GET only).
pub(crate) struct ApiRoute {
    pub path: &'static str,
    pub handler: fn() -> MethodRouter<AppState>,
}

/// The public, read-only JSON API. Each handler carries its operation in
/// the OpenAPI document (`openapi.rs`), which the tests hold together with
/// the routes. (The API routes that need a token, such as `/api/v1/me`, are
/// guarded routes.)
pub(crate) const PUBLIC_API: &[ApiRoute] = &[
    ApiRoute {
        path: "/api/v1",
        handler: || get(api::index),
    },
    ApiRoute {
        path: "/api/v1/communes",
        handler: || get(api::communes),
    },
    ApiRoute {
        path: "/api/v1/organisations",
        handler: || get(api::organisations),
    },
    ApiRoute {
        path: "/api/v1/projects",
        handler: || get(programme_api::projects_list),
    },
    ApiRoute {
        path: "/api/v1/projects/{slug}",
        handler: || get(programme_api::project),
    },
    ApiRoute {
        path: "/api/v1/activities",
        handler: || get(programme_api::activities_list),
    },
    ApiRoute {
        path: "/api/v1/activities/{id}",
        handler: || get(programme_api::activity),
    },
    ApiRoute {
        path: "/api/v1/sessions/{id}",
        handler: || get(programme_api::session),
    },
    ApiRoute {
        path: "/api/v1/venues",
        handler: || get(programme_api::venues_list),
    },
    ApiRoute {
        path: "/api/v1/venues/{id}",
        handler: || get(programme_api::venue),
    },
    ApiRoute {
        path: "/api/v1/calls",
        handler: || get(forms_api::calls_list),
    },
];

pub fn guarded_routes(g: Guarded) -> Guarded {
    use Action::*;
    g.get("/team", TeamSpace, team::dashboard)
        .get("/partner", PartnerSpace, partner::home)
        .get("/account", OwnAccount, account::show)
        .post("/account", OwnAccount, account::save_profile)
        .post("/account/password", OwnAccount, account::change_password)
        .post("/account/sessions", OwnAccount, account::end_other_sessions)
        .get("/team/tokens", ApiTokens, tokens::list)
        .post("/team/tokens", ApiTokens, tokens::create)
        .post("/team/tokens/{id}/revoke", ApiTokens, tokens::revoke)
        .get("/team/admin/users", ManageUsers, admin_users::list)
        .post("/team/admin/users", ManageUsers, admin_users::invite)
        .get("/team/admin/users/new", ManageUsers, admin_users::new_form)
        .get(
            "/team/admin/users/{id}",
            ManageUsers,
            admin_users::edit_form,
        )
        .post("/team/admin/users/{id}", ManageUsers, admin_users::save)
        .post(
            "/team/admin/users/{id}/invite",
            ManageUsers,
            admin_users::resend_invitation,
        )
        .get("/team/admin/audit", ReadAudit, audit::list)
        .get("/team/admin/outbox", ManageOutbox, outbox::list)
        .get("/team/admin/outbox/{id}", ManageOutbox, outbox::show)
        .post("/team/admin/outbox/{id}/retry", ManageOutbox, outbox::retry)
        .get("/api/v1/me", OwnAccount, api::me)
        // Directory: organisations.
        .get("/team/organisations", ReadDirectory, organisations::list)
        .post("/team/organisations", EditDirectory, organisations::create)
        .get(
            "/team/organisations/new",
            EditDirectory,
            organisations::new_form,
        )
        .get(
            "/team/organisations/export/{format}",
            ManageDirectory,
            organisations::export,
        )
        .get(
            "/team/organisations/{id}",
            ReadDirectory,
            organisations::show,
        )
        .post(
            "/team/organisations/{id}",
            EditDirectory,
            organisations::update,
        )
        .get(
            "/team/organisations/{id}/edit",
            EditDirectory,
            organisations::edit_form,
        )
        .post(
            "/team/organisations/{id}/delete",
            ManageDirectory,
            organisations::delete,
        )
        .get(
            "/team/organisations/{id}/merge",
            ManageDirectory,
            organisations::merge_form,
        )
        .post(
            "/team/organisations/{id}/merge",
            ManageDirectory,
            organisations::merge,
        )
        .post(
            "/team/organisations/{id}/members",
            EditDirectory,
            organisations::add_member,
        )
        .post(
            "/team/memberships/{id}/delete",
            EditDirectory,
            organisations::remove_member,
        )
        // People.
        .get("/team/people", ReadDirectory, people::list)
        .post("/team/people", EditDirectory, people::create)
        .get("/team/people/new", EditDirectory, people::new_form)
        .get(
            "/team/people/export/{format}",
            ManageDirectory,
            people::export,
        )
        .get("/team/people/{id}", ReadDirectory, people::show)
        .post("/team/people/{id}", EditDirectory, people::update)
        .get("/team/people/{id}/edit", EditDirectory, people::edit_form)
        .post("/team/people/{id}/delete", ManageDirectory, people::delete)
        .get(
            "/team/people/{id}/merge",
            ManageDirectory,
            people::merge_form,
        )
        .post("/team/people/{id}/merge", ManageDirectory, people::merge)
        .post(
            "/team/people/{id}/memberships",
            EditDirectory,
            people::add_membership,
        )
        .get(
            "/team/people/{id}/export.json",
            ManageDirectory,
            people::export_person,
        )
        .post("/team/people/{id}/erase", ManageDirectory, people::erase)
        // Venues and spaces.
        .get("/team/venues", ReadDirectory, venues::list)
        .post("/team/venues", EditDirectory, venues::create)
        .get("/team/venues/new", EditDirectory, venues::new_form)
        .get(
            "/team/venues/export/{format}",
            ManageDirectory,
            venues::export,
        )
        .get("/team/venues/{id}", ReadDirectory, venues::show)
        .post("/team/venues/{id}", EditDirectory, venues::update)
        .get("/team/venues/{id}/edit", EditDirectory, venues::edit_form)
        .post("/team/venues/{id}/delete", ManageDirectory, venues::delete)
        .post("/team/venues/{id}/spaces", EditDirectory, venues::add_space)
        .post("/team/spaces/{id}", EditDirectory, venues::update_space)
        .post(
            "/team/spaces/{id}/delete",
            EditDirectory,
            venues::delete_space,
        )
        // Imports.
        .get("/team/import", ManageDirectory, imports::form)
        .post_upload("/team/import", ManageDirectory, imports::upload)
        .post(
            "/team/import/{id}/confirm",
            ManageDirectory,
            imports::confirm,
        )
        // Programme editor.
        .get(
            "/team/programme",
            ReadProgramme,
            programme_team::projects::list,
        )
        .post(
            "/team/programme/projects",
            ManageProgramme,
            programme_team::projects::create,
        )
        .get(
            "/team/programme/projects/new",
            ManageProgramme,
            programme_team::projects::new_form,
        )
        .get(
            "/team/programme/projects/{id}",
            ReadProgramme,
            programme_team::projects::show,
        )
        .post(
            "/team/programme/projects/{id}",
            ManageProgramme,
            programme_team::projects::update,
        )
        .get(
            "/team/programme/projects/{id}/edit",
            ManageProgramme,
            programme_team::projects::edit_form,
        )
        .post(
            "/team/programme/projects/{id}/delete",
            ManageProgramme,
            programme_team::projects::delete,
        )
        .post(
            "/team/programme/projects/{id}/bulk",
            ManageProgramme,
            programme_team::projects::bulk,
        )
        .get(
            "/team/programme/projects/{id}/activities/new",
            EditProgramme,
            programme_team::activities::new_form,
        )
        .post(
            "/team/programme/projects/{id}/activities",
            EditProgramme,
            programme_team::activities::create,
        )
        .get(
            "/team/programme/activities/{id}",
            ReadProgramme,
            programme_team::activities::show,
        )
        .post(
            "/team/programme/activities/{id}",
            EditProgramme,
            programme_team::activities::update,
        )
        .get(
            "/team/programme/activities/{id}/edit",
            EditProgramme,
            programme_team::activities::edit_form,
        )
        .post(
            "/team/programme/activities/{id}/delete",
            ManageProgramme,
            programme_team::activities::delete,
        )
        .post(
            "/team/programme/activities/{id}/copy",
            EditProgramme,
            programme_team::activities::copy,
        )
        .post(
            "/team/programme/activities/{id}/sessions",
            EditProgramme,
            programme_team::sessions::add,
        )
        .post(
            "/team/programme/activities/{id}/series",
            EditProgramme,
            programme_team::sessions::series,
        )
        .post(
            "/team/programme/sessions/{id}",
            EditProgramme,
            programme_team::sessions::update,
        )
        .post(
            "/team/programme/sessions/{id}/delete",
            EditProgramme,
            programme_team::sessions::delete,
        )
        .get(
            "/team/programme/planning",
            ReadProgramme,
            programme_team::planning::index,
        )
        .get(
            "/team/programme/venues/{id}/planning",
            ReadProgramme,
            programme_team::planning::venue,
        )
        // Images of activities and projects.
        .get(
            "/team/programme/activities/{id}/image",
            EditProgramme,
            images::activity_form,
        )
        .post_upload(
            "/team/programme/activities/{id}/image",
            EditProgramme,
            images::activity_save,
        )
        .post(
            "/team/programme/activities/{id}/image/delete",
            EditProgramme,
            images::activity_delete,
        )
        .get(
            "/team/programme/projects/{id}/image",
            ManageProgramme,
            images::project_form,
        )
        .post_upload(
            "/team/programme/projects/{id}/image",
            ManageProgramme,
            images::project_save,
        )
        .post(
            "/team/programme/projects/{id}/image/delete",
            ManageProgramme,
            images::project_delete,
        )
        // Reports: bilans, the season dashboard, the report API.
        .get("/team/season", ReadReports, reports::season)
        .get("/team/projects/{id}/report", ReadReports, reports::page)
        .get(
            "/team/projects/{id}/report/{format}",
            ReadReports,
            reports::team_download,
        )
        .get(
            "/api/v1/projects/{slug}/report",
            ReadReports,
            reports::api_json,
        )
        .get(
            "/api/v1/projects/{slug}/report.pdf",
            ReadReports,
            reports::api_pdf,
        )
        .get(
            "/api/v1/projects/{slug}/report.xlsx",
            ReadReports,
            reports::api_xlsx,
        )
        // Forms: the builder (team space).
        .get("/team/forms", ManageForms, form_builder::list)
        .post("/team/forms", ManageForms, form_builder::create)
        .get("/team/forms/new", ManageForms, form_builder::new_form)
        .get("/team/forms/{id}", ManageForms, form_builder::show)
        .get(
            "/team/forms/{id}/settings",
            ManageForms,
            form_builder::settings,
        )
        .post(
            "/team/forms/{id}/settings",
            ManageForms,
            form_builder::save_settings,
        )
        .post("/team/forms/{id}/items", ManageForms, form_builder::add)
        .post("/team/forms/{id}/copy", ManageForms, form_builder::copy)
        .get(
            "/team/forms/{id}/item",
            ManageForms,
            form_builder::edit_item,
        )
        .post(
            "/team/forms/{id}/item",
            ManageForms,
            form_builder::save_item,
        )
        .post(
            "/team/forms/{id}/move",
            ManageForms,
            form_builder::move_item,
        )
        .post(
            "/team/forms/{id}/remove",
            ManageForms,
            form_builder::remove_item,
        )
        .get(
            "/team/forms/{id}/preview",
            ManageForms,
            form_builder::preview,
        )
        .post(
            "/team/forms/{id}/preview",
            ManageForms,
            form_builder::preview_check,
        )
        // Forms: questionnaires' results and responses (API).
        .get(
            "/api/v1/questionnaires",
            ReadQuestionnaireResults,
            forms_api::questionnaires_list,
        )
        .get(
            "/api/v1/questionnaires/{id}/results",
            ReadQuestionnaireResults,
            forms_api::results,
        )
        .get(
            "/api/v1/questionnaires/{id}/responses.csv",
            ReadQuestionnaireResults,
            forms_api::responses_csv,
        )
        .get(
            "/api/v1/questionnaires/{id}/responses.xlsx",
            ReadQuestionnaireResults,
            forms_api::responses_xlsx,
        )
        // Forms: the team's review of calls (assigned reviewers outside
        // ReviewSubmissions reach their submissions and files through
        // TeamSpace routes that check the assignment).
        .get("/team/calls", ReviewSubmissions, review::calls_list)
        .post("/team/calls", ManageForms, review::create_call)
        .get("/team/calls/new", ManageForms, review::new_call)
        .post("/team/calls/{id}", ManageForms, review::update_call)
        .get("/team/calls/{id}/edit", ManageForms, review::edit_call)
        .get(
            "/team/calls/{id}/submissions",
            ReviewSubmissions,
            review::submissions_list,
        )
        .post(
            "/team/calls/{id}/send",
            ReviewSubmissions,
            review::send_staged,
        )
        .get("/team/submissions/{id}", TeamSpace, review::show)
        .post("/team/submissions/{id}/comment", TeamSpace, review::comment)
        .post("/team/submissions/{id}/scores", TeamSpace, review::score)
        .post(
            "/team/submissions/{id}/status",
            ReviewSubmissions,
            review::change_status,
        )
        .post(
            "/team/submissions/{id}/stage",
            ReviewSubmissions,
            review::stage,
        )
        .post(
            "/team/submissions/{id}/reviewers",
            ReviewSubmissions,
            review::assign,
        )
        .post(
            "/team/submissions/{id}/reviewers/remove",
            ReviewSubmissions,
            review::unassign,
        )
        .get("/team/uploads/{id}", TeamSpace, review::upload)
        // Forms: the team's questionnaires, their results and posters.
        .get(
            "/team/questionnaires",
            ReadQuestionnaireResults,
            questionnaire_results::list,
        )
        .get(
            "/team/questionnaires/{id}",
            ReadQuestionnaireResults,
            questionnaire_results::results,
        )
        .get(
            "/team/questionnaires/{id}/responses.csv",
            ReadQuestionnaireResults,
            questionnaire_results::responses_csv,
        )
        .get(
            "/team/questionnaires/{id}/responses.xlsx",
            ReadQuestionnaireResults,
            questionnaire_results::responses_xlsx,
        )
        .get(
            "/team/questionnaires/{id}/print",
            ReadQuestionnaireResults,
            questionnaire_results::print,
        )
        // Bookings: the team's side.
        .get("/team/bookings", ReadBookings, bookings::team::index)
        .get(
            "/team/projects/{id}/bookings",
            ReadBookings,
            bookings::team::overview,
        )
        .get(
            "/team/projects/{id}/bookings/export/{format}",
            ReadBookings,
            bookings::team::project_export,
        )
        .get(
            "/team/sessions/{id}/bookings",
            ReadBookings,
            bookings::team::session,
        )
        .get(
            "/team/sessions/{id}/bookings/export/{format}",
            ReadBookings,
            bookings::team::export,
        )
        .get(
            "/team/sessions/{id}/bookings/sheet",
            ReadBookings,
            bookings::team::sheet,
        )
        .post(
            "/team/bookings/{id}/approve",
            ManageBookings,
            bookings::team::approve,
        )
        .post(
            "/team/bookings/{id}/refuse",
            ManageBookings,
            bookings::team::refuse,
        )
        .post(
            "/team/bookings/{id}/cancel",
            ManageBookings,
            bookings::team::cancel,
        )
        .post(
            "/team/bookings/{id}/force",
            ManageBookings,
            bookings::team::force,
        )
        .post(
            "/team/bookings/{id}/school",
            EditDirectory,
            bookings::team::add_school,
        )
        .post(
            "/team/bookings/{id}/move",
            ManageBookings,
            bookings::team::move_booking,
        )
        .get(
            "/team/sessions/{id}/checkin",
            CheckIn,
            bookings::team::checkin,
        )
        .post(
            "/team/bookings/{id}/checkin",
            CheckIn,
            bookings::team::check_in,
        )
        .post(
            "/team/bookings/{id}/checkin/undo",
            CheckIn,
            bookings::team::undo,
        )
        .post(
            "/team/sessions/{id}/walkin",
            CheckIn,
            bookings::team::walk_in,
        )
        .get(
            "/team/activities/{id}/bookings/settings",
            ReadBookings,
            bookings::team::settings_form,
        )
        .post(
            "/team/activities/{id}/bookings/settings",
            ManageBookings,
            bookings::team::save_settings,
        )
        .get(
            "/team/bookings/person",
            ManageDirectory,
            bookings::team::person,
        )
        .post(
            "/team/bookings/person",
            ManageDirectory,
            bookings::team::person_lookup,
        )
        .post(
            "/team/bookings/person/export",
            ManageDirectory,
            bookings::team::person_export,
        )
        .post(
            "/team/bookings/person/erase",
            ManageDirectory,
            bookings::team::person_erase,
        )
        // Bookings: the partner's side (its own activities only).
        .get(
            "/partner/bookings",
            PartnerBookings,
            bookings::partner::list,
        )
        .get(
            "/partner/sessions/{id}/bookings",
            PartnerBookings,
            bookings::partner::session,
        )
        .get(
            "/partner/sessions/{id}/bookings/export/{format}",
            PartnerBookings,
            bookings::partner::export,
        )
        .get(
            "/partner/sessions/{id}/bookings/sheet",
            PartnerBookings,
            bookings::partner::sheet,
        )
        .get(
            "/partner/sessions/{id}/checkin",
            PartnerBookings,
            bookings::partner::checkin,
        )
        .post(
            "/partner/bookings/{id}/checkin",
            PartnerBookings,
            bookings::partner::check_in,
        )
        .post(
            "/partner/bookings/{id}/checkin/undo",
            PartnerBookings,
            bookings::partner::undo,
        )
        .post(
            "/partner/sessions/{id}/walkin",
            PartnerBookings,
            bookings::partner::walk_in,
        )
        // Partner space: their own organisation and people.
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

/// A rendered page with status 200.
pub(crate) fn html(t: impl Template) -> Result<Response, AppError> {
    html_status(StatusCode::OK, t)
}

pub(crate) fn html_status(status: StatusCode, t: impl Template) -> Result<Response, AppError> {
    let body = t.render().map_err(AppError::internal)?;
    Ok((status, Html(body)).into_response())
}

/// A `303 See Other` to `to`, with cookies to set.
pub(crate) fn redirect(to: &str, cookies: impl IntoIterator<Item = HeaderValue>) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// A redirect that shows `flash` on the next page.
pub(crate) fn redirect_flash(st: &AppState, to: &str, flash: Flash) -> Response {
    redirect(
        to,
        [cookies::set(
            cookies::FLASH,
            flash.code(),
            Some(60),
            st.config.secure_cookies(),
        )],
    )
}

/// Paging links of a list: the current query string with another page.
pub(crate) fn page_href(base: &str, params: &[(&str, String)], page: u64) -> String {
    let q = query_string(params);
    if q.is_empty() {
        format!("{base}?page={page}")
    } else {
        format!("{base}?{q}&page={page}")
    }
}

/// `a=1&b=x%20y` from the non-empty parameters (for shareable list URLs,
/// export links and API `next` links).
pub(crate) fn query_string<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    params
        .iter()
        .filter(|(_, v)| !v.as_ref().is_empty())
        .map(|(k, v)| format!("{}={}", k.as_ref(), crate::ctx::urlencode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Pagination as the templates show it.
pub(crate) struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(p: &maillage_db::Page<T>, base: &str, params: &[(&str, String)]) -> Pager {
        Pager {
            page: p.request.page,
            pages: p.pages(),
            total: p.total,
            prev: p
                .has_prev()
                .then(|| page_href(base, params, p.request.page - 1)),
            next: p
                .has_next()
                .then(|| page_href(base, params, p.request.page + 1)),
        }
    }
}

/// Parses a `page` query parameter leniently (junk means page 1).
pub(crate) fn page_number(s: Option<&str>) -> u64 {
    s.and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n >= 1 && *n <= 1_000_000)
        .unwrap_or(1)
}
