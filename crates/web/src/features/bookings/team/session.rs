//! A session's bookings, for the team (with the staff's actions) and for
//! partners (to read, export and check in).

use super::actions::Decision;
use super::overview::{Figures, takes_bookings};
use super::{Side, Viewer, came_text, school_text, session_title};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::shared::html_status;
use crate::time;
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::ConnectionTrait;
use maillage_db::bookings::{self, Booking};
use maillage_db::programme::activities;
use maillage_domain::Action;
use maillage_domain::booking::{BookingKind, BookingStatus};

/// A button of a booking's row: a form posting to
/// `/team/bookings/{id}/{verb}`.
pub struct RowAction {
    pub verb: &'static str,
    pub label: &'static str,
    pub class: &'static str,
    /// Who or what it acts on, for screen readers.
    pub detail: String,
}

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
    /// The staff's actions this booking allows, in the order of the row.
    pub actions: Vec<RowAction>,
    /// It can still move to another session.
    pub active: bool,
}

/// The buttons of a booking's row: the decisions its status allows, and
/// adding to the directory the school a teacher typed.
fn row_actions(ctx: &Ctx, b: &Booking, name: &str, school: &str) -> Vec<RowAction> {
    let button = |d: Decision| RowAction {
        verb: d.verb(),
        label: d.label(ctx.m),
        class: d.class(),
        detail: name.to_owned(),
    };
    let mut out: Vec<RowAction> = [Decision::Approve, Decision::Refuse, Decision::Force]
        .into_iter()
        .filter(|d| d.allowed(b))
        .map(button)
        .collect();
    if b.kind == BookingKind::Group && b.organisation_id.is_none() && b.school_name.is_some() {
        out.push(RowAction {
            verb: "school",
            label: ctx.m.bt_add_school,
            class: "link-button",
            detail: school.to_owned(),
        });
    }
    if Decision::Cancel.allowed(b) {
        out.push(button(Decision::Cancel));
    }
    out
}

fn booking_row(ctx: &Ctx, b: &Booking, position: usize) -> BookingRow {
    let name = if b.anonymised_at.is_some() {
        ctx.m.bt_anonymised.to_owned()
    } else {
        b.name.clone()
    };
    let school = school_text(b);
    BookingRow {
        id: b.id,
        position,
        email: b.email.clone(),
        phone: b.phone.clone().unwrap_or_default(),
        kind: b.kind.label(ctx.locale),
        group: b.kind == BookingKind::Group,
        status: b.status.label(ctx.locale),
        status_code: b.status.code(),
        persons: b.seats,
        pupils: b.pupils,
        adults: b.adults,
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
        actions: row_actions(ctx, b, &name, &school),
        active: Decision::Cancel.allowed(b),
        name,
        school,
    }
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
    p: &super::Place,
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

/// The session's bookings as `v` sees them, with `error` on top when an
/// action was refused.
pub(super) async fn page(
    v: &Viewer,
    id: i64,
    error: Option<String>,
    code: StatusCode,
) -> Result<Response, AppError> {
    let (ctx, side) = (&v.ctx, v.side);
    let c = v.st.db.conn();
    let p = v.session(id).await?;
    let counts = bookings::counts(c, id).await?;
    let list = bookings::of_session(c, id).await?;
    let (mut holding, mut waiting, mut walk_ins, mut others) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for b in &list {
        let to = if b.kind == BookingKind::WalkIn {
            &mut walk_ins
        } else if b.status.holds_places() {
            &mut holding
        } else if b.status == BookingStatus::Waitlisted {
            &mut waiting
        } else {
            &mut others
        };
        to.push(booking_row(ctx, b, to.len() + 1));
    }
    let team = side == Side::Team;
    let can_manage = team && ctx.can(Action::ManageBookings);
    let targets = if can_manage {
        move_targets(c, ctx, &p).await?
    } else {
        Vec::new()
    };
    let title = session_title(ctx, &p);
    let section = |key, title, rows, positions| Section {
        key,
        title,
        rows,
        positions,
    };
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
                section("holding", ctx.m.bt_holding, holding, false),
                section("waiting", ctx.m.bt_waiting_list, waiting, true),
                section("others", ctx.m.bt_others, others, false),
            ],
            walk_ins,
            targets,
            can_manage,
            can_check_in: ctx.can(match side {
                Side::Team => Action::CheckIn,
                Side::Partner => Action::PartnerBookings,
            }),
            team,
            error,
        },
    )
}

/// `GET /team/sessions/{id}/bookings`, `GET /partner/sessions/{id}/bookings`.
pub async fn show(v: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    page(&v, id, None, StatusCode::OK).await
}
