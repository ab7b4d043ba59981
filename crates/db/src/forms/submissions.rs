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

use super::calls::{self, Call, Window};
use crate::programme::activities;
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::Locale;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{ActivityProposal, Answers, CallKind};
use maillage_domain::programme::ActivityStatus;
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, OnConflict, Query};
use sea_orm::{QueryOrder, QuerySelect};

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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{ActiveModel, Column, Entity};

const REVIEWERS: &str = "submission_reviewers";
const SCORES: &str = "submission_scores";
const CRITERIA: &str = "call_criteria";

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
}

/// Whether every file the answers point at was uploaded with `submission`.
async fn own_uploads(
    c: &impl ConnectionTrait,
    submission: Option<i64>,
    answers: &Answers,
) -> Result<bool, DbErr> {
    let wanted = answers.uploads();
    if wanted.is_empty() {
        return Ok(true);
    }
    let Some(id) = submission else {
        return Ok(false);
    };
    let have: Vec<i64> = super::uploads::of_submission(c, id)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    Ok(wanted.iter().all(|w| have.contains(w)))
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

/// Starts a draft answering `call` with the current version of its form.
/// Returns it with the secret of its resume link (only its digest is kept).
pub async fn start(
    c: &impl ConnectionTrait,
    call: &Call,
    who: &Submitter,
    answers: &Answers,
    now: DateTime<Utc>,
) -> Result<Result<(Submission, String), Refusal>, DbErr> {
    if let Err(w) = call.window(now) {
        return Ok(Err(w.into()));
    }
    let Some(form) = super::find(c, call.data.form_id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    // Files are uploaded to an existing draft.
    if !own_uploads(c, None, answers).await? {
        return Ok(Err(Refusal::ForeignUpload));
    }
    let secret = token::generate();
    let m = ActiveModel {
        form_id: Set(form.id),
        version_id: Set(form.version.id),
        call_id: Set(Some(call.id)),
        status: Set(Status::Draft.code().to_owned()),
        organisation_id: Set(who.organisation_id),
        user_id: Set(who.user_id),
        submitter_name: Set(who.name.clone()),
        submitter_email: Set(who.email.clone()),
        locale: Set(who.locale.as_str().to_owned()),
        resume_token_hash: Set(token::digest(&secret)),
        answers: Set(answers.to_json()),
        staged_status: Set(None),
        staged_message: Set(None),
        activity_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Ok((from_model(m)?, secret)))
}

/// The submission a resume link's secret opens.
pub async fn resume(c: &impl ConnectionTrait, secret: &str) -> Result<Option<Submission>, DbErr> {
    if !token::is_well_formed(secret) {
        return Ok(None);
    }
    Entity::find()
        .filter(Column::ResumeTokenHash.eq(token::digest(secret)))
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

async fn call_of(c: &impl ConnectionTrait, s: &Submission) -> Result<Option<Call>, DbErr> {
    match s.call_id {
        Some(id) => calls::find(c, id).await,
        None => Ok(None),
    }
}

/// Saves the answers of a draft (or of a submission whose changes were
/// requested), while the call is open — a request for changes may be
/// answered after the closing date.
pub async fn save_answers(
    c: &impl ConnectionTrait,
    id: i64,
    answers: &Answers,
    now: DateTime<Utc>,
) -> Result<Result<Submission, Refusal>, DbErr> {
    let Some(s) = find(c, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if !s.status.editable() {
        return Ok(Err(Refusal::NotEditable));
    }
    if !own_uploads(c, Some(id), answers).await? {
        return Ok(Err(Refusal::ForeignUpload));
    }
    if s.status == Status::Draft
        && let Some(call) = call_of(c, &s).await?
        && let Err(w) = call.window(now)
    {
        return Ok(Err(w.into()));
    }
    let r = Entity::update_many()
        .col_expr(Column::Answers, Expr::value(answers.to_json()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(s.status.code()))
        .exec(c)
        .await?;
    if r.rows_affected == 0 {
        return Ok(Err(Refusal::NotEditable));
    }
    Ok(find(c, id).await?.ok_or(Refusal::NotFound))
}

/// The submitter submits: a draft before the call closes, or the answer
/// to a request for changes.
pub async fn submit(
    c: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Result<Submission, Refusal>, DbErr> {
    let Some(s) = find(c, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if s.status == Status::Draft
        && let Some(call) = call_of(c, &s).await?
        && let Err(w) = call.window(now)
    {
        return Ok(Err(w.into()));
    }
    transition(c, id, Status::Submitted, Actor::Submitter, None, None, now).await
}

/// Moves a submission to `to`, if the table allows `actor` to, records
/// the event (with `message`, which the submitter sees), and for an
/// accepted proposal to a call for participation makes its draft activity.
pub async fn transition(
    c: &impl ConnectionTrait,
    id: i64,
    to: Status,
    actor: Actor,
    user: Option<i64>,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<Submission, Refusal>, DbErr> {
    let Some(s) = find(c, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let from = s.status;
    if !from.allows(to, actor) {
        return Ok(Err(Refusal::Illegal { from, to }));
    }
    let mut update = Entity::update_many()
        .col_expr(Column::Status, Expr::value(to.code()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::StagedStatus, Expr::value(Option::<String>::None))
        .col_expr(Column::StagedMessage, Expr::value(Option::<String>::None));
    if to == Status::Submitted {
        update = update.col_expr(Column::SubmittedAt, Expr::value(now));
    }
    // Conditional on the status read: two reviewers deciding at once
    // cannot both move it.
    let r = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(from.code()))
        .exec(c)
        .await?;
    if r.rows_affected == 0 {
        return Ok(Err(Refusal::Illegal { from, to }));
    }
    events_entity::ActiveModel {
        submission_id: Set(id),
        kind: Set(EventType::Status.code().into()),
        from_status: Set(Some(from.code().into())),
        to_status: Set(Some(to.code().into())),
        actor: Set(actor.code().into()),
        user_id: Set(user),
        comment: Set(message.map(str::to_owned)),
        internal: Set(false),
        at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    if to == Status::Accepted
        && let Some(call) = call_of(c, &s).await?
        && call.data.kind == CallKind::Participation
        && s.activity_id.is_none()
    {
        let activity = make_activity(c, &s, &call, now).await?;
        Entity::update_many()
            .col_expr(Column::ActivityId, Expr::value(activity))
            .filter(Column::Id.eq(id))
            .exec(c)
            .await?;
    }
    Ok(find(c, id).await?.ok_or(Refusal::NotFound))
}

/// The draft activity of an accepted proposal: its fields from the
/// answers' well-known keys ([`ActivityProposal`]), in the call's
/// project, run by the submitting organisation, at the venue chosen.
async fn make_activity(
    c: &impl ConnectionTrait,
    s: &Submission,
    call: &Call,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let p = ActivityProposal::from_answers(&s.answers);
    let title = p
        .title
        .unwrap_or_else(|| format!("{} — {}", call.data.title, s.submitter.name));
    let venue_id = match p.venue_id {
        Some(v) if crate::venues::find(c, v).await?.is_some() => Some(v),
        _ => None,
    };
    let project = call.data.project_id;
    let slug = activities::free_slug(c, project, &title, None).await?;
    let a = activities::insert(
        c,
        &activities::ActivityData {
            project_id: project,
            slug,
            title,
            summary: p.summary,
            description: p.description,
            format: p.format,
            audiences: p.audiences,
            themes: p.themes,
            min_age: p.min_age,
            organisations: s.submitter.organisation_id.into_iter().collect(),
            venue_id,
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok(a.id)
}

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
    let m = events_entity::ActiveModel {
        submission_id: Set(id),
        kind: Set(EventType::Comment.code().into()),
        from_status: Set(None),
        to_status: Set(None),
        actor: Set(actor.code().into()),
        user_id: Set(user),
        comment: Set(Some(text.to_owned())),
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
    q.all(c).await?.into_iter().map(event_from).collect()
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

/// Assigns a reviewer (nothing happens if already assigned).
pub async fn assign_reviewer(
    c: &impl ConnectionTrait,
    id: i64,
    user: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    c.execute(
        Query::insert()
            .into_table(REVIEWERS)
            .columns(["submission_id", "user_id", "assigned_at"])
            .values_panic([id.into(), user.into(), now.into()])
            .on_conflict(
                OnConflict::columns(["submission_id", "user_id"])
                    .do_nothing()
                    .to_owned(),
            ),
    )
    .await
    .map(|_| ())
}

pub async fn unassign_reviewer(c: &impl ConnectionTrait, id: i64, user: i64) -> Result<(), DbErr> {
    c.execute(
        Query::delete()
            .from_table(REVIEWERS)
            .and_where(Expr::col("submission_id").eq(id))
            .and_where(Expr::col("user_id").eq(user)),
    )
    .await
    .map(|_| ())
}

/// The reviewers of a submission (user ids).
pub async fn reviewers(c: &impl ConnectionTrait, id: i64) -> Result<Vec<i64>, DbErr> {
    c.query_all(
        Query::select()
            .column("user_id")
            .from(REVIEWERS)
            .and_where(Expr::col("submission_id").eq(id))
            .order_by("user_id", sea_orm::Order::Asc),
    )
    .await?
    .iter()
    .map(|r| r.try_get::<i64>("", "user_id"))
    .collect()
}

/// Records (or changes) a reviewer's score on a criterion.
pub async fn score(
    c: &impl ConnectionTrait,
    id: i64,
    reviewer: i64,
    criterion: i64,
    score: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    c.execute(
        Query::insert()
            .into_table(SCORES)
            .columns([
                "submission_id",
                "reviewer_id",
                "criterion_id",
                "score",
                "updated_at",
            ])
            .values_panic([
                id.into(),
                reviewer.into(),
                criterion.into(),
                score.into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::columns(["submission_id", "reviewer_id", "criterion_id"])
                    .update_columns(["score", "updated_at"])
                    .to_owned(),
            ),
    )
    .await
    .map(|_| ())
}

/// One reviewer's score on one criterion of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub reviewer_id: i64,
    pub criterion_id: i64,
    pub score: i32,
}

/// Every score given on a submission, by reviewer then criterion.
pub async fn scores(c: &impl ConnectionTrait, id: i64) -> Result<Vec<Score>, DbErr> {
    c.query_all(
        Query::select()
            .columns(["reviewer_id", "criterion_id", "score"])
            .from(SCORES)
            .and_where(Expr::col("submission_id").eq(id))
            .order_by("reviewer_id", sea_orm::Order::Asc)
            .order_by("criterion_id", sea_orm::Order::Asc),
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Score {
            reviewer_id: r.try_get("", "reviewer_id")?,
            criterion_id: r.try_get("", "criterion_id")?,
            score: r.try_get("", "score")?,
        })
    })
    .collect()
}

/// The weighted average score of a submission, over every reviewer's
/// scores: Σ score × weight / Σ weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Average {
    pub submission_id: i64,
    pub average: f64,
    pub reviewers: i64,
}

/// The weighted averages of the submissions of a call, in one query
/// (best first).
pub async fn averages(c: &impl ConnectionTrait, call: i64) -> Result<Vec<Average>, DbErr> {
    let (s, k) = (Alias::new("s"), Alias::new("k"));
    let col = |t: &Alias, n: &str| Expr::col((t.clone(), Alias::new(n)));
    // Sums are NUMERIC/BIGINT on PostgreSQL: cast to a float on both engines
    // (SQLite reads DOUBLE PRECISION as REAL).
    let double = Alias::new("DOUBLE PRECISION");
    let weighted = Func::cast_as(
        Func::sum(col(&s, "score").mul(col(&k, "weight"))),
        double.clone(),
    );
    let weights = Func::cast_as(Func::sum(col(&k, "weight")), double);
    let mut q = Query::select();
    q.from_as(Alias::new(SCORES), s.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new(CRITERIA),
            k.clone(),
            col(&k, "id").equals((s.clone(), Alias::new("criterion_id"))),
        )
        .expr_as(col(&s, "submission_id"), Alias::new("submission_id"))
        .expr_as(
            Expr::expr(weighted).div(Expr::expr(weights)),
            Alias::new("average"),
        )
        .expr_as(
            Func::count_distinct(col(&s, "reviewer_id")),
            Alias::new("reviewers"),
        )
        .and_where(col(&k, "call_id").eq(call))
        .and_where(col(&k, "weight").gt(0))
        .group_by_col((s.clone(), Alias::new("submission_id")));
    let mut out = c
        .query_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok(Average {
                submission_id: r.try_get("", "submission_id")?,
                average: r.try_get("", "average")?,
                reviewers: r.try_get("", "reviewers")?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    out.sort_by(|a, b| {
        b.average
            .total_cmp(&a.average)
            .then(a.submission_id.cmp(&b.submission_id))
    });
    Ok(out)
}

/// Stages a decision (or clears it with `None`), to send later with the
/// others. Only a decision the table allows staff to make now is staged.
pub async fn stage(
    c: &impl ConnectionTrait,
    id: i64,
    decision: Option<(Status, Option<String>)>,
    now: DateTime<Utc>,
) -> Result<Result<(), Refusal>, DbErr> {
    let Some(s) = find(c, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let (status, message) = match decision {
        Some((to, message)) => {
            if !to.is_decision() {
                return Ok(Err(Refusal::NotADecision));
            }
            if !s.status.allows(to, Actor::Staff) {
                return Ok(Err(Refusal::Illegal { from: s.status, to }));
            }
            (Some(to.code().to_owned()), message)
        }
        None => (None, None),
    };
    Entity::update_many()
        .col_expr(Column::StagedStatus, Expr::value(status))
        .col_expr(Column::StagedMessage, Expr::value(message))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(Ok(()))
}

/// A staged decision sent: the submission as it is now, and the status it
/// left. The caller e-mails the submitter.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub submission: Submission,
    pub from: Status,
    pub message: Option<String>,
}

/// Sends every staged decision of a call in one batch (in the caller's
/// transaction): each goes through [`transition`], so its event is
/// recorded and an accepted proposal makes its activity. A decision no
/// longer allowed (the submission was withdrawn meanwhile) is dropped.
pub async fn send_staged(
    c: &impl ConnectionTrait,
    call: i64,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<Sent>, DbErr> {
    let staged = Entity::find()
        .filter(Column::CallId.eq(call))
        .filter(Column::StagedStatus.is_not_null())
        .order_by_asc(Column::Id)
        .all(c)
        .await?;
    let mut sent = Vec::new();
    for m in staged {
        let s = from_model(m)?;
        let Some(to) = s.staged else { continue };
        let message = s.staged_message.clone();
        match transition(c, s.id, to, Actor::Staff, user, message.as_deref(), now).await? {
            Ok(submission) => sent.push(Sent {
                submission,
                from: s.status,
                message,
            }),
            Err(_) => {
                Entity::update_many()
                    .col_expr(Column::StagedStatus, Expr::value(Option::<String>::None))
                    .col_expr(Column::StagedMessage, Expr::value(Option::<String>::None))
                    .filter(Column::Id.eq(s.id))
                    .exec(c)
                    .await?;
            }
        }
    }
    Ok(sent)
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
    q.all(c).await?.into_iter().map(from_model).collect()
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
