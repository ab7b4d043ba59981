//! What staff do to bookings: decide on classes, confirm beyond the
//! capacity, move a booking, cancel a session's bookings, link a school.

use super::book::{bookable, lock_session};
use super::counts::occupancy;
use super::entity::{Column, Entity};
use super::waitlist::promote;
use super::{Booking, Refusal, no_time, of_session, set_status};
use chrono::{DateTime, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// Staff decision on a class awaiting approval. Refusing frees its places
/// (offered to the waiting list, returned).
pub async fn decide(
    c: &impl ConnectionTrait,
    b: &Booking,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let to = if approve {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Refused
    };
    if !set_status(c, b.id, &[BookingStatus::Pending], to, now).await? {
        return Ok(None);
    }
    Ok(Some(if approve {
        Vec::new()
    } else {
        promote(c, b.session_id, now).await?
    }))
}

/// Staff confirm a waiting entry (or an offer) even beyond the capacity.
pub async fn force_confirm(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    lock_session(c, b.session_id).await?;
    let done = set_status(
        c,
        b.id,
        &[
            BookingStatus::Waitlisted,
            BookingStatus::Offered,
            BookingStatus::Pending,
            BookingStatus::Unconfirmed,
        ],
        BookingStatus::Confirmed,
        now,
    )
    .await?;
    if done {
        super::places::check_if_full(c, b.session_id).await?;
    }
    Ok(done)
}

/// Moves a booking to another session (of any activity). Unless `force`,
/// the target must have room. The places freed in the old session are
/// offered to its waiting list (returned).
pub async fn move_to(
    c: &impl ConnectionTrait,
    b: &Booking,
    target: i64,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Booking>, Refusal>, DbErr> {
    // Lock in id order so that two opposite moves cannot deadlock.
    let (first, second) = if b.session_id < target {
        (b.session_id, target)
    } else {
        (target, b.session_id)
    };
    lock_session(c, first).await?;
    lock_session(c, second).await?;
    let Some(place) = bookable(c, target).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if !force {
        let counts = occupancy(c, target).await?;
        if !place.fits(&counts, b.kind, b.seats) {
            return Ok(Err(Refusal::NotEnoughPlaces {
                available: counts
                    .available(place.capacity)
                    .map_or(i32::MAX, |a| i32::try_from(a).unwrap_or(0)),
            }));
        }
    }
    let r = Entity::update_many()
        .col_expr(Column::SessionId, Expr::value(target))
        .col_expr(Column::Status, Expr::value(BookingStatus::Confirmed.code()))
        .col_expr(Column::OfferExpiresAt, no_time())
        .col_expr(Column::ReminderSentAt, no_time())
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(b.id))
        .filter(Column::Status.is_in(BookingStatus::ACTIVE.map(BookingStatus::code)))
        .exec(c)
        .await?;
    if r.rows_affected != 1 {
        return Ok(Err(Refusal::WrongStatus));
    }
    super::places::check_if_full(c, target).await?;
    Ok(Ok(promote(c, b.session_id, now).await?))
}

/// Cancels every live booking of a session that is itself cancelled, and
/// returns them (as they now are) for the bookers to be told.
pub async fn cancel_session(
    c: &impl ConnectionTrait,
    session: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Booking>, DbErr> {
    lock_session(c, session).await?;
    let live = BookingStatus::ACTIVE;
    let mut out = Vec::new();
    for mut b in of_session(c, session).await? {
        if b.kind != BookingKind::WalkIn
            && b.status.is_active()
            && set_status(c, b.id, &live, BookingStatus::Cancelled, now).await?
        {
            b.status = BookingStatus::Cancelled;
            out.push(b);
        }
    }
    Ok(out)
}

/// Links every class booked under the school name `name` (typed, without
/// a directory record) to the directory's organisation `org`.
pub async fn link_school(
    c: &impl ConnectionTrait,
    name: &str,
    org: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::OrganisationId, Expr::value(Some(org)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::OrganisationId.is_null())
        .filter(Column::Kind.eq(BookingKind::Group.code()))
        .filter(Column::SchoolName.eq(name))
        .exec(c)
        .await?
        .rows_affected)
}
