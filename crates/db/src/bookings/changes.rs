//! What a booker changes: cancelling, confirming their address, changing
//! the number of seats.

use super::book::{bookable, confirmed, lock_session};
use super::counts::occupancy;
use super::entity::{Column, Entity};
use super::waitlist::promote;
use super::{Booking, Refusal, find, set_status};
use chrono::{DateTime, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use sea_orm::QuerySelect;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// Cancels a booking (or leaves the waiting list) and offers the places it
/// held. Returns the bookings offered places, or `None` when the booking was
/// no longer active.
pub async fn cancel(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let from = BookingStatus::ACTIVE;
    if !set_status(c, b.id, &from, BookingStatus::Cancelled, now).await? {
        return Ok(None);
    }
    Ok(Some(promote(c, b.session_id, now).await?))
}

/// Why an address was not confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotConfirmed {
    /// The booking no longer waits for its address (confirmed already,
    /// cancelled, or its hold ran out).
    NotWaiting,
    /// The code is not the one sent to the address.
    WrongCode,
}

/// Confirms the booker's address with the code sent to it by e-mail: a
/// held booking becomes confirmed (or awaits approval for a class). The
/// personal link alone cannot confirm: whoever booked for an address holds
/// it, the mailbox's owner alone holds the code.
pub async fn confirm_address(
    c: &impl ConnectionTrait,
    b: &Booking,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Result<BookingStatus, NotConfirmed>, DbErr> {
    if b.status != BookingStatus::Unconfirmed || b.hold_expires_at.is_some_and(|e| e <= now) {
        return Ok(Err(NotConfirmed::NotWaiting));
    }
    let stored: Option<Option<String>> = Entity::find_by_id(b.id)
        .select_only()
        .column(Column::ConfirmDigest)
        .into_tuple()
        .one(c)
        .await?;
    let matches = stored.flatten().is_some_and(|d| {
        maillage_domain::token::is_well_formed(code)
            && maillage_domain::token::constant_time_eq(&d, &maillage_domain::token::digest(code))
    });
    if !matches {
        return Ok(Err(NotConfirmed::WrongCode));
    }
    let to = confirmed(c, b).await?;
    if !set_status(c, b.id, &[BookingStatus::Unconfirmed], to, now).await? {
        return Ok(Err(NotConfirmed::NotWaiting));
    }
    Entity::update_many()
        .col_expr(Column::ConfirmDigest, Expr::value(Option::<String>::None))
        .filter(Column::Id.eq(b.id))
        .exec(c)
        .await?;
    Ok(Ok(to))
}

/// Changes the number of seats of an individual booking (or of a waiting
/// entry, which keeps its place in the queue). Fewer seats free places
/// (offered to the waiting list, returned); more need free places.
pub async fn change_seats(
    c: &impl ConnectionTrait,
    b: &Booking,
    seats: i32,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Booking>, Refusal>, DbErr> {
    lock_session(c, b.session_id).await?;
    let Some(current) = find(c, b.id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if current.kind != BookingKind::Seats || !current.status.is_active() {
        return Ok(Err(Refusal::WrongStatus));
    }
    let Some(place) = bookable(c, b.session_id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(r) = place.admits(now, current.kind, seats) {
        return Ok(Err(r));
    }
    let more = seats - current.seats;
    if more > 0 && current.status.holds_places() {
        let counts = occupancy(c, b.session_id).await?;
        if let Some(available) = counts.available(place.capacity)
            && i64::from(more) > available
        {
            return Ok(Err(Refusal::NotEnoughPlaces {
                available: i32::try_from(available).unwrap_or(0),
            }));
        }
    }
    Entity::update_many()
        .col_expr(Column::Seats, Expr::value(seats))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(b.id))
        .exec(c)
        .await?;
    if more > 0 && current.status.holds_places() {
        super::places::check_if_full(c, b.session_id).await?;
    }
    Ok(Ok(if more < 0 {
        promote(c, b.session_id, now).await?
    } else {
        Vec::new()
    }))
}
