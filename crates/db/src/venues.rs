//! Venues (where activities take place) and the spaces inside them.

use crate::page::{Page, PageRequest};
use crate::records::ordered;
use crate::search::{self, Entity as Search};
use chrono::{DateTime, Utc};
use maillage_domain::directory::SpaceKind;
use maillage_domain::text::fold;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, PaginatorTrait, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "venues")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub name_folded: String,
        pub organisation_id: Option<i64>,
        pub address: Option<String>,
        pub postcode: Option<String>,
        pub commune_insee: Option<String>,
        pub lat: Option<f64>,
        pub lon: Option<f64>,
        pub public_transport: Option<String>,
        pub parking: Option<String>,
        pub wheelchair: bool,
        pub hearing_loop: bool,
        pub visual: bool,
        pub cognitive: bool,
        pub accessibility_notes: Option<String>,
        pub description: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod spaces_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "spaces")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub venue_id: i64,
        pub name: String,
        pub kind: String,
        pub capacity: Option<i32>,
        pub notes: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};
use spaces_entity as sp;

/// Accessibility of a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    pub wheelchair: bool,
    pub hearing_loop: bool,
    pub visual: bool,
    pub cognitive: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VenueData {
    pub name: String,
    pub organisation_id: Option<i64>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune_insee: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub public_transport: Option<String>,
    pub parking: Option<String>,
    pub access: Access,
    pub accessibility_notes: Option<String>,
    pub description: Option<String>,
}

impl VenueData {
    /// The venue's commune, when its INSEE code is a known one.
    pub fn commune(&self) -> Option<&'static maillage_geo::Commune> {
        self.commune_insee
            .as_deref()
            .and_then(maillage_geo::commune)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpaceData {
    pub name: String,
    pub kind: SpaceKind,
    pub capacity: Option<i32>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    pub id: i64,
    pub venue_id: i64,
    pub data: SpaceData,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    pub id: i64,
    pub data: VenueData,
    pub spaces: Vec<Space>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn active(d: &VenueData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        name: Set(d.name.clone()),
        name_folded: Set(fold(&d.name)),
        organisation_id: Set(d.organisation_id),
        address: Set(d.address.clone()),
        postcode: Set(d.postcode.clone()),
        commune_insee: Set(d.commune_insee.clone()),
        lat: Set(d.lat),
        lon: Set(d.lon),
        public_transport: Set(d.public_transport.clone()),
        parking: Set(d.parking.clone()),
        wheelchair: Set(d.access.wheelchair),
        hearing_loop: Set(d.access.hearing_loop),
        visual: Set(d.access.visual),
        cognitive: Set(d.access.cognitive),
        accessibility_notes: Set(d.accessibility_notes.clone()),
        description: Set(d.description.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn index_texts(d: &VenueData) -> Vec<&str> {
    let mut t = vec![d.name.as_str()];
    t.extend(d.address.as_deref());
    t
}

pub async fn insert(
    c: &impl ConnectionTrait,
    d: &VenueData,
    now: DateTime<Utc>,
) -> Result<Venue, DbErr> {
    let mut am = active(d, now);
    am.created_at = Set(now);
    let m = am.insert(c).await?;
    search::index(c, Search::Venue, m.id, &fold(&d.name), &index_texts(d), &[]).await?;
    Ok(with_spaces(c, vec![m]).await?.remove(0))
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &VenueData,
    now: DateTime<Utc>,
) -> Result<Venue, DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    let m = am.update(c).await?;
    search::index(c, Search::Venue, id, &fold(&d.name), &index_texts(d), &[]).await?;
    crate::programme::activities::refresh_at_venue(c, id).await?;
    Ok(with_spaces(c, vec![m]).await?.remove(0))
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    search::remove(c, Search::Venue, id).await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

fn venue_from(m: entity::Model, spaces: Vec<Space>) -> Venue {
    Venue {
        id: m.id,
        spaces,
        created_at: m.created_at,
        updated_at: m.updated_at,
        data: VenueData {
            name: m.name,
            organisation_id: m.organisation_id,
            address: m.address,
            postcode: m.postcode,
            commune_insee: m.commune_insee,
            lat: m.lat,
            lon: m.lon,
            public_transport: m.public_transport,
            parking: m.parking,
            access: Access {
                wheelchair: m.wheelchair,
                hearing_loop: m.hearing_loop,
                visual: m.visual,
                cognitive: m.cognitive,
            },
            accessibility_notes: m.accessibility_notes,
            description: m.description,
        },
    }
}

async fn with_spaces(
    c: &impl ConnectionTrait,
    models: Vec<entity::Model>,
) -> Result<Vec<Venue>, DbErr> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut spaces: BTreeMap<i64, Vec<Space>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for s in sp::Entity::find()
            .filter(sp::Column::VenueId.is_in(chunk.iter().copied()))
            .order_by_asc(sp::Column::Name)
            .all(c)
            .await?
        {
            spaces.entry(s.venue_id).or_default().push(space_from(s)?);
        }
    }
    Ok(models
        .into_iter()
        .map(|m| {
            let s = spaces.remove(&m.id).unwrap_or_default();
            venue_from(m, s)
        })
        .collect())
}

/// Venues by id (with their spaces).
pub async fn list_by_ids(c: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Venue>, DbErr> {
    let models = crate::query::with_ids(c, Entity::find(), Column::Id, ids).await?;
    with_spaces(c, models).await
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Venue>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => Ok(with_spaces(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub query: Option<String>,
    pub communes: Option<Vec<String>>,
    pub organisation_id: Option<i64>,
    pub wheelchair: bool,
}

fn condition(f: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(q) = &f.query {
        for sub in search::matching(Search::Venue, q) {
            cond = cond.add(Column::Id.in_subquery(sub));
        }
    }
    if let Some(communes) = &f.communes {
        cond = cond.add(Column::CommuneInsee.is_in(communes.iter().cloned()));
    }
    if let Some(o) = f.organisation_id {
        cond = cond.add(Column::OrganisationId.eq(o));
    }
    if f.wheelchair {
        cond = cond.add(Column::Wheelchair.eq(true));
    }
    cond
}

pub async fn list(
    c: &impl ConnectionTrait,
    f: &Filter,
    page: PageRequest,
) -> Result<Page<Venue>, DbErr> {
    let (models, total) = crate::records::paged(c, by_name(f), page).await?;
    Ok(Page {
        items: with_spaces(c, models).await?,
        total,
        request: page,
    })
}

pub async fn list_all_matching(c: &impl ConnectionTrait, f: &Filter) -> Result<Vec<Venue>, DbErr> {
    with_spaces(c, by_name(f).all(c).await?).await
}

/// The venues `f` selects, by name.
fn by_name(f: &Filter) -> Select<Entity> {
    let q = Entity::find().filter(condition(f));
    ordered(q, [Column::NameFolded, Column::Id])
}

/// Venues with the same folded name in the same commune.
pub async fn duplicates(
    c: &impl ConnectionTrait,
    d: &VenueData,
    except: Option<i64>,
) -> Result<Vec<Venue>, DbErr> {
    let mut q = Entity::find().filter(Column::NameFolded.eq(fold(&d.name)));
    if let Some(insee) = &d.commune_insee {
        q = q.filter(
            Condition::any()
                .add(Column::CommuneInsee.eq(insee.as_str()))
                .add(Column::CommuneInsee.is_null()),
        );
    }
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    with_spaces(c, q.limit(20).all(c).await?).await
}

/// The directory's venue named `name` (accents and case aside) in the
/// commune `insee`, made when there is none (a place a partner proposed).
pub async fn find_or_create(
    c: &impl ConnectionTrait,
    name: &str,
    insee: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let data = VenueData {
        name: name.trim().to_owned(),
        commune_insee: Some(insee.to_owned()),
        ..Default::default()
    };
    let same = duplicates(c, &data, None).await?;
    if let Some(v) = same
        .iter()
        .find(|v| v.data.commune_insee.as_deref() == Some(insee))
    {
        return Ok(v.id);
    }
    Ok(insert(c, &data, now).await?.id)
}

pub async fn add_space(
    c: &impl ConnectionTrait,
    venue: i64,
    d: &SpaceData,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    Ok(sp::ActiveModel {
        venue_id: Set(venue),
        name: Set(d.name.clone()),
        kind: Set(d.kind.code().to_owned()),
        capacity: Set(d.capacity),
        notes: Set(d.notes.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?
    .id)
}

pub async fn update_space(
    c: &impl ConnectionTrait,
    id: i64,
    d: &SpaceData,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    sp::ActiveModel {
        id: Set(id),
        name: Set(d.name.clone()),
        kind: Set(d.kind.code().to_owned()),
        capacity: Set(d.capacity),
        notes: Set(d.notes.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    // A space's capacity is the capacity of the sessions held there.
    crate::counters::bump(c, crate::counters::PROGRAMME).await
}

pub async fn find_space(c: &impl ConnectionTrait, id: i64) -> Result<Option<Space>, DbErr> {
    sp::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(space_from)
        .transpose()
}

fn space_from(s: sp::Model) -> Result<Space, DbErr> {
    Ok(Space {
        id: s.id,
        venue_id: s.venue_id,
        data: SpaceData {
            name: s.name,
            kind: crate::vocab::SPACES_KIND.decode(&s.kind)?,
            capacity: s.capacity,
            notes: s.notes,
        },
    })
}

pub async fn delete_space(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let gone = sp::Entity::delete_by_id(id).exec(c).await?.rows_affected == 1;
    if gone {
        crate::counters::bump(c, crate::counters::PROGRAMME).await?;
    }
    Ok(gone)
}

/// Venues of an organisation.
pub async fn of_organisation(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<Vec<Venue>, DbErr> {
    list_all_matching(
        c,
        &Filter {
            organisation_id: Some(organisation),
            ..Default::default()
        },
    )
    .await
}

/// Venue ids and names (for choice lists).
pub async fn names(c: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, DbErr> {
    crate::records::names::<Entity>(c, (Column::Id, Column::Name, Column::NameFolded)).await
}

pub async fn count(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(c).await
}
