//! What each member of the team asked to be told by e-mail: a class
//! request, a call answer, a daily digest of their inbox (with the day it
//! was last sent, so that one instance sends it once).

use super::dsl::{TableDsl, bigint, boolean};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::Cascade, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![Box::new(
        Table::create()
            .table("team_notifications")
            .col(bigint("user_id").primary_key())
            .col(boolean("class_requests", false))
            .col(boolean("call_answers", false))
            .col(boolean("digest", false))
            .col(ColumnDef::new("digest_sent_on").date().null().take())
            .references("user_id", "users", Cascade)
            .take(),
    )]
}
