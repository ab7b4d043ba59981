//! `GET /team/meetings`: the meetings one sees (staff: all), coming ones
//! first in date order, then past ones latest first; filtered by project.

use super::super::scope::Scope;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::shared::html;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use maillage_db::planning::meetings::{self, Filter};
use maillage_db::programme::projects;
use maillage_domain::Action;
use serde::Deserialize;
use std::collections::HashMap;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub project: String,
    pub minutes_sent: bool,
}

#[derive(Template)]
#[template(path = "planning/meetings/list.html")]
struct ListPage {
    l: Layout,
    /// Coming, then past.
    sections: Vec<(&'static str, &'static str, Vec<Row>)>,
    projects: Vec<Choice>,
    can_create: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    project: String,
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scope = Scope::of(&st, &ctx).await?;
    let project = q.project.trim().parse::<i64>().ok();
    let all = meetings::list(
        st.db.conn(),
        &Filter {
            project,
            ..Default::default()
        },
    )
    .await?;
    let names: HashMap<i64, String> = projects::list(st.db.conn(), false)
        .await?
        .into_iter()
        .map(|p| (p.id, p.data.name))
        .collect();
    let now = Utc::now();
    let (mut coming, mut past) = (Vec::new(), Vec::new());
    for m in all.into_iter().filter(|m| scope.sees_meeting(m)) {
        let row = Row {
            id: m.id,
            when: crate::time::datetime(ctx.locale, m.data.starts_at),
            project: m
                .data
                .project_id
                .and_then(|p| names.get(&p).cloned())
                .unwrap_or_default(),
            minutes_sent: m.minutes_sent_at.is_some(),
            title: m.data.title,
        };
        if m.data.ends_at >= now {
            coming.push(row);
        } else {
            past.push(row);
        }
    }
    coming.reverse();
    let mut choices: Vec<Choice> = names
        .iter()
        .filter(|(id, _)| scope.sees_project(**id))
        .map(|(id, n)| Choice::new(id.to_string(), n.clone(), project == Some(*id)))
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    html(ListPage {
        l: ctx.layout(ctx.m.mt_title),
        sections: vec![
            (ctx.m.mt_coming, "coming", coming),
            (ctx.m.mt_past, "past", past),
        ],
        projects: choices,
        can_create: ctx.can(Action::ManageMeetings),
    })
}
