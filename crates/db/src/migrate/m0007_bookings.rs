//! Bookings of sessions: the booking rules of each activity, a booking mode
//! a session may override, the bookings themselves (seats, classes and
//! walk-ins, with their waiting-list state and attendance), and calendar
//! attachments of queued e-mails.

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("booking_settings")
                .col(
                    ColumnDef::new("activity_id")
                        .big_integer()
                        .not_null()
                        .primary_key()
                        .take(),
                )
                // Most persons one individual booking may hold.
                .col(int("max_seats"))
                // Class and group bookings wait for staff approval.
                .col(boolean("approval", false))
                // A class takes the whole session (a planetarium slot).
                .col(boolean("one_group", false))
                .col(ts_null("opens_at"))
                .col(ts_null("closes_at"))
                .col(boolean("waitlist", true))
                // How long places offered to a waiting entry are kept.
                .col(int("offer_hours"))
                // Places are held 30 minutes until the booker's address is confirmed.
                .col(boolean("confirm_email", false))
                // Days before the session a reminder goes out (none when null).
                .col(int_null("reminder_days"))
                .col(ts("updated_at"))
                .references("activity_id", "activities", Cascade)
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("activity_sessions")
                .add_column(text_null("registration_mode"))
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("outbox")
                .add_column(text_null("ics"))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("bookings")
                .col(pk())
                .col(bigint("session_id"))
                .col(text("kind"))
                .col(text("status"))
                // Persons counted against the capacity (pupils and adults of a class).
                .col(int("seats"))
                .col(int("pupils"))
                .col(int("adults"))
                .col(text("name"))
                .col(text("email"))
                .col(text_null("phone"))
                .col(text("locale"))
                // A class: its school (from the directory, or typed).
                .col(bigint_null("organisation_id"))
                .col(text_null("school_name"))
                .col(text_null("school_commune"))
                .col(text_null("class_level"))
                .col(text_null("needs"))
                // The personal link's secret.
                .col(text("secret"))
                .col(text("source"))
                .col(ts_null("consent_at"))
                .col(ts_null("offer_expires_at"))
                .col(ts_null("hold_expires_at"))
                .col(ts_null("reminder_sent_at"))
                .col(ts_null("checked_in_at"))
                .col(int_null("came_pupils"))
                .col(int_null("came_adults"))
                .col(int_null("came_public"))
                .col(text_null("note"))
                .timestamps()
                .col(ts_null("anonymised_at"))
                .references("session_id", "activity_sessions", Cascade)
                .references("organisation_id", "organisations", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_bookings_session",
            "bookings",
            &["session_id", "status"],
        )),
        Box::new(unique_index("ux_bookings_secret", "bookings", &["secret"])),
        Box::new(index("ix_bookings_email", "bookings", &["email"])),
        Box::new(index("ix_bookings_status", "bookings", &["status"])),
    ]
}
