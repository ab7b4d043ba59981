//! The preview of a form (`/team/forms/{id}/preview`): the form exactly
//! as respondents see it; what is typed is checked as a real answer would
//! be, and nothing is stored.

use super::page::details;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::find_form;
use crate::features::forms::view::{QItem, items};
use crate::forms::{FormErrors, Pairs};
use crate::i18n::fill;
use crate::shared::html_status;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::Form;
use maillage_domain::forms::Kind;

#[derive(Template)]
#[template(path = "forms/builder/preview.html")]
struct PreviewPage {
    l: Layout,
    id: i64,
    items: Vec<QItem>,
    errors: FormErrors,
    valid: bool,
    files: Vec<String>,
}

fn preview_page(
    ctx: &Ctx,
    f: &Form,
    pairs: &Pairs,
    errors: FormErrors,
    valid: bool,
) -> PreviewPage {
    let schema = &f.version.schema;
    PreviewPage {
        l: ctx.layout(fill(ctx.m.fb_preview_title, &[("title", &f.data.title)])),
        id: f.id,
        items: items(ctx, schema, pairs, &errors),
        errors,
        valid,
        files: schema
            .fields()
            .filter(|fd| matches!(fd.kind, Kind::File { .. }))
            .map(|fd| format!("{} ({})", fd.label, details(ctx, fd)))
            .collect(),
    }
}

/// `GET /team/forms/{id}/preview`: the form as respondents see it.
pub async fn preview(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let page = preview_page(&ctx, &f, &Pairs::default(), FormErrors::new(), false);
    html_status(StatusCode::OK, page)
}

/// `POST /team/forms/{id}/preview`: checks the answers typed as a real
/// submission would (the questions are the form's own, so the answers
/// stay pairs), and stores nothing.
pub async fn preview_check(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let (errors, valid, status) = match f.version.schema.parse_answers(&pairs.0, None) {
        Ok(_) => (FormErrors::new(), true, StatusCode::OK),
        Err(e) => (
            FormErrors::from_fields(ctx.m, &e),
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    html_status(status, preview_page(&ctx, &f, &pairs, errors, valid))
}
