//! The staff side of bookings (and, through [`Side::Partner`], the partner
//! side): figures per project, a session's bookings with approval, refusal,
//! cancellation, moves and confirmation beyond capacity, attendee exports
//! (CSV, XLSX) and a printable sign-in sheet, the check-in page used at the
//! door, the booking rules of an activity, and a person's bookings (access
//! and erasure on request).
//!
//! Partners see the same pages for the sessions of activities their
//! organisation runs; any other session answers 404. They may check in and
//! export, not decide.

use super::{Place, notify, notify_offers, place, refusal_text};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::check;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::i18n::{Messages, field_error, fill};
use crate::mail::BookingMail;
use crate::shared::audit::record;
use crate::shared::dates::{LocalTimeError, gap_message, paris_instant, parse_date, parse_time};
use crate::shared::{html, html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::ConnectionTrait;
use maillage_db::audit;
use maillage_db::bookings::{self, Booking, Counts, Refusal, Settings};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects;
use maillage_db::programme::sessions;
use maillage_domain::booking::{BookingKind, BookingStatus, MAX_PARTY, persons};
use maillage_domain::programme::{RegistrationMode, SessionStatus};
use maillage_domain::{Action, Email, FieldError, Role};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// Which space a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Team,
    Partner,
}

impl Side {
    pub fn base(self) -> &'static str {
        match self {
            Side::Team => "/team",
            Side::Partner => "/partner",
        }
    }
}

/// The organisation whose activities a partner sees: `None` for an
/// administrator without organisation (who sees everything).
fn partner_scope(ctx: &Ctx) -> Result<Option<i64>, AppError> {
    let u = ctx.user()?;
    match u.organisation_id {
        Some(o) => Ok(Some(o)),
        None if u.role == Role::Admin => Ok(None),
        None => Err(AppError::NotFound),
    }
}

/// A session as `side` may see it, or 404.
async fn session_place(st: &AppState, ctx: &Ctx, side: Side, id: i64) -> Result<Place, AppError> {
    let p = place(st.db.conn(), id).await?.ok_or(AppError::NotFound)?;
    if side == Side::Partner
        && let Some(org) = partner_scope(ctx)?
        && !p.activity.organisers.iter().any(|(o, _)| *o == org)
    {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

/// A booking and its session as `side` may see them, or 404.
async fn booking_place(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
) -> Result<(Booking, Place), AppError> {
    let b = bookings::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = session_place(st, ctx, side, b.session_id).await?;
    Ok((b, p))
}

// ---------------------------------------------------------------------------
// Figures

/// The figures of a session, or the sum of several.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub capacity: i64,
    /// One of the sessions has no capacity.
    pub unlimited: bool,
    pub held: i64,
    pub confirmed: i64,
    pub pending: i64,
    pub offered: i64,
    pub waitlisted: i64,
    pub waitlisted_entries: i64,
    pub bookings: i64,
    pub checked_in: i64,
    pub pupils: i64,
    pub adults: i64,
    pub public: i64,
    pub no_shows: i64,
    pub walk_ins: i64,
}

impl Figures {
    fn of(capacity: Option<i32>, c: &Counts) -> Figures {
        Figures {
            capacity: capacity.map_or(0, i64::from),
            unlimited: capacity.is_none(),
            held: c.held,
            confirmed: c.confirmed,
            pending: c.pending,
            offered: c.offered,
            waitlisted: c.waitlisted,
            waitlisted_entries: c.waitlisted_entries,
            bookings: c.bookings,
            checked_in: c.checked_in,
            pupils: c.came_pupils,
            adults: c.came_adults,
            public: c.came_public,
            no_shows: c.no_shows,
            walk_ins: c.walk_ins,
        }
    }

    fn add(&mut self, o: &Figures) {
        self.capacity += o.capacity;
        self.unlimited |= o.unlimited;
        self.held += o.held;
        self.confirmed += o.confirmed;
        self.pending += o.pending;
        self.offered += o.offered;
        self.waitlisted += o.waitlisted;
        self.waitlisted_entries += o.waitlisted_entries;
        self.bookings += o.bookings;
        self.checked_in += o.checked_in;
        self.pupils += o.pupils;
        self.adults += o.adults;
        self.public += o.public;
        self.no_shows += o.no_shows;
        self.walk_ins += o.walk_ins;
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
                (self.held * 100 + self.capacity / 2) / self.capacity
            )
        }
    }

    pub fn came(&self) -> i64 {
        self.pupils + self.adults + self.public
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

fn takes_bookings(mode: RegistrationMode) -> bool {
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
}

/// `GET /team/projects/{id}/bookings`: every bookable session of a project.
pub async fn overview(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let p = projects::find(c, id).await?.ok_or(AppError::NotFound)?;
    let list = activities::of_project(c, id).await?;
    let (blocks, total) = blocks(c, &ctx, &list).await?;
    html(OverviewPage {
        l: ctx.layout(fill(ctx.m.bt_overview_title, &[("name", &p.data.name)])),
        heading: fill(ctx.m.bt_overview_title, &[("name", &p.data.name)]),
        back: Some((
            format!("/team/programme/projects/{id}"),
            p.data.name.clone(),
        )),
        base: Side::Team.base(),
        blocks,
        total,
        team: true,
        export: Some(format!("/team/projects/{id}/bookings/export")),
    })
}

/// `GET /partner/bookings`: the bookable sessions of the partner's activities.
pub async fn partner_overview(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
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

// ---------------------------------------------------------------------------
// A session's bookings

/// A booking as the lists show it.
pub struct BookingRow {
    pub id: i64,
    pub position: usize,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub kind: &'static str,
    pub group: bool,
    pub status: &'static str,
    pub status_code: &'static str,
    pub persons: i32,
    pub pupils: i32,
    pub adults: i32,
    pub school: String,
    pub level: String,
    pub needs: String,
    pub came: String,
    pub booked_at: String,
    pub offer_until: String,
    pub can_decide: bool,
    pub can_force: bool,
    pub active: bool,
    /// A class whose school was typed, not chosen from the directory.
    pub new_school: bool,
}

fn school_text(b: &Booking) -> String {
    match (&b.school_name, &b.school_commune) {
        (Some(n), Some(c)) if !c.is_empty() => format!("{n} ({c})"),
        (Some(n), _) => n.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => String::new(),
    }
}

/// "12 élèves, 2 adultes" / "absent" for a checked-in booking.
fn came_text(m: &Messages, b: &Booking) -> String {
    if b.checked_in_at.is_none() {
        return String::new();
    }
    if b.came() == Some(0) {
        return m.bt_no_show.into();
    }
    let mut parts = Vec::new();
    for (n, label) in [
        (b.came_pupils, m.bt_pupils),
        (b.came_adults, m.bt_adults),
        (b.came_public, m.bt_public),
    ] {
        if let Some(n) = n.filter(|n| *n > 0) {
            parts.push(format!("{n} {}", label.to_lowercase()));
        }
    }
    parts.join(", ")
}

fn booking_row(ctx: &Ctx, b: &Booking, position: usize) -> BookingRow {
    let name = if b.anonymised_at.is_some() {
        ctx.m.bt_anonymised.to_owned()
    } else {
        b.name.clone()
    };
    BookingRow {
        id: b.id,
        position,
        name,
        email: b.email.clone(),
        phone: b.phone.clone().unwrap_or_default(),
        kind: b.kind.label(ctx.locale),
        group: b.kind == BookingKind::Group,
        status: b.status.label(ctx.locale),
        status_code: b.status.code(),
        persons: b.seats,
        pupils: b.pupils,
        adults: b.adults,
        school: school_text(b),
        level: b
            .class_level
            .map(|l| l.label(ctx.locale).to_owned())
            .unwrap_or_default(),
        needs: b.needs.clone().unwrap_or_default(),
        came: came_text(ctx.m, b),
        booked_at: time::datetime(ctx.locale, b.created_at),
        offer_until: b
            .offer_expires_at
            .map(|t| time::datetime(ctx.locale, t))
            .unwrap_or_default(),
        can_decide: b.status == BookingStatus::Pending,
        can_force: matches!(
            b.status,
            BookingStatus::Waitlisted
                | BookingStatus::Offered
                | BookingStatus::Pending
                | BookingStatus::Unconfirmed
        ),
        active: b.status.is_active() && b.kind != BookingKind::WalkIn,
        new_school: b.kind == BookingKind::Group
            && b.organisation_id.is_none()
            && b.school_name.is_some(),
    }
}

/// The session's title line: "Voyage au planétarium — 11/10/2026 14:00".
fn session_title(ctx: &Ctx, p: &Place) -> String {
    format!(
        "{} — {}",
        p.activity.data.title,
        time::datetime(ctx.locale, p.session.data.starts_at)
    )
}

/// One list of the session page.
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub rows: Vec<BookingRow>,
    /// Show places in the queue.
    pub positions: bool,
}

#[derive(Template)]
#[template(path = "bookings/team/session.html")]
struct SessionPage {
    l: Layout,
    base: &'static str,
    sid: i64,
    title: String,
    project_id: i64,
    project: String,
    activity_id: i64,
    mode: &'static str,
    f: Figures,
    sections: Vec<Section>,
    walk_ins: Vec<BookingRow>,
    targets: Vec<Choice>,
    can_manage: bool,
    can_check_in: bool,
    team: bool,
    error: Option<String>,
}

/// Other sessions of the project that take bookings, for moves.
async fn move_targets(
    c: &impl ConnectionTrait,
    ctx: &Ctx,
    p: &Place,
) -> Result<Vec<Choice>, AppError> {
    let mut out = Vec::new();
    for a in activities::of_project(c, p.project.id).await? {
        for s in &a.sessions {
            if s.id == p.session.id || !takes_bookings(s.mode.unwrap_or(a.registration)) {
                continue;
            }
            out.push(Choice::new(
                s.id.to_string(),
                format!(
                    "{} — {}",
                    a.data.title,
                    time::datetime(ctx.locale, s.data.starts_at)
                ),
                false,
            ));
        }
    }
    Ok(out)
}

pub(crate) async fn session_page(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
    error: Option<String>,
    code: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let p = session_place(st, ctx, side, id).await?;
    let counts = bookings::counts(c, id).await?;
    let list = bookings::of_session(c, id).await?;
    let (mut holding, mut waiting, mut walk_ins, mut others) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for b in &list {
        if b.kind == BookingKind::WalkIn {
            walk_ins.push(booking_row(ctx, b, walk_ins.len() + 1));
        } else if b.status.holds_places() {
            holding.push(booking_row(ctx, b, holding.len() + 1));
        } else if b.status == BookingStatus::Waitlisted {
            waiting.push(booking_row(ctx, b, waiting.len() + 1));
        } else {
            others.push(booking_row(ctx, b, others.len() + 1));
        }
    }
    let team = side == Side::Team;
    let can_manage = team && ctx.can(Action::ManageBookings);
    let targets = if can_manage {
        move_targets(c, ctx, &p).await?
    } else {
        Vec::new()
    };
    let title = session_title(ctx, &p);
    html_status(
        code,
        SessionPage {
            l: ctx.layout(title.clone()),
            base: side.base(),
            sid: id,
            title,
            project_id: p.project.id,
            project: p.project.data.name.clone(),
            activity_id: p.activity.id,
            mode: p.rules.mode.label(ctx.locale),
            f: Figures::of(p.rules.capacity, &counts),
            sections: vec![
                Section {
                    key: "holding",
                    title: ctx.m.bt_holding,
                    rows: holding,
                    positions: false,
                },
                Section {
                    key: "waiting",
                    title: ctx.m.bt_waiting_list,
                    rows: waiting,
                    positions: true,
                },
                Section {
                    key: "others",
                    title: ctx.m.bt_others,
                    rows: others,
                    positions: false,
                },
            ],
            walk_ins,
            targets,
            can_manage,
            can_check_in: if team {
                ctx.can(Action::CheckIn)
            } else {
                ctx.can(Action::PartnerBookings)
            },
            team,
            error,
        },
    )
}

/// `GET /team/sessions/{id}/bookings`.
pub async fn session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    session_page(&st, &ctx, Side::Team, id, None, StatusCode::OK).await
}

/// Back to a session's list after an action.
fn back_to_session(st: &AppState, side: Side, session: i64, booking: i64) -> Response {
    redirect_flash(
        st,
        &format!("{}/sessions/{session}/bookings#b-{booking}", side.base()),
        Flash::Saved,
    )
}

fn summary(b: &Booking, p: &Place) -> String {
    format!("#{} {} — {}", b.id, b.name, p.activity.data.title)
}

/// The session page again, with why the action was refused.
async fn refused(st: &AppState, ctx: &Ctx, session: i64, r: Refusal) -> Result<Response, AppError> {
    session_page(
        st,
        ctx,
        Side::Team,
        session,
        Some(refusal_text(ctx.m, ctx.locale, r)),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// What a staff action on a booking changed, to finish it the same way:
/// e-mail the booker, e-mail those offered freed places, record the audit
/// entry, commit, and go back to the session's bookings.
struct Change<'a> {
    action: &'static str,
    before: &'a Booking,
    place: &'a Place,
    mail: BookingMail,
    offered: Vec<Booking>,
}

async fn finish(
    st: &AppState,
    ctx: &Ctx,
    tx: maillage_db::WriteTx,
    c: Change<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Response, AppError> {
    let b = c.before;
    let after = bookings::find(&tx, b.id)
        .await?
        .unwrap_or_else(|| b.clone());
    notify(&tx, st, c.mail, &after).await?;
    notify_offers(&tx, st, &c.offered).await?;
    let mut changes = json!({"session": b.session_id,
        "status": {"from": b.status.code(), "to": after.status.code()}});
    if !c.offered.is_empty() {
        changes["offered"] = json!(c.offered.iter().map(|o| o.id).collect::<Vec<_>>());
    }
    record(
        &tx,
        ctx,
        (c.action, "booking", b.id),
        summary(b, c.place),
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(back_to_session(st, Side::Team, b.session_id, b.id))
}

/// `POST /team/bookings/{id}/approve`: a class awaiting approval is confirmed.
pub async fn approve(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let Some(offered) = bookings::decide(&tx, &b, true, now).await? else {
        drop(tx);
        return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await;
    };
    let change = Change {
        action: "approve",
        before: &b,
        place: &p,
        mail: BookingMail::Approved,
        offered,
    };
    finish(&st, &ctx, tx, change, now).await
}

/// `POST /team/bookings/{id}/refuse`: the class's places go to the waiting list.
pub async fn refuse(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let Some(offered) = bookings::decide(&tx, &b, false, now).await? else {
        drop(tx);
        return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await;
    };
    let change = Change {
        action: "refuse",
        before: &b,
        place: &p,
        mail: BookingMail::Refused,
        offered,
    };
    finish(&st, &ctx, tx, change, now).await
}

/// `POST /team/bookings/{id}/cancel`.
pub async fn cancel(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    if b.kind == BookingKind::WalkIn {
        return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let Some(offered) = bookings::cancel(&tx, &b, now).await? else {
        drop(tx);
        return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await;
    };
    let change = Change {
        action: "cancel",
        before: &b,
        place: &p,
        mail: BookingMail::Cancelled,
        offered,
    };
    finish(&st, &ctx, tx, change, now).await
}

/// `POST /team/bookings/{id}/force`: confirmed even beyond the capacity.
pub async fn force(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if !bookings::force_confirm(&tx, &b, now).await? {
        drop(tx);
        return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await;
    }
    let change = Change {
        action: "force_confirm",
        before: &b,
        place: &p,
        mail: BookingMail::Approved,
        offered: Vec::new(),
    };
    finish(&st, &ctx, tx, change, now).await
}

/// `POST /team/bookings/{id}/school`: the school a teacher typed joins the
/// directory (or, when the directory has a school of that name, the booking
/// is linked to it); every class booked under that name is linked.
pub async fn add_school(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use maillage_db::organisations::{self, OrganisationData};
    use maillage_domain::directory::OrgKind;
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    let name = match &b.school_name {
        Some(n) if b.kind == BookingKind::Group && b.organisation_id.is_none() => n.clone(),
        _ => return refused(&st, &ctx, b.session_id, Refusal::WrongStatus).await,
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let mut school = None;
    for (oid, _) in organisations::find_by_folded_name(&tx, &name).await? {
        if organisations::find(&tx, oid)
            .await?
            .is_some_and(|o| o.kind == OrgKind::School)
        {
            school = Some(oid);
            break;
        }
    }
    let (org, action) = match school {
        Some(oid) => (oid, "link_school"),
        None => {
            let commune = b
                .school_commune
                .as_deref()
                .and_then(|c| maillage_directory::commune::resolve(c, None).ok())
                .map(|c| c.insee.to_owned());
            let data = OrganisationData {
                name: name.clone(),
                kind: Some(OrgKind::School),
                commune_insee: commune,
                ..Default::default()
            };
            (
                organisations::insert(&tx, &data, now).await?.id,
                "create_from_booking",
            )
        }
    };
    let linked = bookings::link_school(&tx, &name, org, now).await?;
    record(
        &tx,
        &ctx,
        (action, "organisation", org),
        format!("{name} — {}", summary(&b, &p)),
        json!({"booking": id, "bookings_linked": linked}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back_to_session(&st, Side::Team, b.session_id, id))
}

/// `POST /team/bookings/{id}/move` with `target` (a session of the same
/// project) and `force` (even without room).
pub async fn move_booking(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(&st, &ctx, Side::Team, id).await?;
    let target = form.get("target").trim().parse::<i64>().ok();
    let target_rules = match target {
        Some(t) if t != b.session_id => bookings::bookable(st.db.conn(), t).await?,
        _ => None,
    };
    let Some(rules) = target_rules.filter(|r| r.project_id == p.project.id) else {
        return session_page(
            &st,
            &ctx,
            Side::Team,
            b.session_id,
            Some(ctx.m.bt_move_choose.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let force = form.checked("force");
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let offered = match bookings::move_to(&tx, &b, rules.session_id, force, now).await? {
        Ok(o) => o,
        Err(r) => {
            drop(tx);
            let text = match r {
                Refusal::NotEnoughPlaces { available } => fill(
                    ctx.m.bt_move_no_room,
                    &[("n", &available.max(0).to_string())],
                ),
                r => refusal_text(ctx.m, ctx.locale, r),
            };
            return session_page(
                &st,
                &ctx,
                Side::Team,
                b.session_id,
                Some(text),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let after = bookings::find(&tx, id).await?.unwrap_or_else(|| b.clone());
    notify(&tx, &st, BookingMail::Moved, &after).await?;
    notify_offers(&tx, &st, &offered).await?;
    record(
        &tx,
        &ctx,
        ("move", "booking", id),
        summary(&b, &p),
        json!({"session": {"from": b.session_id, "to": rules.session_id}, "force": force,
               "status": {"from": b.status.code(), "to": after.status.code()},
               "offered": offered.iter().map(|o| o.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(back_to_session(&st, Side::Team, b.session_id, id))
}

// ---------------------------------------------------------------------------
// Exports and sign-in sheet

fn yes_no(m: &Messages, v: bool) -> String {
    if v { m.yes } else { m.no }.to_owned()
}

fn opt(n: Option<i32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The attendee list of a session as a table.
fn attendee_table(ctx: &Ctx, list: &[Booking]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let m = ctx.m;
    let headers = vec![
        m.bt_col_id,
        m.bt_col_name,
        m.bt_col_email,
        m.bt_col_phone,
        m.bt_col_kind,
        m.bt_col_status,
        m.bt_col_persons,
        m.bt_pupils,
        m.bt_adults,
        m.bt_col_school,
        m.bt_col_commune,
        m.bt_col_level,
        m.bt_col_needs,
        m.bt_col_booked_at,
        m.bt_col_checked_in,
        m.bt_col_came_pupils,
        m.bt_col_came_adults,
        m.bt_col_came_public,
    ];
    let rows = list
        .iter()
        .map(|b| {
            vec![
                b.id.to_string(),
                b.name.clone(),
                b.email.clone(),
                b.phone.clone().unwrap_or_default(),
                b.kind.label(ctx.locale).to_owned(),
                b.status.label(ctx.locale).to_owned(),
                b.seats.to_string(),
                b.pupils.to_string(),
                b.adults.to_string(),
                b.school_name.clone().unwrap_or_default(),
                b.school_commune.clone().unwrap_or_default(),
                b.class_level
                    .map(|l| l.label(ctx.locale).to_owned())
                    .unwrap_or_default(),
                b.needs.clone().unwrap_or_default(),
                time::datetime(ctx.locale, b.created_at),
                yes_no(m, b.checked_in_at.is_some()),
                opt(b.came_pupils),
                opt(b.came_adults),
                opt(b.came_public),
            ]
        })
        .collect();
    (headers, rows)
}

pub(crate) async fn export_page(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
    format: &str,
) -> Result<Response, AppError> {
    if format != "csv" && format != "xlsx" {
        return Err(AppError::NotFound);
    }
    let p = session_place(st, ctx, side, id).await?;
    let list = bookings::of_session(st.db.conn(), id).await?;
    let (headers, rows) = attendee_table(ctx, &list);
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        ctx,
        ("export_bookings", "session", id),
        session_title(ctx, &p),
        json!({"format": format, "rows": rows.len()}),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::shared::download::export_table(format, &format!("reservations-{id}"), &headers, &rows)
}

/// `GET /team/projects/{id}/bookings/export/{format}` (csv or xlsx): every
/// booking of the project, one row each, with its activity and session first.
pub async fn project_export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    if format != "csv" && format != "xlsx" {
        return Err(AppError::NotFound);
    }
    let c = st.db.conn();
    let p = projects::find(c, id).await?.ok_or(AppError::NotFound)?;
    let list = activities::of_project(c, id).await?;
    let ids: Vec<i64> = list
        .iter()
        .flat_map(|a| a.sessions.iter().map(|s| s.id))
        .collect();
    let mut by_session = bookings::of_sessions(c, &ids).await?;
    let mut headers = vec![ctx.m.bt_col_activity, ctx.m.bt_col_session];
    let mut rows = Vec::new();
    for a in &list {
        for s in &a.sessions {
            let Some(found) = by_session.remove(&s.id) else {
                continue;
            };
            let when = time::datetime(ctx.locale, s.data.starts_at);
            let (h, table) = attendee_table(&ctx, &found);
            if headers.len() == 2 {
                headers.extend(h);
            }
            rows.extend(table.into_iter().map(|r| {
                let mut row = vec![a.data.title.clone(), when.clone()];
                row.extend(r);
                row
            }));
        }
    }
    if headers.len() == 2 {
        headers.extend(attendee_table(&ctx, &[]).0);
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        &ctx,
        ("export_bookings", "project", id),
        p.data.name.clone(),
        json!({"format": format, "rows": rows.len()}),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::shared::download::export_table(
        &format,
        &format!("reservations-{}", p.data.slug),
        &headers,
        &rows,
    )
}

/// `GET /team/sessions/{id}/bookings/export/{format}` (csv or xlsx).
pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    export_page(&st, &ctx, Side::Team, id, &format).await
}

pub struct SheetRow {
    pub name: String,
    pub detail: String,
    pub booked: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "bookings/team/sheet.html")]
struct SheetPage {
    l: Layout,
    base: &'static str,
    sid: i64,
    title: String,
    venue: String,
    rows: Vec<SheetRow>,
    blanks: Vec<usize>,
}

fn booked_text(m: &Messages, b: &Booking) -> String {
    if b.kind == BookingKind::Group {
        format!(
            "{} {} + {} {}",
            b.pupils,
            m.bt_pupils.to_lowercase(),
            b.adults,
            m.bt_adults.to_lowercase()
        )
    } else {
        format!("{} {}", b.seats, m.bt_persons.to_lowercase())
    }
}

pub(crate) async fn sheet_page(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
) -> Result<Response, AppError> {
    let p = session_place(st, ctx, side, id).await?;
    let mut list: Vec<Booking> = bookings::of_session(st.db.conn(), id)
        .await?
        .into_iter()
        .filter(|b| b.status == BookingStatus::Confirmed && b.kind != BookingKind::WalkIn)
        .collect();
    list.sort_by_key(|b| b.name.to_lowercase());
    let rows = list
        .iter()
        .map(|b| SheetRow {
            name: b.name.clone(),
            detail: [
                school_text(b),
                b.class_level
                    .map(|l| l.label(ctx.locale).to_owned())
                    .unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
            booked: booked_text(ctx.m, b),
            phone: b.phone.clone().unwrap_or_default(),
        })
        .collect();
    let title = session_title(ctx, &p);
    html(SheetPage {
        l: ctx.layout(title.clone()),
        base: side.base(),
        sid: id,
        title,
        venue: p.venue_text().unwrap_or_default(),
        rows,
        blanks: (1..=10).collect(),
    })
}

/// `GET /team/sessions/{id}/bookings/sheet`: the printable sign-in sheet.
pub async fn sheet(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    sheet_page(&st, &ctx, Side::Team, id).await
}

// ---------------------------------------------------------------------------
// Check-in

pub struct CheckinRow {
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub booked: String,
    pub group: bool,
    pub pupils: i32,
    pub adults: i32,
    pub public: i32,
    pub checked: bool,
    pub came: String,
}

/// A walk-in recorded at the door (it can be removed if recorded by mistake).
pub struct WalkInRow {
    pub id: i64,
    pub came: String,
}

#[derive(Template)]
#[template(path = "bookings/team/checkin.html")]
struct CheckinPage {
    walk_ins: Vec<WalkInRow>,
    l: Layout,
    base: &'static str,
    sid: i64,
    title: String,
    f: Figures,
    todo: usize,
    rows: Vec<CheckinRow>,
    walk_in: WalkInValues,
    error: Option<String>,
}

#[derive(Default)]
pub struct WalkInValues {
    pub pupils: String,
    pub adults: String,
    pub public: String,
}

pub(crate) async fn checkin_page(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
    (walk_in, error): (WalkInValues, Option<String>),
    code: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let p = session_place(st, ctx, side, id).await?;
    let counts = bookings::counts(c, id).await?;
    let all = bookings::of_session(c, id).await?;
    let walk_ins: Vec<WalkInRow> = all
        .iter()
        .filter(|b| b.kind == BookingKind::WalkIn)
        .map(|b| WalkInRow {
            id: b.id,
            came: came_text(ctx.m, b),
        })
        .collect();
    let mut list: Vec<Booking> = all
        .into_iter()
        .filter(|b| b.status == BookingStatus::Confirmed && b.kind != BookingKind::WalkIn)
        .collect();
    list.sort_by_key(|b| (b.checked_in_at.is_some(), b.name.to_lowercase()));
    let rows: Vec<CheckinRow> = list
        .iter()
        .map(|b| {
            let group = b.kind == BookingKind::Group;
            let (pupils, adults, public) = if b.checked_in_at.is_some() {
                (
                    b.came_pupils.unwrap_or(0),
                    b.came_adults.unwrap_or(0),
                    b.came_public.unwrap_or(0),
                )
            } else if group {
                (b.pupils, b.adults, 0)
            } else {
                (0, 0, b.seats)
            };
            CheckinRow {
                id: b.id,
                name: b.name.clone(),
                detail: school_text(b),
                booked: booked_text(ctx.m, b),
                group,
                pupils,
                adults,
                public,
                checked: b.checked_in_at.is_some(),
                came: came_text(ctx.m, b),
            }
        })
        .collect();
    let title = session_title(ctx, &p);
    html_status(
        code,
        CheckinPage {
            l: ctx.layout(title.clone()),
            base: side.base(),
            sid: id,
            title,
            f: Figures::of(p.rules.capacity, &counts),
            todo: rows.iter().filter(|r| !r.checked).count(),
            rows,
            walk_ins,
            walk_in,
            error,
        },
    )
}

/// `GET /team/sessions/{id}/checkin`.
pub async fn checkin(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    checkin_page(
        &st,
        &ctx,
        Side::Team,
        id,
        (WalkInValues::default(), None),
        StatusCode::OK,
    )
    .await
}

/// A count typed at the door: empty means none.
fn count(m: &Messages, label: &str, v: &str) -> Result<i32, String> {
    if v.trim().is_empty() {
        return Ok(0);
    }
    persons(v, 0, MAX_PARTY).map_err(|e| format!("{label} : {}", field_error(m, &e)))
}

pub(crate) async fn check_in_booking(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
    form: &Pairs,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(st, ctx, side, id).await?;
    if b.kind == BookingKind::WalkIn || b.status != BookingStatus::Confirmed {
        return checkin_page(
            st,
            ctx,
            side,
            b.session_id,
            (
                WalkInValues::default(),
                Some(refusal_text(ctx.m, ctx.locale, Refusal::WrongStatus)),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let m = ctx.m;
    let (pupils, adults, public) = if form.get("op") == "noshow" {
        (0, 0, 0)
    } else {
        let parsed = (
            count(m, m.bt_pupils, form.get("pupils")),
            count(m, m.bt_adults, form.get("adults")),
            count(m, m.bt_public, form.get("public")),
        );
        match parsed {
            (Ok(x), Ok(y), Ok(z)) => (x, y, z),
            (x, y, z) => {
                let msg = [x.err(), y.err(), z.err()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                return checkin_page(
                    st,
                    ctx,
                    side,
                    b.session_id,
                    (WalkInValues::default(), Some(format!("{} — {msg}", b.name))),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    bookings::check_in(&tx, id, pupils, adults, public, now).await?;
    record(
        &tx,
        ctx,
        ("check_in", "booking", id),
        summary(&b, &p),
        json!({"session": b.session_id, "pupils": pupils, "adults": adults, "public": public}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        st,
        &format!("{}/sessions/{}/checkin#b-{id}", side.base(), b.session_id),
        Flash::Saved,
    ))
}

/// `POST /team/bookings/{id}/checkin` with `pupils`, `adults`, `public` and
/// `op` (`came`, or `noshow` to record that nobody came).
pub async fn check_in(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    check_in_booking(&st, &ctx, Side::Team, id, &form).await
}

pub(crate) async fn undo_booking(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
) -> Result<Response, AppError> {
    let (b, p) = booking_place(st, ctx, side, id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if bookings::undo_check_in(&tx, id, now).await? {
        record(
            &tx,
            ctx,
            ("undo_check_in", "booking", id),
            summary(&b, &p),
            json!({"session": b.session_id, "was": {"pupils": b.came_pupils,
                   "adults": b.came_adults, "public": b.came_public}}),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        st,
        &format!("{}/sessions/{}/checkin#b-{id}", side.base(), b.session_id),
        Flash::Saved,
    ))
}

/// `POST /team/bookings/{id}/checkin/undo`.
pub async fn undo(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    undo_booking(&st, &ctx, Side::Team, id).await
}

pub(crate) async fn add_walk_in(
    st: &AppState,
    ctx: &Ctx,
    side: Side,
    id: i64,
    form: &Pairs,
) -> Result<Response, AppError> {
    let p = session_place(st, ctx, side, id).await?;
    let m = ctx.m;
    let values = WalkInValues {
        pupils: form.get("pupils").into(),
        adults: form.get("adults").into(),
        public: form.get("public").into(),
    };
    let parsed = (
        count(m, m.bt_pupils, &values.pupils),
        count(m, m.bt_adults, &values.adults),
        count(m, m.bt_public, &values.public),
    );
    let (pupils, adults, public) = match parsed {
        (Ok(x), Ok(y), Ok(z)) if x + y + z > 0 => (x, y, z),
        (Ok(_), Ok(_), Ok(_)) => {
            return checkin_page(
                st,
                ctx,
                side,
                id,
                (values, Some(m.bt_walk_in_empty.into())),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        (x, y, z) => {
            let msg = [x.err(), y.err(), z.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            return checkin_page(
                st,
                ctx,
                side,
                id,
                (values, Some(msg)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let w = bookings::walk_in(&tx, id, pupils, adults, public, now).await?;
    record(
        &tx,
        ctx,
        ("walk_in", "session", id),
        session_title(ctx, &p),
        json!({"booking": w.id, "pupils": pupils, "adults": adults, "public": public}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        st,
        &format!("{}/sessions/{id}/checkin#walk-in", side.base()),
        Flash::Saved,
    ))
}

/// `POST /team/sessions/{id}/walkin` with `pupils`, `adults` and `public`.
pub async fn walk_in(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    add_walk_in(&st, &ctx, Side::Team, id, &form).await
}

// ---------------------------------------------------------------------------
// Booking rules of an activity

/// The settings form as typed.
#[derive(Default, Clone)]
pub struct SettingsValues {
    pub max_seats: String,
    pub approval: bool,
    pub one_group: bool,
    pub opens_date: String,
    pub opens_time: String,
    pub closes_date: String,
    pub closes_time: String,
    pub waitlist: bool,
    pub offer_hours: String,
    pub confirm_email: bool,
    pub reminder_days: String,
}

fn local_parts(t: Option<DateTime<Utc>>) -> (String, String) {
    t.map(|t| {
        let l = t.with_timezone(&Paris);
        (
            l.format("%Y-%m-%d").to_string(),
            l.format("%H:%M").to_string(),
        )
    })
    .unwrap_or_default()
}

impl SettingsValues {
    fn from_settings(s: &Settings) -> SettingsValues {
        let (opens_date, opens_time) = local_parts(s.opens_at);
        let (closes_date, closes_time) = local_parts(s.closes_at);
        SettingsValues {
            max_seats: s.max_seats.to_string(),
            approval: s.approval,
            one_group: s.one_group,
            opens_date,
            opens_time,
            closes_date,
            closes_time,
            waitlist: s.waitlist,
            offer_hours: s.offer_hours.to_string(),
            confirm_email: s.confirm_email,
            reminder_days: s.reminder_days.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    fn from_pairs(p: &Pairs) -> SettingsValues {
        SettingsValues {
            max_seats: p.get("max_seats").into(),
            approval: p.checked("approval"),
            one_group: p.checked("one_group"),
            opens_date: p.get("opens_date").into(),
            opens_time: p.get("opens_time").into(),
            closes_date: p.get("closes_date").into(),
            closes_time: p.get("closes_time").into(),
            waitlist: p.checked("waitlist"),
            offer_hours: p.get("offer_hours").into(),
            confirm_email: p.checked("confirm_email"),
            reminder_days: p.get("reminder_days").into(),
        }
    }
}

/// A date and a time typed in Europe/Paris; nothing when both are empty.
fn local_instant(
    e: &mut FormErrors,
    m: &Messages,
    (date_field, date): (&str, &str),
    (time_field, time): (&str, &str),
) -> Option<Option<DateTime<Utc>>> {
    if date.trim().is_empty() && time.trim().is_empty() {
        return Some(None);
    }
    let d = check(e, m, date_field, parse_date(date));
    let t = check(e, m, time_field, parse_time(time));
    let (d, t) = (d?, t?);
    match paris_instant(d, t) {
        Ok(x) => Some(Some(x)),
        Err(LocalTimeError::Gap) => {
            e.add(time_field, gap_message(m, d, t));
            None
        }
    }
}

fn parse_settings(m: &Messages, v: &SettingsValues) -> Result<Settings, FormErrors> {
    let mut e = FormErrors::new();
    let max_seats = check(&mut e, m, "max_seats", persons(&v.max_seats, 1, MAX_PARTY));
    let offer_hours = check(&mut e, m, "offer_hours", persons(&v.offer_hours, 1, 720));
    let reminder_days = if v.reminder_days.trim().is_empty() {
        Some(None)
    } else {
        check(&mut e, m, "reminder_days", persons(&v.reminder_days, 1, 7)).map(Some)
    };
    let opens = local_instant(
        &mut e,
        m,
        ("opens_date", &v.opens_date),
        ("opens_time", &v.opens_time),
    );
    let closes = local_instant(
        &mut e,
        m,
        ("closes_date", &v.closes_date),
        ("closes_time", &v.closes_time),
    );
    if let (Some(Some(o)), Some(Some(c))) = (opens, closes)
        && c <= o
    {
        e.add("closes_date", field_error(m, &FieldError::EndBeforeStart));
    }
    match (max_seats, offer_hours, reminder_days, opens, closes) {
        (
            Some(max_seats),
            Some(offer_hours),
            Some(reminder_days),
            Some(opens_at),
            Some(closes_at),
        ) if e.is_empty() => Ok(Settings {
            max_seats,
            approval: v.approval,
            one_group: v.one_group,
            opens_at,
            closes_at,
            waitlist: v.waitlist,
            offer_hours,
            confirm_email: v.confirm_email,
            reminder_days,
        }),
        _ => Err(e),
    }
}

fn settings_json(s: &Settings) -> serde_json::Value {
    json!({"max_seats": s.max_seats, "approval": s.approval, "one_group": s.one_group,
           "opens_at": s.opens_at, "closes_at": s.closes_at, "waitlist": s.waitlist,
           "offer_hours": s.offer_hours, "confirm_email": s.confirm_email,
           "reminder_days": s.reminder_days})
}

/// A session's own mode in the settings form.
pub struct ModeRow {
    pub id: i64,
    pub when: String,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
}

const INHERIT: &str = "inherit";

fn mode_choices(m: &Messages, ctx: &Ctx, selected: &str) -> Vec<Choice> {
    std::iter::once(Choice::new(INHERIT, m.bt_mode_inherit, selected == INHERIT))
        .chain(
            RegistrationMode::ALL
                .iter()
                .map(|r| Choice::new(r.code(), r.label(ctx.locale), selected == r.code())),
        )
        .collect()
}

#[derive(Template)]
#[template(path = "bookings/team/settings.html")]
struct SettingsPage {
    l: Layout,
    a_id: i64,
    a_title: String,
    project_id: i64,
    project: String,
    activity_mode: &'static str,
    v: SettingsValues,
    modes: Vec<ModeRow>,
    errors: FormErrors,
    can_manage: bool,
}

async fn settings_page(
    st: &AppState,
    ctx: &Ctx,
    a: &Activity,
    (f, selected): (SettingsValues, BTreeMap<i64, String>),
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let project = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let modes = a
        .sessions
        .iter()
        .map(|s| {
            let sel = selected.get(&s.id).cloned().unwrap_or_else(|| {
                s.mode
                    .map_or_else(|| INHERIT.to_owned(), |m| m.code().to_owned())
            });
            ModeRow {
                id: s.id,
                when: time::datetime(ctx.locale, s.data.starts_at),
                choices: mode_choices(ctx.m, ctx, &sel),
                error: errors.get(&format!("mode-{}", s.id)).map(str::to_owned),
            }
        })
        .collect();
    html_status(
        code,
        SettingsPage {
            l: ctx.layout(fill(ctx.m.bt_settings_title, &[("title", &a.data.title)])),
            a_id: a.id,
            a_title: a.data.title.clone(),
            project_id: project.id,
            project: project.data.name.clone(),
            activity_mode: a.registration.label(ctx.locale),
            v: f,
            modes,
            errors,
            can_manage: ctx.can(Action::ManageBookings),
        },
    )
}

/// `GET /team/activities/{id}/bookings/settings`.
pub async fn settings_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = bookings::settings(st.db.conn(), id).await?;
    settings_page(
        &st,
        &ctx,
        &a,
        (SettingsValues::from_settings(&s), BTreeMap::new()),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/activities/{id}/bookings/settings`: the rules, and each
/// session's own mode (`mode-{session}`). Places that free up (a session
/// taking bookings again, a waiting list switched on…) are offered.
pub async fn save_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = SettingsValues::from_pairs(&form);
    let mut selected = BTreeMap::new();
    let mut mode_changes = Vec::new();
    let mut mode_errors = Vec::new();
    for s in &a.sessions {
        let field = format!("mode-{}", s.id);
        let v = form.get(&field).trim();
        if v.is_empty() {
            continue;
        }
        selected.insert(s.id, v.to_owned());
        let mode = if v == INHERIT {
            Ok(None)
        } else {
            RegistrationMode::parse(v).map(Some)
        };
        match mode {
            Ok(mode) if mode != s.mode => mode_changes.push((s.id, s.mode, mode)),
            Ok(_) => {}
            Err(e) => mode_errors.push((field, field_error(ctx.m, &e))),
        }
    }
    let parsed = parse_settings(ctx.m, &values);
    let settings = match parsed {
        Ok(s) if mode_errors.is_empty() => s,
        other => {
            let mut errors = other.err().unwrap_or_default();
            for (f, msg) in mode_errors {
                errors.add(&f, msg);
            }
            return settings_page(
                &st,
                &ctx,
                &a,
                (values, selected),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let before = bookings::settings(st.db.conn(), id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    bookings::save_settings(&tx, id, &settings, now).await?;
    for (session, _, mode) in &mode_changes {
        sessions::set_mode(&tx, *session, *mode, now).await?;
    }
    let mut offered = Vec::new();
    for s in &a.sessions {
        bookings::lock_session(&tx, s.id).await?;
        offered.extend(bookings::promote(&tx, s.id, now).await?);
    }
    notify_offers(&tx, &st, &offered).await?;
    record(
        &tx,
        &ctx,
        ("booking_settings", "activity", id),
        a.data.title.clone(),
        json!({"from": settings_json(&before), "to": settings_json(&settings),
               "modes": mode_changes.iter().map(|(s, from, to)| json!({
                   "session": s,
                   "from": from.map(|m| m.code()),
                   "to": to.map(|m| m.code()),
               })).collect::<Vec<_>>(),
               "offered": offered.iter().map(|o| o.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    if !offered.is_empty() {
        st.mail_wakeup.notify_one();
    }
    Ok(redirect_flash(
        &st,
        &format!("/team/activities/{id}/bookings/settings"),
        Flash::Saved,
    ))
}

// ---------------------------------------------------------------------------
// A person's bookings (access and erasure on request)

pub struct PersonRow {
    pub id: i64,
    pub session_id: i64,
    pub activity: String,
    pub when: String,
    pub status: &'static str,
    pub persons: i32,
    pub name: String,
    pub anonymised: bool,
}

#[derive(Template)]
#[template(path = "bookings/team/person.html")]
struct PersonPage {
    l: Layout,
    email: String,
    errors: FormErrors,
    rows: Option<Vec<PersonRow>>,
}

fn person_form(
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        code,
        PersonPage {
            l: ctx.layout(ctx.m.bt_person_title),
            email,
            errors,
            rows: None,
        },
    )
}

/// `GET /team/bookings/person`: the search form.
pub async fn person(ctx: Ctx) -> Result<Response, AppError> {
    person_form(&ctx, String::new(), FormErrors::new(), StatusCode::OK)
}

/// The e-mail address of the form, or the form again with its error.
fn form_email(ctx: &Ctx, form: &Pairs) -> Result<String, Box<Response>> {
    let typed = form.get("email").trim().to_owned();
    match Email::parse(&typed) {
        Ok(e) => Ok(e.as_str().to_lowercase()),
        Err(err) => {
            let mut e = FormErrors::new();
            e.add("email", field_error(ctx.m, &err));
            Err(Box::new(
                person_form(ctx, typed, e, StatusCode::UNPROCESSABLE_ENTITY)
                    .unwrap_or_else(axum::response::IntoResponse::into_response),
            ))
        }
    }
}

/// The bookings of `email`, with the forms to export and erase them.
async fn person_results(
    st: &AppState,
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let mut rows = Vec::new();
    for b in bookings::of_email(c, &email).await? {
        let p = place(c, b.session_id).await?;
        rows.push(PersonRow {
            id: b.id,
            session_id: b.session_id,
            activity: p
                .as_ref()
                .map(|p| p.activity.data.title.clone())
                .unwrap_or_default(),
            when: p
                .as_ref()
                .map(|p| time::datetime(ctx.locale, p.session.data.starts_at))
                .unwrap_or_default(),
            status: b.status.label(ctx.locale),
            persons: b.seats,
            name: b.name.clone(),
            anonymised: b.anonymised_at.is_some(),
        });
    }
    html_status(
        code,
        PersonPage {
            l: ctx.layout(ctx.m.bt_person_title),
            email,
            errors,
            rows: Some(rows),
        },
    )
}

/// `POST /team/bookings/person` with `email`: that address's bookings.
pub async fn person_lookup(
    State(st): State<AppState>,
    ctx: Ctx,
    form: Pairs,
) -> Result<Response, AppError> {
    let email = match form_email(&ctx, &form) {
        Ok(e) => e,
        Err(r) => return Ok(*r),
    };
    person_results(&st, &ctx, email, FormErrors::new(), StatusCode::OK).await
}

/// A booking in a person's data export.
#[derive(Serialize)]
struct BookingExport {
    id: i64,
    activity: Option<String>,
    session_starts_at: Option<DateTime<Utc>>,
    kind: &'static str,
    status: &'static str,
    seats: i32,
    pupils: i32,
    adults: i32,
    name: String,
    email: String,
    phone: Option<String>,
    school_name: Option<String>,
    school_commune: Option<String>,
    class_level: Option<&'static str>,
    needs: Option<String>,
    note: Option<String>,
    source: String,
    created_at: DateTime<Utc>,
    checked_in_at: Option<DateTime<Utc>>,
    came_pupils: Option<i32>,
    came_adults: Option<i32>,
    came_public: Option<i32>,
    anonymised_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct PersonExport {
    email: String,
    exported_at: DateTime<Utc>,
    bookings: Vec<BookingExport>,
}

/// `POST /team/bookings/person/export` with `email`: everything stored
/// about that address's bookings, as JSON.
pub async fn person_export(
    State(st): State<AppState>,
    ctx: Ctx,
    form: Pairs,
) -> Result<Response, AppError> {
    let email = match form_email(&ctx, &form) {
        Ok(e) => e,
        Err(r) => return Ok(*r),
    };
    let c = st.db.conn();
    let mut out = Vec::new();
    for b in bookings::of_email(c, &email).await? {
        let p = place(c, b.session_id).await?;
        out.push(BookingExport {
            id: b.id,
            activity: p.as_ref().map(|p| p.activity.data.title.clone()),
            session_starts_at: p.as_ref().map(|p| p.session.data.starts_at),
            kind: b.kind.code(),
            status: b.status.code(),
            seats: b.seats,
            pupils: b.pupils,
            adults: b.adults,
            name: b.name,
            email: b.email,
            phone: b.phone,
            school_name: b.school_name,
            school_commune: b.school_commune,
            class_level: b.class_level.map(|l| l.code()),
            needs: b.needs,
            note: b.note,
            source: b.source.code().to_owned(),
            created_at: b.created_at,
            checked_in_at: b.checked_in_at,
            came_pupils: b.came_pupils,
            came_adults: b.came_adults,
            came_public: b.came_public,
            anonymised_at: b.anonymised_at,
        });
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        &ctx,
        ("export_data", "booking_person", 0),
        format!("{} bookings", out.len()),
        json!({"bookings": out.iter().map(|b| b.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    let body = serde_json::to_vec_pretty(&PersonExport {
        email,
        exported_at: now,
        bookings: out,
    })
    .map_err(AppError::internal)?;
    Ok(crate::shared::download::download(
        body,
        "application/json",
        "bookings-person.json",
    ))
}

/// `POST /team/bookings/person/erase` with `email` and `confirm`: the
/// person's data leave their bookings (counts stay); their active bookings
/// of sessions to come are cancelled and the places offered.
pub async fn person_erase(
    State(st): State<AppState>,
    ctx: Ctx,
    form: Pairs,
) -> Result<Response, AppError> {
    let email = match form_email(&ctx, &form) {
        Ok(e) => e,
        Err(r) => return Ok(*r),
    };
    if !form.checked("confirm") {
        let mut e = FormErrors::new();
        e.add("confirm", ctx.m.bt_erase_confirm_missing);
        return person_results(&st, &ctx, email, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let ids: Vec<i64> = bookings::of_email(&tx, &email)
        .await?
        .iter()
        .map(|b| b.id)
        .collect();
    let (n, offered) = bookings::erase_email(&tx, &email, now).await?;
    for id in &ids {
        audit::redact(&tx, "booking", &id.to_string()).await?;
    }
    notify_offers(&tx, &st, &offered).await?;
    record(
        &tx,
        &ctx,
        ("erase", "booking_person", 0),
        format!("{n} bookings"),
        json!({"bookings": ids, "offered": offered.iter().map(|o| o.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    if !offered.is_empty() {
        st.mail_wakeup.notify_one();
    }
    Ok(redirect_flash(&st, "/team/bookings/person", Flash::Erased))
}
