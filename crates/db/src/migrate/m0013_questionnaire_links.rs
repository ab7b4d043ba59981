//! Questionnaires that cannot be enumerated, and personal links that the
//! team issues: each form gets a random public key (its public address is
//! `/q/{key}`, no longer its sequential id; [`fill_keys`] gives existing
//! forms one), and `questionnaire_links` holds the digest of every
//! personal link issued, so that a one-answer-per-link questionnaire takes
//! only links the team gave out.

use super::dsl::{TableDsl, bigint, text, text_null, ts, unique_index};
use crate::DbErr;
use sea_orm::sea_query::{Expr, ExprTrait, ForeignKeyAction::Cascade, Query, Table};
use sea_orm::{ConnectionTrait, StatementBuilder};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::alter()
                .table("forms")
                .add_column(text_null("public_key"))
                .take(),
        ),
        Box::new(
            Table::create()
                .table("questionnaire_links")
                .col(text("digest").primary_key())
                .col(bigint("form_id"))
                .col(ts("created_at"))
                .references("form_id", "forms", Cascade)
                .take(),
        ),
        Box::new(super::dsl::index(
            "ix_questionnaire_links_form",
            "questionnaire_links",
            &["form_id"],
        )),
    ]
}

/// Gives every form its random public key, then makes keys unique.
pub async fn fill_keys(c: &impl ConnectionTrait) -> Result<(), DbErr> {
    let rows = c
        .query_all(Query::select().column("id").from("forms"))
        .await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        c.execute(
            Query::update()
                .table("forms")
                .value("public_key", crate::forms::new_public_key())
                .and_where(Expr::col("id").eq(id)),
        )
        .await?;
    }
    c.execute(&unique_index(
        "ux_forms_public_key",
        "forms",
        &["public_key"],
    ))
    .await?;
    Ok(())
}
