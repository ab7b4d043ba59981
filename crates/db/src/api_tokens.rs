//! Personal API tokens: shown once, stored as a digest, revocable. Used as
//! `Authorization: Bearer …` with the rights of their owner's role.

use crate::users::{self, User};
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

/// Prefix that makes Maillage tokens recognisable (e.g. by secret scanners).
pub const PREFIX: &str = "mlg_";
/// `last_used_at` is written at most this often.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(5);

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub name: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub prefix: String,
        pub created_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        /// The token may only read (GET), whatever its owner's role.
        pub read_only: bool,
        /// After this the token no longer works.
        pub expires_at: Option<DateTimeUtc>,
    }

    crate::query::belongs_to_user!();
}

pub use entity::Model as ApiToken;
use entity::{ActiveModel, Column, Entity};

/// What a token may do, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grant {
    pub read_only: bool,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates a token named `name` for `user_id` with the rights of its
/// owner's role and no expiry (the command line's); see [`create_with`].
pub async fn create(
    c: &impl ConnectionTrait,
    user_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), DbErr> {
    create_with(c, user_id, name, Grant::default(), now).await
}

/// Creates a token named `name` for `user_id` limited by `grant`; returns
/// it with its secret, which is never shown again.
pub async fn create_with(
    c: &impl ConnectionTrait,
    user_id: i64,
    name: &str,
    grant: Grant,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), DbErr> {
    let secret = format!("{PREFIX}{}", token::generate());
    let model = ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_owned()),
        token_hash: Set(token::digest(&secret)),
        prefix: Set(secret.chars().take(PREFIX.len() + 6).collect()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        read_only: Set(grant.read_only),
        expires_at: Set(grant.expires_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok((model, secret))
}

pub async fn list_for_user(c: &impl ConnectionTrait, user_id: i64) -> Result<Vec<ApiToken>, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .all(c)
        .await
}

/// Revokes token `id` of `user_id`; false when there is no such live token.
pub async fn revoke(
    c: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::RevokedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The live token of `secret` (not revoked, not expired at `now`) and its
/// active owner, if any.
pub async fn authenticate(
    c: &impl ConnectionTrait,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<(ApiToken, User)>, DbErr> {
    let Some(raw) = secret.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    if !token::is_well_formed(raw) {
        return Ok(None);
    }
    let found = Entity::find()
        .filter(Column::TokenHash.eq(token::digest(secret)))
        .filter(Column::RevokedAt.is_null())
        .filter(
            sea_orm::Condition::any()
                .add(Column::ExpiresAt.is_null())
                .add(Column::ExpiresAt.gt(now)),
        )
        .find_also_related(users::entity::Entity)
        .one(c)
        .await?;
    users::with_active_user(found)
}

pub fn needs_touch(t: &ApiToken, now: DateTime<Utc>) -> bool {
    t.last_used_at.is_none_or(|l| now - l >= TOUCH_EVERY)
}

pub async fn touch(c: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::LastUsedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}
