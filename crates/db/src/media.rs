//! Images of activities and projects: one per owner, with its alternative
//! text (French required, English optional), a credit, and its resized JPEG
//! copies ("variants", one per width) stored in the database so that every
//! instance serves them. Replacing an image gives it a new id, so its URLs
//! change and the old ones can be cached forever.

use crate::{counters, vocab};
use chrono::{DateTime, Utc};
use maillage_domain::programme::ProjectStatus;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{QueryOrder, QuerySelect};
use std::collections::HashMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "images")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub owner_type: String,
        pub owner_id: i64,
        pub alt_fr: String,
        pub alt_en: Option<String>,
        pub credit: Option<String>,
        pub width: i32,
        pub height: i32,
        pub digest: String,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

const VARIANTS: &str = "image_variants";

/// What an image belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Activity(i64),
    Project(i64),
}

/// What kind of record an image belongs to (`images.owner_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerType {
    Activity,
    Project,
}

impl OwnerType {
    pub const ALL: [OwnerType; 2] = [OwnerType::Activity, OwnerType::Project];

    pub fn code(self) -> &'static str {
        match self {
            OwnerType::Activity => "activity",
            OwnerType::Project => "project",
        }
    }
}

impl maillage_domain::Vocabulary for OwnerType {
    const ALL: &'static [OwnerType] = &OwnerType::ALL;

    fn code(self) -> &'static str {
        OwnerType::code(self)
    }
}

impl Owner {
    pub fn owner_type(self) -> OwnerType {
        match self {
            Owner::Activity(_) => OwnerType::Activity,
            Owner::Project(_) => OwnerType::Project,
        }
    }

    pub fn kind(self) -> &'static str {
        self.owner_type().code()
    }

    pub fn id(self) -> i64 {
        match self {
            Owner::Activity(id) | Owner::Project(id) => id,
        }
    }

    fn new(kind: OwnerType, id: i64) -> Owner {
        match kind {
            OwnerType::Activity => Owner::Activity(id),
            OwnerType::Project => Owner::Project(id),
        }
    }
}

/// One resized copy to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVariant {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The words that go with an image.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageText {
    pub alt_fr: String,
    pub alt_en: Option<String>,
    pub credit: Option<String>,
}

/// An image to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImage {
    pub text: ImageText,
    pub width: u32,
    pub height: u32,
    pub digest: String,
    pub variants: Vec<NewVariant>,
}

/// A stored copy, without its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantInfo {
    pub width: u32,
    pub height: u32,
    pub byte_length: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub id: i64,
    pub owner: Owner,
    pub text: ImageText,
    /// Size of the upright original.
    pub width: u32,
    pub height: u32,
    pub digest: String,
    pub created_at: DateTime<Utc>,
    /// Narrowest first.
    pub variants: Vec<VariantInfo>,
}

impl Image {
    /// Its path for one width, which changes whenever the image is replaced:
    /// `/media/12-1a2b3c4d-640.jpg`.
    pub fn path(&self, width: u32) -> String {
        format!("/media/{}-{}-{width}.jpg", self.id, self.short_digest())
    }

    pub fn short_digest(&self) -> &str {
        self.digest.get(..8).unwrap_or(&self.digest)
    }

    /// The widest copy.
    pub fn largest(&self) -> Option<VariantInfo> {
        self.variants.last().copied()
    }

    /// The narrowest copy at least `width` wide, or the widest.
    pub fn at_least(&self, width: u32) -> Option<VariantInfo> {
        self.variants
            .iter()
            .find(|v| v.width >= width)
            .or(self.variants.last())
            .copied()
    }

    /// The alternative text in `locale` (`"en"`), French when there is none.
    pub fn alt(&self, english: bool) -> &str {
        match (&self.text.alt_en, english) {
            (Some(en), true) if !en.trim().is_empty() => en,
            _ => &self.text.alt_fr,
        }
    }
}

fn to_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

async fn variants_of(
    c: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<VariantInfo>>, DbErr> {
    let mut out: HashMap<i64, Vec<VariantInfo>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = c
        .query_all(
            Query::select()
                .columns(["image_id", "width", "height", "byte_length"])
                .from(VARIANTS)
                .and_where(Expr::col("image_id").is_in(ids.iter().copied()))
                .order_by("image_id", sea_orm::Order::Asc)
                .order_by("width", sea_orm::Order::Asc),
        )
        .await?;
    for r in rows {
        let id: i64 = r.try_get("", "image_id")?;
        out.entry(id).or_default().push(VariantInfo {
            width: to_u32(r.try_get("", "width")?),
            height: to_u32(r.try_get("", "height")?),
            byte_length: u64::try_from(r.try_get::<i32>("", "byte_length")?).unwrap_or(0),
        });
    }
    Ok(out)
}

async fn load(c: &impl ConnectionTrait, models: Vec<entity::Model>) -> Result<Vec<Image>, DbErr> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut variants = variants_of(c, &ids).await?;
    models
        .into_iter()
        .map(|m| {
            Ok(Image {
                id: m.id,
                owner: Owner::new(vocab::IMAGES_OWNER_TYPE.decode(&m.owner_type)?, m.owner_id),
                text: ImageText {
                    alt_fr: m.alt_fr,
                    alt_en: m.alt_en,
                    credit: m.credit,
                },
                width: to_u32(m.width),
                height: to_u32(m.height),
                digest: m.digest,
                created_at: m.created_at,
                variants: variants.remove(&m.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Stores the image of `owner`, replacing the one it had (with a new id).
/// Run it in a write transaction: the old image goes only if the new one
/// is stored.
pub async fn put(
    c: &impl ConnectionTrait,
    owner: Owner,
    image: NewImage,
    now: DateTime<Utc>,
) -> Result<Image, DbErr> {
    remove(c, owner).await?;
    let id = ActiveModel {
        owner_type: Set(owner.kind().to_owned()),
        owner_id: Set(owner.id()),
        alt_fr: Set(image.text.alt_fr),
        alt_en: Set(image.text.alt_en),
        credit: Set(image.text.credit),
        width: Set(to_i32(image.width)),
        height: Set(to_i32(image.height)),
        digest: Set(image.digest),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?
    .id;
    for v in image.variants {
        let len = i32::try_from(v.bytes.len()).unwrap_or(i32::MAX);
        c.execute(
            Query::insert()
                .into_table(VARIANTS)
                .columns(["image_id", "width", "height", "bytes", "byte_length"])
                .values_panic([
                    id.into(),
                    to_i32(v.width).into(),
                    to_i32(v.height).into(),
                    v.bytes.into(),
                    len.into(),
                ]),
        )
        .await?;
    }
    counters::bump(c, counters::PROGRAMME).await?;
    find(c, owner)
        .await?
        .ok_or(DbErr::RecordNotFound("image".into()))
}

/// Changes the words of an image (the picture stays, and so do its URLs).
pub async fn set_text(
    c: &impl ConnectionTrait,
    owner: Owner,
    text: ImageText,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::AltFr, Expr::value(text.alt_fr))
        .col_expr(Column::AltEn, Expr::value(text.alt_en))
        .col_expr(Column::Credit, Expr::value(text.credit))
        .filter(Column::OwnerType.eq(owner.kind()))
        .filter(Column::OwnerId.eq(owner.id()))
        .exec(c)
        .await?;
    if r.rows_affected > 0 {
        counters::bump(c, counters::PROGRAMME).await?;
    }
    Ok(r.rows_affected > 0)
}

async fn remove(c: &impl ConnectionTrait, owner: Owner) -> Result<bool, DbErr> {
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::OwnerType.eq(owner.kind()))
        .filter(Column::OwnerId.eq(owner.id()))
        .into_tuple()
        .all(c)
        .await?;
    if ids.is_empty() {
        return Ok(false);
    }
    c.execute(
        Query::delete()
            .from_table(VARIANTS)
            .and_where(Expr::col("image_id").is_in(ids.iter().copied())),
    )
    .await?;
    Entity::delete_many()
        .filter(Column::Id.is_in(ids))
        .exec(c)
        .await?;
    Ok(true)
}

/// Deletes the image of `owner`; whether there was one.
pub async fn delete(c: &impl ConnectionTrait, owner: Owner) -> Result<bool, DbErr> {
    let removed = remove(c, owner).await?;
    if removed {
        counters::bump(c, counters::PROGRAMME).await?;
    }
    Ok(removed)
}

/// The image of `owner`.
pub async fn find(c: &impl ConnectionTrait, owner: Owner) -> Result<Option<Image>, DbErr> {
    let models = Entity::find()
        .filter(Column::OwnerType.eq(owner.kind()))
        .filter(Column::OwnerId.eq(owner.id()))
        .all(c)
        .await?;
    Ok(load(c, models).await?.pop())
}

pub async fn find_by_id(c: &impl ConnectionTrait, id: i64) -> Result<Option<Image>, DbErr> {
    let models = Entity::find_by_id(id).all(c).await?;
    Ok(load(c, models).await?.pop())
}

/// The images of several activities, by activity id (for lists).
pub async fn of_activities(
    c: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Image>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let models = Entity::find()
        .filter(Column::OwnerType.eq("activity"))
        .filter(Column::OwnerId.is_in(ids.iter().copied()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?;
    Ok(load(c, models)
        .await?
        .into_iter()
        .map(|i| (i.owner.id(), i))
        .collect())
}

/// The JPEG bytes of one copy.
pub async fn variant_bytes(
    c: &impl ConnectionTrait,
    image_id: i64,
    width: u32,
) -> Result<Option<Vec<u8>>, DbErr> {
    let row = c
        .query_one(
            Query::select()
                .column("bytes")
                .from(VARIANTS)
                .and_where(Expr::col("image_id").eq(image_id))
                .and_where(Expr::col("width").eq(to_i32(width))),
        )
        .await?;
    row.map(|r| r.try_get::<Vec<u8>>("", "bytes")).transpose()
}

/// Whether visitors may see the image: its activity is published (or full,
/// or cancelled) in a published project, or its project is published.
pub async fn is_public(c: &impl ConnectionTrait, owner: Owner) -> Result<bool, DbErr> {
    use crate::programme::activities::entity as activities;
    use crate::programme::projects::entity as projects;
    let project_id = match owner {
        Owner::Project(id) => id,
        Owner::Activity(id) => {
            let Some(a) = activities::Entity::find_by_id(id).one(c).await? else {
                return Ok(false);
            };
            if !vocab::ACTIVITIES_STATUS.decode(&a.status)?.is_public() {
                return Ok(false);
            }
            a.project_id
        }
    };
    match projects::Entity::find_by_id(project_id).one(c).await? {
        Some(p) => Ok(vocab::PROJECTS_STATUS.decode(&p.status)? == ProjectStatus::Published),
        None => Ok(false),
    }
}

/// Deletes the images whose activity or project no longer exists; how many.
pub async fn purge_orphans(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let mut orphans = Vec::new();
    for (kind, table) in [
        (OwnerType::Activity, "activities"),
        (OwnerType::Project, "projects"),
    ] {
        let rows = c
            .query_all(
                Query::select()
                    .column(("images", "id"))
                    .from("images")
                    .and_where(Expr::col(("images", "owner_type")).eq(kind.code()))
                    .and_where(
                        Expr::col(("images", "owner_id"))
                            .not_in_subquery(Query::select().column("id").from(table).take()),
                    ),
            )
            .await?;
        for r in rows {
            orphans.push(r.try_get::<i64>("", "id")?);
        }
    }
    if orphans.is_empty() {
        return Ok(0);
    }
    c.execute(
        Query::delete()
            .from_table(VARIANTS)
            .and_where(Expr::col("image_id").is_in(orphans.iter().copied())),
    )
    .await?;
    Ok(Entity::delete_many()
        .filter(Column::Id.is_in(orphans))
        .exec(c)
        .await?
        .rows_affected)
}
