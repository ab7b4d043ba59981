//! The word index carries each record's sort key, and a covering index
//! serves prefix lookups, facet filters and sorting without touching the
//! records themselves.

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::alter()
                .table("search_tokens")
                .add_column(ColumnDef::new("sort_key").text().not_null().default(""))
                .take(),
        ),
        Box::new(PostgresOnly(
            "ALTER TABLE search_tokens ALTER COLUMN sort_key TYPE text COLLATE \"C\"",
        )),
        Box::new(index(
            "ix_search_tokens_sorted",
            "search_tokens",
            &["entity", "token", "sort_key", "entity_id"],
        )),
        // Probes "does record N have a token starting with…" for filters.
        Box::new(
            Index::drop()
                .name("ix_search_tokens_entity")
                .table("search_tokens")
                .to_owned(),
        ),
        Box::new(index(
            "ix_search_tokens_record",
            "search_tokens",
            &["entity", "entity_id", "token"],
        )),
        Box::new(index(
            "ix_organisation_themes_theme",
            "organisation_themes",
            &["theme", "organisation_id"],
        )),
    ]
}
