//! The staff side of bookings, and the partner side through the same pages:
//! figures per project (`overview`), a session's bookings (`session`) and
//! the staff's actions on them (`actions`: approve, refuse, cancel, force,
//! add a school, move), attendee exports (`exports`) and the printable
//! sign-in sheet (`sheet`), the check-in page used at the door (`checkin`),
//! the booking rules of an activity (`settings`), and a person's bookings
//! with access and erasure on request (`person`).
//!
//! The pages a partner shares with the team take a [`Viewer`]: the side
//! their route gives them ([`TEAM`] or [`PARTNER`], as a layer of the
//! handler) with the request's context. Partners see the sessions of
//! activities their organisation runs, any other answers 404; they may
//! check in and export, not decide.

pub(crate) mod actions;
pub(crate) mod checkin;
pub(crate) mod exports;
pub(crate) mod overview;
pub(crate) mod person;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod sheet;

use super::ticked;
use super::{Place, place};
use crate::ctx::{Ctx, Flash};
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::redirect_flash;
use crate::state::AppState;
use crate::time;
use axum::Extension;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use maillage_db::bookings::{self, Booking};
use maillage_domain::Role;
use maillage_domain::booking::BookingKind;

/// Which space a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Team,
    Partner,
}

/// The layer that gives a shared page to the team's routes.
pub(crate) const TEAM: Extension<Side> = Extension(Side::Team);
/// The layer that gives a shared page to the partner's routes.
pub(crate) const PARTNER: Extension<Side> = Extension(Side::Partner);

impl Side {
    pub fn base(self) -> &'static str {
        match self {
            Side::Team => "/team",
            Side::Partner => "/partner",
        }
    }
}

/// Who asks for a page of a session or of one of its bookings: the
/// application, the request's context and the side of the route.
pub(crate) struct Viewer {
    st: AppState,
    ctx: Ctx,
    side: Side,
}

impl Viewer {
    /// The team's view, for the team's own routes.
    fn team(st: AppState, ctx: Ctx) -> Viewer {
        Viewer {
            st,
            ctx,
            side: Side::Team,
        }
    }

    /// A session as the viewer may see it, or 404.
    async fn session(&self, id: i64) -> Result<Place, AppError> {
        let p = place(self.st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if self.side == Side::Partner
            && let Some(org) = partner_scope(&self.ctx)?
            && !p.activity.organisers.iter().any(|(o, _)| *o == org)
        {
            return Err(AppError::NotFound);
        }
        Ok(p)
    }

    /// A booking and its session as the viewer may see them, or 404.
    async fn booking(&self, id: i64) -> Result<(Booking, Place), AppError> {
        let b = bookings::find(self.st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let p = self.session(b.session_id).await?;
        Ok((b, p))
    }

    /// Back to a page of a session after a change: `page` is `bookings` or
    /// `checkin`, `anchor` the element to show.
    fn back(&self, session: i64, page: &str, anchor: &str) -> Response {
        redirect_flash(
            &self.st,
            &format!("{}/sessions/{session}/{page}#{anchor}", self.side.base()),
            Flash::Saved,
        )
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Viewer, AppError> {
        let side = parts
            .extensions
            .get::<Side>()
            .copied()
            .ok_or_else(|| AppError::internal("a shared bookings page without its side"))?;
        Ok(Viewer {
            st: st.clone(),
            ctx: Ctx::from_request_parts(parts, st).await?,
            side,
        })
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

/// The session's title line: "Voyage au planétarium — 11/10/2026 14:00".
fn session_title(ctx: &Ctx, p: &Place) -> String {
    format!(
        "{} — {}",
        p.activity.data.title,
        time::datetime(ctx.locale, p.session.data.starts_at)
    )
}

/// A booking in an audit entry's summary.
fn summary(b: &Booking, p: &Place) -> String {
    format!("#{} {} — {}", b.id, b.name, p.activity.data.title)
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

/// What was booked: "24 élèves + 3 adultes" / "2 personnes".
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

/// The confirmed bookings of a list (walk-ins aside), as the sheet and the
/// check-in page list them.
fn expected(list: Vec<Booking>) -> Vec<Booking> {
    list.into_iter()
        .filter(|b| {
            b.status == maillage_domain::booking::BookingStatus::Confirmed
                && b.kind != BookingKind::WalkIn
        })
        .collect()
}
