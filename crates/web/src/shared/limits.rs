//! Request limits per client, counted in the database so that every
//! instance shares them ([`maillage_db::ratelimit`]). A hit is counted in
//! the write transaction of what it limits (one transaction, not two);
//! the caller commits it whether the request goes on or is refused.

use crate::error::AppError;
use crate::ratelimit::RateLimit;
use chrono::{DateTime, Utc};
use maillage_db::WriteTx;

/// The key of what a client does: `booking:203.0.113.7`.
pub fn client_key(what: &str, ip: Option<&str>) -> String {
    format!("{what}:{}", ip.unwrap_or("unknown"))
}

/// Counts a hit of `key` against `limit` (none: no limit) in `tx`; the
/// seconds to wait when over the limit.
pub async fn hit(
    tx: &WriteTx,
    key: &str,
    limit: Option<RateLimit>,
    now: DateTime<Utc>,
) -> Result<Option<u64>, AppError> {
    let Some(limit) = limit else {
        return Ok(None);
    };
    Ok(maillage_db::ratelimit::hit(tx, key, limit.into(), now)
        .await?
        .err())
}
