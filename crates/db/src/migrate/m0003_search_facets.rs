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
        Box::new(
            Index::create()
                .name("ix_search_tokens_sorted")
                .table("search_tokens")
                .col("entity")
                .col("token")
                .col("sort_key")
                .col("entity_id")
                .take(),
        ),
        // Probes "does record N have a token starting with…" for filters.
        Box::new(
            Index::drop()
                .name("ix_search_tokens_entity")
                .table("search_tokens")
                .to_owned(),
        ),
        Box::new(
            Index::create()
                .name("ix_search_tokens_record")
                .table("search_tokens")
                .col("entity")
                .col("entity_id")
                .col("token")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_organisation_themes_theme")
                .table("organisation_themes")
                .col("theme")
                .col("organisation_id")
                .take(),
        ),
    ]
}
