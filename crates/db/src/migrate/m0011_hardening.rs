//! Hardening: the secret that confirms a booker's address (sent only by
//! e-mail, kept as a digest, separate from the booking's personal link,
//! which the API answers with, so whoever books for an address may hold
//! it), and the request limits counted in the database so that every
//! instance shares them; API tokens that only read, and that expire; the
//! answering window of a questionnaire.

use super::dsl::{boolean, int, text, text_null, ts, ts_null};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::Table;

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::alter()
                .table("bookings")
                .add_column(text_null("confirm_digest"))
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("api_tokens")
                .add_column(boolean("read_only", false))
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("api_tokens")
                .add_column(ts_null("expires_at"))
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("forms")
                .add_column(ts_null("opens_at"))
                .take(),
        ),
        Box::new(
            Table::alter()
                .table("forms")
                .add_column(ts_null("closes_at"))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("rate_limits")
                .col(text("key").primary_key())
                .col(ts("window_start"))
                .col(int("hits"))
                .take(),
        ),
    ]
}
