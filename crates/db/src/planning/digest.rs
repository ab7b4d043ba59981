//! The daily digest of tasks (late ones and those due soon), e-mailed to
//! each member of the team who has some, unless they turned it off
//! (`task_digest_optouts`). Each person's day is claimed by inserting
//! `(user, day)` under the primary key of `task_digests` (`ON CONFLICT DO
//! NOTHING`) in the transaction that queues the e-mail: another instance
//! claiming the same day waits for that transaction, then inserts nothing.

use super::queries::TEAM;
use crate::users::{self, User};
use chrono::NaiveDate;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};

const OPTOUTS: &str = "task_digest_optouts";
const SENT: &str = "task_digests";

/// Whether `user` gets the digest (on unless they turned it off).
pub async fn is_on(c: &impl ConnectionTrait, user: i64) -> Result<bool, DbErr> {
    let q = Query::select()
        .column("user_id")
        .from(OPTOUTS)
        .and_where(Expr::col("user_id").eq(user))
        .take();
    Ok(c.query_one(&q).await?.is_none())
}

/// Turns the digest of `user` on or off.
pub async fn set_on(c: &impl ConnectionTrait, user: i64, on: bool) -> Result<(), DbErr> {
    if on {
        c.execute(
            Query::delete()
                .from_table(OPTOUTS)
                .and_where(Expr::col("user_id").eq(user)),
        )
        .await?;
    } else {
        c.execute(
            Query::insert()
                .into_table(OPTOUTS)
                .columns(["user_id"])
                .values_panic([user.into()])
                .on_conflict(OnConflict::column("user_id").do_nothing().to_owned()),
        )
        .await?;
    }
    Ok(())
}

/// The active members of the team who have open tasks assigned due on or
/// before `until` (late ones included), did not turn the digest off and
/// were not sent it on `today`.
pub async fn recipients(
    c: &impl ConnectionTrait,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<User>, DbErr> {
    let open = [
        maillage_domain::planning::TaskStatus::Todo,
        maillage_domain::planning::TaskStatus::InProgress,
        maillage_domain::planning::TaskStatus::Waiting,
    ]
    .map(|s| s.code());
    let q = Query::select()
        .distinct()
        .expr_as(
            Expr::col((Alias::new("a"), Alias::new("user_id"))),
            Alias::new("user_id"),
        )
        .from_as("task_assignees", Alias::new("a"))
        .inner_join(
            "tasks",
            Expr::col(("tasks", "id")).equals((Alias::new("a"), Alias::new("task_id"))),
        )
        .and_where(Expr::col(("tasks", "status")).is_in(open))
        .and_where(Expr::col(("tasks", "due_on")).lte(until))
        .and_where(
            Expr::col((Alias::new("a"), Alias::new("user_id")))
                .not_in_subquery(Query::select().column("user_id").from(OPTOUTS).take()),
        )
        .and_where(
            Expr::col((Alias::new("a"), Alias::new("user_id"))).not_in_subquery(
                Query::select()
                    .column("user_id")
                    .from(SENT)
                    .and_where(Expr::col("day").eq(today))
                    .take(),
            ),
        )
        .take();
    let mut out = Vec::new();
    for r in c.query_all(&q).await? {
        if let Some(u) = users::find(c, r.try_get("", "user_id")?).await?
            && u.is_active()
            && TEAM.contains(&u.role)
        {
            out.push(u);
        }
    }
    out.sort_by_key(|u| u.id);
    Ok(out)
}

/// Claims the digest of `user` for `day`: true for the first claim, false
/// when it was claimed already (by this instance or another).
pub async fn claim(c: &impl ConnectionTrait, user: i64, day: NaiveDate) -> Result<bool, DbErr> {
    let done = c
        .execute(
            Query::insert()
                .into_table(SENT)
                .columns(["user_id", "day"])
                .values_panic([user.into(), day.into()])
                .on_conflict(
                    OnConflict::columns(["user_id", "day"])
                        .do_nothing()
                        .to_owned(),
                ),
        )
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets the days claimed before `day` (they are never claimed again).
pub async fn forget_before(c: &impl ConnectionTrait, day: NaiveDate) -> Result<u64, DbErr> {
    Ok(c.execute(
        Query::delete()
            .from_table(SENT)
            .and_where(Expr::col("day").lt(day)),
    )
    .await?
    .rows_affected())
}
