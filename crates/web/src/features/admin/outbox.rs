//! The e-mail outbox, for administrators.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::shared::audit::record;
use crate::shared::{Pager, html, page_number, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maillage_db::PageRequest;
use maillage_db::outbox::{self, Message, Status};
use serde::Deserialize;
use serde_json::json;

fn status_label(ctx: &Ctx, s: Status) -> &'static str {
    match s {
        Status::Pending => ctx.m.outbox_pending,
        Status::Sent => ctx.m.outbox_sent,
        Status::Failed => ctx.m.outbox_failed,
    }
}

struct Row {
    id: i64,
    created: String,
    to: String,
    subject: String,
    status: &'static str,
    attempts: i32,
    error: String,
}

struct Count {
    value: &'static str,
    label: &'static str,
    count: u64,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/outbox/list.html")]
struct OutboxPage {
    l: Layout,
    counts: Vec<Count>,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OutboxQuery {
    status: String,
    page: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<OutboxQuery>,
) -> Result<Response, AppError> {
    let status = Status::parse(&q.status);
    let page = outbox::list(
        st.db.conn(),
        status,
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let pager = Pager::new(&page, "/team/admin/outbox", &[("status", q.status.clone())]);
    let counts = outbox::counts(st.db.conn())
        .await?
        .into_iter()
        .map(|(s, count)| Count {
            value: s.as_str(),
            label: status_label(&ctx, s),
            count,
            selected: status == Some(s),
        })
        .collect();
    let rows = page
        .items
        .iter()
        .map(|m| Row {
            id: m.id,
            created: time::datetime(ctx.locale, m.created_at),
            to: m.to_addr.clone(),
            subject: m.subject.clone(),
            status: status_label(&ctx, m.status),
            attempts: m.attempts,
            error: m.last_error.clone().unwrap_or_default(),
        })
        .collect();
    html(OutboxPage {
        l: ctx.layout(ctx.m.outbox_title),
        counts,
        rows,
        pager,
    })
}

#[derive(Template)]
#[template(path = "admin/outbox/show.html")]
struct ShowPage {
    l: Layout,
    msg: Message,
    status: &'static str,
    created: String,
    next_attempt: String,
    sent: String,
    can_retry: bool,
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let msg = outbox::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    html(ShowPage {
        l: ctx.layout(ctx.m.outbox_message_title),
        status: status_label(&ctx, msg.status),
        created: time::datetime(ctx.locale, msg.created_at),
        next_attempt: time::datetime(ctx.locale, msg.next_attempt_at),
        sent: msg
            .sent_at
            .map_or_else(String::new, |t| time::datetime(ctx.locale, t)),
        can_retry: msg.status == Status::Failed,
        msg,
    })
}

pub async fn retry(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if !outbox::retry(&tx, id, now).await? {
        return Err(AppError::NotFound);
    }
    record(
        &tx,
        &ctx,
        ("retry", "outbox", id),
        String::new(),
        json!({"status": {"from": "failed", "to": "pending"}}),
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect_flash(
        &st,
        &format!("/team/admin/outbox/{id}"),
        Flash::MessageRequeued,
    ))
}
