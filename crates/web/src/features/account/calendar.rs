//! `GET /account/calendar`: one's private calendar feed (tasks due and
//! meetings) — its address shown once when made, replaced or revoked.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::shared::audit::record;
use crate::shared::{html, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::calendar_feeds;
use serde_json::json;

#[derive(Template)]
#[template(path = "account/calendar.html")]
struct CalendarPage {
    l: Layout,
    /// When the current address was made, if there is one.
    made: Option<String>,
    /// The address just made, shown this once.
    address: Option<String>,
}

pub async fn show(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let made = calendar_feeds::made_at(st.db.conn(), user.id)
        .await?
        .map(|t| crate::time::datetime(ctx.locale, t));
    html(CalendarPage {
        l: ctx.layout(ctx.m.cal_title),
        made,
        address: None,
    })
}

/// Makes a new address (the former one stops working) and shows it.
pub async fn renew(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let tx = st.db.write().await?;
    let now = maillage_db::now();
    let secret = calendar_feeds::renew(&tx, user.id, now).await?;
    record(
        &tx,
        &ctx,
        ("renew_calendar", "user", user.id),
        user.email.clone(),
        json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    html(CalendarPage {
        l: ctx.layout(ctx.m.cal_title),
        made: Some(crate::time::datetime(ctx.locale, now)),
        address: Some(format!("{}/calendar/{secret}.ics", st.config.base_url)),
    })
}

pub async fn revoke(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let tx = st.db.write().await?;
    let now = maillage_db::now();
    if calendar_feeds::revoke(&tx, user.id).await? {
        record(
            &tx,
            &ctx,
            ("revoke_calendar", "user", user.id),
            user.email.clone(),
            json!({}),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(&st, "/account/calendar", Flash::Saved))
}
