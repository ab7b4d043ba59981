//! What people do on a task: staff give it and take it back, make it wait
//! for another (a circle refused); whoever does it ticks its checklist;
//! whoever sees it comments.

use super::{CommentForm, LineForm, Problem, back, chosen, render, seen, team, worked};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, Typed, check};
use crate::i18n::field_error;
use crate::shared::records::{saved, write};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_db::planning::details;
use maillage_db::planning::tasks::{self, Task};
use maillage_domain::FieldError;
use maillage_domain::field::{single_line, text_block};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    user: String,
}

/// `POST …/assign`: staff give the task to someone of the team.
pub async fn assign(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<UserForm>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    let team: Vec<i64> = team(&st).await?.into_iter().map(|(id, _)| id).collect();
    let mut e = FormErrors::new();
    let Some(user) = chosen(&mut e, &ctx, "user", &f.user, &team) else {
        if e.is_empty() {
            e.add("user", field_error(ctx.m, &FieldError::Required));
        }
        return render(&st, &ctx, t, Problem::Depend(e)).await;
    };
    write(&st, &ctx, async |tx, _| tasks::assign(tx, id, user).await).await?;
    Ok(saved(&st, &back(id, "#people")))
}

pub async fn unassign(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, user)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    write(&st, &ctx, async |tx, _| tasks::unassign(tx, &t, user).await).await?;
    Ok(saved(&st, &back(id, "#people")))
}

/// `POST …/checklist`: a line added by whoever works on the task.
pub async fn add_line(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<LineForm>,
) -> Result<Response, AppError> {
    let t = worked(&st, &ctx, id).await?;
    let mut e = FormErrors::new();
    let Some(label) = check(&mut e, ctx.m, "label", single_line(&f.label, 1, 200)) else {
        return render(&st, &ctx, t, Problem::Line(f, e)).await;
    };
    write(&st, &ctx, async |tx, _| {
        details::add_check(tx, &t, &label).await
    })
    .await?;
    Ok(saved(&st, &back(id, "#checklist")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TickForm {
    #[serde(deserialize_with = "crate::forms::ticked")]
    done: bool,
}

pub async fn tick(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, line)): Path<(i64, i64)>,
    Typed(f): Typed<TickForm>,
) -> Result<Response, AppError> {
    let t = worked(&st, &ctx, id).await?;
    if !details::checklist(st.db.conn(), id)
        .await?
        .iter()
        .any(|l| l.id == line)
    {
        return Err(AppError::NotFound);
    }
    write(&st, &ctx, async |tx, _| {
        details::tick(tx, &t, line, f.done).await
    })
    .await?;
    Ok(saved(&st, &back(id, "#checklist")))
}

/// `POST …/comments`: whoever sees the task may comment on it.
pub async fn comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<CommentForm>,
) -> Result<Response, AppError> {
    let (t, scope) = seen(&st, &ctx, id).await?;
    let mut e = FormErrors::new();
    let body = match text_block(&f.body, 5_000) {
        Ok(Some(b)) => Some(b),
        Ok(None) => {
            e.add("body", field_error(ctx.m, &FieldError::Required));
            None
        }
        Err(err) => {
            e.add("body", field_error(ctx.m, &err));
            None
        }
    };
    let Some(body) = body else {
        return render(&st, &ctx, t, Problem::Comment(f, e)).await;
    };
    write(&st, &ctx, async |tx, now| {
        details::comment(tx, &t, scope.user, &body, now).await
    })
    .await?;
    Ok(saved(&st, &back(id, "#comments")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DependForm {
    on: String,
}

/// `POST …/depends`: staff make the task wait for another of its project.
pub async fn depend(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<DependForm>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    let siblings: Vec<Task> = match t.project_id {
        Some(p) => tasks::of_project(st.db.conn(), p).await?,
        None => Vec::new(),
    };
    let ids: Vec<i64> = siblings.iter().map(|s| s.id).collect();
    let mut e = FormErrors::new();
    let Some(on) = chosen(&mut e, &ctx, "on", &f.on, &ids)
        .and_then(|o| siblings.into_iter().find(|s| s.id == o))
    else {
        if e.is_empty() {
            e.add("on", field_error(ctx.m, &FieldError::Required));
        }
        return render(&st, &ctx, t, Problem::Depend(e)).await;
    };
    if details::would_cycle(st.db.conn(), &t, &on).await? {
        e.add("on", ctx.m.tk_cycle);
        return render(&st, &ctx, t, Problem::Depend(e)).await;
    }
    write(&st, &ctx, async |tx, _| details::depend(tx, &t, &on).await).await?;
    Ok(saved(&st, &back(id, "#waits")))
}

pub async fn undepend(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, on)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    write(&st, &ctx, async |tx, _| details::undepend(tx, &t, on).await).await?;
    Ok(saved(&st, &back(id, "#waits")))
}
