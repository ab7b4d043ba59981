//! What every instance does each hour: deletes what has run its course —
//! expired sign-in sessions, import files never confirmed, request-limit
//! windows long ended, the bodies of e-mails delivered a month ago and the
//! e-mails delivered a year ago, the applications a call did not retain
//! once its retention has run. Each delete is conditional, so two instances doing
//! it at once delete each row once.

use crate::{Db, DbErr, imports, outbox, ratelimit, sessions};
use chrono::{DateTime, TimeDelta, Utc};

/// How many rows one round deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub imports: u64,
    pub rate_limits: u64,
    /// E-mails whose body was emptied.
    pub mail_bodies: u64,
    /// E-mails deleted.
    pub mails: u64,
    /// Applications deleted once their call's retention ran.
    pub applications: u64,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Purged::default()
    }
}

/// Request-limit windows are kept a day after they began (no limit is
/// longer than an hour).
const RATE_WINDOWS_KEPT: TimeDelta = TimeDelta::days(1);

/// How long a delivered e-mail keeps its body (for the team to check what
/// was sent), then its record.
pub const MAIL_BODIES_KEPT: TimeDelta = TimeDelta::days(30);
pub const MAILS_KEPT: TimeDelta = TimeDelta::days(365);

/// One round of the hourly housekeeping at `now`.
pub async fn hourly(db: &Db, now: DateTime<Utc>) -> Result<Purged, DbErr> {
    let tx = db.write().await?;
    let purged = Purged {
        sessions: sessions::purge_expired(&tx, now).await?,
        imports: imports::purge_expired(&tx, now).await?,
        rate_limits: ratelimit::purge(&tx, now - RATE_WINDOWS_KEPT).await?,
        mail_bodies: outbox::purge_bodies(&tx, now - MAIL_BODIES_KEPT).await?,
        mails: outbox::purge_sent(&tx, now - MAILS_KEPT).await?,
        applications: crate::forms::submissions::purge_expired(&tx, now).await?,
    };
    tx.commit().await?;
    Ok(purged)
}
