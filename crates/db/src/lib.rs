//! Storage for Maillage: one schema and one set of queries for SQLite and
//! PostgreSQL (SeaORM on sqlx). Each feature has its module with its entity
//! and queries. Storage functions take a connection or a [`WriteTx`]; the
//! caller commits.

pub mod api_tokens;
pub mod audit;
pub mod bookings;
pub mod calendar_feeds;
mod conn;
pub mod counters;
pub mod demo;
pub mod forms;
pub mod housekeeping;
pub mod imports;
pub mod inbox;
pub mod introspect;
mod links;
pub mod media;
pub mod migrate;
pub mod notifications;
pub mod organisations;
pub mod outbox;
pub mod page;
pub mod password_tokens;
pub mod people;
pub mod planning;
pub mod programme;
mod query;
pub mod ratelimit;
pub mod records;
pub mod report_notes;
pub mod reports;
pub mod search;
pub mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod users;
pub mod venues;
pub mod vocab;

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

/// A write refused because a row still points at the one being deleted.
pub fn foreign_key_violation(err: &DbErr) -> bool {
    // SQLite reports ON DELETE RESTRICT with the extended code of a trigger
    // constraint (1811), which SeaORM does not classify: read the message.
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
    ) || err.to_string().contains("FOREIGN KEY constraint failed")
}

/// A write that failed because a value was already taken: the columns of
/// the unique constraint it violated (empty when the engine did not say).
pub fn unique_violation(err: &DbErr) -> Option<Vec<String>> {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as SqlxError;
    if !matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) {
        return None;
    }
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return Some(Vec::new());
    };
    let SqlxError::Database(e) = &**e else {
        return Some(Vec::new());
    };
    if let Some(pg) = e.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>() {
        // "Key (email)=(a@example.org) already exists."
        let cols = pg
            .detail()
            .and_then(|d| d.strip_prefix("Key ("))
            .and_then(|d| d.split_once(")="))
            .map(|(cols, _)| cols.split(',').map(|c| c.trim().to_owned()).collect())
            .unwrap_or_default();
        return Some(cols);
    }
    // SQLite: "UNIQUE constraint failed: users.email, users.other"
    let msg = e.message();
    let cols = msg
        .split_once(": ")
        .map(|(_, list)| {
            list.split(',')
                .filter_map(|c| c.trim().rsplit_once('.').map(|(_, col)| col.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    Some(cols)
}
