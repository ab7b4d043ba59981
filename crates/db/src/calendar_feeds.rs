//! Each person's private calendar feed: a secret address (its digest
//! stored, the secret shown once), replaced or revoked by its owner.

use chrono::{DateTime, Utc};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        pub token_digest: String,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// Makes a new secret for `user`'s feed (the old address stops working)
/// and returns it: only its digest is kept.
pub async fn renew(
    c: &impl ConnectionTrait,
    user: i64,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let secret = token::generate();
    Entity::insert(ActiveModel {
        user_id: Set(user),
        token_digest: Set(token::digest(&secret)),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(Column::UserId)
            .update_columns([Column::TokenDigest, Column::CreatedAt])
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(secret)
}

/// Revokes `user`'s feed; whether there was one.
pub async fn revoke(c: &impl ConnectionTrait, user: i64) -> Result<bool, DbErr> {
    Ok(Entity::delete_by_id(user).exec(c).await?.rows_affected == 1)
}

/// When `user`'s feed was made, if they have one.
pub async fn made_at(c: &impl ConnectionTrait, user: i64) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(Entity::find_by_id(user).one(c).await?.map(|m| m.created_at))
}

/// The owner of the feed whose secret is `secret`.
pub async fn owner(c: &impl ConnectionTrait, secret: &str) -> Result<Option<i64>, DbErr> {
    if !token::is_well_formed(secret) {
        return Ok(None);
    }
    Ok(Entity::find()
        .filter(Column::TokenDigest.eq(token::digest(secret)))
        .one(c)
        .await?
        .map(|m| m.user_id))
}
