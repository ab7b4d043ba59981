//! The public page of a questionnaire, `/q/{key}` (a random key: the
//! sequential ids are not guessed), or `/q/{key}?lien={token}` for a
//! personal link of a questionnaire answered once per link: no account, no
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
use crate::features::forms::common::find_questionnaire_by_key;
use crate::features::forms::view::{QItem, items};
use crate::forms::{FormErrors, Pairs};
use crate::i18n::fill;
use crate::ratelimit::RateLimit;
use crate::shared::{html, html_status, limits, redirect};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
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
    /// The personal link's token, sent back with the answers.
    link: String,
    items: Vec<QItem>,
    errors: FormErrors,
}

/// `?lien=` of a personal link.
#[derive(serde::Deserialize, Default)]
pub struct LinkQuery {
    #[serde(default)]
    lien: String,
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

fn form_page(ctx: &Ctx, f: &Form, link: &str, pairs: &Pairs, errors: FormErrors) -> FormPage {
    FormPage {
        l: ctx.layout(f.data.title.clone()),
        action: format!("/q/{}", f.public_key),
        link: link.to_owned(),
        items: items(ctx, &f.version.schema, pairs, &errors),
        errors,
    }
}

/// Why a questionnaire cannot be answered here now: outside its window;
/// or answered through personal links only, and `link` is none the team
/// issued for it, or has answered already.
async fn closed(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    link: &str,
) -> Result<Option<ClosedPage>, AppError> {
    let c = st.db.conn();
    let message = match f.data.answering(maillage_db::now()) {
        Err(w) => window_message(ctx, w),
        Ok(()) if !f.data.one_per_link => return Ok(None),
        Ok(()) if link.is_empty() => ctx.m.fm_link_required.to_owned(),
        Ok(()) if !maillage_db::forms::links::is_issued(c, f.id, link).await? => {
            ctx.m.fm_link_unknown.to_owned()
        }
        Ok(()) if questionnaires::link_answered(c, f.id, link).await? => {
            ctx.m.fm_link_answered.to_owned()
        }
        Ok(()) => return Ok(None),
    };
    Ok(Some(ClosedPage {
        l: ctx.layout(f.data.title.clone()),
        message,
    }))
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

/// `GET /q/{key}`: the questionnaire.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    Query(q): Query<LinkQuery>,
) -> Result<Response, AppError> {
    let f = find_questionnaire_by_key(&st, &key).await?;
    if let Some(page) = closed(&st, &ctx, &f, &q.lien).await? {
        return html(page);
    }
    html(form_page(
        &ctx,
        &f,
        &q.lien,
        &Pairs::default(),
        FormErrors::new(),
    ))
}

/// `POST /q/{key}`: records the response, or shows the form again with
/// the messages.
pub async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find_questionnaire_by_key(&st, &key).await?;
    let link = pairs.get("lien").to_owned();
    if let Some(page) = closed(&st, &ctx, &f, &link).await? {
        return html_status(StatusCode::FORBIDDEN, page);
    }
    let answers = match f.version.schema.parse_answers(&pairs.0, None) {
        Ok(a) => a,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&ctx, &f, &link, &pairs, errors),
            );
        }
    };
    if answers.is_empty() {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&ctx, &f, &link, &pairs, FormErrors::general(ctx.m.fm_empty)),
        );
    }
    let tx = st.db.write().await?;
    // Responses feed the bilans: a client sends a few at most in a while
    // (a tablet at a stand, one visitor after another, stays under it).
    let client = limits::client_key(&format!("q{}", f.id), ctx.ip.as_deref());
    let limit = Some(RESPONSES_PER_CLIENT);
    if let Some(wait) = limits::hit(&tx, &client, limit, maillage_db::now()).await? {
        tx.commit().await?;
        let minutes = wait.div_ceil(60).to_string();
        let errors =
            FormErrors::general(fill(ctx.m.fm_too_many_responses, &[("minutes", &minutes)]));
        return html_status(
            StatusCode::TOO_MANY_REQUESTS,
            form_page(&ctx, &f, &link, &pairs, errors),
        );
    }
    let r = questionnaires::respond(
        &tx,
        f.id,
        &NewResponse {
            answers,
            link_token: (!link.is_empty()).then_some(link.as_str()),
            ..Default::default()
        },
        maillage_db::now(),
    )
    .await?;
    match r {
        Ok(_) => {
            tx.commit().await?;
            Ok(redirect(&format!("/q/{key}/merci"), []))
        }
        Err(Refused::NotFound) => Err(AppError::NotFound),
        Err(Refused::Window(w)) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: window_message(&ctx, w),
            },
        ),
        Err(Refused::AlreadyAnswered) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: ctx.m.fm_link_answered.to_owned(),
            },
        ),
        Err(Refused::LinkRequired) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: ctx.m.fm_link_required.to_owned(),
            },
        ),
    }
}

/// `GET /q/{key}/merci`: thanks.
pub async fn thanks(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let f = find_questionnaire_by_key(&st, &key).await?;
    html(ThanksPage {
        l: ctx.layout(f.data.title),
    })
}
