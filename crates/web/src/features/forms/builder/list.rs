//! The forms of the team (`/team/forms`), by purpose, each with what it is
//! attached to, its version and its number of answers.

use super::answers_count;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::attached;
use crate::shared::html;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_db::forms::{self, questionnaires};
use maillage_domain::forms::Purpose;
use std::collections::HashMap;

pub struct FormRow {
    pub id: i64,
    pub title: String,
    pub attached: String,
    pub version: i32,
    pub answers: u64,
}

pub struct PurposeGroup {
    pub label: &'static str,
    pub code: &'static str,
    pub rows: Vec<FormRow>,
}

#[derive(Template)]
#[template(path = "forms/builder/list.html")]
struct ListPage {
    l: Layout,
    groups: Vec<PurposeGroup>,
}

/// `GET /team/forms`: the forms by purpose, with their version and
/// number of answers.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let all = forms::list(c, None).await?;
    let responses: HashMap<i64, i64> = questionnaires::list(c)
        .await?
        .into_iter()
        .map(|q| (q.id, q.responses))
        .collect();
    let mut groups: Vec<PurposeGroup> = Purpose::ALL
        .iter()
        .map(|p| PurposeGroup {
            label: p.label(ctx.locale),
            code: p.code(),
            rows: Vec::new(),
        })
        .collect();
    for (id, d) in all {
        let Some(f) = forms::find(c, id).await? else {
            continue;
        };
        let answers = match responses.get(&id) {
            Some(n) => u64::try_from(*n).unwrap_or(0),
            None => answers_count(&st, &f).await?,
        };
        let row = FormRow {
            id,
            title: d.title.clone(),
            attached: attached(c, ctx.locale, &d, " — ").await?,
            version: f.version.number,
            answers,
        };
        if let Some(g) = groups.iter_mut().find(|g| g.code == d.purpose.code()) {
            g.rows.push(row);
        }
    }
    html(ListPage {
        l: ctx.layout(ctx.m.fb_title),
        groups,
    })
}
