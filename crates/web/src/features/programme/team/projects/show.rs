//! A project's page: its facts and partners, its activities filtered by
//! status, and their bulk publication or cancellation.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::markdown::to_html;
use crate::shared::records::{Audited, Entry, Record, Shown, Typed, found, saved, write};
use crate::shared::{html_status, vocab_choices};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::Project;
use maillage_db::users;
use maillage_domain::Action;
use maillage_domain::programme::ActivityStatus;
use serde::Deserialize;
use serde_json::json;

pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub format: &'static str,
    pub first: String,
    pub sessions: usize,
    pub status: &'static str,
    pub status_code: &'static str,
    pub place: String,
}

fn activity_row(ctx: &Ctx, a: &Activity) -> ActivityRow {
    ActivityRow {
        id: a.id,
        title: a.data.title.clone(),
        format: a.format.label(ctx.locale),
        first: a
            .first_starts_at
            .map(|t| time::datetime(ctx.locale, t))
            .unwrap_or_default(),
        sessions: a.sessions.len(),
        status: a.status.label(ctx.locale),
        status_code: a.status.code(),
        place: crate::features::programme::public::place(a),
    }
}

#[derive(Template)]
#[template(path = "programme/team/project.html")]
struct ShowPage {
    l: Layout,
    p: Project,
    kind: &'static str,
    status: &'static str,
    dates: String,
    lead: String,
    partners: Vec<(String, &'static str)>,
    description: String,
    statuses: Vec<Choice>,
    status_filter: String,
    rows: Vec<ActivityRow>,
    error: Option<String>,
    can_edit: bool,
    can_manage: bool,
    can_plan: bool,
    /// Its meetings, latest first (admins and staff): id, title, when.
    meetings: Vec<(i64, String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    pub status: String,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    status_filter: &str,
    error: Option<String>,
    code: StatusCode,
) -> Result<Response, AppError> {
    let p: Project = found(st, id).await?;
    let filter = ActivityStatus::parse(status_filter).ok();
    let rows = activities::of_project(st.db.conn(), id)
        .await?
        .iter()
        .filter(|a| filter.is_none_or(|s| a.status == s))
        .map(|a| activity_row(ctx, a))
        .collect();
    let lead = match p.data.lead_user_id {
        Some(u) => users::find(st.db.conn(), u)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    html_status(
        code,
        ShowPage {
            l: ctx.layout(p.data.name.clone()),
            kind: p.data.kind.label(ctx.locale),
            status: p.data.status.label(ctx.locale),
            dates: crate::shared::programme::project_dates(ctx.locale, &p),
            lead,
            partners: p
                .partners
                .iter()
                .map(|x| (x.organisation_name.clone(), x.role.label(ctx.locale)))
                .collect(),
            description: p
                .data
                .description
                .as_deref()
                .map_or_else(String::new, to_html),
            statuses: vocab_choices(
                ActivityStatus::ALL,
                ActivityStatus::code,
                |s| s.label(ctx.locale),
                &filter.into_iter().collect::<Vec<_>>(),
            ),
            status_filter: status_filter.to_owned(),
            rows,
            error,
            can_edit: ctx.can(Action::EditProgramme),
            can_manage: ctx.can(Action::ManageProgramme),
            can_plan: ctx.can(Action::ReadPlanning),
            meetings: if ctx.can(Action::ReadTeamPlanning) {
                let f = maillage_db::planning::meetings::Filter {
                    project: Some(id),
                    ..Default::default()
                };
                maillage_db::planning::meetings::list(st.db.conn(), &f)
                    .await?
                    .into_iter()
                    .map(|m| {
                        let when = crate::time::datetime(ctx.locale, m.data.starts_at);
                        (m.id, m.data.title, when)
                    })
                    .collect()
            } else {
                Vec::new()
            },
            p,
        },
    )
}

impl Shown for Project {
    type Query = ShowQuery;

    async fn page(st: &AppState, ctx: &Ctx, id: i64, q: ShowQuery) -> Result<Response, AppError> {
        page(st, ctx, id, &q.status, None, StatusCode::OK).await
    }
}

/// The bulk form: the operation, the ticked activities, the list's filter.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BulkForm {
    op: String,
    ids: Vec<String>,
    status: String,
}

/// `POST /team/programme/projects/{id}/bulk` with `op` (publish or cancel)
/// and the ticked `ids`.
pub async fn bulk(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<BulkForm>,
) -> Result<Response, AppError> {
    let project: Project = found(&st, id).await?;
    let refuse = async |message: &str| {
        let error = Some(message.to_owned());
        page(
            &st,
            &ctx,
            id,
            &f.status,
            error,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
    };
    let status = match f.op.as_str() {
        "publish" => ActivityStatus::Published,
        "cancel" => ActivityStatus::Cancelled,
        _ => return refuse(ctx.m.pt_bulk_choose_op).await,
    };
    let wanted: Vec<i64> = f.ids.iter().filter_map(|v| v.trim().parse().ok()).collect();
    let ids: Vec<i64> = activities::of_project(st.db.conn(), id)
        .await?
        .iter()
        .filter(|a| wanted.contains(&a.id))
        .map(|a| a.id)
        .collect();
    if ids.is_empty() {
        return refuse(ctx.m.pt_bulk_none).await;
    }
    write(&st, &ctx, async |tx, now| {
        activities::set_status(tx, &ids, status, now).await?;
        let entry = Entry::new(
            status.code(),
            Project::ENTITY,
            id,
            format!("{} ({})", project.data.name, ids.len()),
            json!({"activities": ids, "status": status.code()}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let to = if f.status.is_empty() {
        Project::href(id)
    } else {
        format!(
            "{}?status={}",
            Project::href(id),
            crate::ctx::urlencode(&f.status)
        )
    };
    Ok(saved(&st, &to))
}
