//! Planning: rétroplanning templates (tasks with offsets from a project's
//! first or last day) and tasks, of a project or of the team, each made
//! from a template task at most once per project, with their assignees.

use super::checks::Check;
use super::dsl::{TableDsl, bigint, bigint_null, index, int, pk, text, text_null, unique_index};
use sea_orm::StatementBuilder;
use sea_orm::sea_query::{
    ColumnDef, ForeignKeyAction::Cascade, ForeignKeyAction::SetNull, Index, Table,
};

pub fn statements() -> Vec<Box<dyn StatementBuilder + Send + Sync>> {
    vec![
        Box::new(
            Table::create()
                .table("plan_templates")
                .col(pk())
                .col(text("name"))
                .col(text_null("project_kind"))
                .timestamps()
                .take(),
        ),
        Box::new(
            Table::create()
                .table("plan_template_tasks")
                .col(pk())
                .col(bigint("template_id"))
                .col(text("title"))
                .col(text("anchor"))
                .col(int("offset_days"))
                .col(int("position"))
                .references("template_id", "plan_templates", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_plan_template_tasks_template",
            "plan_template_tasks",
            &["template_id", "position"],
        )),
        Box::new(
            Table::create()
                .table("tasks")
                .col(pk())
                .col(bigint_null("project_id"))
                .col(text("title"))
                .col(text("status"))
                .col(text("priority"))
                .col(ColumnDef::new("due_on").date().null().take())
                .col(bigint_null("template_task_id"))
                .timestamps()
                .references("project_id", "projects", Cascade)
                .references("template_task_id", "plan_template_tasks", SetNull)
                .take(),
        ),
        // A template task gives one task per project, however often the
        // template is applied.
        Box::new(unique_index(
            "ux_tasks_template_task",
            "tasks",
            &["project_id", "template_task_id"],
        )),
        Box::new(index("ix_tasks_due_on", "tasks", &["due_on"])),
        Box::new(
            Table::create()
                .table("task_assignees")
                .col(bigint("task_id"))
                .col(bigint("user_id"))
                .primary_key(Index::create().col("task_id").col("user_id"))
                .references("task_id", "tasks", Cascade)
                .references("user_id", "users", Cascade)
                .take(),
        ),
        Box::new(index(
            "ix_task_assignees_user",
            "task_assignees",
            &["user_id"],
        )),
    ]
}

pub const CHECKS: &[Check] = &[
    Check {
        table: "plan_templates",
        column: "project_kind",
        codes: &[
            "festival",
            "game_jam",
            "residency",
            "editathon",
            "talk_series",
            "forum",
            "school_programme",
            "other",
        ],
    },
    Check {
        table: "plan_template_tasks",
        column: "anchor",
        codes: &["start", "end"],
    },
    Check {
        table: "tasks",
        column: "status",
        codes: &["todo", "in_progress", "waiting", "done", "dropped"],
    },
    Check {
        table: "tasks",
        column: "priority",
        codes: &["low", "normal", "high"],
    },
];
