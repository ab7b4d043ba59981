//! Figures: the team's list of projects (`/team/bookings`), every bookable
//! session of a project (`/team/projects/{id}/bookings`) and of a partner's
//! activities (`/partner/bookings`), each with its totals.

use super::{Side, partner_scope};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::i18n::fill;
use crate::shared::html;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_db::ConnectionTrait;
use maillage_db::bookings::{self, Counts};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects;
use maillage_domain::Action;
use maillage_domain::programme::{RegistrationMode, SessionStatus};

/// The figures of a session, or the sum of several: its capacity and the
/// counts of its bookings.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub capacity: i64,
    /// One of the sessions has no capacity.
    pub unlimited: bool,
    pub n: Counts,
}

impl Figures {
    pub(super) fn of(capacity: Option<i32>, n: &Counts) -> Figures {
        Figures {
            capacity: capacity.map_or(0, i64::from),
            unlimited: capacity.is_none(),
            n: *n,
        }
    }

    fn add(&mut self, o: &Figures) {
        self.capacity += o.capacity;
        self.unlimited |= o.unlimited;
        let (a, b) = (&mut self.n, &o.n);
        for (x, y) in [
            (&mut a.held, b.held),
            (&mut a.confirmed, b.confirmed),
            (&mut a.pending, b.pending),
            (&mut a.offered, b.offered),
            (&mut a.waitlisted, b.waitlisted),
            (&mut a.waitlisted_entries, b.waitlisted_entries),
            (&mut a.bookings, b.bookings),
            (&mut a.groups, b.groups),
            (&mut a.checked_in, b.checked_in),
            (&mut a.no_shows, b.no_shows),
            (&mut a.came_pupils, b.came_pupils),
            (&mut a.came_adults, b.came_adults),
            (&mut a.came_public, b.came_public),
            (&mut a.walk_ins, b.walk_ins),
        ] {
            *x += y;
        }
    }

    pub fn capacity_text(&self) -> String {
        if self.unlimited {
            "—".into()
        } else {
            self.capacity.to_string()
        }
    }

    /// Places held over the capacity, in percent.
    pub fn fill_rate(&self) -> String {
        if self.unlimited || self.capacity <= 0 {
            "—".into()
        } else {
            format!(
                "{} %",
                (self.n.held * 100 + self.capacity / 2) / self.capacity
            )
        }
    }
}

/// One session in an overview.
pub struct SessionRow {
    pub id: i64,
    pub when: String,
    pub mode: &'static str,
    /// The session's status when it is not the usual "scheduled".
    pub status: Option<&'static str>,
    pub f: Figures,
}

/// One activity in an overview, with its sessions and their totals.
pub struct ActivityBlock {
    pub id: i64,
    pub title: String,
    pub rows: Vec<SessionRow>,
    pub total: Figures,
}

pub(super) fn takes_bookings(mode: RegistrationMode) -> bool {
    matches!(mode, RegistrationMode::Booking | RegistrationMode::Groups)
}

/// The sessions of `list` that take bookings (or have some), with figures.
async fn blocks(
    c: &impl ConnectionTrait,
    ctx: &Ctx,
    list: &[Activity],
) -> Result<(Vec<ActivityBlock>, Figures), AppError> {
    let ids: Vec<i64> = list
        .iter()
        .flat_map(|a| a.sessions.iter().map(|s| s.id))
        .collect();
    let counts = bookings::counts_of(c, &ids).await?;
    let mut out = Vec::new();
    let mut total = Figures::default();
    for a in list {
        let mut block = ActivityBlock {
            id: a.id,
            title: a.data.title.clone(),
            rows: Vec::new(),
            total: Figures::default(),
        };
        for s in &a.sessions {
            let mode = s.mode.unwrap_or(a.registration);
            let n = counts.get(&s.id).copied().unwrap_or_default();
            if !takes_bookings(mode) && n == Counts::default() {
                continue;
            }
            let capacity = match s.data.capacity {
                Some(cap) => Some(cap),
                None => bookings::bookable(c, s.id).await?.and_then(|b| b.capacity),
            };
            let f = Figures::of(capacity, &n);
            block.total.add(&f);
            block.rows.push(SessionRow {
                id: s.id,
                when: time::datetime(ctx.locale, s.data.starts_at),
                mode: mode.label(ctx.locale),
                status: (s.data.status != SessionStatus::Scheduled)
                    .then_some(s.data.status.label(ctx.locale)),
                f,
            });
        }
        if !block.rows.is_empty() {
            total.add(&block.total);
            out.push(block);
        }
    }
    Ok((out, total))
}

#[derive(Template)]
#[template(path = "bookings/team/overview.html")]
struct OverviewPage {
    l: Layout,
    heading: String,
    back: Option<(String, String)>,
    base: &'static str,
    blocks: Vec<ActivityBlock>,
    total: Figures,
    team: bool,
    /// Where the project's whole list downloads (`…/csv`, `…/xlsx`).
    export: Option<String>,
    /// The page a session's line leads to: its bookings, or for who may
    /// only check people in (volunteers), its check-in page.
    session_page: &'static str,
}

/// `GET /team/projects/{id}/bookings`: every bookable session of a project.
pub async fn project(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let p = projects::find(c, id).await?.ok_or(AppError::NotFound)?;
    let list = activities::of_project(c, id).await?;
    let (blocks, total) = blocks(c, &ctx, &list).await?;
    let heading = fill(ctx.m.bt_overview_title, &[("name", &p.data.name)]);
    let reads = ctx.can(Action::ReadBookings);
    html(OverviewPage {
        l: ctx.layout(heading.clone()),
        heading,
        back: Some((
            format!("/team/programme/projects/{id}"),
            p.data.name.clone(),
        )),
        base: Side::Team.base(),
        blocks,
        total,
        team: reads,
        export: reads.then(|| format!("/team/projects/{id}/bookings/export")),
        session_page: if reads { "bookings" } else { "checkin" },
    })
}

/// `GET /partner/bookings`: the bookable sessions of the partner's activities.
pub async fn partner(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let list = match partner_scope(&ctx)? {
        Some(org) => activities::of_organisation(c, org).await?,
        None => {
            let mut all = Vec::new();
            for p in projects::list(c, false).await? {
                all.extend(activities::of_project(c, p.id).await?);
            }
            all
        }
    };
    let (blocks, total) = blocks(c, &ctx, &list).await?;
    html(OverviewPage {
        l: ctx.layout(ctx.m.bt_partner_title),
        heading: ctx.m.bt_partner_title.into(),
        back: Some(("/partner".into(), ctx.m.partner_title.into())),
        base: Side::Partner.base(),
        blocks,
        total,
        team: false,
        session_page: "bookings",
        export: None,
    })
}

pub struct ProjectLink {
    pub id: i64,
    pub name: String,
    pub dates: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "bookings/team/index.html")]
struct IndexPage {
    l: Layout,
    projects: Vec<ProjectLink>,
    can_person: bool,
}

/// `GET /team/bookings`: the projects, each with its bookings overview.
pub async fn index(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let projects = projects::list(st.db.conn(), false)
        .await?
        .iter()
        .map(|p| ProjectLink {
            id: p.id,
            name: p.data.name.clone(),
            dates: crate::shared::programme::project_dates(ctx.locale, p),
            status: p.data.status.label(ctx.locale),
        })
        .collect();
    html(IndexPage {
        l: ctx.layout(ctx.m.bt_title),
        projects,
        can_person: ctx.can(Action::ManageDirectory),
    })
}
