//! Login sessions, stored in the database so that every instance shares them.
//! The cookie carries a random token; only its SHA-256 digest is stored.

use crate::users::{self, User};
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// A session ends after this long without a request…
pub const IDLE: TimeDelta = TimeDelta::days(14);
/// …and in any case this long after login.
pub const ABSOLUTE: TimeDelta = TimeDelta::days(30);
/// `last_seen_at` is written at most this often (one write per request would
/// serialise every page view on SQLite).
pub const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(5);

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i64,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ip: Option<String>,
        pub user_agent: Option<String>,
    }

    crate::query::belongs_to_user!();
}

pub use entity::Model as Session;
use entity::{ActiveModel, Column, Entity};

/// Opens a session for `user_id`; returns the token to put in the cookie.
pub async fn create(
    c: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<String, DbErr> {
    let token = token::generate();
    ActiveModel {
        token_hash: Set(token::digest(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + IDLE),
        ip: Set(ip.map(|s| truncate(s, 64))),
        user_agent: Set(user_agent.map(|s| truncate(s, 256))),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(token)
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The live session of `token` and its active user, if any.
pub async fn lookup(
    c: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Session, User)>, DbErr> {
    let Some(digest) = crate::query::secret_digest(token) else {
        return Ok(None);
    };
    let found = Entity::find()
        .filter(Column::TokenHash.eq(digest))
        .filter(Column::ExpiresAt.gt(now))
        .find_also_related(users::entity::Entity)
        .one(c)
        .await?;
    users::with_active_user(found)
}

/// Whether `session` is due for a [`touch`].
pub fn needs_touch(session: &Session, now: DateTime<Utc>) -> bool {
    now - session.last_seen_at >= TOUCH_EVERY
}

/// Records activity: slides the expiry, never past the absolute limit.
pub async fn touch(
    c: &impl ConnectionTrait,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let expires = (now + IDLE).min(session.created_at + ABSOLUTE);
    Entity::update_many()
        .col_expr(Column::LastSeenAt, Expr::value(now))
        .col_expr(Column::ExpiresAt, Expr::value(expires))
        .filter(Column::Id.eq(session.id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Ends the session of `token` (logout).
pub async fn delete(c: &impl ConnectionTrait, token: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::TokenHash.eq(token::digest(token)))
        .exec(c)
        .await
        .map(|_| ())
}

/// Ends every session of a user (password change, disabling), except `keep`.
pub async fn delete_for_user(
    c: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, DbErr> {
    let mut q = Entity::delete_many().filter(Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        q = q.filter(Column::Id.ne(keep));
    }
    Ok(q.exec(c).await?.rows_affected)
}

/// Deletes expired sessions.
pub async fn purge_expired(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::ExpiresAt.lte(now))
        .exec(c)
        .await?
        .rows_affected)
}
