//! The e-mail outbox. A message is written in the same transaction as the
//! change that causes it, so it exists exactly when the change does. Workers
//! claim due messages with a lease (a conditional update, so two instances
//! never claim the same one), deliver them, and record the outcome; failures
//! are retried with exponential backoff.

use crate::page::{Page, PageRequest};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, PaginatorTrait, QueryOrder, QuerySelect};

/// Attempts before a message is marked failed for good.
pub const MAX_ATTEMPTS: i32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Sent,
    Failed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Pending, Status::Sent, Status::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl maillage_domain::Vocabulary for Status {
    const ALL: &'static [Status] = &Status::ALL;

    fn code(self) -> &'static str {
        self.as_str()
    }
}

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub created_at: DateTimeUtc,
        pub to_addr: String,
        pub to_name: Option<String>,
        pub subject: String,
        pub body_text: String,
        pub body_html: Option<String>,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub locked_by: Option<String>,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub sent_at: Option<DateTimeUtc>,
        pub message_id: Option<String>,
        /// An iCalendar file sent as an attachment (`invite.ics`).
        pub ics: Option<String>,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A queued message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub to_addr: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub message_id: Option<String>,
    /// An iCalendar file sent as an attachment (`invite.ics`).
    pub ics: Option<String>,
}

impl TryFrom<entity::Model> for Message {
    type Error = DbErr;

    fn try_from(m: entity::Model) -> Result<Message, DbErr> {
        Ok(Message {
            id: m.id,
            created_at: m.created_at,
            to_addr: m.to_addr,
            to_name: m.to_name,
            subject: m.subject,
            body_text: m.body_text,
            body_html: m.body_html,
            status: crate::vocab::OUTBOX_STATUS.decode(&m.status)?,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            locked_by: m.locked_by,
            locked_until: m.locked_until,
            last_error: m.last_error,
            sent_at: m.sent_at,
            message_id: m.message_id,
            ics: m.ics,
        })
    }
}

fn messages(models: Vec<entity::Model>) -> Result<Vec<Message>, DbErr> {
    models.into_iter().map(Message::try_from).collect()
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub to_addr: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// An iCalendar file to attach (the booked session).
    pub ics: Option<String>,
}

/// Queues a message; pass the transaction of the change that causes it.
pub async fn enqueue(
    c: &impl ConnectionTrait,
    mail: NewMail,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let m = ActiveModel {
        created_at: Set(now),
        to_addr: Set(mail.to_addr),
        to_name: Set(mail.to_name),
        subject: Set(mail.subject),
        body_text: Set(mail.body_text),
        body_html: Set(mail.body_html),
        status: Set(Status::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        message_id: Set(None),
        ics: Set(mail.ics),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(m.id)
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::Status.eq(Status::Pending.as_str()))
        .add(Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(Column::LockedUntil.is_null())
                .add(Column::LockedUntil.lt(now)),
        )
}

/// Claims up to `limit` due messages for `worker` until `now + lease`.
/// A message claimed by another worker whose lease has not run out is
/// never returned, whatever the concurrency.
pub async fn claim(
    c: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: u64,
) -> Result<Vec<Message>, DbErr> {
    let candidates: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(now))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?;
    let mut claimed = Vec::new();
    for id in candidates {
        let r = Entity::update_many()
            .col_expr(Column::LockedBy, Expr::value(worker))
            .col_expr(Column::LockedUntil, Expr::value(now + lease))
            .filter(Column::Id.eq(id))
            .filter(claimable(now))
            .exec(c)
            .await?;
        if r.rows_affected == 1 {
            claimed.push(id);
        }
    }
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    messages(
        Entity::find()
            .filter(Column::Id.is_in(claimed))
            .order_by_asc(Column::Id)
            .all(c)
            .await?,
    )
}

/// Records a delivery. Only the worker holding the claim can do so.
pub async fn mark_sent(
    c: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    now: DateTime<Utc>,
    message_id: &str,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::Status, Expr::value(Status::Sent.as_str()))
        .col_expr(Column::SentAt, Expr::value(now))
        .col_expr(Column::MessageId, Expr::value(message_id))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .filter(Column::Id.eq(id))
        .filter(Column::LockedBy.eq(worker))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Delay before attempt `n + 1` after `n` failed attempts: 30 s, 1 min, 2 min… up to 6 h.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (TimeDelta::seconds(30) * 2i32.saturating_pow(exp)).min(TimeDelta::hours(6))
}

/// Records a failed attempt: retried later, or failed for good after
/// [`MAX_ATTEMPTS`]. `permanent` errors (a refused address) are not retried.
pub async fn mark_failed(
    c: &impl ConnectionTrait,
    message: &Message,
    worker: &str,
    now: DateTime<Utc>,
    error: &str,
    permanent: bool,
) -> Result<bool, DbErr> {
    let attempts = message.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    let status = if give_up {
        Status::Failed
    } else {
        Status::Pending
    };
    let error: String = error.chars().take(1000).collect();
    let r = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.as_str()))
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(Column::NextAttemptAt, Expr::value(now + backoff(attempts)))
        .col_expr(Column::LastError, Expr::value(error))
        .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Id.eq(message.id))
        .filter(Column::LockedBy.eq(worker))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts a failed message back in the queue (admin action).
pub async fn retry(c: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::Status, Expr::value(Status::Pending.as_str()))
        .col_expr(Column::NextAttemptAt, Expr::value(now))
        .col_expr(Column::Attempts, Expr::value(0))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(Status::Failed.as_str()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Message>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(Message::try_from)
        .transpose()
}

/// Messages newest first, optionally of one status.
pub async fn list(
    c: &impl ConnectionTrait,
    status: Option<Status>,
    page: PageRequest,
) -> Result<Page<Message>, DbErr> {
    let mut q = Entity::find();
    if let Some(s) = status {
        q = q.filter(Column::Status.eq(s.as_str()));
    }
    let newest_first = |q: Select<Entity>| q.order_by_desc(Column::Id);
    crate::query::page(c, q, page, newest_first, Message::try_from).await
}

/// Number of messages in each status.
pub async fn counts(c: &impl ConnectionTrait) -> Result<Vec<(Status, u64)>, DbErr> {
    let mut out = Vec::new();
    for s in Status::ALL {
        let n = Entity::find()
            .filter(Column::Status.eq(s.as_str()))
            .count(c)
            .await?;
        out.push((s, n));
    }
    Ok(out)
}

/// When the next pending message falls due, if any (for the worker's sleep).
pub async fn next_due(c: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::NextAttemptAt)
        .filter(Column::Status.eq(Status::Pending.as_str()))
        .order_by_asc(Column::NextAttemptAt)
        .limit(1)
        .into_tuple()
        .one(c)
        .await
}

/// Empties the bodies (text, HTML, calendar file) of the messages sent
/// before `before`: they hold names and secret links, and once delivered
/// the mailbox keeps them. Who was written to, when and about what stays
/// for the outbox's history. Returns how many were emptied.
pub async fn purge_bodies(c: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::BodyText, Expr::value(""))
        .col_expr(Column::BodyHtml, Expr::value(Option::<String>::None))
        .col_expr(Column::Ics, Expr::value(Option::<String>::None))
        .filter(Column::Status.eq(Status::Sent.as_str()))
        .filter(Column::SentAt.lt(before))
        .filter(Column::BodyText.ne(""))
        .exec(c)
        .await?
        .rows_affected)
}

/// Deletes the messages sent before `before` (their history too).
pub async fn purge_sent(c: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::Status.eq(Status::Sent.as_str()))
        .filter(Column::SentAt.lt(before))
        .exec(c)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(4), TimeDelta::seconds(240));
        assert_eq!(backoff(19), TimeDelta::hours(6));
    }
}
