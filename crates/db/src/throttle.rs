//! Login throttling, per account and per IP address, shared by all instances.
//!
//! Failures are counted in a window; past the limit the key is locked for a
//! delay that doubles with each further failure, up to a maximum.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures allowed within `window` before locking.
    pub max_failures: i32,
    pub window: TimeDelta,
    /// First lock duration; doubles with every failure past the limit.
    pub base_lock: TimeDelta,
    pub max_lock: TimeDelta,
}

/// Per account and address: 5 failures in 15 minutes, then locked 1
/// minute, 2, 4… up to 1 hour (for this account from this address only).
pub const PER_PAIR: Policy = Policy {
    max_failures: 5,
    window: TimeDelta::minutes(15),
    base_lock: TimeDelta::minutes(1),
    max_lock: TimeDelta::hours(1),
};

/// Per account, from any address: past 5 failures in 15 minutes, the
/// answers are slowed down (see [`slowdown`]), never refused.
pub const PER_ACCOUNT: Policy = Policy {
    max_failures: 5,
    window: TimeDelta::minutes(15),
    base_lock: TimeDelta::minutes(1),
    max_lock: TimeDelta::hours(1),
};

/// Per IP address, on any account: past 20 failures in 15 minutes (an
/// office may share one address), the answers are slowed down, never
/// refused.
pub const PER_IP: Policy = Policy {
    max_failures: 20,
    window: TimeDelta::minutes(15),
    base_lock: TimeDelta::minutes(1),
    max_lock: TimeDelta::hours(1),
};

/// Password reset requests per address: 3 an hour, so that the form cannot
/// be used to flood someone's mailbox.
pub const PER_RESET_REQUEST: Policy = Policy {
    max_failures: 3,
    window: TimeDelta::hours(1),
    base_lock: TimeDelta::hours(1),
    max_lock: TimeDelta::hours(1),
};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub window_start: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// The key of one account tried from one address.
pub fn pair_key(email: &str, ip: &str) -> String {
    format!("pair:{email}|{ip}")
}

/// How long to hold an answer back while a slowing key is "locked" until
/// `until`: what remains of it, at most `max`.
pub fn slowdown(
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    max: std::time::Duration,
) -> std::time::Duration {
    (until - now).to_std().unwrap_or_default().min(max)
}

pub fn reset_key(email: &str) -> String {
    format!("reset:{email}")
}

/// The latest time until which any of `keys` is locked, if one is locked now.
pub async fn locked_until(
    c: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let rows = Entity::find()
        .filter(Column::Key.is_in(keys.iter().cloned()))
        .filter(Column::LockedUntil.gt(now))
        .all(c)
        .await?;
    Ok(rows.into_iter().filter_map(|r| r.locked_until).max())
}

/// Counts a failure for `key`; returns the lock end if the key is now locked.
pub async fn record_failure(
    c: &impl ConnectionTrait,
    key: &str,
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let existing = Entity::find_by_id(key.to_owned()).one(c).await?;
    let (failures, window_start, is_new) = match &existing {
        Some(row)
            if now - row.window_start < policy.window
                || row.locked_until.is_some_and(|l| l > now - policy.window) =>
        {
            (row.failures + 1, row.window_start, false)
        }
        Some(_) => (1, now, false),
        None => (1, now, true),
    };
    let over = failures - policy.max_failures;
    let locked_until = (over > 0).then(|| {
        let factor = 1i32 << (over - 1).min(16);
        let lock = (policy.base_lock * factor).min(policy.max_lock);
        now + lock
    });
    let am = ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(failures),
        window_start: Set(window_start),
        locked_until: Set(locked_until),
    };
    if is_new {
        am.insert(c).await?;
    } else {
        am.update(c).await?;
    }
    Ok(locked_until)
}

/// Forgets the failures of `key` (after a successful login).
pub async fn clear(c: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    Entity::delete_by_id(key.to_owned())
        .exec(c)
        .await
        .map(|_| ())
}
