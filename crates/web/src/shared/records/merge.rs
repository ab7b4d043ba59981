//! Merging two records of a type into one: the page that proposes likely
//! duplicates (or searches), and the merge with an entry for each record.

use super::typed::Typed;
use super::{Audited, Candidate, Entry, Record, found, write};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::{DbErr, WriteTx};
use serde::Deserialize;
use serde_json::json;
use std::future::Future;

/// A record type whose duplicates the team merges.
pub trait Mergeable: Record {
    /// The sentence before the record's name on the merge page.
    fn intro(m: &'static Messages) -> &'static str;

    /// A detail shown after its name (its commune), or "".
    fn detail(&self) -> String {
        String::new()
    }

    /// The records proposed: likely duplicates without a search, else
    /// those matching `q` (never the record itself).
    fn candidates(
        &self,
        st: &AppState,
        ctx: &Ctx,
        q: &str,
    ) -> impl Future<Output = Result<Vec<Candidate>, AppError>> + Send;

    /// Merges `removed` into `kept` and returns the record kept.
    fn merge(
        tx: &WriteTx,
        kept: i64,
        removed: i64,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self, DbErr>> + Send;

    /// The summaries of the entries of the record kept and of the one
    /// merged into it.
    fn merge_summaries(kept: &Self, removed: &Self, _merged: &Self) -> (String, String) {
        (
            format!("{} ← {}", kept.summary(), removed.summary()),
            format!("→ #{} {}", kept.id(), kept.summary()),
        )
    }
}

#[derive(Template)]
#[template(path = "shared/records/merge.html")]
struct MergePage {
    l: Layout,
    href: String,
    name: String,
    intro: &'static str,
    detail: String,
    q: String,
    candidates: Vec<Candidate>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeQuery {
    q: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    other: String,
}

async fn merge_page<R: Mergeable>(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    q: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let r: R = found(st, id).await?;
    html_status(
        status,
        MergePage {
            l: ctx.layout(ctx.m.merge_title),
            href: R::href(id),
            name: r.summary(),
            intro: R::intro(ctx.m),
            detail: r.detail(),
            candidates: r.candidates(st, ctx, &q).await?,
            q,
            error,
        },
    )
}

/// `GET …/{id}/merge`.
pub async fn merge_form<R: Mergeable>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<MergeQuery>,
) -> Result<Response, AppError> {
    merge_page::<R>(&st, &ctx, id, q.q, None, StatusCode::OK).await
}

/// `POST …/{id}/merge` with `other`: `other` is merged into `id` (the
/// record kept).
pub async fn merge<R: Mergeable>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<MergeForm>,
) -> Result<Response, AppError> {
    let other = match f.other.parse::<i64>() {
        Ok(o) if o != id => o,
        _ => {
            let choose = Some(ctx.m.merge_choose.into());
            return merge_page::<R>(
                &st,
                &ctx,
                id,
                String::new(),
                choose,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let kept: R = found(&st, id).await?;
    let removed: R = found(&st, other).await?;
    write(&st, &ctx, async |tx, now| {
        let merged = R::merge(tx, id, other, now).await?;
        let (summary, summary_removed) = R::merge_summaries(&kept, &removed, &merged);
        let changes = json!({
            "merged": {"id": other, "record": removed.snapshot()},
            "result": merged.snapshot(),
        });
        Ok::<_, AppError>(
            Audited::new((), Entry::new("merge", R::ENTITY, id, summary, changes)).and(Entry::new(
                "merged_into",
                R::ENTITY,
                other,
                summary_removed,
                json!({"kept": id}),
            )),
        )
    })
    .await?;
    Ok(redirect_flash(&st, &R::href(id), Flash::Merged))
}
