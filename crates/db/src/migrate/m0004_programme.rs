//! Projects, their partners, activities (with audiences, themes, organisers
//! and speakers), sessions, and counters (the programme's version, for
//! caches shared by every instance).

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Index, Table};

fn boolean(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .take()
}

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
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("projects", "lead_user_id", "users", SetNull))
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
                .foreign_key(&mut fk(
                    "project_partners",
                    "project_id",
                    "projects",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "project_partners",
                    "organisation_id",
                    "organisations",
                    Cascade,
                ))
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
                .col(ColumnDef::new("min_age").integer().null().take())
                .col(
                    ColumnDef::new("free")
                        .boolean()
                        .not_null()
                        .default(true)
                        .take(),
                )
                .col(text_null("price"))
                .col(text("registration_mode"))
                .col(text_null("registration_url"))
                .col(text("status"))
                .col(bigint_null("venue_id"))
                .col(bigint_null("space_id"))
                .col(boolean("wheelchair"))
                .col(boolean("hearing_loop"))
                .col(boolean("visual"))
                .col(boolean("cognitive"))
                .col(text_null("online_url"))
                .col(text_null("source"))
                .col(text_null("source_uid"))
                .col(ts_null("first_starts_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("activities", "project_id", "projects", Cascade))
                .foreign_key(&mut fk("activities", "parent_id", "activities", SetNull))
                .foreign_key(&mut fk("activities", "venue_id", "venues", SetNull))
                .foreign_key(&mut fk("activities", "space_id", "spaces", SetNull))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ux_activities_slug")
                .table("activities")
                .col("project_id")
                .col("slug")
                .unique()
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ux_activities_source")
                .table("activities")
                .col("project_id")
                .col("source")
                .col("source_uid")
                .unique()
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activities_parent")
                .table("activities")
                .col("parent_id")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activities_venue")
                .table("activities")
                .col("venue_id")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_audiences")
                .col(bigint("activity_id"))
                .col(text("audience"))
                .primary_key(Index::create().col("activity_id").col("audience"))
                .foreign_key(&mut fk(
                    "activity_audiences",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_themes")
                .col(bigint("activity_id"))
                .col(text("theme"))
                .primary_key(Index::create().col("activity_id").col("theme"))
                .foreign_key(&mut fk(
                    "activity_themes",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_organisations")
                .col(bigint("activity_id"))
                .col(bigint("organisation_id"))
                .primary_key(Index::create().col("activity_id").col("organisation_id"))
                .foreign_key(&mut fk(
                    "activity_organisations",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "activity_organisations",
                    "organisation_id",
                    "organisations",
                    Cascade,
                ))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activity_organisations_org")
                .table("activity_organisations")
                .col("organisation_id")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_speakers")
                .col(bigint("activity_id"))
                .col(bigint("person_id"))
                .col(int("position"))
                .primary_key(Index::create().col("activity_id").col("person_id"))
                .foreign_key(&mut fk(
                    "activity_speakers",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .foreign_key(&mut fk("activity_speakers", "person_id", "people", Cascade))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activity_speakers_person")
                .table("activity_speakers")
                .col("person_id")
                .take(),
        ),
        Box::new(
            Table::create()
                .table("activity_sessions")
                .col(pk())
                .col(bigint("activity_id"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(ColumnDef::new("capacity").integer().null().take())
                .col(text("status"))
                .col(text_null("source_uid"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "activity_sessions",
                    "activity_id",
                    "activities",
                    Cascade,
                ))
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activity_sessions_activity")
                .table("activity_sessions")
                .col("activity_id")
                .col("starts_at")
                .take(),
        ),
        Box::new(
            Index::create()
                .name("ix_activity_sessions_start")
                .table("activity_sessions")
                .col("starts_at")
                .take(),
        ),
    ]
}
