//! Check-in at the door: who came for each booking, and walk-ins.

use super::entity::{ActiveModel, Column, Entity};
use super::{Booking, from_model, new_row};
use chrono::{DateTime, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::UpdateMany;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// Persons who came: pupils, accompanying adults, general public.
type Came = (i32, i32, i32);

/// The update of booking `id`'s check-in: who came, or `None` to clear it.
fn write_check_in(id: i64, came: Option<Came>, now: DateTime<Utc>) -> UpdateMany<Entity> {
    Entity::update_many()
        .col_expr(Column::CheckedInAt, Expr::value(came.map(|_| now)))
        .col_expr(Column::CamePupils, Expr::value(came.map(|c| c.0)))
        .col_expr(Column::CameAdults, Expr::value(came.map(|c| c.1)))
        .col_expr(Column::CamePublic, Expr::value(came.map(|c| c.2)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
}

/// Records who came for a booking (pupils, accompanying adults, general
/// public). All zero records a no-show.
pub async fn check_in(
    c: &impl ConnectionTrait,
    id: i64,
    pupils: i32,
    adults: i32,
    public: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = write_check_in(id, Some((pupils, adults, public)), now)
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Clears a check-in recorded by mistake (a walk-in recorded by mistake is
/// removed).
pub async fn undo_check_in(
    c: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let walk_in = Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Kind.eq(BookingKind::WalkIn.code()))
        .exec(c)
        .await?;
    if walk_in.rows_affected == 1 {
        return Ok(true);
    }
    let r = write_check_in(id, None, now)
        .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Persons who came without booking, recorded at the door.
pub async fn walk_in(
    c: &impl ConnectionTrait,
    session: i64,
    pupils: i32,
    adults: i32,
    public: i32,
    now: DateTime<Utc>,
) -> Result<Booking, DbErr> {
    let (kind, status) = (BookingKind::WalkIn, BookingStatus::Confirmed);
    let m = ActiveModel {
        pupils: Set(pupils),
        adults: Set(adults),
        checked_in_at: Set(Some(now)),
        came_pupils: Set(Some(pupils)),
        came_adults: Set(Some(adults)),
        came_public: Set(Some(public)),
        ..new_row(session, kind, status, pupils + adults + public, now)
    }
    .insert(c)
    .await?;
    from_model(m)
}
