//! Uploaded import files waiting for confirmation after their dry run,
//! stored in the database so that every instance sees them.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

/// A batch not confirmed within this time is forgotten.
pub const LIFETIME: TimeDelta = TimeDelta::hours(24);

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_batches")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub kind: String,
        pub filename: String,
        pub content: Vec<u8>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Batch;
use entity::{ActiveModel, Column, Entity};

pub async fn save(
    c: &impl ConnectionTrait,
    user_id: i64,
    kind: &str,
    filename: &str,
    content: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    Ok(ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.to_owned()),
        filename: Set(filename.chars().take(200).collect()),
        content: Set(content),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?
    .id)
}

/// A batch of `user_id`, if it exists and has not expired.
pub async fn find(
    c: &impl ConnectionTrait,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Batch>, DbErr> {
    Entity::find_by_id(id)
        .filter(Column::UserId.eq(user_id))
        .filter(Column::CreatedAt.gt(now - LIFETIME))
        .one(c)
        .await
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(c).await.map(|_| ())
}

pub async fn purge_expired(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::CreatedAt.lte(now - LIFETIME))
        .exec(c)
        .await?
        .rows_affected)
}
