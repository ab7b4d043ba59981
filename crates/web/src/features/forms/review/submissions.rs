//! A call's submissions (`/team/calls/{id}/submissions`): counts by
//! status, the list filtered by status, reviewer and submitter, with the
//! weighted average of each one's scores; and the staged decisions of the
//! call sent in one batch, one e-mail per submitter.

use super::{Summary, all_users, find_call, is_team, org_name};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::forms::mail;
use crate::forms::{Choice, Pairs};
use crate::i18n::fill;
use crate::shared::audit::record;
use crate::shared::{html, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maillage_db::forms::{calls, submissions};
use maillage_db::programme::projects;
use maillage_db::{ConnectionTrait, outbox};
use maillage_domain::Action;
use maillage_domain::forms::review::Status;
use maillage_domain::text::fold;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

pub struct SubmissionRow {
    pub sub: Summary,
    pub average: String,
    pub reviewers: i64,
}

pub struct CountRow {
    pub label: &'static str,
    pub code: &'static str,
    pub n: i64,
}

#[derive(Template)]
#[template(path = "forms/review/submissions.html")]
struct SubmissionsPage {
    l: Layout,
    call_id: i64,
    title: String,
    project: String,
    kind: &'static str,
    window: String,
    counts: Vec<CountRow>,
    statuses: Vec<Choice>,
    reviewers: Vec<Choice>,
    q: String,
    filtered: bool,
    rows: Vec<SubmissionRow>,
    staged: usize,
    has_criteria: bool,
    can_manage: bool,
}

/// The filters of the list, as typed in the address.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Filters {
    status: String,
    /// A user id.
    reviewer: String,
    /// Part of the submitter's name, e-mail or organisation.
    q: String,
}

/// How many decisions of call `id` are staged, waiting to be sent.
pub(super) async fn staged_count(c: &impl ConnectionTrait, id: i64) -> Result<usize, AppError> {
    Ok(submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(id),
            staged: true,
            ..Default::default()
        },
    )
    .await?
    .len())
}

/// `GET /team/calls/{id}/submissions`: filters `status`, `reviewer` (a
/// user id) and `q` (submitter's name, e-mail or organisation).
pub async fn submissions_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let m = ctx.m;
    let call = find_call(&st, id).await?;
    // Junk in the query string is ignored, never an error.
    let filters: Filters = Pairs(params).parse()?;
    let status = Status::parse(&filters.status).ok();
    let reviewer = filters.reviewer.trim().parse::<i64>().ok();
    let q = filters.q.trim().to_owned();
    let folded = fold(&q);
    let list = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(id),
            status,
            reviewer_id: reviewer,
            include_drafts: status == Some(Status::Draft),
            ..Default::default()
        },
    )
    .await?;
    let averages: HashMap<i64, submissions::Average> = submissions::averages(c, id)
        .await?
        .into_iter()
        .map(|a| (a.submission_id, a))
        .collect();
    let mut orgs = HashMap::new();
    let mut rows = Vec::new();
    for s in &list {
        let organisation = org_name(c, &mut orgs, s.submitter.organisation_id).await?;
        if !folded.is_empty()
            && ![&s.submitter.name, &s.submitter.email, &organisation]
                .iter()
                .any(|t| fold(t).contains(&folded))
        {
            continue;
        }
        let avg = averages.get(&s.id);
        rows.push(SubmissionRow {
            sub: Summary::of(l, s, organisation),
            average: avg.map_or_else(|| "—".into(), |a| l.decimal(a.average, 2)),
            reviewers: submissions::reviewers(c, s.id).await?.len() as i64,
        });
    }
    let counts = submissions::counts(c, id).await?;
    let staged = staged_count(c, id).await?;
    let users = all_users(c).await?;
    let project = projects::find(c, call.data.project_id)
        .await?
        .map(|p| p.data.name)
        .unwrap_or_default();
    let now = maillage_db::now();
    let closes = time::datetime(l, call.data.closes_at);
    let opens = time::datetime(l, call.data.opens_at);
    let window = if call.is_open(now) {
        fill(m.rv_window_open, &[("opens", &opens), ("closes", &closes)])
    } else {
        fill(
            m.rv_window_closed,
            &[("opens", &opens), ("closes", &closes)],
        )
    };
    html(SubmissionsPage {
        l: ctx.layout(call.data.title.clone()),
        call_id: id,
        title: call.data.title.clone(),
        project,
        kind: call.data.kind.label(l),
        window,
        counts: counts
            .iter()
            .map(|(s, n)| CountRow {
                label: s.label(l),
                code: s.code(),
                n: *n,
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Choice::new(s.code(), s.label(l), status == Some(*s)))
            .collect(),
        reviewers: users
            .iter()
            .filter(|u| is_team(u) || reviewer == Some(u.id))
            .map(|u| Choice::new(u.id.to_string(), u.name.clone(), reviewer == Some(u.id)))
            .collect(),
        filtered: status.is_some() || reviewer.is_some() || !q.is_empty(),
        q,
        rows,
        staged,
        has_criteria: !calls::criteria(c, id).await?.is_empty(),
        can_manage: ctx.can(Action::ManageForms),
    })
}

/// `POST /team/calls/{id}/send`: sends every staged decision of the call
/// in one batch, one e-mail per submitter, in one transaction.
pub async fn send_staged(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let call = find_call(&st, id).await?;
    let user = ctx.user()?.id;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let sent = submissions::send_staged(&tx, id, Some(user), now).await?;
    for s in &sent {
        outbox::enqueue(
            &tx,
            mail::status_changed(
                &st.config.base_url,
                &s.submission,
                &call.data.title,
                s.message.as_deref(),
            ),
            now,
        )
        .await?;
    }
    record(
        &tx,
        &ctx,
        ("send_decisions", "call", id),
        call.data.title.clone(),
        json!({ "sent": sent.iter().map(|s| json!({
            "submission": s.submission.id,
            "from": s.from.code(),
            "to": s.submission.status.code(),
        })).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/calls/{id}/submissions"),
        Flash::Saved,
    ))
}
