//! Time-driven changes: offers and holds running out, and reminders.

use super::book::lock_session;
use super::entity::{Column, Entity};
use super::rules::settings;
use super::waitlist::promote;
use super::{Booking, from_model, load, set_status};
use crate::programme::sessions::entity as sess;
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use maillage_domain::programme::SessionStatus;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

/// What a sweep did: offers and holds that ran out, and the places offered
/// to the next waiting entries.
#[derive(Debug, Default)]
pub struct Swept {
    pub expired_offers: Vec<Booking>,
    pub expired_holds: Vec<Booking>,
    pub offered: Vec<Booking>,
}

/// Expires offers and address-confirmation holds that ran out at `now`, and
/// offers their places to the next entries. Safe with several instances:
/// each booking changes (and is reported) once.
pub async fn sweep(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Swept, DbErr> {
    let mut out = Swept::default();
    let due = Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(Column::Status.eq(BookingStatus::Offered.code()))
                        .add(Column::OfferExpiresAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(Column::Status.eq(BookingStatus::Unconfirmed.code()))
                        .add(Column::HoldExpiresAt.lte(now)),
                ),
        )
        .order_by_asc(Column::Id)
        .limit(1000);
    let mut sessions = BTreeSet::new();
    for b in load(c, due).await? {
        lock_session(c, b.session_id).await?;
        if set_status(c, b.id, &[b.status], BookingStatus::Expired, now).await? {
            sessions.insert(b.session_id);
            if b.status == BookingStatus::Offered {
                out.expired_offers.push(b);
            } else {
                out.expired_holds.push(b);
            }
        }
    }
    for s in sessions {
        out.offered.extend(promote(c, s, now).await?);
    }
    Ok(out)
}

/// Confirmed bookings whose reminder falls due at `now` (the activity's
/// reminder days before the session), each claimed once whatever the number
/// of instances: the caller sends what this returns.
pub async fn claim_reminders(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Booking>, DbErr> {
    // Sessions starting within the longest reminder window (a week).
    let soon: Vec<(i64, i64, DateTime<Utc>)> = sess::Entity::find()
        .select_only()
        .column(sess::Column::Id)
        .column(sess::Column::ActivityId)
        .column(sess::Column::StartsAt)
        .filter(sess::Column::StartsAt.gt(now))
        .filter(sess::Column::StartsAt.lte(now + TimeDelta::days(7)))
        .filter(sess::Column::Status.eq(SessionStatus::Scheduled.code()))
        .into_tuple()
        .all(c)
        .await?;
    let mut out = Vec::new();
    let mut rules: BTreeMap<i64, Option<i32>> = BTreeMap::new();
    for (session, activity, starts) in soon {
        let days = match rules.get(&activity) {
            Some(d) => *d,
            None => {
                let d = settings(c, activity).await?.reminder_days;
                rules.insert(activity, d);
                d
            }
        };
        let Some(days) = days else { continue };
        let from = starts - TimeDelta::days(i64::from(days));
        if now < from {
            continue;
        }
        let candidates = Entity::find()
            .filter(Column::SessionId.eq(session))
            .filter(Column::Status.eq(BookingStatus::Confirmed.code()))
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .filter(Column::ReminderSentAt.is_null())
            // Booked inside the window: the confirmation was the reminder.
            .filter(Column::CreatedAt.lt(from))
            .filter(Column::AnonymisedAt.is_null())
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(c)
            .await?;
        for m in candidates {
            let r = Entity::update_many()
                .col_expr(Column::ReminderSentAt, Expr::value(Some(now)))
                .filter(Column::Id.eq(m.id))
                .filter(Column::ReminderSentAt.is_null())
                .exec(c)
                .await?;
            if r.rows_affected == 1 {
                out.push(from_model(m)?);
            }
        }
        if out.len() as u64 >= limit {
            break;
        }
    }
    Ok(out)
}
