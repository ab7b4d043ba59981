//! Status changes through the transition table, and the draft activity
//! an accepted proposal becomes.

use super::entity::{Column, Entity};
use super::events::{EventKind, record};
use super::{Refusal, Submission, call_of, find, unstage};
use crate::forms::calls::Call;
use crate::programme::activities;
use crate::programme::sessions::{self, SessionData};
use chrono::TimeZone;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{ActivityProposal, CallKind, ProposedSession};
use maillage_domain::programme::{ActivityStatus, SessionStatus};
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
/// project, run by the submitting organisation, with the sessions
/// proposed, each at its place: a venue chosen, else the venue of the
/// directory with that name in that commune, else one made for it.
async fn make_activity(
    c: &impl ConnectionTrait,
    s: &Submission,
    call: &Call,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let p = ActivityProposal::from_answers(&s.answers);
    let title = p
        .title
        .clone()
        .unwrap_or_else(|| format!("{} — {}", call.data.title, s.submitter.name));
    let mut places = Vec::with_capacity(p.sessions.len());
    for proposed in &p.sessions {
        places.push(place_of(c, s, proposed, now).await?);
    }
    let venue_id = match p.venue_id {
        Some(v) if crate::venues::find(c, v).await?.is_some() => Some(v),
        _ => places.iter().flatten().next().copied(),
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
            levels: p.levels,
            themes: p.themes,
            min_age: p.min_age,
            organisations: s.submitter.organisation_id.into_iter().collect(),
            venue_id,
            registration: p.registration,
            status: Some(ActivityStatus::Draft),
            ..Default::default()
        },
        now,
    )
    .await?;
    let list: Vec<SessionData> = p
        .sessions
        .iter()
        .zip(&places)
        .filter_map(|(proposed, place)| {
            let at = |t| {
                Paris
                    .from_local_datetime(&proposed.date.and_time(t))
                    .earliest()
            };
            let (starts_at, ends_at) = (at(proposed.start)?, at(proposed.end)?);
            Some(SessionData {
                starts_at: starts_at.with_timezone(&Utc),
                ends_at: ends_at.with_timezone(&Utc),
                capacity: p.capacity,
                status: SessionStatus::Scheduled,
                venue_id: place.filter(|v| Some(*v) != venue_id),
            })
        })
        .collect();
    if !list.is_empty() {
        sessions::insert_many(c, a.id, &list, now).await?;
    }
    Ok(a.id)
}

/// The venue of a proposed session: the one chosen; else the directory's
/// venue of that name in the commune typed, made when there is none
/// (named after the place, else the submitting organisation).
async fn place_of(
    c: &impl ConnectionTrait,
    s: &Submission,
    proposed: &ProposedSession,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    if let Some(v) = proposed.venue_id
        && crate::venues::find(c, v).await?.is_some()
    {
        return Ok(Some(v));
    }
    let Some(commune) = proposed
        .commune
        .as_deref()
        .and_then(|t| maillage_geo::resolve(t, None).ok())
    else {
        return Ok(None);
    };
    let organisation = match s.submitter.organisation_id {
        Some(id) => crate::organisations::find(c, id)
            .await?
            .map(|o| o.data.name),
        None => None,
    };
    let name = proposed
        .place
        .clone()
        .or(organisation)
        .unwrap_or_else(|| s.submitter.name.clone());
    let id = crate::venues::find_or_create(c, &name, commune.insee, now).await?;
    Ok(Some(id))
}
