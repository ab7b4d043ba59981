//! Accounts, organisations (minimal), sessions, login throttling, password
//! links, API tokens, the e-mail outbox and the audit log.

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ForeignKeyAction::*, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("organisations")
                .col(pk())
                .col(text("name"))
                .timestamps()
                .take(),
        ),
        Box::new(
            Table::create()
                .table("users")
                .col(pk())
                .col(text("email").unique_key())
                .col(text("name"))
                .col(text("role"))
                .col(bigint_null("organisation_id"))
                .col(text_null("password_hash"))
                .col(text("locale"))
                .col(ts_null("disabled_at"))
                .col(ts_null("last_login_at"))
                .timestamps()
                .references("organisation_id", "organisations", Restrict)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("sessions")
                .col(pk())
                .col(text("token_hash").unique_key())
                .col(bigint("user_id"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("expires_at"))
                .col(text_null("ip"))
                .col(text_null("user_agent"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(index("ix_sessions_user", "sessions", &["user_id"])),
        Box::new(
            Table::create()
                .table("login_throttle")
                .col(text("key").primary_key())
                .col(int("failures"))
                .col(ts("window_start"))
                .col(ts_null("locked_until"))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("password_tokens")
                .col(pk())
                .col(text("token_hash").unique_key())
                .col(bigint("user_id"))
                .col(text("purpose"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("api_tokens")
                .col(pk())
                .col(bigint("user_id"))
                .col(text("name"))
                .col(text("token_hash").unique_key())
                .col(text("prefix"))
                .col(ts("created_at"))
                .col(ts_null("last_used_at"))
                .col(ts_null("revoked_at"))
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(
            Table::create()
                .table("outbox")
                .col(pk())
                .col(ts("created_at"))
                .col(text("to_addr"))
                .col(text_null("to_name"))
                .col(text("subject"))
                .col(text("body_text"))
                .col(text_null("body_html"))
                .col(text("status"))
                .col(int("attempts"))
                .col(ts("next_attempt_at"))
                .col(text_null("locked_by"))
                .col(ts_null("locked_until"))
                .col(text_null("last_error"))
                .col(ts_null("sent_at"))
                .col(text_null("message_id"))
                .take(),
        ),
        Box::new(index(
            "ix_outbox_due",
            "outbox",
            &["status", "next_attempt_at"],
        )),
        Box::new(
            Table::create()
                .table("audit_log")
                .col(pk())
                .col(ts("at"))
                .col(bigint_null("actor_user_id"))
                .col(text("actor_label"))
                .col(text("action"))
                .col(text("entity_type"))
                .col(text("entity_id"))
                .col(text("summary"))
                .col(json("changes"))
                .col(text_null("ip"))
                .references("actor_user_id", "users", SetNull)
                .take(),
        ),
        Box::new(index(
            "ix_audit_entity",
            "audit_log",
            &["entity_type", "entity_id"],
        )),
        Box::new(index("ix_audit_at", "audit_log", &["at"])),
    ]
}
