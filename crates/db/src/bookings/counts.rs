//! Counts of the places of sessions: what bookings hold, who waits, who came.

use super::entity::{Column, Entity};
use crate::query::IDS_PER_QUERY;
use crate::vocab;
use maillage_domain::booking::{BookingKind, BookingStatus};
use sea_orm::QuerySelect;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use std::collections::BTreeMap;

/// The places of a session: what bookings hold, and who waits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Persons holding places (confirmed, awaiting approval or confirmation,
    /// offered).
    pub held: i64,
    pub confirmed: i64,
    /// Persons awaiting approval or their address's confirmation.
    pub pending: i64,
    /// Persons with an offer of freed places.
    pub offered: i64,
    /// Persons and entries on the waiting list.
    pub waitlisted: i64,
    pub waitlisted_entries: i64,
    /// Bookings holding places, and classes among them.
    pub bookings: i64,
    pub groups: i64,
    /// Check-in: bookings checked in, those where nobody came, and persons
    /// who came (walk-ins included) by kind.
    pub checked_in: i64,
    pub no_shows: i64,
    pub came_pupils: i64,
    pub came_adults: i64,
    pub came_public: i64,
    pub walk_ins: i64,
}

impl Counts {
    /// Adds `n` bookings of `kind` in `status` holding `seats` persons.
    pub(super) fn add(&mut self, status: BookingStatus, kind: BookingKind, n: i64, seats: i64) {
        if status.holds_places() {
            self.held += seats;
            self.bookings += n;
            if kind == BookingKind::Group {
                self.groups += n;
            }
        }
        match status {
            BookingStatus::Confirmed => self.confirmed += seats,
            BookingStatus::Pending | BookingStatus::Unconfirmed => self.pending += seats,
            BookingStatus::Offered => self.offered += seats,
            BookingStatus::Waitlisted => {
                self.waitlisted += seats;
                self.waitlisted_entries += n;
            }
            _ => {}
        }
    }

    /// Free places under `capacity` (none when unlimited).
    pub fn available(&self, capacity: Option<i32>) -> Option<i64> {
        capacity.map(|c| (i64::from(c) - self.held).max(0))
    }

    pub fn came(&self) -> i64 {
        self.came_pupils + self.came_adults + self.came_public
    }
}

type CountRow = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
);

/// The counts of several sessions at once.
pub async fn counts_of(
    c: &impl ConnectionTrait,
    sessions: &[i64],
) -> Result<BTreeMap<i64, Counts>, DbErr> {
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    for chunk in sessions.chunks(IDS_PER_QUERY) {
        let rows: Vec<CountRow> = Entity::find()
            .select_only()
            .column(Column::SessionId)
            .column(Column::Status)
            .column(Column::Kind)
            .column_as(Column::Id.count(), "n")
            .column_as(Column::Seats.sum(), "seats")
            .column_as(Column::CamePupils.sum(), "pupils")
            .column_as(Column::CameAdults.sum(), "adults")
            .column_as(Column::CamePublic.sum(), "public")
            .column_as(Column::CheckedInAt.count(), "checked")
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .group_by(Column::SessionId)
            .group_by(Column::Status)
            .group_by(Column::Kind)
            .into_tuple()
            .all(c)
            .await?;
        for (session, status, kind, n, seats, pupils, adults, public, checked) in rows {
            let e = out.entry(session).or_default();
            let seats = seats.unwrap_or(0);
            let status = vocab::BOOKINGS_STATUS.decode(&status)?;
            let kind = vocab::BOOKINGS_KIND.decode(&kind)?;
            e.came_pupils += pupils.unwrap_or(0);
            e.came_adults += adults.unwrap_or(0);
            e.came_public += public.unwrap_or(0);
            if kind == BookingKind::WalkIn {
                e.walk_ins += n;
                continue;
            }
            e.checked_in += checked;
            e.add(status, kind, n, seats);
        }
    }
    // No-shows: checked in with nobody there (a second, small query).
    for chunk in sessions.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, i64)> = Entity::find()
            .select_only()
            .column(Column::SessionId)
            .column_as(Column::Id.count(), "n")
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .filter(Column::CheckedInAt.is_not_null())
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .filter(Expr::cust("came_pupils + came_adults + came_public = 0"))
            .group_by(Column::SessionId)
            .into_tuple()
            .all(c)
            .await?;
        for (session, n) in rows {
            out.entry(session).or_default().no_shows = n;
        }
    }
    Ok(out)
}

pub async fn counts(c: &impl ConnectionTrait, session: i64) -> Result<Counts, DbErr> {
    Ok(counts_of(c, &[session])
        .await?
        .remove(&session)
        .unwrap_or_default())
}

/// What the booking rules need, in one query: places held, classes holding
/// places, and the waiting list (the other figures of [`Counts`] stay zero).
pub async fn occupancy(c: &impl ConnectionTrait, session: i64) -> Result<Counts, DbErr> {
    Ok(occupancy_of(c, &[session])
        .await?
        .remove(&session)
        .unwrap_or_default())
}

/// [`occupancy`] of several sessions, a query per [`IDS_PER_QUERY`].
pub async fn occupancy_of(
    c: &impl ConnectionTrait,
    sessions: &[i64],
) -> Result<BTreeMap<i64, Counts>, DbErr> {
    let live = BookingStatus::ACTIVE.map(BookingStatus::code);
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    for chunk in sessions.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, String, String, i64, Option<i64>)> = Entity::find()
            .select_only()
            .column(Column::SessionId)
            .column(Column::Status)
            .column(Column::Kind)
            .column_as(Column::Id.count(), "n")
            .column_as(Column::Seats.sum(), "seats")
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .filter(Column::Status.is_in(live))
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .group_by(Column::SessionId)
            .group_by(Column::Status)
            .group_by(Column::Kind)
            .into_tuple()
            .all(c)
            .await?;
        for (session, status, kind, n, seats) in rows {
            out.entry(session).or_default().add(
                vocab::BOOKINGS_STATUS.decode(&status)?,
                vocab::BOOKINGS_KIND.decode(&kind)?,
                n,
                seats.unwrap_or(0),
            );
        }
    }
    Ok(out)
}

/// Bookings still holding places or waiting on these sessions (walk-ins
/// aside): what deleting the sessions would lose.
pub async fn active_count(c: &impl ConnectionTrait, sessions: &[i64]) -> Result<u64, DbErr> {
    let live = BookingStatus::ACTIVE.map(BookingStatus::code);
    let mut n = 0;
    for chunk in sessions.chunks(IDS_PER_QUERY) {
        n += Entity::find()
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .filter(Column::Status.is_in(live))
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .count(c)
            .await?;
    }
    Ok(n)
}
