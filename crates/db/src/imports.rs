//! Uploaded import files waiting for confirmation after their dry run,
//! stored in the database so that every instance sees them.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

/// What a batch imports (`import_batches.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchKind {
    Organisations,
    People,
    Venues,
}

impl BatchKind {
    pub const ALL: [BatchKind; 3] = [
        BatchKind::Organisations,
        BatchKind::People,
        BatchKind::Venues,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BatchKind::Organisations => "organisations",
            BatchKind::People => "people",
            BatchKind::Venues => "venues",
        }
    }
}

impl maillage_domain::Vocabulary for BatchKind {
    const ALL: &'static [BatchKind] = &BatchKind::ALL;

    fn code(self) -> &'static str {
        BatchKind::code(self)
    }
}

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

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A file waiting for its import to be confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub user_id: i64,
    pub kind: BatchKind,
    pub filename: String,
    pub content: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

pub async fn save(
    c: &impl ConnectionTrait,
    user_id: i64,
    kind: BatchKind,
    filename: &str,
    content: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    Ok(ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.code().to_owned()),
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
        .await?
        .map(|m| {
            Ok(Batch {
                id: m.id,
                user_id: m.user_id,
                kind: crate::vocab::IMPORT_BATCHES_KIND.decode(&m.kind)?,
                filename: m.filename,
                content: m.content,
                created_at: m.created_at,
            })
        })
        .transpose()
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
