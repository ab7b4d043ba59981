//! Bookings' personal links stored as digests, several per booking (one
//! per e-mail that carries a link), instead of one secret in clear.
//! [`move_secrets`] carries each existing link over, so that the links
//! already sent keep working, then drops the old column.

use super::dsl::{TableDsl, bigint, text, ts};
use crate::DbErr;
use sea_orm::sea_query::{Expr, ExprTrait, ForeignKeyAction::Cascade, Index, Query, Table};
use sea_orm::{ConnectionTrait, StatementBuilder};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("booking_links")
                .col(text("digest").primary_key())
                .col(bigint("booking_id"))
                .col(ts("created_at"))
                .references("booking_id", "bookings", Cascade)
                .take(),
        ),
        Box::new(super::dsl::index(
            "ix_booking_links_booking",
            "booking_links",
            &["booking_id"],
        )),
    ]
}

/// Stores the digest of every booking's secret as its first link, then
/// drops the secrets.
pub async fn move_secrets(c: &impl ConnectionTrait) -> Result<(), DbErr> {
    let rows = c
        .query_all(
            Query::select()
                .columns(["id", "secret", "created_at"])
                .from("bookings")
                .and_where(Expr::col("anonymised_at").is_null()),
        )
        .await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let secret: String = row.try_get("", "secret")?;
        let created: chrono::DateTime<chrono::Utc> = row.try_get("", "created_at")?;
        if !maillage_domain::token::is_well_formed(&secret) {
            continue;
        }
        c.execute(
            Query::insert()
                .into_table("booking_links")
                .columns(["digest", "booking_id", "created_at"])
                .values_panic([
                    maillage_domain::token::digest(&secret).into(),
                    id.into(),
                    created.into(),
                ]),
        )
        .await?;
    }
    c.execute(
        &Index::drop()
            .name("ux_bookings_secret")
            .table("bookings")
            .to_owned(),
    )
    .await?;
    c.execute(
        &Table::alter()
            .table("bookings")
            .drop_column("secret")
            .to_owned(),
    )
    .await?;
    Ok(())
}
