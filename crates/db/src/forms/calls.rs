//! Calls: a form opened to submissions for a project between two
//! date-times (calls for participation, calls for applications), and the
//! criteria its submissions are scored on.

use crate::query;
use chrono::{DateTime, Utc};
use maillage_domain::forms::CallKind;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{PaginatorTrait, QueryOrder};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calls")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub form_id: i64,
        pub project_id: i64,
        pub kind: String,
        pub slug: String,
        pub title: String,
        pub opens_at: DateTimeUtc,
        pub closes_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub retention_months: i32,
    }

    crate::query::no_relations!();
}

pub mod criteria_entity {
    use sea_orm::entity::prelude::*;

    /// A criterion submissions are scored on, from 0 to `max_score`,
    /// counting `weight` times in the average.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "call_criteria")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub call_id: i64,
        pub key: String,
        pub label: String,
        pub weight: i32,
        pub max_score: i32,
        pub position: i32,
    }

    crate::query::no_relations!();
}

pub use criteria_entity::Model as Criterion;
use entity::{ActiveModel, Column, Entity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallData {
    pub form_id: i64,
    pub project_id: i64,
    pub kind: CallKind,
    pub slug: String,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Months an application not retained (refused, withdrawn, or a draft
    /// never sent) is kept after the decision (after the closing, for a
    /// draft); then it is deleted with its files.
    pub retention_months: i32,
}

/// The retention of applications unless a call says otherwise.
pub const DEFAULT_RETENTION_MONTHS: i32 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: i64,
    pub data: CallData,
    pub created_at: DateTime<Utc>,
}

/// Why a call takes no submission now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYetOpen(DateTime<Utc>),
    /// The closing date-time has passed: late submissions are refused.
    Closed(DateTime<Utc>),
}

impl Call {
    /// Is the call open at `now` (opening included, closing excluded)?
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.window(now).is_ok()
    }

    pub fn window(&self, now: DateTime<Utc>) -> Result<(), Window> {
        if now < self.data.opens_at {
            Err(Window::NotYetOpen(self.data.opens_at))
        } else if now >= self.data.closes_at {
            Err(Window::Closed(self.data.closes_at))
        } else {
            Ok(())
        }
    }
}

fn from_model(m: entity::Model) -> Result<Call, DbErr> {
    Ok(Call {
        id: m.id,
        data: CallData {
            form_id: m.form_id,
            project_id: m.project_id,
            kind: crate::vocab::CALLS_KIND.decode(&m.kind)?,
            slug: m.slug,
            title: m.title,
            opens_at: m.opens_at,
            closes_at: m.closes_at,
            retention_months: m.retention_months,
        },
        created_at: m.created_at,
    })
}

fn active(d: &CallData) -> ActiveModel {
    ActiveModel {
        form_id: Set(d.form_id),
        project_id: Set(d.project_id),
        kind: Set(d.kind.code().to_owned()),
        slug: Set(d.slug.clone()),
        title: Set(d.title.clone()),
        opens_at: Set(d.opens_at),
        closes_at: Set(d.closes_at),
        retention_months: Set(d.retention_months),
        ..Default::default()
    }
}

pub async fn create(
    c: &impl ConnectionTrait,
    d: &CallData,
    now: DateTime<Utc>,
) -> Result<Call, DbErr> {
    let mut am = active(d);
    am.created_at = Set(now);
    from_model(am.insert(c).await?)
}

pub async fn update(c: &impl ConnectionTrait, id: i64, d: &CallData) -> Result<(), DbErr> {
    let mut am = active(d);
    am.id = Set(id);
    am.update(c).await.map(|_| ())
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Call>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

pub async fn find_by_slug(c: &impl ConnectionTrait, slug: &str) -> Result<Option<Call>, DbErr> {
    Entity::find()
        .filter(Column::Slug.eq(slug))
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

/// The calls open at `now`, closing soonest first (`GET /api/v1/calls`).
pub async fn open(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Call>, DbErr> {
    let q = Entity::find()
        .filter(Column::OpensAt.lte(now))
        .filter(Column::ClosesAt.gt(now))
        .order_by_asc(Column::ClosesAt)
        .order_by_asc(Column::Id);
    query::all(c, q, from_model).await
}

pub async fn of_project(c: &impl ConnectionTrait, project: i64) -> Result<Vec<Call>, DbErr> {
    let q = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .order_by_desc(Column::OpensAt);
    query::all(c, q, from_model).await
}

pub async fn add_criterion(
    c: &impl ConnectionTrait,
    call: i64,
    key: &str,
    label: &str,
    weight: i32,
    max_score: i32,
) -> Result<Criterion, DbErr> {
    let position = criteria_entity::Entity::find()
        .filter(criteria_entity::Column::CallId.eq(call))
        .count(c)
        .await?;
    criteria_entity::ActiveModel {
        call_id: Set(call),
        key: Set(key.to_owned()),
        label: Set(label.to_owned()),
        weight: Set(weight),
        max_score: Set(max_score),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn criteria(c: &impl ConnectionTrait, call: i64) -> Result<Vec<Criterion>, DbErr> {
    criteria_entity::Entity::find()
        .filter(criteria_entity::Column::CallId.eq(call))
        .order_by_asc(criteria_entity::Column::Position)
        .all(c)
        .await
}
