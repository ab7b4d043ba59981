//! Decisions staged, then sent in one batch.

use super::entity::{Column, Entity};
use super::{Refusal, Submission, find, from_model, transition, unstage};
use chrono::{DateTime, Utc};
use maillage_domain::forms::review::{Actor, Status};
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

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
                unstage(Entity::update_many())
                    .filter(Column::Id.eq(s.id))
                    .exec(c)
                    .await?;
            }
        }
    }
    Ok(sent)
}
