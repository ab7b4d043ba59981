//! Organisations of the network: associations, university, laboratories,
//! libraries, companies, local authorities, schools, museums, media…

use crate::page::{Page, PageRequest};
use crate::search::{self, Entity as Search, Term};
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::directory::{OrgKind, Theme};
use maillage_domain::text::fold;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{Condition, PaginatorTrait, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

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
        pub kind: String,
        pub name_folded: String,
        pub siret: Option<String>,
        pub uai: Option<String>,
        pub address: Option<String>,
        pub postcode: Option<String>,
        pub commune_insee: Option<String>,
        pub website: Option<String>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub description: Option<String>,
        pub public_listing: bool,
    }

    crate::query::no_relations!();
}

pub mod themes_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "organisation_themes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub organisation_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub theme: String,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// What a user enters about an organisation (already validated).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrganisationData {
    pub name: String,
    pub kind: Option<OrgKind>,
    pub siret: Option<String>,
    pub uai: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune_insee: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    pub public_listing: bool,
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: i64,
    pub data: OrganisationData,
    pub kind: OrgKind,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Organisation {
    pub fn name(&self) -> &str {
        &self.data.name
    }

    fn from_model(m: entity::Model, themes: Vec<Theme>) -> Result<Organisation, DbErr> {
        let kind = vocab::ORGANISATIONS_KIND.decode(&m.kind)?;
        Ok(Organisation {
            id: m.id,
            kind,
            created_at: m.created_at,
            updated_at: m.updated_at,
            data: OrganisationData {
                name: m.name,
                kind: Some(kind),
                siret: m.siret,
                uai: m.uai,
                address: m.address,
                postcode: m.postcode,
                commune_insee: m.commune_insee,
                website: m.website,
                email: m.email,
                phone: m.phone,
                description: m.description,
                public_listing: m.public_listing,
                themes,
            },
        })
    }
}

fn active(data: &OrganisationData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        name: Set(data.name.clone()),
        name_folded: Set(fold(&data.name)),
        kind: Set(data.kind.unwrap_or(OrgKind::Other).code().to_owned()),
        siret: Set(data.siret.clone()),
        uai: Set(data.uai.clone()),
        address: Set(data.address.clone()),
        postcode: Set(data.postcode.clone()),
        commune_insee: Set(data.commune_insee.clone()),
        website: Set(data.website.clone()),
        email: Set(data.email.as_ref().map(|e| e.to_lowercase())),
        phone: Set(data.phone.clone()),
        description: Set(data.description.clone()),
        public_listing: Set(data.public_listing),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The searchable words of an organisation.
fn index_texts(data: &OrganisationData) -> Vec<&str> {
    let mut t = vec![data.name.as_str()];
    t.extend(data.siret.as_deref());
    t.extend(data.uai.as_deref());
    t.extend(data.email.as_deref());
    t
}

fn kind_facet(k: OrgKind) -> String {
    format!("k:{}", k.code())
}

fn theme_facet(t: Theme) -> String {
    format!("t:{}", t.code())
}

fn commune_facet(insee: &str) -> String {
    format!("c:{insee}")
}

const PUBLIC_FACET: &str = "p:1";

/// The facet of several broad filters at once (type, theme, public), so
/// that combining them is one index lookup, not an intersection of large sets.
fn combined_facet(kind: Option<OrgKind>, theme: Option<Theme>, public: bool) -> Option<String> {
    let parts: Vec<String> = [
        public.then(|| "p".to_owned()),
        kind.map(|k| format!("k={}", k.code())),
        theme.map(|t| format!("t={}", t.code())),
    ]
    .into_iter()
    .flatten()
    .collect();
    (parts.len() >= 2).then(|| format!("x:{}", parts.join(",")))
}

/// The facets of an organisation in the search index, so that its filters
/// are answered from the index.
fn facets(data: &OrganisationData) -> Vec<String> {
    let kind = data.kind.unwrap_or(OrgKind::Other);
    let public = data.public_listing;
    let mut f = vec![kind_facet(kind)];
    f.extend(data.themes.iter().map(|t| theme_facet(*t)));
    f.extend(data.commune_insee.as_deref().map(commune_facet));
    if public {
        f.push(PUBLIC_FACET.to_owned());
    }
    f.extend(combined_facet(Some(kind), None, public));
    for t in &data.themes {
        f.extend(combined_facet(Some(kind), Some(*t), false));
        f.extend(combined_facet(None, Some(*t), public));
        f.extend(combined_facet(Some(kind), Some(*t), public));
    }
    f.sort();
    f.dedup();
    f
}

async fn index(c: &impl ConnectionTrait, id: i64, data: &OrganisationData) -> Result<(), DbErr> {
    search::index(
        c,
        Search::Organisation,
        id,
        &fold(&data.name),
        &index_texts(data),
        &facets(data),
    )
    .await
}

/// Rebuilds the search index of every organisation.
pub async fn reindex_all(c: &impl ConnectionTrait) -> Result<(), DbErr> {
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(c)
        .await?;
    for chunk in ids.chunks(500) {
        for o in find_many(c, chunk).await? {
            index(c, o.id, &o.data).await?;
        }
    }
    Ok(())
}

async fn set_themes(c: &impl ConnectionTrait, id: i64, themes: &[Theme]) -> Result<(), DbErr> {
    themes_entity::Entity::delete_many()
        .filter(themes_entity::Column::OrganisationId.eq(id))
        .exec(c)
        .await?;
    let mut seen = Vec::new();
    for t in themes {
        if seen.contains(t) {
            continue;
        }
        seen.push(*t);
        themes_entity::ActiveModel {
            organisation_id: Set(id),
            theme: Set(t.code().to_owned()),
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Creates an organisation with just a name (other fields empty, type "other").
pub async fn create(
    c: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    insert(
        c,
        &OrganisationData {
            name: name.to_owned(),
            ..Default::default()
        },
        now,
    )
    .await
}

pub async fn insert(
    c: &impl ConnectionTrait,
    data: &OrganisationData,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    let mut am = active(data, now);
    am.created_at = Set(now);
    let m = am.insert(c).await?;
    set_themes(c, m.id, &data.themes).await?;
    index(c, m.id, data).await?;
    Organisation::from_model(m, dedup(&data.themes))
}

fn dedup(themes: &[Theme]) -> Vec<Theme> {
    let mut v = themes.to_vec();
    v.sort();
    v.dedup();
    v
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    data: &OrganisationData,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    let mut am = active(data, now);
    am.id = Set(id);
    let m = am.update(c).await?;
    set_themes(c, id, &data.themes).await?;
    index(c, id, data).await?;
    crate::programme::activities::refresh_of_organisation(c, id).await?;
    Organisation::from_model(m, dedup(&data.themes))
}

/// Deletes an organisation. Its memberships and themes go with it; its
/// venues stay without an owner; accounts of partners still attached to it
/// make the deletion fail (foreign key), so they must be moved first.
pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    search::remove(c, Search::Organisation, id).await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

async fn themes_of(
    c: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<BTreeMap<i64, Vec<Theme>>, DbErr> {
    let mut map: BTreeMap<i64, Vec<Theme>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    for chunk in ids.chunks(500) {
        let rows = themes_entity::Entity::find()
            .filter(themes_entity::Column::OrganisationId.is_in(chunk.iter().copied()))
            .all(c)
            .await?;
        for r in rows {
            let t = vocab::ORGANISATION_THEMES_THEME.decode(&r.theme)?;
            map.entry(r.organisation_id).or_default().push(t);
        }
    }
    for v in map.values_mut() {
        v.sort();
    }
    Ok(map)
}

async fn with_themes(
    c: &impl ConnectionTrait,
    models: Vec<entity::Model>,
) -> Result<Vec<Organisation>, DbErr> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut themes = themes_of(c, &ids).await?;
    models
        .into_iter()
        .map(|m| {
            let t = themes.remove(&m.id).unwrap_or_default();
            Organisation::from_model(m, t)
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Organisation>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => Ok(with_themes(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn find_many(c: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Organisation>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let models = Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(Column::NameFolded)
        .all(c)
        .await?;
    with_themes(c, models).await
}

/// The organisation with exactly this name, if any.
pub async fn find_by_name(
    c: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<Organisation>, DbErr> {
    match Entity::find().filter(Column::Name.eq(name)).one(c).await? {
        Some(m) => Ok(with_themes(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

/// Organisations whose folded name is `name` (for imports that name them).
pub async fn find_by_folded_name(
    c: &impl ConnectionTrait,
    name: &str,
) -> Result<Vec<(i64, String)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .filter(Column::NameFolded.eq(fold(name)))
        .into_tuple()
        .all(c)
        .await
}

/// All organisations by name, id and name only (for choice lists).
pub async fn list_all(c: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, DbErr> {
    crate::records::names::<Entity>(c, (Column::Id, Column::Name, Column::NameFolded)).await
}

/// The schools of the directory (id, name, commune), by name, for the
/// class booking form.
pub async fn schools(
    c: &impl ConnectionTrait,
) -> Result<Vec<(i64, String, Option<String>)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Name)
        .column(Column::CommuneInsee)
        .filter(Column::Kind.eq(OrgKind::School.code()))
        .order_by_asc(Column::NameFolded)
        .into_tuple()
        .all(c)
        .await
}

pub async fn count(c: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(c).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Commune,
    Recent,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub query: Option<String>,
    pub kind: Option<OrgKind>,
    /// Organisations in one of these communes (a commune, or an EPCI's communes).
    pub communes: Option<Vec<String>>,
    pub theme: Option<Theme>,
    /// Only those that agreed to appear publicly.
    pub public_only: bool,
    pub sort: Sort,
}

/// The filter as search terms (words and facets); `None` when it cannot
/// match anything (an empty list of communes).
fn terms(filter: &Filter) -> Option<Vec<Term>> {
    let mut terms = filter
        .query
        .as_deref()
        .map(search::word_terms)
        .unwrap_or_default();
    if let Some(communes) = &filter.communes {
        if communes.is_empty() {
            return None;
        }
        terms.push(Term::AnyOf(
            communes.iter().map(|c| commune_facet(c)).collect(),
        ));
    }
    // Type, theme and "public" together are one combined facet.
    match combined_facet(filter.kind, filter.theme, filter.public_only) {
        Some(f) => terms.push(Term::AnyOf(vec![f])),
        None => {
            if let Some(t) = filter.theme {
                terms.push(Term::AnyOf(vec![theme_facet(t)]));
            }
            if let Some(k) = filter.kind {
                terms.push(Term::AnyOf(vec![kind_facet(k)]));
            }
            if filter.public_only {
                terms.push(Term::AnyOf(vec![PUBLIC_FACET.to_owned()]));
            }
        }
    }
    Some(terms)
}

fn condition(filter: &Filter) -> Condition {
    match terms(filter) {
        None => Condition::all().add(Expr::value(false)),
        Some(t) if t.is_empty() => Condition::all(),
        Some(t) => Condition::all().add(
            Column::Id.in_subquery(
                Query::select()
                    .column("entity_id")
                    .from_subquery(search::intersection(Search::Organisation, &t, None), "m")
                    .take(),
            ),
        ),
    }
}

fn ordered(q: Select<Entity>, sort: Sort) -> Select<Entity> {
    match sort {
        Sort::Name => q.order_by_asc(Column::NameFolded).order_by_asc(Column::Id),
        Sort::Commune => q
            .order_by_asc(Column::CommuneInsee)
            .order_by_asc(Column::NameFolded)
            .order_by_asc(Column::Id),
        Sort::Recent => q.order_by_desc(Column::CreatedAt).order_by_desc(Column::Id),
    }
}

pub async fn list(
    c: &impl ConnectionTrait,
    filter: &Filter,
    page: PageRequest,
) -> Result<Page<Organisation>, DbErr> {
    let empty = || Page {
        items: Vec::new(),
        total: 0,
        request: page,
    };
    let planned = match terms(filter) {
        None => return Ok(empty()),
        Some(t) if t.is_empty() => None,
        Some(t) => match search::plan(c, Search::Organisation, &t).await? {
            None => return Ok(empty()),
            Some(p) => Some(p),
        },
    };
    // By name, with filters: from the search index alone.
    if let (Sort::Name, Some(t)) = (filter.sort, &planned) {
        let (total, ids) =
            search::find(c, Search::Organisation, t, page.offset(), page.per_page).await?;
        let mut items = find_many(c, &ids).await?;
        items.sort_by_key(|o| ids.iter().position(|i| *i == o.id));
        return Ok(Page {
            items,
            total,
            request: page,
        });
    }
    let Some(plan) = &planned else {
        let q = Entity::find();
        let total = q.clone().count(c).await?;
        let models = ordered(q, filter.sort)
            .offset(page.offset())
            .limit(page.per_page)
            .all(c)
            .await?;
        return Ok(Page {
            items: with_themes(c, models).await?,
            total,
            request: page,
        });
    };
    // Another order, with filters: one query counts and pages the matches.
    let mut q = Query::select();
    q.column(Column::Id)
        .expr_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .from(Entity)
        .and_where(
            Column::Id.in_subquery(
                Query::select()
                    .column("entity_id")
                    .from_subquery(plan.intersection(Search::Organisation), "m")
                    .take(),
            ),
        );
    match filter.sort {
        Sort::Commune => q
            .order_by(Column::CommuneInsee, sea_orm::Order::Asc)
            .order_by(Column::NameFolded, sea_orm::Order::Asc),
        Sort::Recent => q.order_by(Column::CreatedAt, sea_orm::Order::Desc),
        Sort::Name => q.order_by(Column::NameFolded, sea_orm::Order::Asc),
    };
    q.order_by(Column::Id, sea_orm::Order::Asc)
        .limit(page.per_page)
        .offset(page.offset());
    let rows = c.query_all(&q).await?;
    let total: i64 = match rows.first() {
        Some(r) => r.try_get("", "total")?,
        None => Entity::find()
            .filter(condition(filter))
            .count(c)
            .await?
            .try_into()
            .unwrap_or(i64::MAX),
    };
    let ids = rows
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut items = find_many(c, &ids).await?;
    items.sort_by_key(|o| ids.iter().position(|i| *i == o.id));
    Ok(Page {
        items,
        total: u64::try_from(total).unwrap_or(0),
        request: page,
    })
}

/// Every organisation matching `filter` (for exports).
pub async fn list_all_matching(
    c: &impl ConnectionTrait,
    filter: &Filter,
) -> Result<Vec<Organisation>, DbErr> {
    let models = ordered(Entity::find().filter(condition(filter)), filter.sort)
        .all(c)
        .await?;
    with_themes(c, models).await
}

/// Possible duplicates of `data`: same folded name in the same commune (or
/// with no commune on either side), same e-mail, or same SIRET.
pub async fn duplicates(
    c: &impl ConnectionTrait,
    data: &OrganisationData,
    except: Option<i64>,
) -> Result<Vec<Organisation>, DbErr> {
    let mut any = Condition::any();
    let same_name = Condition::all().add(Column::NameFolded.eq(fold(&data.name)));
    any = any.add(match &data.commune_insee {
        Some(insee) => same_name.add(
            Condition::any()
                .add(Column::CommuneInsee.eq(insee.as_str()))
                .add(Column::CommuneInsee.is_null()),
        ),
        None => same_name,
    });
    if let Some(e) = &data.email {
        any = any.add(Column::Email.eq(e.to_lowercase()));
    }
    if let Some(s) = &data.siret {
        any = any.add(Column::Siret.eq(s.as_str()));
    }
    let mut q = Entity::find().filter(any);
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    let models = q.order_by_asc(Column::NameFolded).limit(20).all(c).await?;
    with_themes(c, models).await
}

/// Merges `removed` into `kept`: every link to `removed` (memberships,
/// partner accounts, venues, themes) moves to `kept`, empty fields of `kept`
/// are filled from `removed`, and `removed` is deleted.
pub async fn merge(
    c: &impl ConnectionTrait,
    kept: i64,
    removed: i64,
    now: DateTime<Utc>,
) -> Result<Organisation, DbErr> {
    if kept == removed {
        return Err(DbErr::Custom(
            "cannot merge an organisation into itself".into(),
        ));
    }
    let (Some(k), Some(r)) = (find(c, kept).await?, find(c, removed).await?) else {
        return Err(DbErr::RecordNotFound("organisation".into()));
    };
    crate::links::move_all(c, crate::links::ORGANISATION_LINKS, kept, removed).await?;
    let mut data = k.data.clone();
    let fill = |a: &mut Option<String>, b: &Option<String>| {
        if a.is_none() {
            a.clone_from(b);
        }
    };
    fill(&mut data.siret, &r.data.siret);
    fill(&mut data.uai, &r.data.uai);
    fill(&mut data.address, &r.data.address);
    fill(&mut data.postcode, &r.data.postcode);
    fill(&mut data.commune_insee, &r.data.commune_insee);
    fill(&mut data.website, &r.data.website);
    fill(&mut data.email, &r.data.email);
    fill(&mut data.phone, &r.data.phone);
    fill(&mut data.description, &r.data.description);
    data.public_listing = k.data.public_listing || r.data.public_listing;
    data.themes.extend(r.data.themes.iter().copied());
    if data.kind == Some(OrgKind::Other) {
        data.kind = r.data.kind;
    }
    delete(c, removed).await?;
    update(c, kept, &data, now).await
}
