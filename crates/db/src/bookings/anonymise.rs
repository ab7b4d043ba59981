//! Personal data: a person's bookings found by their address and erased
//! on request, and bookings anonymised once their session is over.

use super::changes::cancel;
use super::entity::{Column, Entity};
use super::{Booking, load};
use crate::programme::sessions::entity as sess;
use chrono::{DateTime, Utc};
use maillage_domain::booking::BookingKind;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, QuerySelect};

fn anonymise_update() -> sea_orm::UpdateMany<Entity> {
    Entity::update_many()
        .col_expr(Column::Name, Expr::value(""))
        .col_expr(Column::Email, Expr::value(""))
        .col_expr(Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(Column::Needs, Expr::value(Option::<String>::None))
        .col_expr(Column::Note, Expr::value(Option::<String>::None))
}

/// Anonymises the bookings of sessions that ended before `before`: names,
/// addresses, phones and notes go, from the audit entries of the bookings
/// too; counts, classes and attendance stay.
pub async fn anonymise_ended_before(
    c: &impl ConnectionTrait,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let ended = sea_orm::sea_query::Query::select()
        .column(sess::Column::Id)
        .from(sess::Entity)
        .and_where(sess::Column::EndsAt.lt(before))
        .to_owned();
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::SessionId.in_subquery(ended))
        .filter(Column::AnonymisedAt.is_null())
        .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
        .into_tuple()
        .all(c)
        .await?;
    let mut n = 0;
    for chunk in ids.chunks(crate::query::IDS_PER_QUERY) {
        n += anonymise_update()
            .col_expr(Column::AnonymisedAt, Expr::value(Some(now)))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .filter(Column::AnonymisedAt.is_null())
            .exec(c)
            .await?
            .rows_affected;
        super::links::revoke(c, chunk).await?;
        let keys: Vec<String> = chunk.iter().map(i64::to_string).collect();
        crate::audit::redact_many(c, "booking", &keys).await?;
    }
    Ok(n)
}

/// Every booking made with an e-mail address (for a person's request to see
/// their data).
pub async fn of_email(c: &impl ConnectionTrait, email: &str) -> Result<Vec<Booking>, DbErr> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(Vec::new());
    }
    let q = Entity::find()
        .filter(Column::Email.eq(email))
        .order_by_asc(Column::Id);
    load(c, q).await
}

/// Erases a person's data from their bookings (on request). Active
/// bookings of sessions still to come are cancelled first, their places
/// offered to the waiting list (returned). Counts stay.
pub async fn erase_email(
    c: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(u64, Vec<Booking>), DbErr> {
    let mut offered = Vec::new();
    let mine = of_email(c, email).await?;
    let ids: Vec<i64> = mine.iter().map(|b| b.id).collect();
    super::links::revoke(c, &ids).await?;
    for b in mine {
        if b.status.is_active() {
            let ended: Option<DateTime<Utc>> = sess::Entity::find_by_id(b.session_id)
                .select_only()
                .column(sess::Column::EndsAt)
                .into_tuple()
                .one(c)
                .await?;
            if ended.is_some_and(|e| e > now)
                && let Some(o) = cancel(c, &b, now).await?
            {
                offered.extend(o);
            }
        }
    }
    let n = anonymise_update()
        .col_expr(Column::AnonymisedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Email.eq(email.trim().to_lowercase()))
        .exec(c)
        .await?
        .rows_affected;
    Ok((n, offered))
}
