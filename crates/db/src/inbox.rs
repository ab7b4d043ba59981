//! What waits for the team, for its home page: class requests to approve,
//! call answers nobody reviews yet, the sessions of the coming week with
//! their fill, sessions to come with a waiting list or places offered, and
//! sessions just over that no questionnaire evaluates, activities partners
//! handed over for publication. A handful of
//! grouped queries, whatever the size of the programme.

use crate::query::{col, join};
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::booking::BookingStatus;
use maillage_domain::forms::Purpose;
use maillage_domain::forms::review::Status;
use maillage_domain::programme::SessionStatus;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

/// A session and what its bookings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub session_id: i64,
    pub activity_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    /// Persons holding places.
    pub held: i64,
    /// Class requests awaiting approval.
    pub pending: i64,
    /// Entries of the waiting list, and offers of freed places running.
    pub waiting: i64,
    pub offers: i64,
}

/// A call and its answers nobody has been assigned to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    pub call_id: i64,
    pub title: String,
    pub unassigned: i64,
}

/// An activity a partner completed and handed over, to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityLine {
    pub activity_id: i64,
    pub title: String,
    pub project: String,
}

/// The team's work, at a moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    /// Sessions to come with class requests awaiting approval.
    pub requests: Vec<SessionLine>,
    /// Calls with submitted answers no reviewer is assigned to.
    pub answers: Vec<CallLine>,
    /// Sessions of the next seven days.
    pub week: Vec<SessionLine>,
    /// Sessions to come with a waiting list or offers running.
    pub waiting: Vec<SessionLine>,
    /// Sessions of the last fortnight that held bookings, with no
    /// questionnaire on them, their activity or their project.
    pub to_evaluate: Vec<SessionLine>,
    /// Activities handed over by partners (submitted), oldest first.
    pub to_publish: Vec<ActivityLine>,
}

/// How far back sessions wait for their evaluation.
pub const EVALUATION_DAYS: i64 = 14;

fn count_of(statuses: &[BookingStatus], what: &str) -> Expr {
    let list = statuses
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    Expr::cust(format!(
        "COALESCE(SUM(CASE WHEN b.status IN ({list}) THEN {what} ELSE 0 END), 0)"
    ))
}

/// Sessions (not cancelled) with their booking figures, `filter` narrowing
/// them, in order of start.
fn sessions_query(filter: impl FnOnce(&mut SelectStatement)) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(Alias::new("activity_sessions"), Alias::new("s"));
    join(
        &mut q,
        JoinType::InnerJoin,
        Alias::new("activities"),
        ("a", "id"),
        ("s", "activity_id"),
    );
    join(
        &mut q,
        JoinType::LeftJoin,
        Alias::new("bookings"),
        ("b", "session_id"),
        ("s", "id"),
    );
    q.expr_as(col("s", "id"), Alias::new("session_id"))
        .expr_as(col("a", "id"), Alias::new("activity_id"))
        .expr_as(col("a", "title"), Alias::new("title"))
        .expr_as(col("s", "starts_at"), Alias::new("starts_at"))
        .expr_as(col("s", "capacity"), Alias::new("capacity"))
        .expr_as(
            count_of(&BookingStatus::HOLDING, "b.seats"),
            Alias::new("held"),
        )
        .expr_as(
            count_of(&[BookingStatus::Pending], "1"),
            Alias::new("pending"),
        )
        .expr_as(
            count_of(&[BookingStatus::Waitlisted], "1"),
            Alias::new("waiting"),
        )
        .expr_as(
            count_of(&[BookingStatus::Offered], "1"),
            Alias::new("offers"),
        )
        .and_where(col("s", "status").ne(SessionStatus::Cancelled.code()));
    filter(&mut q);
    for (t, c) in [
        ("s", "id"),
        ("a", "id"),
        ("a", "title"),
        ("s", "starts_at"),
        ("s", "capacity"),
    ] {
        q.group_by_col((Alias::new(t), Alias::new(c)));
    }
    q.order_by((Alias::new("s"), Alias::new("starts_at")), Order::Asc)
        .order_by((Alias::new("s"), Alias::new("id")), Order::Asc);
    q
}

async fn sessions(c: &impl ConnectionTrait, q: SelectStatement) -> Result<Vec<SessionLine>, DbErr> {
    c.query_all(&q)
        .await?
        .into_iter()
        .map(|r| {
            Ok(SessionLine {
                session_id: r.try_get("", "session_id")?,
                activity_id: r.try_get("", "activity_id")?,
                title: r.try_get("", "title")?,
                starts_at: r.try_get("", "starts_at")?,
                capacity: r.try_get("", "capacity")?,
                held: r.try_get("", "held")?,
                pending: r.try_get("", "pending")?,
                waiting: r.try_get("", "waiting")?,
                offers: r.try_get("", "offers")?,
            })
        })
        .collect()
}

/// The sessions starting in `[from, to)` that hold a booking in one of
/// `statuses` (any session when empty). The test is an `EXISTS` on the
/// bookings' index, so sessions without such a booking are never summed.
async fn sessions_between(
    c: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    statuses: &[BookingStatus],
) -> Result<Vec<SessionLine>, DbErr> {
    let q = sessions_query(|q| {
        q.and_where(col("s", "starts_at").gte(from));
        if let Some(to) = to {
            q.and_where(col("s", "starts_at").lt(to));
        }
        if !statuses.is_empty() {
            let with = Query::select()
                .expr(Expr::val(1))
                .from_as(Alias::new("bookings"), Alias::new("w"))
                .and_where(col("w", "session_id").equals((Alias::new("s"), Alias::new("id"))))
                .and_where(col("w", "status").is_in(statuses.iter().map(|s| s.code())))
                .to_owned();
            q.and_where(Expr::exists(with));
        }
    });
    sessions(c, q).await
}

/// Calls whose submitted answers have no reviewer yet, with how many.
async fn unassigned_answers(c: &impl ConnectionTrait) -> Result<Vec<CallLine>, DbErr> {
    let reviewed = Query::select()
        .column("submission_id")
        .from("submission_reviewers")
        .to_owned();
    let mut q = Query::select();
    q.from_as(Alias::new("submissions"), Alias::new("sb"));
    join(
        &mut q,
        JoinType::InnerJoin,
        Alias::new("calls"),
        ("k", "id"),
        ("sb", "call_id"),
    );
    q.expr_as(col("k", "id"), Alias::new("call_id"))
        .expr_as(col("k", "title"), Alias::new("title"))
        .expr_as(Func::count(col("sb", "id")), Alias::new("unassigned"))
        .and_where(col("sb", "status").eq(Status::Submitted.code()))
        .and_where(col("sb", "id").not_in_subquery(reviewed))
        .group_by_col((Alias::new("k"), Alias::new("id")))
        .group_by_col((Alias::new("k"), Alias::new("title")))
        .order_by((Alias::new("k"), Alias::new("id")), Order::Asc);
    c.query_all(&q)
        .await?
        .into_iter()
        .map(|r| {
            Ok(CallLine {
                call_id: r.try_get("", "call_id")?,
                title: r.try_get("", "title")?,
                unassigned: r.try_get("", "unassigned")?,
            })
        })
        .collect()
}

/// Sessions over in the last [`EVALUATION_DAYS`] that held bookings and
/// that no questionnaire evaluates (on the session, its activity or its
/// project).
async fn to_evaluate(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<SessionLine>, DbErr> {
    let q = Purpose::Questionnaire.code();
    let evaluated = format!(
        "NOT EXISTS (SELECT 1 FROM forms f WHERE f.purpose = '{q}' AND \
         (f.session_id = s.id OR f.activity_id = a.id OR f.project_id = a.project_id))"
    );
    let since = now - TimeDelta::days(EVALUATION_DAYS);
    let q = sessions_query(|q| {
        q.and_where(col("s", "ends_at").gte(since))
            .and_where(col("s", "ends_at").lt(now))
            .and_where(Expr::cust(evaluated));
        q.and_having(Expr::cust(format!(
            "{} > 0",
            "COALESCE(SUM(CASE WHEN b.status = 'confirmed' THEN 1 ELSE 0 END), 0)"
        )));
    });
    let mut list = sessions(c, q).await?;
    list.reverse();
    Ok(list)
}

/// Everything that waits, at `now`.
pub async fn work(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Work, DbErr> {
    use BookingStatus::{Offered, Pending, Waitlisted};
    Ok(Work {
        requests: sessions_between(c, now, None, &[Pending]).await?,
        answers: unassigned_answers(c).await?,
        week: sessions_between(c, now, Some(now + TimeDelta::days(7)), &[]).await?,
        waiting: sessions_between(c, now, None, &[Waitlisted, Offered]).await?,
        to_evaluate: to_evaluate(c, now).await?,
        to_publish: to_publish(c).await?,
    })
}

async fn to_publish(c: &impl ConnectionTrait) -> Result<Vec<ActivityLine>, DbErr> {
    let mut q = Query::select();
    q.from_as(Alias::new("activities"), Alias::new("a"));
    join(
        &mut q,
        JoinType::InnerJoin,
        Alias::new("projects"),
        ("p", "id"),
        ("a", "project_id"),
    );
    q.expr_as(col("a", "id"), Alias::new("id"))
        .expr_as(col("a", "title"), Alias::new("title"))
        .expr_as(col("p", "name"), Alias::new("project"))
        .and_where(
            col("a", "status").eq(maillage_domain::programme::ActivityStatus::Submitted.code()),
        )
        .order_by((Alias::new("a"), Alias::new("updated_at")), Order::Asc)
        .order_by((Alias::new("a"), Alias::new("id")), Order::Asc);
    c.query_all(&q)
        .await?
        .into_iter()
        .map(|r| {
            Ok(ActivityLine {
                activity_id: r.try_get("", "id")?,
                title: r.try_get("", "title")?,
                project: r.try_get("", "project")?,
            })
        })
        .collect()
}
