//! The public activities of a project get one facet of their own
//! (`pv:{project}`), so that a project's public programme is one index range
//! read in order instead of the intersection of two large facets (`pr:` and
//! `v`). Existing activities get theirs from the facets they already have.

use sea_orm::StatementBuilder;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    let public = Query::select()
        .expr(Expr::val("activity"))
        .expr(Expr::cust("'pv:' || CAST(a.project_id AS TEXT)"))
        .column((Alias::new("t"), Alias::new("entity_id")))
        .column((Alias::new("t"), Alias::new("sort_key")))
        .from_as("search_tokens", Alias::new("t"))
        .join_as(
            JoinType::InnerJoin,
            "activities",
            Alias::new("a"),
            Expr::col((Alias::new("a"), Alias::new("id")))
                .equals((Alias::new("t"), Alias::new("entity_id"))),
        )
        .and_where(Expr::col((Alias::new("t"), Alias::new("entity"))).eq("activity"))
        .and_where(Expr::col((Alias::new("t"), Alias::new("token"))).eq("v"))
        .take();
    let mut insert = Query::insert();
    insert
        .into_table("search_tokens")
        .columns(["entity", "token", "entity_id", "sort_key"])
        .select_from(public)
        .expect("four columns selected for four");
    vec![Box::new(insert)]
}
