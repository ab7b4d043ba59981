//! `GET /team/projects/{id}/plan`: a project's rétroplanning as a timeline
//! and a table (late tasks stand out in both), the form applying a
//! template, and each task's status; `POST …/plan/apply` and
//! `POST /team/tasks/{id}/status`.

use super::scope::Scope;
use super::timeline::{self, Mark, Words};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, Typed};
use crate::shared::html;
use crate::shared::records::{saved, write};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::planning::{meetings, tasks, templates};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::Action;
use maillage_domain::Vocabulary;
use maillage_domain::planning::{Offset, TaskStatus};
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub due: String,
    /// Days from the project's first day, as plans write it ("J−60").
    pub offset: String,
    pub status: &'static str,
    pub statuses: Vec<Choice>,
    pub late: bool,
    /// The names of the people it is assigned to.
    pub assignees: String,
    /// The signed-in person is among them.
    pub mine: bool,
    /// The signed-in person may change its status.
    pub editable: bool,
}

/// A meeting of the project, as its plan lists it.
pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "planning/plan.html")]
struct PlanPage {
    l: Layout,
    p: Project,
    rows: Vec<Row>,
    late: usize,
    svg: Option<String>,
    templates: Vec<Choice>,
    meetings: Vec<MeetingRow>,
    can_manage: bool,
    can_edit: bool,
    can_meet: bool,
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

async fn project(st: &AppState, id: i64) -> Result<Project, AppError> {
    projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = project(&st, id).await?;
    let scope = Scope::of(&st, &ctx).await?;
    scope.project(id)?;
    let list = tasks::of_project(st.db.conn(), id).await?;
    let today = today();
    let m = ctx.m;
    let statuses = |now: TaskStatus| -> Vec<Choice> {
        TaskStatus::ALL
            .iter()
            .map(|s| Choice::new(s.code(), s.label(ctx.locale), *s == now))
            .collect()
    };
    let me = ctx.user()?.id;
    let ids: Vec<i64> = list.iter().map(|t| t.id).collect();
    let who = tasks::assignees(st.db.conn(), &ids).await?;
    let mut names: std::collections::HashMap<i64, String> = Default::default();
    for id in who.values().flatten() {
        if !names.contains_key(id)
            && let Some(u) = maillage_db::users::find(st.db.conn(), *id).await?
        {
            names.insert(*id, u.name);
        }
    }
    let rows: Vec<Row> = list
        .iter()
        .map(|t| Row {
            assignees: who
                .get(&t.id)
                .map(|v| {
                    v.iter()
                        .filter_map(|u| names.get(u).cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            mine: who.get(&t.id).is_some_and(|v| v.contains(&me)),
            editable: scope.all || who.get(&t.id).is_some_and(|v| v.contains(&me)),
            id: t.id,
            title: t.title.clone(),
            due: t
                .due_on
                .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
            offset: t.due_on.map_or_else(String::new, |d| {
                Offset((d - p.data.starts_on).num_days() as i32).label(ctx.locale)
            }),
            status: t.status.label(ctx.locale),
            statuses: statuses(t.status),
            late: t.is_late(today),
        })
        .collect();
    let marks: Vec<Mark<'_>> = list
        .iter()
        .filter_map(|t| {
            Some(Mark {
                title: &t.title,
                due: t.due_on?,
                late: t.is_late(today),
                done: !t.status.is_open(),
            })
        })
        .collect();
    let title = format!("{} — {}", m.pl_title, p.data.name);
    let svg = (!marks.is_empty()).then(|| {
        timeline::svg(
            &marks,
            p.data.starts_on,
            p.data.ends_on,
            today,
            &Words {
                title: &title,
                desc: m.pl_chart_desc,
                today: m.pl_today,
                project: &p.data.name,
            },
        )
    });
    let all = templates::list(st.db.conn()).await?;
    let templates = all
        .iter()
        .map(|t| {
            Choice::new(
                t.id.to_string(),
                t.name.clone(),
                t.project_kind == Some(p.data.kind),
            )
        })
        .collect();
    let meetings = meetings::list(
        st.db.conn(),
        &meetings::Filter {
            project: Some(id),
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .filter(|m| scope.sees_meeting(m))
    .map(|m| MeetingRow {
        id: m.id,
        when: crate::time::datetime(ctx.locale, m.data.starts_at),
        title: m.data.title,
    })
    .collect();
    html(PlanPage {
        l: ctx.layout(title),
        meetings,
        can_meet: ctx.can(Action::ManageMeetings),
        late: rows.iter().filter(|r| r.late).count(),
        rows,
        svg,
        templates,
        can_manage: ctx.can(Action::ManagePlanning),
        can_edit: ctx.can(Action::EditTasks),
        p,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApplyForm {
    template: String,
}

/// Applies a template: the project's plan gains the tasks it has not yet.
pub async fn apply(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<ApplyForm>,
) -> Result<Response, AppError> {
    let p = project(&st, id).await?;
    let template = match f.template.trim().parse::<i64>() {
        Ok(t) => templates::find(st.db.conn(), t).await?,
        Err(_) => None,
    }
    .ok_or(AppError::NotFound)?;
    write(&st, &ctx, async |tx, now| {
        tasks::apply_template(tx, &p, &template, now).await
    })
    .await?;
    Ok(saved(&st, &format!("/team/projects/{id}/plan")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// Sets a task's status, then back to its project's plan.
pub async fn set_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<StatusForm>,
) -> Result<Response, AppError> {
    let status = TaskStatus::from_code(&f.status).ok_or(AppError::NotFound)?;
    let Some(task) = tasks::find(st.db.conn(), id).await? else {
        return Err(AppError::NotFound);
    };
    if !Scope::of(&st, &ctx).await?.edits(&st, &task).await? {
        return Err(AppError::NotFound);
    }
    write(&st, &ctx, async |tx, now| {
        tasks::set_status(tx, id, status, now).await
    })
    .await?;
    let back = match task.project_id {
        Some(p) => format!("/team/projects/{p}/plan#task-{id}"),
        None => "/team/tasks".to_owned(),
    };
    Ok(saved(&st, &back))
}
