//! Named counters shared by every instance: the version of the public
//! programme, bumped in the transaction of every change that shows on it,
//! so that caches know when to drop what they hold.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Bumped by every change of projects, activities, sessions, and of the
/// venues and organisations they show.
pub const PROGRAMME: &str = "programme";

pub async fn get(c: &impl ConnectionTrait, name: &str) -> Result<i64, DbErr> {
    let row = c
        .query_one(
            Query::select()
                .column("value")
                .from("counters")
                .and_where(Expr::col("name").eq(name)),
        )
        .await?;
    match row {
        Some(r) => r.try_get("", "value"),
        None => Ok(0),
    }
}

pub async fn bump(c: &impl ConnectionTrait, name: &str) -> Result<(), DbErr> {
    c.execute(
        Query::insert()
            .into_table("counters")
            .columns(["name", "value"])
            .values_panic([name.into(), 1i64.into()])
            .on_conflict(
                OnConflict::column("name")
                    .value("value", Expr::col(("counters", "value")).add(1))
                    .to_owned(),
            ),
    )
    .await
    .map(|_| ())
}
