//! What a submitter does: a draft started, resumed by its secret link,
//! its answers saved, then submitted — while the call is open.

use super::entity::{ActiveModel, Column, Entity};
use super::{Refusal, Submission, Submitter, call_of, find, from_model, transition};
use crate::forms::calls::Call;
use chrono::{DateTime, Utc};
use maillage_domain::forms::Answers;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::token;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

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
    let have: Vec<i64> = crate::forms::uploads::of_submission(c, id)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    Ok(wanted.iter().all(|w| have.contains(w)))
}

/// Whether a draft may change at `now`: its call is open. A submission
/// whose changes were requested may change after the closing date.
async fn draft_window(
    c: &impl ConnectionTrait,
    s: &Submission,
    now: DateTime<Utc>,
) -> Result<Result<(), Refusal>, DbErr> {
    if s.status == Status::Draft
        && let Some(call) = call_of(c, s).await?
    {
        return Ok(call.window(now).map_err(Refusal::from));
    }
    Ok(Ok(()))
}

/// Starts a draft answering `call` with the current version of its form.
/// Answers to one call an address may have in progress at once.
pub const MAX_DRAFTS_PER_ADDRESS: u64 = 3;

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
    let Some(form) = crate::forms::find(c, call.data.form_id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    // Files are uploaded to an existing draft.
    if !own_uploads(c, None, answers).await? {
        return Ok(Err(Refusal::ForeignUpload));
    }
    // A partner's drafts are found by their login; an address answering
    // anonymously keeps a few at most.
    if who.user_id.is_none() {
        let drafts = Entity::find()
            .filter(Column::CallId.eq(call.id))
            .filter(Column::SubmitterEmail.eq(who.email.to_lowercase()))
            .filter(Column::Status.eq(Status::Draft.code()))
            .count(c)
            .await?;
        if drafts >= MAX_DRAFTS_PER_ADDRESS {
            return Ok(Err(Refusal::TooManyDrafts));
        }
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
    let Some(digest) = crate::query::secret_digest(secret) else {
        return Ok(None);
    };
    Entity::find()
        .filter(Column::ResumeTokenHash.eq(digest))
        .one(c)
        .await?
        .map(from_model)
        .transpose()
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
    if let Err(r) = draft_window(c, &s, now).await? {
        return Ok(Err(r));
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
    if let Err(r) = draft_window(c, &s, now).await? {
        return Ok(Err(r));
    }
    transition(c, id, Status::Submitted, Actor::Submitter, None, None, now).await
}
