//! The team's calls (`/team/calls`): the calls of every project with their
//! submissions counted by status and the decisions staged.

use super::submissions::staged_count;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::shared::html;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::forms::{calls, submissions};
use maillage_db::programme::projects;
use maillage_domain::Action;
use maillage_domain::forms::review::Status;

pub struct CallRow {
    pub id: i64,
    pub title: String,
    pub project: String,
    pub kind: &'static str,
    pub closes: String,
    pub open: bool,
    /// Submissions in each status, in the order of `Status::ALL`.
    pub counts: Vec<i64>,
    pub total: i64,
    pub staged: usize,
}

#[derive(Template)]
#[template(path = "forms/review/calls.html")]
struct CallsPage {
    l: Layout,
    can_manage: bool,
    statuses: Vec<&'static str>,
    rows: Vec<CallRow>,
}

/// `GET /team/calls`: the calls of every project with their counts.
pub async fn calls_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let now = maillage_db::now();
    let mut rows = Vec::new();
    for p in projects::list(c, false).await? {
        for call in calls::of_project(c, p.id).await? {
            let counts = submissions::counts(c, call.id).await?;
            let staged = staged_count(c, call.id).await?;
            rows.push(CallRow {
                id: call.id,
                title: call.data.title.clone(),
                project: p.data.name.clone(),
                kind: call.data.kind.label(l),
                closes: time::datetime(l, call.data.closes_at),
                open: call.is_open(now),
                total: counts
                    .iter()
                    .filter(|(s, _)| *s != Status::Draft)
                    .map(|(_, n)| n)
                    .sum(),
                counts: counts.iter().map(|(_, n)| *n).collect(),
                staged,
            });
        }
    }
    html(CallsPage {
        l: ctx.layout(ctx.m.rv_calls_title),
        can_manage: ctx.can(Action::ManageForms),
        statuses: Status::ALL.iter().map(|s| s.label(l)).collect(),
        rows,
    })
}
