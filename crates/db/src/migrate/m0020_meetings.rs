//! Meetings (a project's steering committee, a partners' meeting): their
//! attendees (team accounts, partners' accounts or people of the
//! directory, each with the organisation they come for), agenda items with
//! their minutes and outcome (an action is a task); tasks linked to a
//! meeting, an organisation (shared with it or not) and an activity; each
//! person's private calendar feed.

use super::checks::Check;
use super::dsl::{
    Both, TableDsl, bigint, bigint_null, index, int, pk, text, text_null, ts, ts_null,
};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ForeignKeyAction::Cascade, ForeignKeyAction::SetNull, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("meetings")
                .col(pk())
                .col(bigint_null("project_id"))
                .col(text_null("series"))
                .col(text("title"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(bigint_null("venue_id"))
                .col(text_null("online_url"))
                .col(ts_null("minutes_sent_at"))
                .timestamps()
                .references("project_id", "projects", Cascade)
                .references("venue_id", "venues", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_meetings_project",
            "meetings",
            &["project_id", "starts_at"],
        )),
        Box::new(index("ix_meetings_starts_at", "meetings", &["starts_at"])),
        Box::new(
            Table::create()
                .table("meeting_attendees")
                .col(pk())
                .col(bigint("meeting_id"))
                .col(bigint_null("user_id"))
                .col(bigint_null("person_id"))
                .col(bigint_null("organisation_id"))
                .references("meeting_id", "meetings", Cascade)
                .references("user_id", "users", Cascade)
                .references("person_id", "people", Cascade)
                .references("organisation_id", "organisations", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_meeting_attendees_meeting",
            "meeting_attendees",
            &["meeting_id"],
        )),
        Box::new(index(
            "ix_meeting_attendees_user",
            "meeting_attendees",
            &["user_id"],
        )),
        Box::new(index(
            "ix_meeting_attendees_organisation",
            "meeting_attendees",
            &["organisation_id"],
        )),
        Box::new(
            Table::create()
                .table("agenda_items")
                .col(pk())
                .col(bigint("meeting_id"))
                .col(int("position"))
                .col(text("title"))
                .col(text_null("minutes"))
                .col(text_null("outcome"))
                .col(bigint_null("task_id"))
                .references("meeting_id", "meetings", Cascade)
                .references("task_id", "tasks", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_agenda_items_meeting",
            "agenda_items",
            &["meeting_id", "position"],
        )),
        Box::new(Both(
            "ALTER TABLE tasks ADD COLUMN meeting_id BIGINT \
             REFERENCES meetings (id) ON DELETE SET NULL",
        )),
        Box::new(Both(
            "ALTER TABLE tasks ADD COLUMN organisation_id BIGINT \
             REFERENCES organisations (id) ON DELETE SET NULL",
        )),
        Box::new(Both(
            "ALTER TABLE tasks ADD COLUMN activity_id BIGINT \
             REFERENCES activities (id) ON DELETE SET NULL",
        )),
        Box::new(Both(
            "ALTER TABLE tasks ADD COLUMN shared BOOLEAN NOT NULL DEFAULT FALSE",
        )),
        Box::new(index("ix_tasks_meeting", "tasks", &["meeting_id"])),
        Box::new(index(
            "ix_tasks_organisation",
            "tasks",
            &["organisation_id"],
        )),
        Box::new(
            Table::create()
                .table("calendar_feeds")
                .col(bigint("user_id").primary_key().take())
                .col(text("token_digest"))
                .col(ts("created_at"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(super::dsl::unique_index(
            "ux_calendar_feeds_digest",
            "calendar_feeds",
            &["token_digest"],
        )),
    ]
}

pub const CHECKS: &[Check] = &[Check {
    table: "agenda_items",
    column: "outcome",
    codes: &["information", "decision", "action"],
}];
