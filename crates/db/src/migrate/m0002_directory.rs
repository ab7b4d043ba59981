//! The directory: organisations (extended), people and their memberships,
//! venues and their spaces, themes, the search index, and import batches.

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Index, Table};

fn add_column(table: &'static str, column: ColumnDef) -> Box<dyn StatementBuilder + Send + Sync> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    Box::new(Table::alter().table(table).add_column(column).take())
}

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    let mut s: Vec<Box<dyn StatementBuilder + Send + Sync>> = vec![
        add_column(
            "organisations",
            ColumnDef::new("kind")
                .text()
                .not_null()
                .default("other")
                .take(),
        ),
        add_column(
            "organisations",
            ColumnDef::new("name_folded")
                .text()
                .not_null()
                .default("")
                .take(),
        ),
        add_column("organisations", text_null("siret")),
        add_column("organisations", text_null("uai")),
        add_column("organisations", text_null("address")),
        add_column("organisations", text_null("postcode")),
        add_column("organisations", text_null("commune_insee")),
        add_column("organisations", text_null("website")),
        add_column("organisations", text_null("email")),
        add_column("organisations", text_null("phone")),
        add_column("organisations", text_null("description")),
        add_column("organisations", boolean("public_listing", false)),
    ];
    s.extend::<Vec<Box<dyn StatementBuilder + Send + Sync>>>(vec![
        Box::new(index(
            "ix_organisations_name",
            "organisations",
            &["name_folded"],
        )),
        Box::new(index(
            "ix_organisations_commune",
            "organisations",
            &["commune_insee"],
        )),
        Box::new(index("ix_organisations_siret", "organisations", &["siret"])),
        Box::new(index("ix_organisations_email", "organisations", &["email"])),
        Box::new(
            Table::create()
                .table("organisation_themes")
                .col(bigint("organisation_id"))
                .col(text("theme"))
                .primary_key(Index::create().col("organisation_id").col("theme"))
                .references("organisation_id", "organisations", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("people")
                .col(pk())
                .col(text_null("first_name"))
                .col(text("last_name"))
                .col(text("name_folded"))
                .col(text_null("email"))
                .col(text_null("phone"))
                .col(text_null("gender"))
                .col(text_null("notes"))
                .col(bigint_null("user_id"))
                .col(ts_null("erased_at"))
                .timestamps()
                .references("user_id", "users", SetNull)
                .take(),
        ),
        Box::new(index("ix_people_name", "people", &["name_folded"])),
        Box::new(index("ix_people_email", "people", &["email"])),
        Box::new(
            Table::create()
                .table("person_roles")
                .col(bigint("person_id"))
                .col(text("role"))
                .primary_key(Index::create().col("person_id").col("role"))
                .references("person_id", "people", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("memberships")
                .col(pk())
                .col(bigint("person_id"))
                .col(bigint("organisation_id"))
                .col(text_null("function"))
                .col(ts("created_at"))
                .references("person_id", "people", Cascade)
                .references("organisation_id", "organisations", Cascade)
                .take(),
        ),
        Box::new(unique_index(
            "ux_memberships",
            "memberships",
            &["person_id", "organisation_id"],
        )),
        Box::new(index(
            "ix_memberships_org",
            "memberships",
            &["organisation_id"],
        )),
        Box::new(
            Table::create()
                .table("venues")
                .col(pk())
                .col(text("name"))
                .col(text("name_folded"))
                .col(bigint_null("organisation_id"))
                .col(text_null("address"))
                .col(text_null("postcode"))
                .col(text_null("commune_insee"))
                .col(ColumnDef::new("lat").double().null().take())
                .col(ColumnDef::new("lon").double().null().take())
                .col(text_null("public_transport"))
                .col(text_null("parking"))
                .col(boolean("wheelchair", false))
                .col(boolean("hearing_loop", false))
                .col(boolean("visual", false))
                .col(boolean("cognitive", false))
                .col(text_null("accessibility_notes"))
                .col(text_null("description"))
                .timestamps()
                .references("organisation_id", "organisations", SetNull)
                .take(),
        ),
        Box::new(index("ix_venues_name", "venues", &["name_folded"])),
        Box::new(index("ix_venues_commune", "venues", &["commune_insee"])),
        Box::new(
            Table::create()
                .table("spaces")
                .col(pk())
                .col(bigint("venue_id"))
                .col(text("name"))
                .col(text("kind"))
                .col(int_null("capacity"))
                .col(text_null("notes"))
                .timestamps()
                .references("venue_id", "venues", Cascade)
                .take(),
        ),
        Box::new(index("ix_spaces_venue", "spaces", &["venue_id"])),
        Box::new(
            Table::create()
                .table("search_tokens")
                .col(text("entity"))
                .col(text("token"))
                .col(bigint("entity_id"))
                .primary_key(Index::create().col("entity").col("token").col("entity_id"))
                .take(),
        ),
        // Bytewise order for prefix range scans, as SQLite's BINARY collation.
        Box::new(PostgresOnly(
            "ALTER TABLE search_tokens ALTER COLUMN token TYPE text COLLATE \"C\"",
        )),
        Box::new(index(
            "ix_search_tokens_entity",
            "search_tokens",
            &["entity", "entity_id"],
        )),
        Box::new(
            Table::create()
                .table("import_batches")
                .col(pk())
                .col(bigint("user_id"))
                .col(text("kind"))
                .col(text("filename"))
                .col(ColumnDef::new("content").blob().not_null().take())
                .col(ts("created_at"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
    ]);
    s
}
