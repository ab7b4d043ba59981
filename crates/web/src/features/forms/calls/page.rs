//! The public page of a call, `/appel/{slug}`: its title, its project,
//! what it asks (the texts of its form), when it opened and when it closes
//! (Europe/Paris); once the closing date-time has passed, it says the call
//! is closed.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::i18n::fill;
use crate::shared::html;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_db::forms;
use maillage_db::forms::calls::{self, Window};
use maillage_db::programme::projects;
use maillage_domain::forms::Item;

#[derive(Template)]
#[template(path = "forms/calls/page.html")]
struct CallPage {
    l: Layout,
    kind: &'static str,
    project: Option<String>,
    texts: Vec<String>,
    questions: Vec<String>,
    window: String,
    /// How long applications not retained are kept.
    retention: String,
    /// Open now.
    open: bool,
    slug: String,
}

/// `GET /appel/{slug}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let call = calls::find_by_slug(c, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = forms::find(c, call.data.form_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let project = projects::find(c, call.data.project_id)
        .await?
        .map(|p| p.data.name);
    let l = ctx.locale;
    let m = ctx.m;
    let opens = time::datetime(l, call.data.opens_at);
    let closes = time::datetime(l, call.data.closes_at);
    let now = maillage_db::now();
    let window = match call.window(now) {
        Ok(()) => fill(m.fm_call_open, &[("closes", &closes)]),
        Err(Window::NotYetOpen(_)) => fill(m.fm_call_not_yet, &[("opens", &opens)]),
        Err(Window::Closed(_)) => fill(m.fm_call_closed, &[("closes", &closes)]),
    };
    let schema = &form.version.schema;
    html(CallPage {
        l: ctx.layout(call.data.title.clone()),
        kind: call.data.kind.label(l),
        project,
        texts: schema
            .items
            .iter()
            .filter_map(|i| match i {
                Item::HelpText { text } => Some(text.clone()),
                _ => None,
            })
            .collect(),
        questions: schema.fields().map(|f| f.label.clone()).collect(),
        window,
        retention: fill(
            m.sb_retention,
            &[("months", &call.data.retention_months.to_string())],
        ),
        open: call.is_open(now),
        slug: call.data.slug.clone(),
    })
}
