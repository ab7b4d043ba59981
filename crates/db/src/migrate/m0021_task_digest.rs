//! The daily digest of tasks: who turned it off (it is on by default), and
//! the days it was sent to each person, one row per person and day under
//! the primary key, so that several instances send it once.

use super::dsl::{TableDsl, bigint};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::Cascade, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("task_digest_optouts")
                .col(bigint("user_id").primary_key())
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("task_digests")
                .col(bigint("user_id"))
                .col(ColumnDef::new("day").date().not_null().take())
                .primary_key(Index::create().col("user_id").col("day"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
    ]
}
