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

mod filter;
mod index;
mod read;

pub use filter::{Filter, NEAR_MAX, list};
pub use index::{day_facet, refresh, refresh_at_venue, refresh_many, refresh_of_organisation};
use read::load;
pub use read::{
    find, find_by_slug, find_by_source, find_many, free_slug, of_organisation, of_project,
    public_children, slug_taken,
};

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

    crate::query::no_relations!();
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

/// The venue of an activity, with the name of its space.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueRef {
    pub id: i64,
    /// The venue as the directory holds it.
    pub data: crate::venues::VenueData,
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
    /// The venues of sessions held elsewhere than the activity, by id.
    pub session_venues: BTreeMap<i64, VenueRef>,
    pub first_starts_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Activity {
    /// Where a session takes place: its own venue, else the activity's.
    pub fn venue_of(&self, s: &Session) -> Option<&VenueRef> {
        match s.data.venue_id {
            Some(id) if self.venue.as_ref().is_none_or(|v| v.id != id) => {
                self.session_venues.get(&id)
            }
            _ => self.venue.as_ref(),
        }
    }

    /// The activity's space where a session is held: none for a session at
    /// another venue (the space, and its capacity, stay at the activity's).
    pub fn space_for(&self, s: &Session) -> Option<i64> {
        let elsewhere = s
            .data
            .venue_id
            .is_some_and(|v| Some(v) != self.data.venue_id);
        self.data.space_id.filter(|_| !elsewhere)
    }

    /// Every venue the activity takes place at: its own first, then its
    /// sessions' in order, each once.
    pub fn venues(&self) -> Vec<&VenueRef> {
        let mut out: Vec<&VenueRef> = Vec::new();
        let own_used = self.sessions.is_empty()
            || self.sessions.iter().any(|s| {
                s.data
                    .venue_id
                    .is_none_or(|id| self.venue.as_ref().is_some_and(|v| v.id == id))
            });
        if own_used {
            out.extend(self.venue.as_ref());
        }
        for s in &self.sessions {
            if let Some(v) = self.venue_of(s)
                && !out.iter().any(|o| o.id == v.id)
            {
                out.push(v);
            }
        }
        out
    }
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
    if project != d.project_id {
        // A village des sciences of another edition is another record.
        d.parent_id = None;
    }
    d.project_id = project;
    d.status = Some(ActivityStatus::Draft);
    d.source = None;
    d.slug = free_slug(c, project, &d.title, None).await?;
    insert(c, &d, now).await
}
