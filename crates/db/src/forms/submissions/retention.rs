//! Applications' personal data: those a call did not retain are deleted
//! with their files once the call's retention has run (months after the
//! decision — the last change — for refused and withdrawn ones, after the
//! closing for drafts never sent); a person's applications are found by
//! their address, to hand them a copy or erase them on request. Accepted
//! and pending applications stay (the programme and the review need them).

use super::entity::{Column, Entity};
use crate::forms::calls;
use chrono::{DateTime, Months, Utc};
use maillage_domain::forms::review::Status;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Condition;
use sea_orm::{QueryOrder, QuerySelect};

/// Deletes the applications whose call's retention has run at `now`, with
/// their files, scores and history (by cascade); their audit entries are
/// redacted. Returns how many went.
pub async fn purge_expired(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let mut gone = 0;
    for call in calls::entity::Entity::find().all(c).await? {
        let months = Months::new(u32::try_from(call.retention_months.max(1)).unwrap_or(12));
        let Some(cutoff) = now.checked_sub_months(months) else {
            continue;
        };
        let decided = Condition::all()
            .add(Column::Status.is_in([Status::Rejected.code(), Status::Withdrawn.code()]))
            .add(Column::UpdatedAt.lt(cutoff));
        let mut filter = Condition::any().add(decided);
        if call.closes_at < cutoff {
            filter = filter.add(Column::Status.eq(Status::Draft.code()));
        }
        let ids: Vec<i64> = Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Column::CallId.eq(call.id))
            .filter(filter)
            .into_tuple()
            .all(c)
            .await?;
        gone += delete(c, &ids).await?;
    }
    Ok(gone)
}

/// Deletes applications with everything attached to them; their audit
/// entries keep the action, not what it said.
async fn delete(c: &impl ConnectionTrait, ids: &[i64]) -> Result<u64, DbErr> {
    let mut n = 0;
    for chunk in ids.chunks(crate::query::IDS_PER_QUERY) {
        let keys: Vec<String> = chunk.iter().map(i64::to_string).collect();
        crate::audit::redact_many(c, "submission", &keys).await?;
        n += Entity::delete_many()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .exec(c)
            .await?
            .rows_affected;
    }
    Ok(n)
}

/// Every application made with an address (a person's request to see
/// their data), oldest first.
pub async fn of_email(
    c: &impl ConnectionTrait,
    email: &str,
) -> Result<Vec<super::Submission>, DbErr> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(Vec::new());
    }
    let q = Entity::find()
        .filter(Column::SubmitterEmail.eq(email))
        .order_by_asc(Column::Id);
    let mut out = Vec::new();
    for m in q.all(c).await? {
        out.push(super::from_model(m)?);
    }
    Ok(out)
}

/// Erases a person's applications (on request): deleted with their files,
/// whatever their status. Returns how many went.
pub async fn erase_email(c: &impl ConnectionTrait, email: &str) -> Result<u64, DbErr> {
    let ids: Vec<i64> = of_email(c, email).await?.iter().map(|s| s.id).collect();
    delete(c, &ids).await
}
