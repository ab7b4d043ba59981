//! Request limits per client, counted in the database so that every
//! instance shares them ([`maillage_db::ratelimit`]).

use crate::error::AppError;
use crate::ratelimit::RateLimit;
use crate::state::AppState;

/// The key of what a client does: `booking:203.0.113.7`.
pub fn client_key(what: &str, ip: Option<&str>) -> String {
    format!("{what}:{}", ip.unwrap_or("unknown"))
}

/// Counts a hit of `key` against `limit` (none: no limit), in its own
/// short write transaction; the seconds to wait when over the limit.
pub async fn hit(
    st: &AppState,
    key: &str,
    limit: Option<RateLimit>,
) -> Result<Option<u64>, AppError> {
    let Some(limit) = limit else {
        return Ok(None);
    };
    let tx = st.db.write().await?;
    let r = maillage_db::ratelimit::hit(&tx, key, limit.into(), maillage_db::now()).await?;
    tx.commit().await?;
    Ok(r.err())
}
