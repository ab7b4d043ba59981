//! Status changes through the transition table, and the draft activity
//! an accepted proposal becomes.

use super::entity::{Column, Entity};
use super::events::{EventKind, record};
use super::{Refusal, Submission, call_of, find, unstage};
use crate::forms::calls::Call;
use crate::programme::activities;
use chrono::{DateTime, Utc};
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{ActivityProposal, CallKind};
use maillage_domain::programme::ActivityStatus;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

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
    let mut update = unstage(Entity::update_many())
        .col_expr(Column::Status, Expr::value(to.code()))
        .col_expr(Column::UpdatedAt, Expr::value(now));
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
    let kind = EventKind::Status { from, to };
    record(c, id, kind, (actor, user), message, false, now).await?;
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
