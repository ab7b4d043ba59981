//! Attendee lists as CSV or XLSX: a session's (team and partner), and a
//! whole project's with its activity and session first. Each download
//! records an audit entry.

use super::{Viewer, session_title};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::audit::record;
use crate::shared::download::export_table;
use crate::state::AppState;
use crate::time;
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_db::bookings::{self, Booking};
use maillage_db::programme::{activities, projects};
use serde_json::json;

fn yes_no(m: &Messages, v: bool) -> String {
    if v { m.yes } else { m.no }.to_owned()
}

fn opt(n: Option<i32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The headers of the attendee list.
fn headers(m: &Messages) -> Vec<&'static str> {
    vec![
        m.bt_col_id,
        m.bt_col_name,
        m.bt_col_email,
        m.bt_col_phone,
        m.bt_col_kind,
        m.bt_col_status,
        m.bt_col_persons,
        m.bt_pupils,
        m.bt_adults,
        m.bt_col_school,
        m.bt_col_commune,
        m.bt_col_level,
        m.bt_col_needs,
        m.bt_col_booked_at,
        m.bt_col_checked_in,
        m.bt_col_came_pupils,
        m.bt_col_came_adults,
        m.bt_col_came_public,
    ]
}

/// A booking as a row of the attendee list.
fn row(ctx: &Ctx, b: &Booking) -> Vec<String> {
    vec![
        b.id.to_string(),
        b.name.clone(),
        b.email.clone(),
        b.phone.clone().unwrap_or_default(),
        b.kind.label(ctx.locale).to_owned(),
        b.status.label(ctx.locale).to_owned(),
        b.seats.to_string(),
        b.pupils.to_string(),
        b.adults.to_string(),
        b.school_name.clone().unwrap_or_default(),
        b.school_commune.clone().unwrap_or_default(),
        b.class_level
            .map(|l| l.label(ctx.locale).to_owned())
            .unwrap_or_default(),
        b.needs.clone().unwrap_or_default(),
        time::datetime(ctx.locale, b.created_at),
        yes_no(ctx.m, b.checked_in_at.is_some()),
        opt(b.came_pupils),
        opt(b.came_adults),
        opt(b.came_public),
    ]
}

/// The format of a download: `csv` or `xlsx`, 404 otherwise.
fn format_of(format: &str) -> Result<&str, AppError> {
    match format {
        "csv" | "xlsx" => Ok(format),
        _ => Err(AppError::NotFound),
    }
}

/// Records the download of `rows` rows of `(entity, id)`, then sends them.
async fn send(
    st: &AppState,
    ctx: &Ctx,
    (entity, id, summary): (&str, i64, String),
    (format, name): (&str, String),
    (headers, rows): (Vec<&'static str>, Vec<Vec<String>>),
) -> Result<Response, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        ctx,
        ("export_bookings", entity, id),
        summary,
        json!({"format": format, "rows": rows.len()}),
        now,
    )
    .await?;
    tx.commit().await?;
    export_table(format, &name, &headers, &rows)
}

/// `GET /team/sessions/{id}/bookings/export/{format}` and the partner's
/// (csv or xlsx).
pub async fn session(
    v: Viewer,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let (st, ctx) = (&v.st, &v.ctx);
    let format = format_of(&format)?;
    let p = v.session(id).await?;
    let list = bookings::of_session(st.db.conn(), id).await?;
    let rows = list.iter().map(|b| row(ctx, b)).collect();
    send(
        st,
        ctx,
        ("session", id, session_title(ctx, &p)),
        (format, format!("reservations-{id}")),
        (headers(ctx.m), rows),
    )
    .await
}

/// `GET /team/projects/{id}/bookings/export/{format}` (csv or xlsx): every
/// booking of the project, one row each, with its activity and session first.
pub async fn project(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = format_of(&format)?;
    let c = st.db.conn();
    let p = projects::find(c, id).await?.ok_or(AppError::NotFound)?;
    let list = activities::of_project(c, id).await?;
    let ids: Vec<i64> = list
        .iter()
        .flat_map(|a| a.sessions.iter().map(|s| s.id))
        .collect();
    let mut by_session = bookings::of_sessions(c, &ids).await?;
    let mut all = vec![ctx.m.bt_col_activity, ctx.m.bt_col_session];
    all.extend(headers(ctx.m));
    let mut rows = Vec::new();
    for a in &list {
        for s in &a.sessions {
            let Some(found) = by_session.remove(&s.id) else {
                continue;
            };
            let when = time::datetime(ctx.locale, s.data.starts_at);
            rows.extend(found.iter().map(|b| {
                let mut r = vec![a.data.title.clone(), when.clone()];
                r.extend(row(&ctx, b));
                r
            }));
        }
    }
    send(
        &st,
        &ctx,
        ("project", id, p.data.name.clone()),
        (format, format!("reservations-{}", p.data.slug)),
        (all, rows),
    )
    .await
}
