//! Submissions to calls: drafts saved and resumed by a secret link,
//! submitted before the call closes, then reviewed — status changes
//! through the explicit table of [`maillage_domain::forms::review`], each
//! recorded as an event; reviewers, internal comments, scores per
//! criterion with their weighted average; decisions staged and sent in one
//! batch. An accepted proposal to a call for participation becomes a draft
//! activity of the call's project, linked to the submitting organisation
//! and its venue.
//!
//! Functions that change a status return what changed; the caller queues
//! the submitter's e-mail (`outbox::enqueue`) in the same transaction.
//!
//! One file per sub-feature, everything used from here: `drafts` (what a
//! submitter does), `transition` (status changes and the activity of an
//! accepted proposal), `events` (history and comments), `scores`
//! (reviewers, scores, averages) and `staged` (decisions sent in a batch).

mod drafts;
mod events;
mod retention;
mod scores;
mod staged;
mod transition;

pub use drafts::{MAX_DRAFTS_PER_ADDRESS, resume, save_answers, start, submit};
pub use events::{Event, EventKind, EventType, comment, events};
pub use retention::{erase_email, of_email, purge_expired};
pub use scores::{
    Average, Score, assign_reviewer, averages, reviewers, score, scores, unassign_reviewer,
};
pub use staged::{Sent, send_staged, stage};
pub use transition::transition;

use super::calls::{self, Call, Window};
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::Locale;
use maillage_domain::forms::Answers;
use maillage_domain::forms::review::Status;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{QueryOrder, QuerySelect, UpdateMany};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "submissions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub form_id: i64,
        pub version_id: i64,
        pub call_id: Option<i64>,
        pub status: String,
        pub organisation_id: Option<i64>,
        pub user_id: Option<i64>,
        pub submitter_name: String,
        pub submitter_email: String,
        pub locale: String,
        pub resume_token_hash: String,
        pub answers: String,
        pub staged_status: Option<String>,
        pub staged_message: Option<String>,
        pub activity_id: Option<i64>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
    }

    crate::query::no_relations!();
}

pub mod events_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "submission_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub submission_id: i64,
        pub kind: String,
        pub from_status: Option<String>,
        pub to_status: Option<String>,
        pub actor: String,
        pub user_id: Option<i64>,
        pub comment: Option<String>,
        pub internal: bool,
        pub at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{Column, Entity};

const REVIEWERS: &str = "submission_reviewers";

/// Who submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitter {
    pub name: String,
    pub email: String,
    pub locale: Locale,
    /// A partner answering for its organisation.
    pub organisation_id: Option<i64>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: i64,
    pub form_id: i64,
    /// The version of the form the answers answered.
    pub version_id: i64,
    pub call_id: Option<i64>,
    pub status: Status,
    pub submitter: Submitter,
    pub answers: Answers,
    /// A decision staged, not sent yet, and its message.
    pub staged: Option<Status>,
    pub staged_message: Option<String>,
    /// The draft activity an accepted proposal became.
    pub activity_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

fn from_model(m: entity::Model) -> Result<Submission, DbErr> {
    Ok(Submission {
        id: m.id,
        form_id: m.form_id,
        version_id: m.version_id,
        call_id: m.call_id,
        status: vocab::SUBMISSIONS_STATUS.decode(&m.status)?,
        submitter: Submitter {
            name: m.submitter_name,
            email: m.submitter_email,
            locale: vocab::SUBMISSIONS_LOCALE.decode(&m.locale)?,
            organisation_id: m.organisation_id,
            user_id: m.user_id,
        },
        answers: Answers::from_json(&m.answers)
            .map_err(|e| DbErr::Custom(format!("submission {}: {e}", m.id)))?,
        staged: vocab::SUBMISSIONS_STAGED_STATUS.decode_opt(m.staged_status.as_deref())?,
        staged_message: m.staged_message,
        activity_id: m.activity_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
    })
}

/// Why a change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    /// The call opens later.
    NotYetOpen(DateTime<Utc>),
    /// The call closed at this date-time: too late.
    Closed(DateTime<Utc>),
    /// The answers can no longer be changed in this status.
    NotEditable,
    /// The transition table does not allow it (for this actor).
    Illegal {
        from: Status,
        to: Status,
    },
    /// Only acceptance, refusal and requests for changes can be staged.
    NotADecision,
    /// The answers point at a file that is not one of this submission's
    /// uploads (a forged form).
    ForeignUpload,
    /// This address has [`drafts::MAX_DRAFTS_PER_ADDRESS`] answers to the
    /// call in progress already: it resumes one (each draft may hold files,
    /// and each new one sends an e-mail).
    TooManyDrafts,
}

impl From<Window> for Refusal {
    fn from(w: Window) -> Refusal {
        match w {
            Window::NotYetOpen(t) => Refusal::NotYetOpen(t),
            Window::Closed(t) => Refusal::Closed(t),
        }
    }
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Submission>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

/// A submission with the version of the form it answered.
pub async fn with_version(
    c: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<(Submission, super::Version)>, DbErr> {
    let Some(s) = find(c, id).await? else {
        return Ok(None);
    };
    let v = super::version(c, s.version_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("form version {}", s.version_id)))?;
    Ok(Some((s, v)))
}

/// Clears the decision staged on the submissions `update` changes.
fn unstage(update: UpdateMany<Entity>) -> UpdateMany<Entity> {
    update
        .col_expr(Column::StagedStatus, Expr::value(Option::<String>::None))
        .col_expr(Column::StagedMessage, Expr::value(Option::<String>::None))
}

async fn call_of(c: &impl ConnectionTrait, s: &Submission) -> Result<Option<Call>, DbErr> {
    match s.call_id {
        Some(id) => calls::find(c, id).await,
        None => Ok(None),
    }
}

/// Filters of the submissions list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub call_id: Option<i64>,
    pub form_id: Option<i64>,
    pub status: Option<Status>,
    pub organisation_id: Option<i64>,
    /// Assigned to this reviewer.
    pub reviewer_id: Option<i64>,
    /// Only those with a staged decision.
    pub staged: bool,
    /// Drafts are the submitters' own business: listed only when asked.
    pub include_drafts: bool,
}

/// Submissions matching `f`, oldest first.
pub async fn list(c: &impl ConnectionTrait, f: &Filter) -> Result<Vec<Submission>, DbErr> {
    let mut q = Entity::find().order_by_asc(Column::Id);
    if let Some(v) = f.call_id {
        q = q.filter(Column::CallId.eq(v));
    }
    if let Some(v) = f.form_id {
        q = q.filter(Column::FormId.eq(v));
    }
    match f.status {
        Some(s) => q = q.filter(Column::Status.eq(s.code())),
        None if !f.include_drafts => q = q.filter(Column::Status.ne(Status::Draft.code())),
        None => {}
    }
    if let Some(v) = f.organisation_id {
        q = q.filter(Column::OrganisationId.eq(v));
    }
    if let Some(r) = f.reviewer_id {
        q = q.filter(
            Column::Id.in_subquery(
                Query::select()
                    .column("submission_id")
                    .from(REVIEWERS)
                    .and_where(Expr::col("user_id").eq(r))
                    .take(),
            ),
        );
    }
    if f.staged {
        q = q.filter(Column::StagedStatus.is_not_null());
    }
    crate::query::all(c, q, from_model).await
}

/// How many submissions of a call are in each status.
pub async fn counts(c: &impl ConnectionTrait, call: i64) -> Result<Vec<(Status, i64)>, DbErr> {
    let rows: Vec<(String, i64)> = Entity::find()
        .select_only()
        .column(Column::Status)
        .column_as(Column::Id.count(), "n")
        .filter(Column::CallId.eq(call))
        .group_by(Column::Status)
        .into_tuple()
        .all(c)
        .await?;
    let mut counts: Vec<(Status, i64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for (code, n) in rows {
        let status = vocab::SUBMISSIONS_STATUS.decode(&code)?;
        if let Some(e) = counts.iter_mut().find(|(s, _)| *s == status) {
            e.1 += n;
        }
    }
    Ok(counts)
}
