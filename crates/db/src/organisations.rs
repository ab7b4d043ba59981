//! Organisations (a minimal table here; the directory extends it). Partners
//! belong to one.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "organisations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Organisation;
use entity::{ActiveModel, Column, Entity};

pub async fn create(
    c: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    ActiveModel {
        name: Set(name.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Organisation>, DbErr> {
    Entity::find_by_id(id).one(c).await
}

/// All organisations by name (for choosing a partner's organisation).
pub async fn list_all(c: &impl ConnectionTrait) -> Result<Vec<Organisation>, DbErr> {
    Entity::find().order_by_asc(Column::Name).all(c).await
}

/// The organisation with exactly this name, if any.
pub async fn find_by_name(
    c: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<Organisation>, DbErr> {
    Entity::find().filter(Column::Name.eq(name)).one(c).await
}
