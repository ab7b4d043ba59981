//! Sessions (séances) of an activity: when it takes place. Times are UTC in
//! storage; pages show them in Europe/Paris.

use crate::{counters, vocab};
use chrono::{DateTime, Utc};
use maillage_domain::programme::{ActivityStatus, RegistrationMode, SessionStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use std::collections::BTreeMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub activity_id: i64,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub capacity: Option<i32>,
        pub status: String,
        pub source_uid: Option<String>,
        /// Overrides the activity's registration mode for this session.
        pub registration_mode: Option<String>,
        /// Where it takes place when not at its activity's venue.
        pub venue_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionData {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Overrides the capacity of the space.
    pub capacity: Option<i32>,
    pub status: SessionStatus,
    /// Its own venue, when it takes place elsewhere than its activity.
    pub venue_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub activity_id: i64,
    pub data: SessionData,
    /// The session's own registration mode, when it differs from its activity's.
    pub mode: Option<RegistrationMode>,
}

fn from_model(m: entity::Model) -> Result<Session, DbErr> {
    Ok(Session {
        id: m.id,
        activity_id: m.activity_id,
        data: SessionData {
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            capacity: m.capacity,
            status: vocab::ACTIVITY_SESSIONS_STATUS.decode(&m.status)?,
            venue_id: m.venue_id,
        },
        mode: vocab::ACTIVITY_SESSIONS_REGISTRATION_MODE
            .decode_opt(m.registration_mode.as_deref())?,
    })
}

/// The row of a new session (shared by every insert).
fn active(activity: i64, d: &SessionData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        activity_id: Set(activity),
        starts_at: Set(d.starts_at),
        ends_at: Set(d.ends_at),
        capacity: Set(d.capacity),
        status: Set(d.status.code().to_owned()),
        venue_id: Set(d.venue_id),
        source_uid: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Adds a session and updates the activity's index (its days and first start).
pub async fn insert(
    c: &impl ConnectionTrait,
    activity: i64,
    d: &SessionData,
    now: DateTime<Utc>,
) -> Result<Session, DbErr> {
    let m = active(activity, d, now).insert(c).await?;
    super::activities::refresh(c, activity).await?;
    from_model(m)
}

/// Adds several sessions to an activity, refreshing its index once.
pub async fn insert_many(
    c: &impl ConnectionTrait,
    activity: i64,
    list: &[SessionData],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows: Vec<(i64, &SessionData)> = list.iter().map(|d| (activity, d)).collect();
    write_rows(c, &rows, now).await?;
    super::activities::refresh(c, activity).await
}

/// Writes sessions of any activities, `(activity, session)`, in multi-row
/// statements, in order; the caller refreshes the activities.
pub(crate) async fn write_rows(
    c: &impl ConnectionTrait,
    rows: &[(i64, &SessionData)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(200) {
        let models: Vec<ActiveModel> = chunk
            .iter()
            .map(|(activity, d)| active(*activity, d, now))
            .collect();
        Entity::insert_many(models).exec(c).await?;
    }
    Ok(())
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &SessionData,
    now: DateTime<Utc>,
) -> Result<Session, DbErr> {
    let m = ActiveModel {
        id: Set(id),
        starts_at: Set(d.starts_at),
        ends_at: Set(d.ends_at),
        capacity: Set(d.capacity),
        status: Set(d.status.code().to_owned()),
        venue_id: Set(d.venue_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    super::activities::refresh(c, m.activity_id).await?;
    from_model(m)
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let Some(m) = Entity::find_by_id(id).one(c).await? else {
        return Ok(false);
    };
    Entity::delete_by_id(id).exec(c).await?;
    super::activities::refresh(c, m.activity_id).await?;
    Ok(true)
}

/// Removes every session of an activity (before re-importing it).
pub async fn delete_all(c: &impl ConnectionTrait, activity: i64) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::ActivityId.eq(activity))
        .exec(c)
        .await?;
    counters::bump(c, counters::PROGRAMME).await
}

/// Sets (or, with `None`, clears) a session's own registration mode.
pub async fn set_mode(
    c: &impl ConnectionTrait,
    id: i64,
    mode: Option<RegistrationMode>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::RegistrationMode,
            sea_orm::sea_query::Expr::value(mode.map(|m| m.code().to_owned())),
        )
        .col_expr(Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(c)
        .await?;
    counters::bump(c, counters::PROGRAMME).await
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Session>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

/// The sessions of several activities, in time order.
pub async fn of_activities(
    c: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<BTreeMap<i64, Vec<Session>>, DbErr> {
    let mut out: BTreeMap<i64, Vec<Session>> = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::ActivityId.is_in(chunk.iter().copied()))
            .order_by_asc(Column::StartsAt)
            .order_by_asc(Column::Id)
            .all(c)
            .await?
        {
            out.entry(m.activity_id).or_default().push(from_model(m)?);
        }
    }
    Ok(out)
}

/// Sessions taking place in a space (or venue) between two instants, for
/// the week view and conflict warnings.
pub async fn in_period(
    c: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Session>, DbErr> {
    Entity::find()
        .filter(Column::StartsAt.lt(to))
        .filter(Column::EndsAt.gt(from))
        .order_by_asc(Column::StartsAt)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(from_model)
        .collect()
}

/// A session as the venue planning shows it, with its activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSession {
    pub session: Session,
    pub project_id: i64,
    pub activity_title: String,
    pub activity_status: ActivityStatus,
    pub space_id: Option<i64>,
    /// The multi-activity event (village des sciences) the activity belongs to.
    pub parent_id: Option<i64>,
}

/// The sessions of the activities held at a venue that overlap the period
/// `[from, to)`, in time order (for the planning and conflict warnings).
pub async fn at_venue(
    c: &impl ConnectionTrait,
    venue: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PlannedSession>, DbErr> {
    use super::activities::entity as act;
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Query;
    type Row = (
        i64,
        i64,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    // Activities held there, and those with a session there.
    let elsewhere = Query::select()
        .column(Column::ActivityId)
        .from(Entity)
        .and_where(Column::VenueId.eq(venue))
        .take();
    let rows: Vec<Row> = act::Entity::find()
        .select_only()
        .column(act::Column::Id)
        .column(act::Column::ProjectId)
        .column(act::Column::Title)
        .column(act::Column::Status)
        .column(act::Column::SpaceId)
        .column(act::Column::ParentId)
        .column(act::Column::VenueId)
        .filter(
            sea_orm::Condition::any()
                .add(act::Column::VenueId.eq(venue))
                .add(act::Column::Id.in_subquery(elsewhere)),
        )
        .into_tuple()
        .all(c)
        .await?;
    let by_id: BTreeMap<i64, Row> = rows.into_iter().map(|r| (r.0, r)).collect();
    let ids: Vec<i64> = by_id.keys().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        for m in Entity::find()
            .filter(Column::ActivityId.is_in(chunk.iter().copied()))
            .filter(Column::StartsAt.lt(to))
            .filter(Column::EndsAt.gt(from))
            .all(c)
            .await?
        {
            let Some((_, p, t, s, sp, parent, at)) = by_id.get(&m.activity_id) else {
                continue;
            };
            let here = m.venue_id.or(*at) == Some(venue);
            if !here {
                continue;
            }
            // The activity's space is at the activity's venue only.
            let space = if m.venue_id.is_some_and(|v| Some(v) != *at) {
                None
            } else {
                *sp
            };
            out.push(PlannedSession {
                session: from_model(m)?,
                project_id: *p,
                activity_title: t.clone(),
                activity_status: vocab::ACTIVITIES_STATUS.decode(s)?,
                space_id: space,
                parent_id: *parent,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.session.data.starts_at, a.session.id).cmp(&(b.session.data.starts_at, b.session.id))
    });
    Ok(out)
}
