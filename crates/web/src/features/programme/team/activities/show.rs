//! The page of an activity: its facts, its sessions with their conflict
//! warnings, the forms to add one or a series, reconduction, deletion.

use super::super::planning::{Conflict, conflicts};
use super::super::project_of;
use super::super::sessions::{SeriesForm, SeriesPreview, SessionForm};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::programme::public::{audience_labels, place, when};
use crate::forms::{Choice, FormErrors};
use crate::markdown::to_html;
use crate::shared::records::Shown;
use crate::shared::{html_status, vocab_choices};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::sessions as db_sessions;
use maillage_domain::Action;
use maillage_domain::programme::SessionStatus;
use serde::Deserialize;

/// One session on the activity page.
pub struct SessionRow {
    pub id: i64,
    pub when: String,
    pub capacity: String,
    pub status: &'static str,
    pub statuses: Vec<Choice>,
    pub conflicts: Vec<Conflict>,
    pub added: bool,
    /// Its own venue's id ("" at the activity's), and where it takes place.
    pub venue: String,
    pub place: String,
}

/// What the activity page shows besides the activity: the forms' values
/// and errors, a series preview, messages.
#[derive(Default)]
pub struct Extra {
    pub session: SessionForm,
    pub session_errors: FormErrors,
    pub series: SeriesForm,
    pub series_errors: FormErrors,
    pub preview: Option<SeriesPreview>,
    pub copy_error: Option<String>,
    pub delete_error: Option<String>,
    pub row_error: Option<String>,
    pub added: Option<i64>,
}

#[derive(Template)]
#[template(path = "programme/team/activity.html")]
struct ShowPage {
    l: Layout,
    /// The summary, unless the description opens with it.
    lead: Option<String>,
    a: Activity,
    project: Project,
    public_url: Option<String>,
    planning_url: Option<String>,
    format: &'static str,
    status: &'static str,
    audiences: Vec<&'static str>,
    themes: Vec<&'static str>,
    place: String,
    space: String,
    parent: Option<(i64, String)>,
    registration: &'static str,
    description: String,
    rows: Vec<SessionRow>,
    added_conflicts: Vec<Conflict>,
    any_conflict: bool,
    session_statuses: Vec<Choice>,
    /// The venues a session may take place at (the activity's first,
    /// as the empty choice), for the add and series forms and each row.
    venues: Vec<Choice>,
    series_venues: Vec<Choice>,
    targets: Vec<Choice>,
    x: Extra,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    pub added: Option<String>,
}

/// The conflicts of every session of `a`: sessions of the same space that
/// overlap it (cancelled ones left out).
pub async fn session_conflicts(
    st: &AppState,
    ctx: &Ctx,
    a: &Activity,
) -> Result<std::collections::BTreeMap<i64, Vec<Conflict>>, AppError> {
    let (Some(venue), Some(_)) = (a.data.venue_id, a.data.space_id) else {
        return Ok(Default::default());
    };
    let (Some(from), Some(to)) = (
        a.sessions.iter().map(|s| s.data.starts_at).min(),
        a.sessions.iter().map(|s| s.data.ends_at).max(),
    ) else {
        return Ok(Default::default());
    };
    let list = db_sessions::at_venue(st.db.conn(), venue, from, to).await?;
    let mut all = conflicts(ctx, &list);
    let own: Vec<i64> = a.sessions.iter().map(|s| s.id).collect();
    all.retain(|k, _| own.contains(k));
    Ok(all)
}

/// The page of activity `id`, with the forms and messages of `x`.
pub async fn page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    x: Extra,
    code: StatusCode,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let project = project_of(st, &a).await?;
    let mut conflicts = session_conflicts(st, ctx, &a).await?;
    let rows: Vec<SessionRow> = a
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id,
            when: when(ctx.locale, s.data.starts_at, s.data.ends_at),
            capacity: s.data.capacity.map(|c| c.to_string()).unwrap_or_default(),
            status: s.data.status.label(ctx.locale),
            statuses: vocab_choices(
                SessionStatus::ALL,
                SessionStatus::code,
                |v| v.label(ctx.locale),
                &[s.data.status],
            ),
            conflicts: conflicts.remove(&s.id).unwrap_or_default(),
            added: x.added == Some(s.id),
            venue: s
                .data
                .venue_id
                .filter(|v| Some(*v) != a.data.venue_id)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            place: a
                .venue_of(s)
                .map(|v| crate::shared::places::venue_label(&v.data))
                .unwrap_or_default(),
        })
        .collect();
    let all_venues = maillage_db::venues::list_all_matching(
        st.db.conn(),
        &maillage_db::venues::Filter::default(),
    )
    .await?;
    let venue_choices = |selected: &str| -> Vec<Choice> {
        all_venues
            .iter()
            .filter(|v| Some(v.id) != a.data.venue_id)
            .map(|v| {
                let id = v.id.to_string();
                let sel = id == selected;
                Choice::new(id, crate::shared::places::venue_label(&v.data), sel)
            })
            .collect()
    };
    let venues = venue_choices(x.session.venue.trim());
    let series_venues = venue_choices(x.series.venue.trim());
    let added_conflicts = rows
        .iter()
        .find(|r| r.added)
        .map(|r| r.conflicts.clone())
        .unwrap_or_default();
    let any_conflict = rows.iter().any(|r| !r.conflicts.is_empty());
    let parent = match a.data.parent_id {
        Some(pid) => activities::find(st.db.conn(), pid)
            .await?
            .map(|p| (p.id, p.data.title)),
        None => None,
    };
    // Reconduction: into another project, the next edition of the same kind first.
    let all_projects = projects::list(st.db.conn(), false).await?;
    let next = all_projects
        .iter()
        .filter(|p| p.id != project.id && p.data.kind == project.data.kind)
        .filter(|p| p.data.starts_on > project.data.starts_on)
        .min_by_key(|p| p.data.starts_on)
        .map(|p| p.id);
    // Copy: into this project too (the same stand in another village).
    let targets = all_projects
        .iter()
        .map(|p| {
            let label = if p.id == project.id {
                format!("{} ({})", p.data.name, ctx.m.pt_copy_same)
            } else {
                p.data.name.clone()
            };
            Choice::new(p.id.to_string(), label, Some(p.id) == next)
        })
        .collect();
    let public_url =
        (a.status.is_public()).then(|| format!("/p/{}/a/{}", project.data.slug, a.data.slug));
    let planning_url = a.data.venue_id.map(|v| {
        let mut u = format!("/team/programme/venues/{v}/planning");
        if let Some(s) = a.sessions.first() {
            u.push_str(&format!(
                "?date={}",
                s.data
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .date_naive()
            ));
        }
        if let Some(sp) = a.data.space_id {
            u.push_str(if u.contains('?') { "&" } else { "?" });
            u.push_str(&format!("space={sp}"));
        }
        u
    });
    html_status(
        code,
        ShowPage {
            l: ctx.layout(a.data.title.clone()),
            lead: crate::shared::programme::lead(&a),
            public_url,
            planning_url,
            format: a.format.label(ctx.locale),
            status: a.status.label(ctx.locale),
            audiences: audience_labels(ctx.locale, &a),
            themes: a.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
            place: place(&a),
            space: a
                .venue
                .as_ref()
                .and_then(|v| v.space.clone())
                .unwrap_or_default(),
            parent,
            registration: a.registration.label(ctx.locale),
            description: a
                .data
                .description
                .as_deref()
                .map_or_else(String::new, to_html),
            rows,
            added_conflicts,
            any_conflict,
            session_statuses: vocab_choices(
                SessionStatus::ALL,
                SessionStatus::code,
                |v| v.label(ctx.locale),
                &[SessionStatus::parse(&x.session.status).unwrap_or(SessionStatus::Scheduled)],
            ),
            venues,
            series_venues,
            targets,
            x,
            can_edit: ctx.can(Action::EditProgramme),
            can_manage: ctx.can(Action::ManageProgramme),
            project,
            a,
        },
    )
}

impl Shown for Activity {
    type Query = ShowQuery;

    /// `added`: the session just added, whose conflicts are shown first.
    async fn page(st: &AppState, ctx: &Ctx, id: i64, q: ShowQuery) -> Result<Response, AppError> {
        let x = Extra {
            added: q.added.and_then(|s| s.parse().ok()),
            ..Default::default()
        };
        page(st, ctx, id, x, StatusCode::OK).await
    }
}
