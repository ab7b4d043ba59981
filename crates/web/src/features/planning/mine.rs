//! `GET /team/tasks`: the open tasks assigned to the signed-in person, late
//! first, then this week's, then later ones; `POST /team/tasks/{id}/take`:
//! a task taken by the person who reads it.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::shared::html;
use crate::shared::records::{saved, write};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Days, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::planning::tasks;
use maillage_db::programme::projects;

pub struct Item {
    pub title: String,
    pub due: String,
    pub project: Option<(i64, String)>,
    pub task: i64,
}

#[derive(Template)]
#[template(path = "planning/mine.html")]
struct MinePage {
    l: Layout,
    /// Late, this week, later.
    groups: Vec<(&'static str, bool, Vec<Item>)>,
    empty: bool,
    /// Links the team's week (admins and staff).
    team_week: bool,
}

pub async fn show(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.user()?.id;
    let today = Utc::now().with_timezone(&Paris).date_naive();
    let week = today.checked_add_days(Days::new(7)).unwrap_or(today);
    let mut groups: Vec<(&'static str, bool, Vec<Item>)> = vec![
        (ctx.m.pl_mine_late, true, Vec::new()),
        (ctx.m.pl_mine_week, false, Vec::new()),
        (ctx.m.pl_mine_later, false, Vec::new()),
    ];
    let mut names: std::collections::HashMap<i64, String> = Default::default();
    for t in tasks::open_for(st.db.conn(), me).await? {
        let project = match t.project_id {
            Some(p) => {
                if !names.contains_key(&p)
                    && let Some(found) = projects::find(st.db.conn(), p).await?
                {
                    names.insert(p, found.data.name);
                }
                names.get(&p).map(|n| (p, n.clone()))
            }
            None => None,
        };
        let group = match t.due_on {
            _ if t.is_late(today) => 0,
            Some(d) if d <= week => 1,
            _ => 2,
        };
        groups[group].2.push(Item {
            due: t
                .due_on
                .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
            project,
            task: t.id,
            title: t.title,
        });
    }
    html(MinePage {
        l: ctx.layout(ctx.m.pl_mine),
        empty: groups.iter().all(|g| g.2.is_empty()),
        team_week: ctx.can(maillage_domain::Action::ReadTeamPlanning),
        groups,
    })
}

/// Assigns the task to the person who asks, then back to its plan.
pub async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = ctx.user()?.id;
    let t = tasks::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // A task of a project one works on (staff: any task).
    let scope = super::scope::Scope::of(&st, &ctx).await?;
    if !(scope.all || t.project_id.is_some_and(|p| scope.sees_project(p))) {
        return Err(AppError::NotFound);
    }
    write(&st, &ctx, async |tx, _| tasks::assign(tx, id, me).await).await?;
    let back = match t.project_id {
        Some(p) => format!("/team/projects/{p}/plan#task-{id}"),
        None => "/team/tasks".to_owned(),
    };
    Ok(saved(&st, &back))
}
