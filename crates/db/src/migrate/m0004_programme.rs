//! Projects, their partners, activities (with audiences, themes, organisers
//! and speakers), sessions, and counters (the programme's version, for
//! caches shared by every instance).

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("counters")
                .col(text("name").primary_key())
                .col(bigint("value"))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("projects")
                .col(pk())
                .col(text("slug").unique_key())
                .col(text("name"))
                .col(text("kind"))
                .col(ColumnDef::new("starts_on").date().not_null().take())
                .col(ColumnDef::new("ends_on").date().not_null().take())
                .col(text_null("description"))
                .col(bigint_null("lead_user_id"))
                .col(text("status"))
                .timestamps()
                .references("lead_user_id", "users", SetNull)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("project_partners")
                .col(bigint("project_id"))
                .col(bigint("organisation_id"))
                .col(text("role"))
                .primary_key(
                    Index::create()
                        .col("project_id")
                        .col("organisation_id")
                        .col("role"),
                )
                .references("project_id", "projects", Cascade)
                .references("organisation_id", "organisations", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activities")
                .col(pk())
                .col(bigint("project_id"))
                .col(bigint_null("parent_id"))
                .col(text("slug"))
                .col(text("title"))
                .col(text_null("summary"))
                .col(text_null("description"))
                .col(text("format"))
                .col(int_null("min_age"))
                .col(boolean("free", true))
                .col(text_null("price"))
                .col(text("registration_mode"))
                .col(text_null("registration_url"))
                .col(text("status"))
                .col(bigint_null("venue_id"))
                .col(bigint_null("space_id"))
                .col(boolean("wheelchair", false))
                .col(boolean("hearing_loop", false))
                .col(boolean("visual", false))
                .col(boolean("cognitive", false))
                .col(text_null("online_url"))
                .col(text_null("source"))
                .col(text_null("source_uid"))
                .col(ts_null("first_starts_at"))
                .timestamps()
                .references("project_id", "projects", Cascade)
                .references("parent_id", "activities", SetNull)
                .references("venue_id", "venues", SetNull)
                .references("space_id", "spaces", SetNull)
                .take(),
        ),
        Box::new(unique_index(
            "ux_activities_slug",
            "activities",
            &["project_id", "slug"],
        )),
        Box::new(unique_index(
            "ux_activities_source",
            "activities",
            &["project_id", "source", "source_uid"],
        )),
        Box::new(index("ix_activities_parent", "activities", &["parent_id"])),
        Box::new(index("ix_activities_venue", "activities", &["venue_id"])),
        Box::new(
            Table::create()
                .table("activity_audiences")
                .col(bigint("activity_id"))
                .col(text("audience"))
                .primary_key(Index::create().col("activity_id").col("audience"))
                .references("activity_id", "activities", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_themes")
                .col(bigint("activity_id"))
                .col(text("theme"))
                .primary_key(Index::create().col("activity_id").col("theme"))
                .references("activity_id", "activities", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_organisations")
                .col(bigint("activity_id"))
                .col(bigint("organisation_id"))
                .primary_key(Index::create().col("activity_id").col("organisation_id"))
                .references("activity_id", "activities", Cascade)
                .references("organisation_id", "organisations", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_activity_organisations_org",
            "activity_organisations",
            &["organisation_id"],
        )),
        Box::new(
            Table::create()
                .table("activity_speakers")
                .col(bigint("activity_id"))
                .col(bigint("person_id"))
                .col(int("position"))
                .primary_key(Index::create().col("activity_id").col("person_id"))
                .references("activity_id", "activities", Cascade)
                .references("person_id", "people", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_activity_speakers_person",
            "activity_speakers",
            &["person_id"],
        )),
        Box::new(
            Table::create()
                .table("activity_sessions")
                .col(pk())
                .col(bigint("activity_id"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(int_null("capacity"))
                .col(text("status"))
                .col(text_null("source_uid"))
                .timestamps()
                .references("activity_id", "activities", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_activity_sessions_activity",
            "activity_sessions",
            &["activity_id", "starts_at"],
        )),
        Box::new(index(
            "ix_activity_sessions_start",
            "activity_sessions",
            &["starts_at"],
        )),
    ]
}
