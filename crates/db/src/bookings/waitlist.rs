//! The waiting list: entries keep their order, freed places are offered to
//! the first that fit, and an offer is accepted while it runs.

use super::book::{bookable, confirmed, lock_session};
use super::counts::occupancy;
use super::entity::{Column, Entity};
use super::{Booking, find, load, set_status};
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::booking::BookingStatus;
use maillage_domain::programme::SessionStatus;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// A waiting entry's place in the queue (1 for the first), counting the
/// entries waiting before it.
pub async fn position(c: &impl ConnectionTrait, b: &Booking) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::SessionId.eq(b.session_id))
        .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
        .filter(Column::Id.lte(b.id))
        .count(c)
        .await
}

/// Offers freed places to the first waiting entries that fit, in order.
/// Call with the session locked. Returns the bookings offered places.
pub async fn promote(
    c: &impl ConnectionTrait,
    session: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Booking>, DbErr> {
    let Some(b) = bookable(c, session).await? else {
        return Ok(Vec::new());
    };
    if b.session_status != SessionStatus::Scheduled || now >= b.starts_at {
        return Ok(Vec::new());
    }
    let mut counts = occupancy(c, session).await?;
    if counts.waitlisted_entries == 0 {
        return Ok(Vec::new());
    }
    let waiting = Entity::find()
        .filter(Column::SessionId.eq(session))
        .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
        .order_by_asc(Column::Id);
    let expires = now + TimeDelta::hours(i64::from(b.settings.offer_hours.max(1)));
    let mut offered = Vec::new();
    for mut w in load(c, waiting).await? {
        if counts.available(b.capacity) == Some(0) {
            break;
        }
        if !b.fits(&counts, w.kind, w.seats) {
            continue;
        }
        let r = Entity::update_many()
            .col_expr(Column::Status, Expr::value(BookingStatus::Offered.code()))
            .col_expr(Column::OfferExpiresAt, Expr::value(Some(expires)))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.eq(w.id))
            .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
            .exec(c)
            .await?;
        if r.rows_affected == 1 {
            counts.add(BookingStatus::Offered, w.kind, 1, i64::from(w.seats));
            w.status = BookingStatus::Offered;
            w.offer_expires_at = Some(expires);
            offered.push(w);
        }
    }
    if !offered.is_empty() {
        super::places::note_if_full(c, &b, &counts).await?;
    }
    Ok(offered)
}

/// Accepts an offer of places. An offer that has run out is expired, and its
/// places go to the next entries (returned).
pub async fn accept_offer(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<Result<BookingStatus, Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let Some(current) = find(c, b.id).await? else {
        return Ok(Err(Vec::new()));
    };
    if current.status != BookingStatus::Offered {
        return Ok(Err(Vec::new()));
    }
    let offered = [BookingStatus::Offered];
    if current.offer_expires_at.is_some_and(|e| e <= now) {
        set_status(c, b.id, &offered, BookingStatus::Expired, now).await?;
        return Ok(Err(promote(c, b.session_id, now).await?));
    }
    let to = confirmed(c, &current).await?;
    set_status(c, b.id, &offered, to, now).await?;
    Ok(Ok(to))
}
