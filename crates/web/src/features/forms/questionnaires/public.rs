//! The public page of a questionnaire, `/q/{id}`: no account, no
//! JavaScript needed. The current version of its questions is shown as an
//! HTML form (radio groups and check boxes in fieldsets with legends,
//! scales and NPS as rows of radio buttons with their ends labelled);
//! what is sent is checked by `Schema::parse_answers` and, when refused,
//! shown again with the messages beside the fields and what was typed
//! kept. A conditional question is always shown, with a note saying when
//! to answer it; the server drops the answer when the condition is not
//! met. The response is stored without any person, dated to its day.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::find_questionnaire;
use crate::features::forms::view::{QItem, items};
use crate::forms::{FormErrors, Pairs};
use crate::i18n::fill;
use crate::ratelimit::RateLimit;
use crate::shared::{html, html_status, limits, redirect};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::Form;
use maillage_db::forms::calls::Window;
use maillage_db::forms::questionnaires::{self, NewResponse, Refused};

/// Responses to one questionnaire from one client address.
const RESPONSES_PER_CLIENT: RateLimit = RateLimit {
    max: 30,
    per: std::time::Duration::from_secs(600),
};

#[derive(Template)]
#[template(path = "forms/questionnaires/public/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    items: Vec<QItem>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "forms/questionnaires/public/thanks.html")]
struct ThanksPage {
    l: Layout,
}

#[derive(Template)]
#[template(path = "forms/questionnaires/public/closed.html")]
struct ClosedPage {
    l: Layout,
    message: String,
}

fn form_page(ctx: &Ctx, f: &Form, pairs: &Pairs, errors: FormErrors) -> FormPage {
    FormPage {
        l: ctx.layout(f.data.title.clone()),
        action: format!("/q/{}", f.id),
        items: items(ctx, &f.version.schema, pairs, &errors),
        errors,
    }
}

/// Why a questionnaire cannot be answered here now: outside its window,
/// or answered through personal links only.
fn closed(ctx: &Ctx, f: &Form) -> Option<ClosedPage> {
    let message = match f.data.answering(maillage_db::now()) {
        Err(w) => window_message(ctx, w),
        Ok(()) if f.data.one_per_link => ctx.m.fm_link_required.to_owned(),
        Ok(()) => return None,
    };
    Some(ClosedPage {
        l: ctx.layout(f.data.title.clone()),
        message,
    })
}

/// When the questionnaire opens, or since when it is closed.
fn window_message(ctx: &Ctx, w: Window) -> String {
    match w {
        Window::NotYetOpen(t) => fill(
            ctx.m.fm_q_not_yet_open,
            &[("opens", &crate::time::datetime(ctx.locale, t))],
        ),
        Window::Closed(t) => fill(
            ctx.m.fm_q_closed,
            &[("closes", &crate::time::datetime(ctx.locale, t))],
        ),
    }
}

/// `GET /q/{id}`: the questionnaire.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    if let Some(page) = closed(&ctx, &f) {
        return html(page);
    }
    html(form_page(&ctx, &f, &Pairs::default(), FormErrors::new()))
}

/// `POST /q/{id}`: records the response, or shows the form again with
/// the messages.
pub async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    if let Some(page) = closed(&ctx, &f) {
        return html_status(StatusCode::FORBIDDEN, page);
    }
    let answers = match f.version.schema.parse_answers(&pairs.0, None) {
        Ok(a) => a,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&ctx, &f, &pairs, errors),
            );
        }
    };
    if answers.is_empty() {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&ctx, &f, &pairs, FormErrors::general(ctx.m.fm_empty)),
        );
    }
    let tx = st.db.write().await?;
    // Responses feed the bilans: a client sends a few at most in a while
    // (a tablet at a stand, one visitor after another, stays under it).
    let key = limits::client_key(&format!("q{}", f.id), ctx.ip.as_deref());
    let limit = Some(RESPONSES_PER_CLIENT);
    if let Some(wait) = limits::hit(&tx, &key, limit, maillage_db::now()).await? {
        tx.commit().await?;
        let minutes = wait.div_ceil(60).to_string();
        let errors =
            FormErrors::general(fill(ctx.m.fm_too_many_responses, &[("minutes", &minutes)]));
        return html_status(
            StatusCode::TOO_MANY_REQUESTS,
            form_page(&ctx, &f, &pairs, errors),
        );
    }
    let r = questionnaires::respond(
        &tx,
        f.id,
        &NewResponse {
            answers,
            ..Default::default()
        },
        maillage_db::now(),
    )
    .await?;
    match r {
        Ok(_) => {
            tx.commit().await?;
            Ok(redirect(&format!("/q/{id}/merci"), []))
        }
        Err(Refused::NotFound) => Err(AppError::NotFound),
        Err(Refused::Window(w)) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: window_message(&ctx, w),
            },
        ),
        Err(Refused::AlreadyAnswered | Refused::LinkRequired) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: ctx.m.fm_link_required.to_owned(),
            },
        ),
    }
}

/// `GET /q/{id}/merci`: thanks.
pub async fn thanks(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    html(ThanksPage {
        l: ctx.layout(f.data.title),
    })
}
