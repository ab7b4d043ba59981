//! Request limits per client, shared by every instance: the hits of a key
//! are counted in the database in a fixed window, so that N instances do
//! not allow N times the limit. One statement counts and answers (an
//! upsert that returns the row), atomic on both engines.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

const TABLE: &str = "rate_limits";

/// A limit: at most `max` hits in `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub per: TimeDelta,
}

/// Counts a hit of `key` at `now`. `Ok(())` while the window holds at most
/// `limit.max` hits, otherwise the seconds until it ends (at least 1).
/// Call it in a write transaction and commit, whatever the answer.
pub async fn hit(
    c: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Result<(), u64>, DbErr> {
    let expired = Expr::col((TABLE, "window_start")).lte(now - limit.per);
    let row = c
        .query_one(
            Query::insert()
                .into_table(TABLE)
                .columns(["key", "window_start", "hits"])
                .values_panic([key.into(), now.into(), 1i32.into()])
                .on_conflict(
                    OnConflict::column("key")
                        .value(
                            "hits",
                            Expr::case(expired.clone(), 1i32)
                                .finally(Expr::col((TABLE, "hits")).add(1)),
                        )
                        .value(
                            "window_start",
                            Expr::case(expired, now).finally(Expr::col((TABLE, "window_start"))),
                        )
                        .to_owned(),
                )
                .returning(Query::returning().columns(["hits", "window_start"])),
        )
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(TABLE.into()))?;
    let hits: i32 = row.try_get("", "hits")?;
    let start: DateTime<Utc> = row.try_get("", "window_start")?;
    if u32::try_from(hits).unwrap_or(u32::MAX) <= limit.max {
        return Ok(Ok(()));
    }
    let wait = std::cmp::max((start + limit.per - now).num_seconds(), 1);
    Ok(Err(u64::try_from(wait).unwrap_or(1)))
}

/// Forgets the windows that ended before `before` (housekeeping).
pub async fn purge(c: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(c.execute(
        Query::delete()
            .from_table(TABLE)
            .and_where(Expr::col("window_start").lt(before)),
    )
    .await?
    .rows_affected())
}
