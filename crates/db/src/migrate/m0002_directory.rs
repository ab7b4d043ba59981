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
        add_column(
            "organisations",
            ColumnDef::new("public_listing")
                .boolean()
                .not_null()
                .default(false)
                .take(),
        ),
    ];
    s.extend::<Vec<Box<dyn StatementBuilder + Send + Sync>>>(vec![
        Box::new(
            Index::create()
                .name("ix_organisations_name")
                .table("organisations")
                .col("name_folded")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_organisations_commune")
                .table("organisations")
                .col("commune_insee")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_organisations_siret")
                .table("organisations")
                .col("siret")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_organisations_email")
                .table("organisations")
                .col("email")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("organisation_themes")
                .col(bigint("organisation_id"))
                .col(text("theme"))
                .primary_key(Index::create().col("organisation_id").col("theme"))
                .foreign_key(&mut fk(
                    "organisation_themes",
                    "organisation_id",
                    "organisations",
                    Cascade,
                ))
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
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("people", "user_id", "users", SetNull))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_people_name")
                .table("people")
                .col("name_folded")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_people_email")
                .table("people")
                .col("email")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("person_roles")
                .col(bigint("person_id"))
                .col(text("role"))
                .primary_key(Index::create().col("person_id").col("role"))
                .foreign_key(&mut fk("person_roles", "person_id", "people", Cascade))
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
                .foreign_key(&mut fk("memberships", "person_id", "people", Cascade))
                .foreign_key(&mut fk(
                    "memberships",
                    "organisation_id",
                    "organisations",
                    Cascade,
                ))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ux_memberships")
                .table("memberships")
                .col("person_id")
                .col("organisation_id")
                .unique()
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_memberships_org")
                .table("memberships")
                .col("organisation_id")
                .take(),
        ),
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
                .col(
                    ColumnDef::new("wheelchair")
                        .boolean()
                        .not_null()
                        .default(false)
                        .take(),
                )
                .col(
                    ColumnDef::new("hearing_loop")
                        .boolean()
                        .not_null()
                        .default(false)
                        .take(),
                )
                .col(
                    ColumnDef::new("visual")
                        .boolean()
                        .not_null()
                        .default(false)
                        .take(),
                )
                .col(
                    ColumnDef::new("cognitive")
                        .boolean()
                        .not_null()
                        .default(false)
                        .take(),
                )
                .col(text_null("accessibility_notes"))
                .col(text_null("description"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "venues",
                    "organisation_id",
                    "organisations",
                    SetNull,
                ))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_venues_name")
                .table("venues")
                .col("name_folded")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_venues_commune")
                .table("venues")
                .col("commune_insee")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("spaces")
                .col(pk())
                .col(bigint("venue_id"))
                .col(text("name"))
                .col(text("kind"))
                .col(ColumnDef::new("capacity").integer().null().take())
                .col(text_null("notes"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("spaces", "venue_id", "venues", Cascade))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_spaces_venue")
                .table("spaces")
                .col("venue_id")
                .take(),
        ),
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
        Box::new(
            Index::create()
                .name("ix_search_tokens_entity")
                .table("search_tokens")
                .col("entity")
                .col("entity_id")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("import_batches")
                .col(pk())
                .col(bigint("user_id"))
                .col(text("kind"))
                .col(text("filename"))
                .col(ColumnDef::new("content").blob().not_null().take())
                .col(ts("created_at"))
                .foreign_key(&mut fk("import_batches", "user_id", "users", Cascade))
                .take(),
        ),
    ]);
    s
}
