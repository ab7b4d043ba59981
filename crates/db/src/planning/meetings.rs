//! Meetings: when and where, the project and the series they belong to
//! (the festival's steering committee), their attendees, and their agenda
//! items with minutes and outcomes; an action becomes a task
//! (`tasks::insert`) linked to its meeting, and the open actions of a
//! series are carried to its next meeting.

use super::tasks::{self, NewTask, Task};
use crate::records::{Audited, Entry};
use crate::vocab;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::planning::Outcome;
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub project_id: Option<i64>,
        pub series: Option<String>,
        pub title: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub venue_id: Option<i64>,
        pub online_url: Option<String>,
        pub minutes_sent_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod attendee_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_attendees")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub meeting_id: i64,
        pub user_id: Option<i64>,
        pub person_id: Option<i64>,
        pub organisation_id: Option<i64>,
    }

    crate::query::no_relations!();
}

pub mod item_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "agenda_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub meeting_id: i64,
        pub position: i32,
        pub title: String,
        pub minutes: Option<String>,
        pub outcome: Option<String>,
        pub task_id: Option<i64>,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// What the meeting form gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingData {
    pub project_id: Option<i64>,
    /// Meetings of one project with the same series follow each other
    /// (their open actions are carried to the next one).
    pub series: Option<String>,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue_id: Option<i64>,
    pub online_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub data: MeetingData,
    /// When its minutes were e-mailed to the attendees.
    pub minutes_sent_at: Option<DateTime<Utc>>,
}

impl Meeting {
    /// Its values as its audit entries keep them.
    pub fn snapshot(&self) -> Value {
        let d = &self.data;
        json!({
            "project_id": d.project_id, "series": d.series, "title": d.title,
            "starts_at": d.starts_at.to_rfc3339(), "ends_at": d.ends_at.to_rfc3339(),
            "venue_id": d.venue_id, "online_url": d.online_url,
        })
    }
}

fn meeting(m: entity::Model) -> Meeting {
    Meeting {
        id: m.id,
        minutes_sent_at: m.minutes_sent_at,
        data: MeetingData {
            project_id: m.project_id,
            series: m.series,
            title: m.title,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            venue_id: m.venue_id,
            online_url: m.online_url,
        },
    }
}

fn active(d: &MeetingData, now: DateTime<Utc>) -> ActiveModel {
    ActiveModel {
        project_id: Set(d.project_id),
        series: Set(d.series.clone()),
        title: Set(d.title.clone()),
        starts_at: Set(d.starts_at),
        ends_at: Set(d.ends_at),
        venue_id: Set(d.venue_id),
        online_url: Set(d.online_url.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn insert(
    c: &impl ConnectionTrait,
    d: &MeetingData,
    now: DateTime<Utc>,
) -> Result<Meeting, DbErr> {
    let mut am = active(d, now);
    am.created_at = Set(now);
    am.minutes_sent_at = Set(None);
    Ok(meeting(am.insert(c).await?))
}

pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    d: &MeetingData,
    now: DateTime<Utc>,
) -> Result<Meeting, DbErr> {
    let mut am = active(d, now);
    am.id = Set(id);
    Ok(meeting(am.update(c).await?))
}

pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(Entity::delete_by_id(id).exec(c).await?.rows_affected == 1)
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Meeting>, DbErr> {
    Ok(Entity::find_by_id(id).one(c).await?.map(meeting))
}

/// Which meetings a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub project: Option<i64>,
    /// Only these meetings (a person's or an organisation's).
    pub ids: Option<Vec<i64>>,
}

/// Meetings, latest first.
pub async fn list(c: &impl ConnectionTrait, f: &Filter) -> Result<Vec<Meeting>, DbErr> {
    let mut q = Entity::find();
    if let Some(p) = f.project {
        q = q.filter(Column::ProjectId.eq(p));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(Column::Id.is_in(ids.iter().copied()));
    }
    Ok(q.order_by_desc(Column::StartsAt)
        .order_by_desc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(meeting)
        .collect())
}

/// Who attends: a team or partner account, or a person of the directory,
/// with the organisation they come for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub id: i64,
    pub user_id: Option<i64>,
    pub person_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub name: String,
    pub email: Option<String>,
}

/// An account or a person of the directory, to add to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    User(i64),
    Person(i64),
}

/// The attendees of `meeting`, by name.
pub async fn attendees(c: &impl ConnectionTrait, meeting: i64) -> Result<Vec<Attendee>, DbErr> {
    let rows = attendee_entity::Entity::find()
        .filter(attendee_entity::Column::MeetingId.eq(meeting))
        .order_by_asc(attendee_entity::Column::Id)
        .all(c)
        .await?;
    let users: HashMap<i64, (String, String)> = crate::users::entity::Entity::find()
        .filter(crate::users::entity::Column::Id.is_in(rows.iter().filter_map(|r| r.user_id)))
        .all(c)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.name, u.email)))
        .collect();
    let people: HashMap<i64, (String, Option<String>)> = crate::people::entity::Entity::find()
        .filter(crate::people::entity::Column::Id.is_in(rows.iter().filter_map(|r| r.person_id)))
        .all(c)
        .await?
        .into_iter()
        .map(|p| {
            let name = match &p.first_name {
                Some(f) => format!("{f} {}", p.last_name),
                None => p.last_name.clone(),
            };
            (p.id, (name, p.email))
        })
        .collect();
    let mut out: Vec<Attendee> = rows
        .into_iter()
        .filter_map(|r| {
            let (name, email) = match (r.user_id, r.person_id) {
                (Some(u), _) => users.get(&u).map(|(n, e)| (n.clone(), Some(e.clone())))?,
                (None, Some(p)) => people.get(&p).cloned()?,
                (None, None) => return None,
            };
            Some(Attendee {
                id: r.id,
                user_id: r.user_id,
                person_id: r.person_id,
                organisation_id: r.organisation_id,
                name,
                email,
            })
        })
        .collect();
    out.sort_by_cached_key(|a| maillage_domain::text::fold(&a.name));
    Ok(out)
}

/// Adds `who` to `meeting` (nothing when they attend already).
pub async fn add_attendee(
    c: &impl ConnectionTrait,
    m: &Meeting,
    who: Who,
    organisation: Option<i64>,
) -> Result<Audited<bool>, DbErr> {
    let (column, id, key) = match who {
        Who::User(id) => (attendee_entity::Column::UserId, id, "user_id"),
        Who::Person(id) => (attendee_entity::Column::PersonId, id, "person_id"),
    };
    let there = attendee_entity::Entity::find()
        .filter(attendee_entity::Column::MeetingId.eq(m.id))
        .filter(column.eq(id))
        .one(c)
        .await?
        .is_some();
    if there {
        return Ok(Audited::unchanged(false));
    }
    attendee_entity::ActiveModel {
        meeting_id: Set(m.id),
        user_id: Set(matches!(who, Who::User(_)).then_some(id)),
        person_id: Set(matches!(who, Who::Person(_)).then_some(id)),
        organisation_id: Set(organisation),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        true,
        Entry::new(
            "add_attendee",
            "meeting",
            m.id,
            m.data.title.clone(),
            json!({ key: id, "organisation_id": organisation }),
        ),
    ))
}

/// Removes attendee `attendee` of `m`.
pub async fn remove_attendee(
    c: &impl ConnectionTrait,
    m: &Meeting,
    attendee: i64,
) -> Result<Audited<bool>, DbErr> {
    let gone = attendee_entity::Entity::delete_many()
        .filter(attendee_entity::Column::Id.eq(attendee))
        .filter(attendee_entity::Column::MeetingId.eq(m.id))
        .exec(c)
        .await?
        .rows_affected
        == 1;
    if !gone {
        return Ok(Audited::unchanged(false));
    }
    Ok(Audited::new(
        true,
        Entry::new(
            "remove_attendee",
            "meeting",
            m.id,
            m.data.title.clone(),
            json!({ "attendee": attendee }),
        ),
    ))
}

/// The meetings with an attendee whose `column` is `value`.
async fn attended(
    c: &impl ConnectionTrait,
    column: attendee_entity::Column,
    value: i64,
) -> Result<Vec<Meeting>, DbErr> {
    let ids: HashSet<i64> = attendee_entity::Entity::find()
        .filter(column.eq(value))
        .all(c)
        .await?
        .into_iter()
        .map(|a| a.meeting_id)
        .collect();
    let f = Filter {
        ids: Some(ids.into_iter().collect()),
        ..Default::default()
    };
    list(c, &f).await
}

/// The meetings an account attends.
pub async fn of_user(c: &impl ConnectionTrait, user: i64) -> Result<Vec<Meeting>, DbErr> {
    attended(c, attendee_entity::Column::UserId, user).await
}

/// The meetings someone of organisation `org` attends.
pub async fn of_organisation(c: &impl ConnectionTrait, org: i64) -> Result<Vec<Meeting>, DbErr> {
    attended(c, attendee_entity::Column::OrganisationId, org).await
}

/// An agenda item with its minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i32,
    pub title: String,
    pub minutes: Option<String>,
    pub outcome: Option<Outcome>,
    /// The task an action became.
    pub task_id: Option<i64>,
}

fn item(m: item_entity::Model) -> Result<Item, DbErr> {
    Ok(Item {
        id: m.id,
        meeting_id: m.meeting_id,
        position: m.position,
        title: m.title,
        minutes: m.minutes,
        outcome: m
            .outcome
            .as_deref()
            .map(|o| vocab::AGENDA_ITEMS_OUTCOME.decode(o))
            .transpose()?,
        task_id: m.task_id,
    })
}

/// The agenda of `meeting`, in order.
pub async fn items(c: &impl ConnectionTrait, meeting: i64) -> Result<Vec<Item>, DbErr> {
    item_entity::Entity::find()
        .filter(item_entity::Column::MeetingId.eq(meeting))
        .order_by_asc(item_entity::Column::Position)
        .order_by_asc(item_entity::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(item)
        .collect()
}

pub async fn find_item(c: &impl ConnectionTrait, id: i64) -> Result<Option<Item>, DbErr> {
    item_entity::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(item)
        .transpose()
}

/// Adds an item at the end of the agenda of `m`.
pub async fn add_item(
    c: &impl ConnectionTrait,
    m: &Meeting,
    title: &str,
) -> Result<Audited<Item>, DbErr> {
    let position = items(c, m.id).await?.last().map_or(1, |i| i.position + 1);
    let row = item_entity::ActiveModel {
        meeting_id: Set(m.id),
        position: Set(position),
        title: Set(title.to_owned()),
        minutes: Set(None),
        outcome: Set(None),
        task_id: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        item(row)?,
        Entry::new(
            "add_item",
            "meeting",
            m.id,
            m.data.title.clone(),
            json!({ "item": title }),
        ),
    ))
}

/// The action an item's minutes decide: who does what by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub assignee: i64,
    pub due_on: NaiveDate,
    /// The organisation it concerns, and whether its partners see it.
    pub organisation_id: Option<i64>,
    pub shared: bool,
}

/// Records the minutes of item `it` of `m`: its text and outcome; an
/// action makes the item's task, or revises the one it made.
pub async fn record_minutes(
    c: &impl ConnectionTrait,
    m: &Meeting,
    it: &Item,
    minutes: Option<String>,
    outcome: Option<Outcome>,
    action: Option<&Action>,
    now: DateTime<Utc>,
) -> Result<Audited<Item>, DbErr> {
    let mut task_id = it.task_id;
    if let Some(a) = action {
        match it.task_id {
            Some(t) => tasks::revise(c, t, &a.title, Some(a.due_on), &[a.assignee], now).await?,
            None => {
                let t = tasks::insert(
                    c,
                    &NewTask {
                        project_id: m.data.project_id,
                        title: a.title.clone(),
                        due_on: Some(a.due_on),
                        meeting_id: Some(m.id),
                        organisation_id: a.organisation_id,
                        activity_id: None,
                        shared: a.shared,
                        assignees: vec![a.assignee],
                    },
                    now,
                )
                .await?;
                task_id = Some(t.id);
            }
        }
    }
    item_entity::ActiveModel {
        id: Set(it.id),
        minutes: Set(minutes.clone()),
        outcome: Set(outcome.map(|o| o.code().to_owned())),
        task_id: Set(task_id),
        ..Default::default()
    }
    .update(c)
    .await?;
    let after = Item {
        minutes,
        outcome,
        task_id,
        ..it.clone()
    };
    let snap = |i: &Item| {
        json!({
            "item": i.title, "minutes": i.minutes,
            "outcome": i.outcome.map(|o| o.code()), "task_id": i.task_id,
        })
    };
    let mut entry = Entry::update(
        "meeting",
        m.id,
        m.data.title.clone(),
        &snap(it),
        &snap(&after),
    );
    if let (Some(a), Some(e)) = (action, entry.as_mut()) {
        e.changes["action"] =
            json!({"title": a.title, "assignee": a.assignee, "due_on": a.due_on.to_string()});
    }
    Ok(Audited::maybe(after, entry))
}

/// The open actions of the earlier meetings of the series of `m` (same
/// project, same series), to take up at `m`.
pub async fn carried(c: &impl ConnectionTrait, m: &Meeting) -> Result<Vec<Task>, DbErr> {
    let Some(series) = &m.data.series else {
        return Ok(Vec::new());
    };
    let mut q = Entity::find()
        .filter(Column::Series.eq(series.clone()))
        .filter(Column::StartsAt.lt(m.data.starts_at));
    q = match m.data.project_id {
        Some(p) => q.filter(Column::ProjectId.eq(p)),
        None => q.filter(Column::ProjectId.is_null()),
    };
    let earlier: Vec<i64> = q.all(c).await?.into_iter().map(|e| e.id).collect();
    if earlier.is_empty() {
        return Ok(Vec::new());
    }
    Ok(tasks::of_meetings(c, &earlier)
        .await?
        .into_iter()
        .filter(|t| t.status.is_open())
        .collect())
}

/// Marks the minutes of `m` as sent at `now`.
pub async fn minutes_sent(
    c: &impl ConnectionTrait,
    m: &Meeting,
    recipients: usize,
    now: DateTime<Utc>,
) -> Result<Audited<()>, DbErr> {
    ActiveModel {
        id: Set(m.id),
        minutes_sent_at: Set(Some(now)),
        ..Default::default()
    }
    .update(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "send_minutes",
            "meeting",
            m.id,
            m.data.title.clone(),
            json!({ "recipients": recipients }),
        ),
    ))
}
