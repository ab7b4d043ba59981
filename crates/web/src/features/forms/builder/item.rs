//! One item's page (`/team/forms/{id}/item?n=3`): its form with what it
//! holds, and saving it — a field's new key carried to the conditions
//! that named the old one.

use super::changes::{current, op, rename_conditions, save};
use super::edit_form::{EditForm, Spec};
use super::items::{ItemForm, What, item_name, validate};
use super::page::item_form;
use super::{has_answers, rev};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::find_form;
use crate::forms::{FormErrors, Typed};
use crate::shared::html_status;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::Form;
use maillage_domain::forms::Item;
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "forms/builder/item.html")]
struct ItemPage {
    l: Layout,
    id: i64,
    form: EditForm,
    has_answers: bool,
    is_field: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemQuery {
    pub n: String,
}

/// Item `n` (from 0) of the form's questions, or 404.
pub(super) fn item_at(f: &Form, n: &str) -> Result<(usize, Item), AppError> {
    let n: usize = n.trim().parse().map_err(|_| AppError::NotFound)?;
    f.version
        .schema
        .items
        .get(n)
        .cloned()
        .map(|it| (n, it))
        .ok_or(AppError::NotFound)
}

/// The page editing item `n`, with what was typed and the messages.
async fn item_page(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    (n, item): (usize, &Item),
    (typed, errors): (&ItemForm, &FormErrors),
    status: StatusCode,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let what = What::of(item);
    let (prefix, heading) = match what {
        What::Field => ("ef", m.fb_edit_field),
        What::Section => ("es", m.fb_edit_section),
        What::Text => ("et", m.fb_edit_text),
    };
    let spec = Spec {
        prefix,
        action: format!("/team/forms/{}/item", f.id),
        heading,
        submit: m.fb_save,
        hidden: vec![("rev", rev(f)), ("n", n.to_string())],
    };
    html_status(
        status,
        ItemPage {
            l: ctx.layout(format!("{} — {}", f.data.title, item_name(m, item))),
            id: f.id,
            form: item_form(m, f, (what, n), typed, errors, spec),
            has_answers: has_answers(st, f).await?,
            is_field: what == What::Field,
        },
    )
}

/// `GET /team/forms/{id}/item?n=3`: the form to edit item `n` (from 0).
pub async fn edit_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ItemQuery>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let (n, item) = item_at(&f, &q.n)?;
    let typed = ItemForm::of(&item);
    let no_errors = FormErrors::new();
    item_page(
        &st,
        &ctx,
        &f,
        (n, &item),
        (&typed, &no_errors),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/forms/{id}/item`: saves item `n`.
pub async fn save_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(edited): Typed<ItemForm>,
) -> Result<Response, AppError> {
    let f = match current(&st, &ctx, id, &edited.rev).await? {
        Ok(f) => f,
        Err(stale) => return Ok(stale),
    };
    let m = ctx.m;
    let (n, old) = item_at(&f, &edited.n)?;
    let mut schema = f.version.schema.clone();
    let (item, mut e) = edited.read(m, What::of(&old), &schema, (n, true));
    if let (Item::Field(a), Item::Field(b)) = (&old, &item) {
        rename_conditions(&mut schema, &a.key, &b.key);
    }
    schema.items[n] = item.clone();
    validate(m, &schema, Some(n), &mut e);
    if e.is_empty() {
        let op = op("edit", &item, format!("item {}", n + 1));
        let detail = json!({
            "position": n + 1,
            "before": serde_json::to_value(&old).unwrap_or_default(),
            "after": serde_json::to_value(&item).unwrap_or_default(),
        });
        return save(&st, &ctx, &f, &schema, (&op, Some(n)), detail).await;
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    item_page(&st, &ctx, &f, (n, &old), (&edited, &e), status).await
}
