//! Review: reviewers assigned, scores per criterion, weighted averages.

use super::REVIEWERS;
use crate::query::{col, join};
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, OnConflict, Query};

const SCORES: &str = "submission_scores";
const CRITERIA: &str = "call_criteria";

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
    // Sums are NUMERIC/BIGINT on PostgreSQL: cast to a float on both engines
    // (SQLite reads DOUBLE PRECISION as REAL).
    let double = Alias::new("DOUBLE PRECISION");
    let weighted = Func::cast_as(
        Func::sum(col("s", "score").mul(col("k", "weight"))),
        double.clone(),
    );
    let weights = Func::cast_as(Func::sum(col("k", "weight")), double);
    let mut q = Query::select();
    q.from_as(Alias::new(SCORES), Alias::new("s"));
    let key = ("k", "id");
    join(
        &mut q,
        JoinType::InnerJoin,
        Alias::new(CRITERIA),
        key,
        ("s", "criterion_id"),
    );
    q.expr_as(col("s", "submission_id"), Alias::new("submission_id"))
        .expr_as(
            Expr::expr(weighted).div(Expr::expr(weights)),
            Alias::new("average"),
        )
        .expr_as(
            Func::count_distinct(col("s", "reviewer_id")),
            Alias::new("reviewers"),
        )
        .and_where(col("k", "call_id").eq(call))
        .and_where(col("k", "weight").gt(0))
        .group_by_col((Alias::new("s"), Alias::new("submission_id")));
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
