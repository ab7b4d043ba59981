//! Activities of a project: what happens (an atelier, a talk, a planetarium
//! show…), for whom, where, by whom, and how to register. Their sessions are
//! in [`super::sessions`]. Each activity is kept in the search index with
//! facets for every filter of the public programme.

use super::sessions::{self, Session, SessionData};
use crate::page::{Page, PageRequest};
use crate::search::{self, Entity as Search, Term};
use crate::{counters, vocab};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::directory::Theme;
use maillage_domain::programme::{ActivityStatus, Audience, Format, RegistrationMode, SchoolLevel};
use maillage_domain::text::fold;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub project_id: i64,
        pub parent_id: Option<i64>,
        pub slug: String,
        pub title: String,
        pub summary: Option<String>,
        pub description: Option<String>,
        pub format: String,
        pub min_age: Option<i32>,
        pub free: bool,
        pub price: Option<String>,
        pub registration_mode: String,
        pub registration_url: Option<String>,
        pub status: String,
        pub venue_id: Option<i64>,
        pub space_id: Option<i64>,
        pub wheelchair: bool,
        pub hearing_loop: bool,
        pub visual: bool,
        pub cognitive: bool,
        pub online_url: Option<String>,
        pub source: Option<String>,
        pub source_uid: Option<String>,
        pub first_starts_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{ActiveModel, Column, Entity};

/// Link tables of an activity (see [`LINKS`]).
const AUDIENCES: &str = "activity_audiences";
const THEMES: &str = "activity_themes";
const ORGANISATIONS: &str = "activity_organisations";
const SPEAKERS: &str = "activity_speakers";

/// What a user (or an import) says about an activity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityData {
    pub project_id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    /// Markdown, sanitised when shown.
    pub description: Option<String>,
    pub format: Option<Format>,
    pub audiences: Vec<Audience>,
    /// School levels, for activities open to classes.
    pub levels: Vec<SchoolLevel>,
    pub min_age: Option<i32>,
    pub themes: Vec<Theme>,
    pub organisations: Vec<i64>,
    pub speakers: Vec<i64>,
    pub venue_id: Option<i64>,
    pub space_id: Option<i64>,
    pub access: crate::venues::Access,
    pub free: bool,
    pub price: Option<String>,
    pub registration: Option<RegistrationMode>,
    pub registration_url: Option<String>,
    pub online_url: Option<String>,
    pub status: Option<ActivityStatus>,
    /// Where it was imported from (`openagenda`, …) and its id there.
    pub source: Option<(String, String)>,
}

/// A venue as an activity page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueRef {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune_insee: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub public_transport: Option<String>,
    pub space: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub data: ActivityData,
    pub format: Format,
    pub status: ActivityStatus,
    pub registration: RegistrationMode,
    pub organisers: Vec<(i64, String)>,
    pub speakers: Vec<(i64, String)>,
    pub venue: Option<VenueRef>,
    pub sessions: Vec<Session>,
    pub first_starts_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn active(d: &ActivityData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        project_id: Set(d.project_id),
        parent_id: Set(d.parent_id),
        slug: Set(d.slug.clone()),
        title: Set(d.title.clone()),
        summary: Set(d.summary.clone()),
        description: Set(d.description.clone()),
        format: Set(d.format.unwrap_or(Format::Other).code().to_owned()),
        min_age: Set(d.min_age),
        free: Set(d.free),
        price: Set(d.price.clone()),
        registration_mode: Set(d
            .registration
            .unwrap_or(RegistrationMode::None)
            .code()
            .to_owned()),
        registration_url: Set(d.registration_url.clone()),
        status: Set(d.status.unwrap_or(ActivityStatus::Draft).code().to_owned()),
        venue_id: Set(d.venue_id),
        space_id: Set(d.space_id),
        wheelchair: Set(d.access.wheelchair),
        hearing_loop: Set(d.access.hearing_loop),
        visual: Set(d.access.visual),
        cognitive: Set(d.access.cognitive),
        online_url: Set(d.online_url.clone()),
        source: Set(d.source.as_ref().map(|s| s.0.clone())),
        source_uid: Set(d.source.as_ref().map(|s| s.1.clone())),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn audience_codes(d: &ActivityData) -> Vec<String> {
    let mut v: Vec<String> = d.audiences.iter().map(|a| a.code().to_owned()).collect();
    v.extend(d.levels.iter().map(|l| format!("level:{}", l.code())));
    v.sort();
    v.dedup();
    v
}

/// The link tables of an activity, `(table, column)`, with `activity_id`
/// (and a `position` for the speakers).
const LINKS: [(&str, &str); 4] = [
    (AUDIENCES, "audience"),
    (THEMES, "theme"),
    (ORGANISATIONS, "organisation_id"),
    (SPEAKERS, "person_id"),
];

/// The values an activity has in each of [`LINKS`], in order, without
/// repeats.
fn link_values(d: &ActivityData) -> [Vec<sea_orm::Value>; 4] {
    let themes: BTreeSet<&str> = d.themes.iter().map(|t| t.code()).collect();
    let orgs: BTreeSet<i64> = d.organisations.iter().copied().collect();
    let mut seen = BTreeSet::new();
    [
        audience_codes(d).into_iter().map(Into::into).collect(),
        themes.into_iter().map(Into::into).collect(),
        orgs.into_iter().map(Into::into).collect(),
        d.speakers
            .iter()
            .filter(|s| seen.insert(**s))
            .map(|s| (*s).into())
            .collect(),
    ]
}

/// Writes the links (audiences, themes, organisers, speakers) of new or
/// cleared activities, each table in multi-row statements.
async fn insert_links(
    c: &impl ConnectionTrait,
    list: &[(i64, &ActivityData)],
) -> Result<(), DbErr> {
    let values: Vec<(i64, [Vec<sea_orm::Value>; 4])> =
        list.iter().map(|(id, d)| (*id, link_values(d))).collect();
    for (k, (table, column)) in LINKS.into_iter().enumerate() {
        let speakers = table == SPEAKERS;
        let rows: Vec<Vec<Expr>> = values
            .iter()
            .flat_map(|(id, v)| {
                v[k].iter().enumerate().map(move |(i, value)| {
                    let mut row = vec![Expr::value(*id), Expr::value(value.clone())];
                    if speakers {
                        row.push(Expr::value(i32::try_from(i).unwrap_or(i32::MAX)));
                    }
                    row
                })
            })
            .collect();
        for chunk in rows.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(table);
            if speakers {
                insert.columns(["activity_id", column, "position"]);
            } else {
                insert.columns(["activity_id", column]);
            }
            for row in chunk {
                insert.values_panic(row.iter().cloned());
            }
            c.execute(&insert).await?;
        }
    }
    Ok(())
}

async fn delete_links(c: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    for (table, _) in LINKS {
        c.execute(
            Query::delete()
                .from_table(table)
                .and_where(Expr::col("activity_id").eq(id)),
        )
        .await?;
    }
    Ok(())
}

pub async fn insert(
    c: &impl ConnectionTrait,
    d: &ActivityData,
    now: DateTime<Utc>,
) -> Result<Activity, DbErr> {
    let ids = insert_many(c, &[(d, &[])], now).await?;
    let id = ids.first().copied().ok_or(DbErr::RecordNotInserted)?;
    find(c, id).await?.ok_or(DbErr::RecordNotInserted)
}

/// Adds activities with their sessions, `(activity, sessions)`, and
/// returns their ids, in order. The rows are those [`insert`] and
/// [`sessions::insert`] write, in multi-row statements, with their links;
/// then each activity is indexed once, as [`refresh`] does. For many
/// activities at once (the demo season loads ~400).
pub async fn insert_many(
    c: &impl ConnectionTrait,
    list: &[(&ActivityData, &[SessionData])],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::with_capacity(list.len());
    for chunk in list.chunks(100) {
        let rows: Vec<ActiveModel> = chunk
            .iter()
            .map(|(d, sessions)| {
                let mut am = active(d, now);
                am.created_at = Set(now);
                am.first_starts_at = Set(sessions.iter().map(|s| s.starts_at).min());
                am
            })
            .collect();
        // Slugs are unique in a project: they tell which id is whose.
        let saved: BTreeMap<(i64, String), i64> = Entity::insert_many(rows)
            .exec_with_returning(c)
            .await?
            .into_iter()
            .map(|m| ((m.project_id, m.slug), m.id))
            .collect();
        for (d, _) in chunk {
            let id = saved.get(&(d.project_id, d.slug.clone()));
            ids.push(*id.ok_or(DbErr::RecordNotInserted)?);
        }
    }
    let saved: Vec<(i64, &ActivityData)> =
        ids.iter().copied().zip(list.iter().map(|l| l.0)).collect();
    insert_links(c, &saved).await?;
    let sessions: Vec<(i64, &SessionData)> = ids
        .iter()
        .zip(list)
        .flat_map(|(id, (_, s))| s.iter().map(move |s| (*id, s)))
        .collect();
    sessions::write_rows(c, &sessions, now).await?;
    refresh_many(c, &ids).await?;
    Ok(ids)
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &ActivityData,
    now: DateTime<Utc>,
) -> Result<Activity, DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    am.update(c).await?;
    delete_links(c, id).await?;
    insert_links(c, &[(id, d)]).await?;
    refresh(c, id).await?;
    find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("activity".into()))
}

/// Changes the status of several activities (bulk publish or cancel).
pub async fn set_status(
    c: &impl ConnectionTrait,
    ids: &[i64],
    status: ActivityStatus,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let r = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.code()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.is_in(ids.iter().copied()))
        .exec(c)
        .await?;
    for id in ids {
        refresh(c, *id).await?;
    }
    Ok(r.rows_affected)
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    search::remove(c, Search::Activity, id).await?;
    crate::media::delete(c, crate::media::Owner::Activity(id)).await?;
    counters::bump(c, counters::PROGRAMME).await?;
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

fn day_facets(sessions: &[Session]) -> Vec<String> {
    let mut days = BTreeSet::new();
    for s in sessions {
        let mut day = s.data.starts_at.with_timezone(&Paris).date_naive();
        let last = s.data.ends_at.with_timezone(&Paris).date_naive();
        // A long session (an exhibition) is on every day it spans, within reason.
        for _ in 0..62 {
            days.insert(format!("d:{day}"));
            match day.succ_opt() {
                Some(next) if next <= last => day = next,
                _ => break,
            }
        }
    }
    days.into_iter().collect()
}

/// The facet of a day in the index.
pub fn day_facet(day: NaiveDate) -> String {
    format!("d:{day}")
}

/// Recomputes what is derived from an activity and its sessions (first
/// start, search tokens and facets) and bumps the programme version.
pub async fn refresh(c: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    refresh_many(c, &[id]).await
}

/// [`refresh`] for several activities, read in a few queries; bumps the
/// programme version once.
pub async fn refresh_many(c: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    counters::bump(c, counters::PROGRAMME).await?;
    for chunk in ids.chunks(500) {
        let models = Entity::find()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .order_by_asc(Column::Id)
            .all(c)
            .await?;
        for a in load(c, models).await? {
            reindex(c, &a).await?;
        }
    }
    Ok(())
}

/// Writes what is derived from an activity as read by [`load`].
async fn reindex(c: &impl ConnectionTrait, a: &Activity) -> Result<(), DbErr> {
    let id = a.id;
    let first = a.sessions.iter().map(|s| s.data.starts_at).min();
    if first != a.first_starts_at {
        Entity::update_many()
            .col_expr(Column::FirstStartsAt, Expr::value(first))
            .filter(Column::Id.eq(id))
            .exec(c)
            .await?;
    }
    let d = &a.data;
    let commune = a.venue.as_ref().and_then(|v| v.commune_insee.clone());
    let mut facets = vec![
        format!("pr:{}", d.project_id),
        format!("f:{}", a.format.code()),
    ];
    if a.status.is_public() {
        facets.push("v".into());
        facets.push(format!("pv:{}", d.project_id));
    }
    facets.push(format!("s:{}", a.status.code()));
    if let Some(insee) = &commune {
        facets.push(format!("c:{insee}"));
    }
    facets.extend(audience_codes(d).into_iter().map(|a| format!("a:{a}")));
    facets.extend(d.themes.iter().map(|t| format!("t:{}", t.code())));
    if d.free {
        facets.push("free".into());
    }
    if a.registration != RegistrationMode::None {
        facets.push("reg".into());
    }
    let access = d.access;
    for (on, code) in [
        (access.wheelchair, "w"),
        (access.hearing_loop, "h"),
        (access.visual, "vi"),
        (access.cognitive, "cg"),
    ] {
        if on {
            facets.push(format!("acc:{code}"));
        }
    }
    facets.extend(day_facets(&a.sessions));
    let mut texts: Vec<String> = vec![d.title.clone()];
    texts.extend(d.summary.clone());
    texts.extend(a.organisers.iter().map(|(_, n)| n.clone()));
    texts.extend(a.speakers.iter().map(|(_, n)| n.clone()));
    if let Some(v) = &a.venue {
        texts.push(v.name.clone());
        texts.extend(v.space.clone());
    }
    let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let sort_key = format!(
        "{} {}",
        first.map_or_else(
            || "~".to_owned(),
            |t| t.format("%Y-%m-%dT%H:%M").to_string()
        ),
        fold(&d.title)
    );
    search::index(c, Search::Activity, id, &sort_key, &text_refs, &facets).await
}

/// Re-indexes the activities held at a venue (after it moved or was renamed).
pub async fn refresh_at_venue(c: &impl ConnectionTrait, venue: i64) -> Result<(), DbErr> {
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::VenueId.eq(venue))
        .into_tuple()
        .all(c)
        .await?;
    for id in ids {
        refresh(c, id).await?;
    }
    Ok(())
}

/// Re-indexes the activities an organisation runs (after a rename).
pub async fn refresh_of_organisation(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<(), DbErr> {
    let rows = c
        .query_all(
            Query::select()
                .column("activity_id")
                .from(ORGANISATIONS)
                .and_where(Expr::col("organisation_id").eq(organisation)),
        )
        .await?;
    for r in rows {
        refresh(c, r.try_get::<i64>("", "activity_id")?).await?;
    }
    Ok(())
}

async fn load(
    c: &impl ConnectionTrait,
    models: Vec<entity::Model>,
) -> Result<Vec<Activity>, DbErr> {
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut audiences: BTreeMap<i64, (Vec<Audience>, Vec<SchoolLevel>)> = BTreeMap::new();
    let mut themes: BTreeMap<i64, Vec<Theme>> = BTreeMap::new();
    let mut organisers: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    let mut speakers: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let in_chunk = || Expr::col("activity_id").is_in(chunk.iter().copied());
        for r in c
            .query_all(
                Query::select()
                    .columns(["activity_id", "audience"])
                    .from(AUDIENCES)
                    .and_where(in_chunk()),
            )
            .await?
        {
            let e = audiences.entry(r.try_get("", "activity_id")?).or_default();
            match vocab::decode_audience(&r.try_get::<String>("", "audience")?)? {
                vocab::AudienceCode::Audience(a) => e.0.push(a),
                vocab::AudienceCode::Level(level) => e.1.push(level),
            }
        }
        for r in c
            .query_all(
                Query::select()
                    .columns(["activity_id", "theme"])
                    .from(THEMES)
                    .and_where(in_chunk()),
            )
            .await?
        {
            let t = vocab::ACTIVITY_THEMES_THEME.decode(&r.try_get::<String>("", "theme")?)?;
            themes
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push(t);
        }
        let orgs = Query::select()
            .column((ORGANISATIONS, "activity_id"))
            .column((ORGANISATIONS, "organisation_id"))
            .column(("organisations", "name"))
            .from(ORGANISATIONS)
            .inner_join(
                "organisations",
                Expr::col(("organisations", "id")).equals((ORGANISATIONS, "organisation_id")),
            )
            .and_where(Expr::col((ORGANISATIONS, "activity_id")).is_in(chunk.iter().copied()))
            .order_by(("organisations", "name_folded"), sea_orm::Order::Asc)
            .order_by(("organisations", "id"), sea_orm::Order::Asc)
            .take();
        for r in c.query_all(&orgs).await? {
            organisers
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push((r.try_get("", "organisation_id")?, r.try_get("", "name")?));
        }
        let people = Query::select()
            .column((SPEAKERS, "activity_id"))
            .column((SPEAKERS, "person_id"))
            .column(("people", "first_name"))
            .column(("people", "last_name"))
            .from(SPEAKERS)
            .inner_join(
                "people",
                Expr::col(("people", "id")).equals((SPEAKERS, "person_id")),
            )
            .and_where(Expr::col((SPEAKERS, "activity_id")).is_in(chunk.iter().copied()))
            .order_by((SPEAKERS, "position"), sea_orm::Order::Asc)
            .take();
        for r in c.query_all(&people).await? {
            let first: Option<String> = r.try_get("", "first_name")?;
            let last: String = r.try_get("", "last_name")?;
            let name = match first {
                Some(f) => format!("{f} {last}"),
                None => last,
            };
            speakers
                .entry(r.try_get("", "activity_id")?)
                .or_default()
                .push((r.try_get("", "person_id")?, name));
        }
    }
    let mut sessions = sessions::of_activities(c, &ids).await?;
    let venue_ids: Vec<i64> = models
        .iter()
        .filter_map(|m| m.venue_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut venues: BTreeMap<i64, crate::venues::Venue> = BTreeMap::new();
    for chunk in venue_ids.chunks(500) {
        for v in crate::venues::list_by_ids(c, chunk).await? {
            venues.insert(v.id, v);
        }
    }
    models
        .into_iter()
        .map(|m| {
            let (audiences, levels) = audiences.remove(&m.id).unwrap_or_default();
            let mut t = themes.remove(&m.id).unwrap_or_default();
            t.sort();
            let venue = m.venue_id.and_then(|id| venues.get(&id)).map(|v| VenueRef {
                id: v.id,
                name: v.data.name.clone(),
                address: v.data.address.clone(),
                postcode: v.data.postcode.clone(),
                commune_insee: v.data.commune_insee.clone(),
                lat: v.data.lat,
                lon: v.data.lon,
                public_transport: v.data.public_transport.clone(),
                space: m
                    .space_id
                    .and_then(|s| v.spaces.iter().find(|sp| sp.id == s))
                    .map(|sp| sp.data.name.clone()),
            });
            let format = vocab::ACTIVITIES_FORMAT.decode(&m.format)?;
            let status = vocab::ACTIVITIES_STATUS.decode(&m.status)?;
            let registration = vocab::ACTIVITIES_REGISTRATION_MODE.decode(&m.registration_mode)?;
            Ok(Activity {
                id: m.id,
                format,
                status,
                registration,
                organisers: organisers.remove(&m.id).unwrap_or_default(),
                speakers: speakers.remove(&m.id).unwrap_or_default(),
                venue,
                sessions: sessions.remove(&m.id).unwrap_or_default(),
                first_starts_at: m.first_starts_at,
                created_at: m.created_at,
                updated_at: m.updated_at,
                data: ActivityData {
                    project_id: m.project_id,
                    parent_id: m.parent_id,
                    slug: m.slug,
                    title: m.title,
                    summary: m.summary,
                    description: m.description,
                    format: Some(format),
                    audiences,
                    levels,
                    min_age: m.min_age,
                    themes: t,
                    organisations: Vec::new(),
                    speakers: Vec::new(),
                    venue_id: m.venue_id,
                    space_id: m.space_id,
                    access: crate::venues::Access {
                        wheelchair: m.wheelchair,
                        hearing_loop: m.hearing_loop,
                        visual: m.visual,
                        cognitive: m.cognitive,
                    },
                    free: m.free,
                    price: m.price,
                    registration: Some(registration),
                    registration_url: m.registration_url,
                    online_url: m.online_url,
                    status: Some(status),
                    source: m.source.zip(m.source_uid),
                },
            })
        })
        .map(|a: Result<Activity, DbErr>| {
            let mut a = a?;
            a.data.organisations = a.organisers.iter().map(|(id, _)| *id).collect();
            a.data.speakers = a.speakers.iter().map(|(id, _)| *id).collect();
            Ok(a)
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Activity>, DbErr> {
    match Entity::find_by_id(id).one(c).await? {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn find_by_slug(
    c: &impl ConnectionTrait,
    project: i64,
    slug: &str,
) -> Result<Option<Activity>, DbErr> {
    match Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Slug.eq(slug))
        .one(c)
        .await?
    {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn find_by_source(
    c: &impl ConnectionTrait,
    project: i64,
    source: &str,
    uid: &str,
) -> Result<Option<Activity>, DbErr> {
    match Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Source.eq(source))
        .filter(Column::SourceUid.eq(uid))
        .one(c)
        .await?
    {
        Some(m) => Ok(load(c, vec![m]).await?.pop()),
        None => Ok(None),
    }
}

/// Activities by id, in the given order.
pub async fn find_many(c: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Activity>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let models = Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(c)
        .await?;
    let mut list = load(c, models).await?;
    list.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
    Ok(list)
}

/// The public activities under a multi-activity event (a "village des
/// sciences"), as `(slug, title)`, by first session then title.
pub async fn public_children(
    c: &impl ConnectionTrait,
    parent: i64,
) -> Result<Vec<(String, String)>, DbErr> {
    let public: Vec<&str> = ActivityStatus::ALL
        .iter()
        .filter(|s| s.is_public())
        .map(|s| s.code())
        .collect();
    Ok(Entity::find()
        .filter(Column::ParentId.eq(parent))
        .filter(Column::Status.is_in(public))
        .order_by_asc(Column::FirstStartsAt)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|m| (m.slug, m.title))
        .collect())
}

/// Every activity of a project, by first session then title.
pub async fn of_project(c: &impl ConnectionTrait, project: i64) -> Result<Vec<Activity>, DbErr> {
    let models = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .order_by_asc(Column::FirstStartsAt)
        .order_by_asc(Column::Title)
        .order_by_asc(Column::Id)
        .all(c)
        .await?;
    load(c, models).await
}

/// Every activity an organisation runs (is an organiser of), by first
/// session then title (for a partner's own bookings).
pub async fn of_organisation(
    c: &impl ConnectionTrait,
    organisation: i64,
) -> Result<Vec<Activity>, DbErr> {
    let ids: Vec<i64> = c
        .query_all(
            Query::select()
                .column("activity_id")
                .from(ORGANISATIONS)
                .and_where(Expr::col("organisation_id").eq(organisation)),
        )
        .await?
        .into_iter()
        .map(|r| r.try_get::<i64>("", "activity_id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut list = Vec::new();
    for chunk in ids.chunks(500) {
        let models = Entity::find()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .all(c)
            .await?;
        list.extend(load(c, models).await?);
    }
    list.sort_by(|a, b| {
        (a.first_starts_at, &a.data.title, a.id).cmp(&(b.first_starts_at, &b.data.title, b.id))
    });
    Ok(list)
}

/// Whether a slug is free in a project.
pub async fn slug_taken(
    c: &impl ConnectionTrait,
    project: i64,
    slug: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut q = Entity::find()
        .filter(Column::ProjectId.eq(project))
        .filter(Column::Slug.eq(slug));
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    Ok(q.count(c).await? > 0)
}

/// A slug free in the project, from a title (`-2`, `-3`… appended if needed).
pub async fn free_slug(
    c: &impl ConnectionTrait,
    project: i64,
    title: &str,
    except: Option<i64>,
) -> Result<String, DbErr> {
    let base = match maillage_domain::programme::slugify(title) {
        s if s.is_empty() => "activite".to_owned(),
        s => s,
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while slug_taken(c, project, &candidate, except).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

/// Filters of the public programme (and of the team's programme editor).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub project_id: Option<i64>,
    pub query: Option<String>,
    /// INSEE codes (a commune, or the communes of an EPCI).
    pub communes: Option<Vec<String>>,
    pub audience: Option<Audience>,
    pub level: Option<SchoolLevel>,
    pub format: Option<Format>,
    pub theme: Option<Theme>,
    pub free: bool,
    pub registration: bool,
    pub wheelchair: bool,
    pub hearing_loop: bool,
    pub visual: bool,
    pub cognitive: bool,
    /// Activities with a session on a day of this range (Paris dates).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only what the public sees.
    pub public_only: bool,
    pub status: Option<ActivityStatus>,
}

/// The longest date range searched day by day.
pub const MAX_DAYS: i64 = 400;

fn terms(f: &Filter) -> Option<Vec<Term>> {
    let mut t = f
        .query
        .as_deref()
        .map(search::word_terms)
        .unwrap_or_default();
    let one = |s: String| Term::AnyOf(vec![s]);
    match f.project_id {
        // A project's public programme: one facet, read in order.
        Some(p) if f.public_only => t.push(one(format!("pv:{p}"))),
        Some(p) => t.push(one(format!("pr:{p}"))),
        None => {}
    }
    if let Some(communes) = &f.communes {
        if communes.is_empty() {
            return None;
        }
        t.push(Term::AnyOf(
            communes.iter().map(|c| format!("c:{c}")).collect(),
        ));
    }
    if let Some(a) = f.audience {
        t.push(one(format!("a:{}", a.code())));
    }
    if let Some(l) = f.level {
        t.push(one(format!("a:level:{}", l.code())));
    }
    if let Some(x) = f.format {
        t.push(one(format!("f:{}", x.code())));
    }
    if let Some(x) = f.theme {
        t.push(one(format!("t:{}", x.code())));
    }
    if let Some(s) = f.status {
        t.push(one(format!("s:{}", s.code())));
    }
    for (on, code) in [
        (f.free, "free"),
        (f.registration, "reg"),
        (f.wheelchair, "acc:w"),
        (f.hearing_loop, "acc:h"),
        (f.visual, "acc:vi"),
        (f.cognitive, "acc:cg"),
        (f.public_only && f.project_id.is_none(), "v"),
    ] {
        if on {
            t.push(one(code.to_owned()));
        }
    }
    if f.from.is_some() || f.to.is_some() {
        let from = f.from.or(f.to)?;
        let to = f.to.unwrap_or(from);
        if to < from {
            return None;
        }
        let days: Vec<String> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .take(usize::try_from(MAX_DAYS).unwrap_or(400))
            .map(day_facet)
            .collect();
        t.push(Term::AnyOf(days));
    }
    Some(t)
}

/// One page of activities matching `filter`, by first session then title.
/// `after` continues after the activity with that id (cursor pagination).
pub async fn list(
    c: &impl ConnectionTrait,
    filter: &Filter,
    page: PageRequest,
) -> Result<Page<Activity>, DbErr> {
    let empty = || Page {
        items: Vec::new(),
        total: 0,
        request: page,
    };
    let Some(t) = terms(filter) else {
        return Ok(empty());
    };
    if t.is_empty() {
        let q = Entity::find();
        let total = q.clone().count(c).await?;
        let models = q
            .order_by_asc(Column::FirstStartsAt)
            .order_by_asc(Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(c)
            .await?;
        return Ok(Page {
            items: load(c, models).await?,
            total,
            request: page,
        });
    }
    let Some(plan) = search::plan(c, Search::Activity, &t).await? else {
        return Ok(empty());
    };
    let (total, ids) =
        search::find(c, Search::Activity, &plan, page.offset(), page.per_page).await?;
    Ok(Page {
        items: find_many(c, &ids).await?,
        total,
        request: page,
    })
}

/// Copies an activity of a past edition into another project as a draft
/// (reconduction), without its sessions.
pub async fn copy_to_project(
    c: &impl ConnectionTrait,
    id: i64,
    project: i64,
    now: DateTime<Utc>,
) -> Result<Activity, DbErr> {
    let a = find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("activity".into()))?;
    let mut d = a.data.clone();
    d.project_id = project;
    d.parent_id = None;
    d.status = Some(ActivityStatus::Draft);
    d.source = None;
    d.slug = free_slug(c, project, &d.title, None).await?;
    insert(c, &d, now).await
}
