//! What the team writes in a bilan: per project (the edition) and section,
//! a commentary and highlights (one a line).

use super::dsl::{TableDsl, bigint, pk, text, unique_index};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ForeignKeyAction::Cascade, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("report_notes")
                .col(pk())
                .col(bigint("project_id"))
                .col(text("section"))
                .col(text("commentary"))
                .col(text("highlights"))
                .timestamps()
                .references("project_id", "projects", Cascade)
                .take(),
        ),
        Box::new(unique_index(
            "ux_report_notes_section",
            "report_notes",
            &["project_id", "section"],
        )),
    ]
}
