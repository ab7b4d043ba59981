//! Storage for Maillage: one schema and one set of queries for SQLite and
//! PostgreSQL (SeaORM on sqlx). Each feature has its module with its entity
//! and queries. Storage functions take a connection or a [`WriteTx`]; the
//! caller commits.

pub mod api_tokens;
pub mod audit;
mod conn;
pub mod demo;
pub mod introspect;
pub mod migrate;
pub mod organisations;
pub mod outbox;
pub mod page;
pub mod password_tokens;
pub mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod users;

pub use conn::{Backend, ConnectError, Db, PoolConfig, PoolStats, WriteTx};
pub use page::{Page, PageRequest};
pub use sea_orm::{ConnectionTrait, DbErr};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// The current time, truncated to the microsecond both databases keep.
pub fn now() -> DateTime<Utc> {
    Utc::now()
        .duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or_else(|_| Utc::now())
}

/// The name of the unique constraint or index a write violated, if that is why it failed.
pub fn unique_violation(err: &DbErr) -> Option<String> {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => Some(detail),
        _ => None,
    }
}
