//! What a partner sees of the planning: the meetings someone of their
//! organisation attends (agenda; minutes once sent) and the tasks shared
//! with their organisation. Nothing else: another meeting answers 404.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::shared::html;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use chrono_tz::Europe::Paris;
use maillage_db::planning::meetings::{self, Meeting};
use maillage_db::planning::tasks::{self, Task};

pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub when: String,
}

pub struct TaskRow {
    pub title: String,
    pub due: String,
    pub status: &'static str,
    pub late: bool,
}

fn task_row(ctx: &Ctx, t: &Task) -> TaskRow {
    let today = Utc::now().with_timezone(&Paris).date_naive();
    TaskRow {
        title: t.title.clone(),
        due: t
            .due_on
            .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
        status: t.status.label(ctx.locale),
        late: t.is_late(today),
    }
}

/// The organisation's meetings (latest first) and shared tasks.
pub async fn rows(
    st: &AppState,
    ctx: &Ctx,
    org: Option<i64>,
) -> Result<(Vec<MeetingRow>, Vec<TaskRow>), AppError> {
    let Some(org) = org else {
        return Ok((Vec::new(), Vec::new()));
    };
    let meetings = meetings::of_organisation(st.db.conn(), org)
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id,
            when: crate::time::datetime(ctx.locale, m.data.starts_at),
            title: m.data.title,
        })
        .collect();
    let tasks = tasks::shared_with(st.db.conn(), org)
        .await?
        .iter()
        .map(|t| task_row(ctx, t))
        .collect();
    Ok((meetings, tasks))
}

pub struct ItemRow {
    pub title: String,
    pub outcome: &'static str,
    pub minutes: String,
    pub task: Option<TaskRow>,
}

#[derive(Template)]
#[template(path = "partner/meeting.html")]
struct MeetingPage {
    l: Layout,
    when: String,
    sent: bool,
    attendees: Vec<String>,
    items: Vec<ItemRow>,
}

/// A meeting of one's organisation, or 404.
async fn meeting(st: &AppState, ctx: &Ctx, id: i64) -> Result<(Meeting, i64), AppError> {
    let org = ctx.user()?.organisation_id.ok_or(AppError::NotFound)?;
    let m = meetings::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let attends = meetings::attendees(st.db.conn(), id)
        .await?
        .iter()
        .any(|a| a.organisation_id == Some(org));
    if !attends {
        return Err(AppError::NotFound);
    }
    Ok((m, org))
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (m, org) = meeting(&st, &ctx, id).await?;
    let sent = m.minutes_sent_at.is_some();
    let shared: Vec<Task> = tasks::of_meetings(st.db.conn(), &[id])
        .await?
        .into_iter()
        .filter(|t| t.shared && t.organisation_id == Some(org))
        .collect();
    let items = meetings::items(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|it| ItemRow {
            outcome: match (sent, it.outcome) {
                (true, Some(o)) => o.label(ctx.locale),
                _ => "",
            },
            minutes: if sent {
                it.minutes.unwrap_or_default()
            } else {
                String::new()
            },
            task: it
                .task_id
                .filter(|_| sent)
                .and_then(|t| shared.iter().find(|s| s.id == t))
                .map(|t| task_row(&ctx, t)),
            title: it.title,
        })
        .collect();
    let start = m.data.starts_at.with_timezone(&Paris);
    html(MeetingPage {
        l: ctx.layout(m.data.title.clone()),
        when: format!(
            "{}, {}",
            crate::time::long_date(ctx.locale, start.date_naive()),
            start.format("%H:%M")
        ),
        sent,
        attendees: meetings::attendees(st.db.conn(), id)
            .await?
            .into_iter()
            .map(|a| a.name)
            .collect(),
        items,
    })
}
