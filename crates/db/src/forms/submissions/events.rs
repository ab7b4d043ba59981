//! The history of a submission: status changes and comments.

use super::events_entity;
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::forms::review::{Actor, Status};
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;

/// The kind of an event as stored (`submission_events.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Status,
    Comment,
}

impl EventType {
    pub const ALL: [EventType; 2] = [EventType::Status, EventType::Comment];

    pub fn code(self) -> &'static str {
        match self {
            EventType::Status => "status",
            EventType::Comment => "comment",
        }
    }
}

impl maillage_domain::Vocabulary for EventType {
    const ALL: &'static [EventType] = &EventType::ALL;

    fn code(self) -> &'static str {
        EventType::code(self)
    }
}

/// What happened to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    Status { from: Status, to: Status },
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub actor: Actor,
    pub user_id: Option<i64>,
    pub comment: Option<String>,
    /// Seen by the team only.
    pub internal: bool,
    pub at: DateTime<Utc>,
}

/// Adds a comment: internal (the team only) or to the submitter.
pub async fn comment(
    c: &impl ConnectionTrait,
    id: i64,
    actor: Actor,
    user: Option<i64>,
    text: &str,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    record(
        c,
        id,
        EventKind::Comment,
        (actor, user),
        Some(text),
        internal,
        now,
    )
    .await
}

/// Records `kind` on submission `id`, done by `actor` (the user, if any),
/// with a comment seen by the team only when `internal`. Returns its id.
pub(super) async fn record(
    c: &impl ConnectionTrait,
    id: i64,
    kind: EventKind,
    (actor, user): (Actor, Option<i64>),
    comment: Option<&str>,
    internal: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let (stored, from, to) = match kind {
        EventKind::Status { from, to } => (EventType::Status, Some(from), Some(to)),
        EventKind::Comment => (EventType::Comment, None, None),
    };
    let m = events_entity::ActiveModel {
        submission_id: Set(id),
        kind: Set(stored.code().into()),
        from_status: Set(from.map(|s| s.code().into())),
        to_status: Set(to.map(|s| s.code().into())),
        actor: Set(actor.code().into()),
        user_id: Set(user),
        comment: Set(comment.map(str::to_owned)),
        internal: Set(internal),
        at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(m.id)
}

/// The history of a submission, oldest first; `internal` includes the
/// team's comments.
pub async fn events(
    c: &impl ConnectionTrait,
    id: i64,
    internal: bool,
) -> Result<Vec<Event>, DbErr> {
    let mut q = events_entity::Entity::find()
        .filter(events_entity::Column::SubmissionId.eq(id))
        .order_by_asc(events_entity::Column::Id);
    if !internal {
        q = q.filter(events_entity::Column::Internal.eq(false));
    }
    crate::query::all(c, q, event_from).await
}

fn event_from(m: events_entity::Model) -> Result<Event, DbErr> {
    let from = vocab::SUBMISSION_EVENTS_FROM_STATUS.decode_opt(m.from_status.as_deref())?;
    let to = vocab::SUBMISSION_EVENTS_TO_STATUS.decode_opt(m.to_status.as_deref())?;
    let kind = match (vocab::SUBMISSION_EVENTS_KIND.decode(&m.kind)?, from, to) {
        (EventType::Status, Some(from), Some(to)) => EventKind::Status { from, to },
        (EventType::Status, ..) => {
            return Err(DbErr::Type(format!(
                "status event {} without its statuses in submission_events",
                m.id
            )));
        }
        (EventType::Comment, ..) => EventKind::Comment,
    };
    Ok(Event {
        id: m.id,
        kind,
        actor: vocab::SUBMISSION_EVENTS_ACTOR.decode(&m.actor)?,
        user_id: m.user_id,
        comment: m.comment,
        internal: m.internal,
        at: m.at,
    })
}
