//! Projects: an edition of an event or programme (a Fête de la science, a
//! game jam, a season of Soirées Cult'…) and its partner organisations.

use crate::{counters, vocab};
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::programme::{PartnerRole, ProjectKind, ProjectStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, QuerySelect};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "projects")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub slug: String,
        pub name: String,
        pub kind: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub description: Option<String>,
        pub lead_user_id: Option<i64>,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod partners_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "project_partners")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub organisation_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectData {
    pub slug: String,
    pub name: String,
    pub kind: ProjectKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: Option<String>,
    pub lead_user_id: Option<i64>,
    pub status: ProjectStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: PartnerRole,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: i64,
    pub data: ProjectData,
    pub partners: Vec<Partner>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn from_model(m: entity::Model, partners: Vec<Partner>) -> Result<Project, DbErr> {
    Ok(Project {
        id: m.id,
        partners,
        created_at: m.created_at,
        updated_at: m.updated_at,
        data: ProjectData {
            slug: m.slug,
            name: m.name,
            kind: vocab::PROJECTS_KIND.decode(&m.kind)?,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            description: m.description,
            lead_user_id: m.lead_user_id,
            status: vocab::PROJECTS_STATUS.decode(&m.status)?,
        },
    })
}

fn active(d: &ProjectData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        slug: Set(d.slug.clone()),
        name: Set(d.name.clone()),
        kind: Set(d.kind.code().to_owned()),
        starts_on: Set(d.starts_on),
        ends_on: Set(d.ends_on),
        description: Set(d.description.clone()),
        lead_user_id: Set(d.lead_user_id),
        status: Set(d.status.code().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn insert(
    c: &impl ConnectionTrait,
    d: &ProjectData,
    now: DateTime<Utc>,
) -> Result<Project, DbErr> {
    let mut am = active(d, now);
    am.created_at = Set(now);
    let m = am.insert(c).await?;
    counters::bump(c, counters::PROGRAMME).await?;
    from_model(m, Vec::new())
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &ProjectData,
    now: DateTime<Utc>,
) -> Result<Project, DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    am.update(c).await?;
    counters::bump(c, counters::PROGRAMME).await?;
    // Its open rétroplanning tasks follow its dates.
    crate::planning::tasks::reschedule(c, id, d.starts_on, d.ends_on, now).await?;
    find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("project".into()))
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let ids: Vec<i64> = super::activities::entity::Entity::find()
        .select_only()
        .column(super::activities::entity::Column::Id)
        .filter(super::activities::entity::Column::ProjectId.eq(id))
        .into_tuple()
        .all(c)
        .await?;
    for a in ids {
        crate::search::remove(c, crate::search::Entity::Activity, a).await?;
        crate::media::delete(c, crate::media::Owner::Activity(a)).await?;
    }
    crate::media::delete(c, crate::media::Owner::Project(id)).await?;
    counters::bump(c, counters::PROGRAMME).await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

/// Replaces the partners of a project.
pub async fn set_partners(
    c: &impl ConnectionTrait,
    id: i64,
    partners: &[(i64, PartnerRole)],
) -> Result<(), DbErr> {
    partners_entity::Entity::delete_many()
        .filter(partners_entity::Column::ProjectId.eq(id))
        .exec(c)
        .await?;
    let mut seen = Vec::new();
    for (org, role) in partners {
        if seen.contains(&(*org, *role)) {
            continue;
        }
        seen.push((*org, *role));
        partners_entity::ActiveModel {
            project_id: Set(id),
            organisation_id: Set(*org),
            role: Set(role.code().to_owned()),
        }
        .insert(c)
        .await?;
    }
    counters::bump(c, counters::PROGRAMME).await
}

async fn partners_of(c: &impl ConnectionTrait, id: i64) -> Result<Vec<Partner>, DbErr> {
    let rows: Vec<(i64, String, String)> = partners_entity::Entity::find()
        .select_only()
        .column(partners_entity::Column::OrganisationId)
        .column(partners_entity::Column::Role)
        .column_as(Expr::col(("organisations", "name")), "organisation_name")
        .join_as(
            sea_orm::JoinType::InnerJoin,
            partners_entity::Entity::belongs_to(crate::organisations::entity::Entity)
                .from(partners_entity::Column::OrganisationId)
                .to(crate::organisations::entity::Column::Id)
                .into(),
            "organisations",
        )
        .filter(partners_entity::Column::ProjectId.eq(id))
        .order_by_asc(partners_entity::Column::Role)
        .order_by_asc(Expr::col(("organisations", "name_folded")))
        .order_by_asc(Expr::col(("organisations", "id")))
        .into_tuple()
        .all(c)
        .await?;
    rows.into_iter()
        .map(|(organisation_id, role, organisation_name)| {
            Ok(Partner {
                organisation_id,
                organisation_name,
                role: vocab::PROJECT_PARTNERS_ROLE.decode(&role)?,
            })
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Project>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => {
            let p = partners_of(c, m.id).await?;
            Ok(Some(from_model(m, p)?))
        }
        None => Ok(None),
    }
}

pub async fn find_by_slug(c: &impl ConnectionTrait, slug: &str) -> Result<Option<Project>, DbErr> {
    match Entity::find().filter(Column::Slug.eq(slug)).one(c).await? {
        Some(m) => {
            let p = partners_of(c, m.id).await?;
            Ok(Some(from_model(m, p)?))
        }
        None => Ok(None),
    }
}

/// Projects, most recent first; only the published ones when `public`.
pub async fn list(c: &impl ConnectionTrait, public: bool) -> Result<Vec<Project>, DbErr> {
    let mut q = Entity::find();
    if public {
        q = q.filter(Column::Status.eq(ProjectStatus::Published.code()));
    }
    let q = q.order_by_desc(Column::StartsOn).order_by_asc(Column::Name);
    without_partners(c, q).await
}

/// The projects of one kind, by start date (for "last year's edition").
pub async fn of_kind(c: &impl ConnectionTrait, kind: ProjectKind) -> Result<Vec<Project>, DbErr> {
    let q = Entity::find().filter(Column::Kind.eq(kind.code()));
    without_partners(c, q.order_by_asc(Column::StartsOn)).await
}

/// The projects of the ordered query `q` (then by id), without their
/// partners.
async fn without_partners(
    c: &impl ConnectionTrait,
    q: Select<Entity>,
) -> Result<Vec<Project>, DbErr> {
    let models = q.order_by_asc(Column::Id).all(c).await?;
    models
        .into_iter()
        .map(|m| from_model(m, Vec::new()))
        .collect()
}
