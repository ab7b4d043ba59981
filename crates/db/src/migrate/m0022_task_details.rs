//! What a task carries besides its dates: a checklist, comments by the
//! team, and the tasks it waits for.

use super::dsl::{TableDsl, bigint, boolean, index, int, pk, text, ts};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{ForeignKeyAction::Cascade, Index, Table};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("task_checklist")
                .col(pk())
                .col(bigint("task_id"))
                .col(int("position"))
                .col(text("label"))
                .col(boolean("done", false))
                .references("task_id", "tasks", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_task_checklist_task",
            "task_checklist",
            &["task_id", "position"],
        )),
        Box::new(
            Table::create()
                .table("task_comments")
                .col(pk())
                .col(bigint("task_id"))
                .col(bigint("user_id"))
                .col(text("body"))
                .col(ts("created_at"))
                .references("task_id", "tasks", Cascade)
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_task_comments_task",
            "task_comments",
            &["task_id", "created_at"],
        )),
        Box::new(
            Table::create()
                .table("task_dependencies")
                .col(bigint("task_id"))
                .col(bigint("depends_on"))
                .primary_key(Index::create().col("task_id").col("depends_on"))
                .references("task_id", "tasks", Cascade)
                .references("depends_on", "tasks", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_task_dependencies_on",
            "task_dependencies",
            &["depends_on"],
        )),
    ]
}
