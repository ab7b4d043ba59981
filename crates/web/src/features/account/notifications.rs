//! What a member of the team asks to be told by e-mail
//! (`/account/notifications`): class requests and call answers as they
//! arrive (offered to those whose role acts on them), a daily digest of
//! their inbox, and the daily digest of their tasks (on unless turned off).

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Typed, ticked};
use crate::shared::{html, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::notifications::{self, Prefs};
use maillage_db::planning::digest as task_digest;
use maillage_domain::Action;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/notifications.html")]
struct NotificationsPage {
    l: Layout,
    prefs: Prefs,
    /// The daily digest of their tasks.
    tasks: bool,
    can_requests: bool,
    can_answers: bool,
}

/// `GET /account/notifications`.
pub async fn show(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let prefs = notifications::get(st.db.conn(), user.id).await?;
    html(NotificationsPage {
        l: ctx.layout(ctx.m.nt_title),
        prefs,
        tasks: task_digest::is_on(st.db.conn(), user.id).await?,
        can_requests: ctx.can(Action::ManageBookings),
        can_answers: ctx.can(Action::ReviewSubmissions),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NotificationsForm {
    #[serde(deserialize_with = "ticked")]
    class_requests: bool,
    #[serde(deserialize_with = "ticked")]
    call_answers: bool,
    #[serde(deserialize_with = "ticked")]
    digest: bool,
    #[serde(deserialize_with = "ticked")]
    task_digest: bool,
}

/// `POST /account/notifications`: the choices, kept to what the role acts
/// on.
pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<NotificationsForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let prefs = Prefs {
        class_requests: f.class_requests && ctx.can(Action::ManageBookings),
        call_answers: f.call_answers && ctx.can(Action::ReviewSubmissions),
        digest: f.digest,
    };
    let tx = st.db.write().await?;
    notifications::set(&tx, user.id, prefs).await?;
    task_digest::set_on(&tx, user.id, f.task_digest).await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/account/notifications", Flash::Saved))
}
