//! Tasks as tests need them: of a project or of the team, with a title, a
//! status, a due date and assignees.

use crate::planning::tasks::{assignee_entity, entity};
use chrono::NaiveDate;
use maillage_domain::planning::{Priority, TaskStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

/// Inserts a task; returns its id.
pub async fn task(
    c: &impl ConnectionTrait,
    project: Option<i64>,
    title: &str,
    status: TaskStatus,
    due_on: Option<NaiveDate>,
    assignees: &[i64],
) -> i64 {
    let now = crate::now();
    let t = entity::ActiveModel {
        project_id: Set(project),
        title: Set(title.to_owned()),
        status: Set(status.code().to_owned()),
        priority: Set(Priority::Normal.code().to_owned()),
        due_on: Set(due_on),
        template_task_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    for u in assignees {
        assignee_entity::ActiveModel {
            task_id: Set(t.id),
            user_id: Set(*u),
        }
        .insert(c)
        .await
        .unwrap();
    }
    t.id
}
