//! The changes of a form's questions: an item added at the end, moved one
//! place up or down, or removed (an item edited on its own page is
//! `item`'s). Each builds the whole new schema, checks it
//! and saves it (a new version once answered), refused when the page
//! showed another revision.

use super::item::item_at;
use super::items::{ItemForm, What, item_name, validate};
use super::page::{Sent, builder};
use super::rev;
use crate::ctx::{Ctx, Flash};
use crate::error::AppError;
use crate::features::forms::common::find_form;
use crate::forms::{FormErrors, Typed};
use crate::i18n::fill;
use crate::shared::audit::record;
use crate::shared::{redirect, redirect_flash};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::{self, Form, Saved};
use maillage_domain::forms::{Item, Schema};
use serde::Deserialize;
use serde_json::{Value, json};

/// Saves `schema` as the form's questions, with an audit entry; then
/// back to the builder (saying so when a new version was made).
pub(super) async fn save(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    schema: &Schema,
    (op, anchor): (&str, Option<usize>),
    detail: Value,
) -> Result<Response, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    // Checked again in the write transaction: another change may have
    // been saved since the page was read.
    let current = forms::find(&tx, f.id).await?.ok_or(AppError::NotFound)?;
    if rev(&current) != rev(f) {
        tx.rollback().await?;
        return stale(st, ctx, &current).await;
    }
    let saved = forms::save_schema(&tx, f.id, schema, now).await?;
    let (version, new_version) = match saved {
        Saved::Replaced => (f.version.number, false),
        Saved::NewVersion { number, .. } => (number, true),
    };
    record(
        &tx,
        ctx,
        ("update", "form", f.id),
        format!("{} : {op}", f.data.title),
        json!({"op": op, "version": version, "new_version": new_version, "detail": detail}),
        now,
    )
    .await?;
    tx.commit().await?;
    let mut to = format!("/team/forms/{}", f.id);
    if new_version {
        to.push_str(&format!("?version={version}"));
    }
    if let Some(n) = anchor {
        to.push_str(&format!("#item-{n}"));
    }
    Ok(redirect_flash(st, &to, Flash::Saved))
}

/// The form `id` when the page a change was made on showed its current
/// questions (revision `rev`), else the builder saying it did not.
pub(super) async fn current(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    rev_shown: &str,
) -> Result<Result<Form, Response>, AppError> {
    let f = find_form(st, id).await?;
    if rev_shown != rev(&f) {
        return Ok(Err(stale(st, ctx, &f).await?));
    }
    Ok(Ok(f))
}

/// The builder again, saying the page showed another revision.
async fn stale(st: &AppState, ctx: &Ctx, f: &Form) -> Result<Response, AppError> {
    let sent = Sent {
        general: Some(ctx.m.fb_err_stale.to_owned()),
        ..Default::default()
    };
    builder(st, ctx, f, sent, StatusCode::CONFLICT).await
}

/// When a field's key changes, the conditions that pointed at the old
/// key follow it.
pub(super) fn rename_conditions(schema: &mut Schema, old: &str, new: &str) {
    if old == new {
        return;
    }
    for it in &mut schema.items {
        if let Item::Field(f) = it
            && let Some(c) = &mut f.condition
            && c.field == old
        {
            c.field = new.to_owned();
        }
    }
}

/// The audit's name of a change of `item`: `verb field {key}` for a
/// field, else `verb` and what the item is (`other`).
pub(super) fn op(verb: &str, item: &Item, other: String) -> String {
    match item {
        Item::Field(fd) => format!("{verb} field {}", fd.key),
        _ => format!("{verb} {other}"),
    }
}

/// `POST /team/forms/{id}/items`: adds a field, a section heading or a
/// help text at the end.
pub async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(added): Typed<ItemForm>,
) -> Result<Response, AppError> {
    let f = match current(&st, &ctx, id, &added.rev).await? {
        Ok(f) => f,
        Err(stale) => return Ok(stale),
    };
    let m = ctx.m;
    let what = What::parse(&added.item).ok_or(AppError::BadRequest(None))?;
    let mut schema = f.version.schema.clone();
    let at = schema.items.len();
    let (item, mut e) = added.read(m, what, &schema, (at, false));
    schema.items.push(item.clone());
    validate(m, &schema, Some(at), &mut e);
    if e.is_empty() {
        let other = match what {
            What::Section => "section",
            _ => "help text",
        };
        let op = op("add", &item, other.to_owned());
        let detail =
            json!({"position": at + 1, "item": serde_json::to_value(&item).unwrap_or_default()});
        return save(&st, &ctx, &f, &schema, (&op, Some(at)), detail).await;
    }
    let sent = Sent {
        general: e.general.take(),
        added: Some((what, added, e)),
        ..Default::default()
    };
    builder(&st, &ctx, &f, sent, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The form moving or removing an item: the revision, the item, and for
/// a move the direction (up or down).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PositionForm {
    rev: String,
    n: String,
    dir: String,
}

/// The change of a move or a removal: the new schema and what the audit
/// says of it; `None` when there is nothing to do.
type Change = Option<(Schema, String, Option<usize>, Value)>;

/// Applies a move or a removal of item `n`: saved, or the builder again
/// saying why the schema would be refused (`refusal`, a message with the
/// item's name and the domain's reason).
async fn reorder(
    st: &AppState,
    ctx: &Ctx,
    (id, p): (i64, PositionForm),
    refusal: &str,
    change: impl FnOnce(&Form, usize, &Item) -> Result<Change, AppError>,
) -> Result<Response, AppError> {
    let f = match current(st, ctx, id, &p.rev).await? {
        Ok(f) => f,
        Err(stale) => return Ok(stale),
    };
    let m = ctx.m;
    let (n, item) = item_at(&f, &p.n)?;
    let Some((schema, op, anchor, detail)) = change(&f, n, &item)? else {
        return Ok(redirect(&format!("/team/forms/{id}"), []));
    };
    let mut e = FormErrors::new();
    validate(m, &schema, None, &mut e);
    if !e.is_empty() {
        let name = item_name(m, &item);
        let message = e.general.as_deref().unwrap_or("");
        let sent = Sent {
            general: Some(fill(refusal, &[("name", &name), ("message", message)])),
            ..Default::default()
        };
        return builder(st, ctx, &f, sent, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    save(st, ctx, &f, &schema, (&op, anchor), detail).await
}

/// `POST /team/forms/{id}/move`: moves item `n` one place up or down.
pub async fn move_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(p): Typed<PositionForm>,
) -> Result<Response, AppError> {
    let dir = p.dir.clone();
    reorder(&st, &ctx, (id, p), ctx.m.fb_err_move, |f, n, _| {
        let len = f.version.schema.items.len();
        let to = match dir.as_str() {
            "up" if n > 0 => n - 1,
            "down" if n + 1 < len => n + 1,
            "up" | "down" => return Ok(None),
            _ => return Err(AppError::BadRequest(None)),
        };
        let mut schema = f.version.schema.clone();
        schema.items.swap(n, to);
        let op = format!("move item {} to {}", n + 1, to + 1);
        let detail = json!({"from": n + 1, "to": to + 1});
        Ok(Some((schema, op, Some(to), detail)))
    })
    .await
}

/// `POST /team/forms/{id}/remove`: deletes item `n` (refused while a
/// later question depends on it).
pub async fn remove_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(p): Typed<PositionForm>,
) -> Result<Response, AppError> {
    reorder(&st, &ctx, (id, p), ctx.m.fb_err_remove, |f, n, item| {
        let mut schema = f.version.schema.clone();
        schema.items.remove(n);
        let op = op("delete", item, format!("item {}", n + 1));
        let detail =
            json!({"position": n + 1, "item": serde_json::to_value(item).unwrap_or_default()});
        Ok(Some((schema, op, None, detail)))
    })
    .await
}
