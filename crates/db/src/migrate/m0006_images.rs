//! Images of activities and projects (one each), with alternative text in
//! French (required) and English, a credit, and their resized JPEG copies.

use super::dsl::*;
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ColumnDef, ForeignKeyAction::*, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("images")
                .col(pk())
                // `activity` or `project`.
                .col(text("owner_type"))
                .col(bigint("owner_id"))
                .col(text("alt_fr"))
                .col(text_null("alt_en"))
                .col(text_null("credit"))
                .col(int("width"))
                .col(int("height"))
                // SHA-256 of the uploaded file, in hexadecimal.
                .col(text("digest"))
                .col(ts("created_at"))
                .take(),
        ),
        Box::new(unique_index(
            "ux_images_owner",
            "images",
            &["owner_type", "owner_id"],
        )),
        Box::new(
            Table::create()
                .table("image_variants")
                .col(bigint("image_id"))
                .col(int("width"))
                .col(int("height"))
                .col(ColumnDef::new("bytes").blob().not_null().take())
                .col(int("byte_length"))
                .primary_key(Index::create().col("image_id").col("width"))
                .references("image_id", "images", Cascade)
                .take(),
        ),
    ]
}
