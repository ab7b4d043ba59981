//! A task's checklist, its comments and the tasks it waits for.

use super::tasks::{self, Task};
use crate::records::{Audited, Entry};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use serde_json::json;

pub mod check_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "task_checklist")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub task_id: i64,
        pub position: i32,
        pub label: String,
        pub done: bool,
    }

    crate::query::no_relations!();
}

pub mod comment_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "task_comments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub task_id: i64,
        pub user_id: i64,
        pub body: String,
        pub created_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod dependency_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "task_dependencies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub task_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub depends_on: i64,
    }

    crate::query::no_relations!();
}

pub use check_entity::Model as CheckItem;

/// The checklist of task `task`, in order.
pub async fn checklist(c: &impl ConnectionTrait, task: i64) -> Result<Vec<CheckItem>, DbErr> {
    check_entity::Entity::find()
        .filter(check_entity::Column::TaskId.eq(task))
        .order_by_asc(check_entity::Column::Position)
        .order_by_asc(check_entity::Column::Id)
        .all(c)
        .await
}

/// Adds a line at the end of the checklist of `t`.
pub async fn add_check(
    c: &impl ConnectionTrait,
    t: &Task,
    label: &str,
) -> Result<Audited<()>, DbErr> {
    let position = checklist(c, t.id)
        .await?
        .last()
        .map_or(1, |i| i.position + 1);
    check_entity::ActiveModel {
        task_id: Set(t.id),
        position: Set(position),
        label: Set(label.to_owned()),
        done: Set(false),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "add_check",
            "task",
            t.id,
            t.title.clone(),
            json!({ "label": label }),
        ),
    ))
}

/// Ticks or unticks line `line` of the checklist of `t` (404 when it is
/// not one of its lines).
pub async fn tick(
    c: &impl ConnectionTrait,
    t: &Task,
    line: i64,
    done: bool,
) -> Result<Audited<()>, DbErr> {
    let row = check_entity::Entity::find_by_id(line)
        .one(c)
        .await?
        .filter(|r| r.task_id == t.id)
        .ok_or(DbErr::RecordNotFound("checklist line".into()))?;
    if row.done == done {
        return Ok(Audited::unchanged(()));
    }
    check_entity::ActiveModel {
        id: Set(line),
        done: Set(done),
        ..Default::default()
    }
    .update(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "tick",
            "task",
            t.id,
            t.title.clone(),
            json!({ "label": row.label, "done": done }),
        ),
    ))
}

/// A comment with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// The comments on task `task`, oldest first.
pub async fn comments(c: &impl ConnectionTrait, task: i64) -> Result<Vec<Comment>, DbErr> {
    let rows = comment_entity::Entity::find()
        .filter(comment_entity::Column::TaskId.eq(task))
        .order_by_asc(comment_entity::Column::CreatedAt)
        .order_by_asc(comment_entity::Column::Id)
        .all(c)
        .await?;
    let names: std::collections::HashMap<i64, String> = crate::users::entity::Entity::find()
        .filter(crate::users::entity::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .all(c)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| Comment {
            id: r.id,
            author: names.get(&r.user_id).cloned().unwrap_or_default(),
            body: r.body,
            at: r.created_at,
        })
        .collect())
}

pub async fn comment(
    c: &impl ConnectionTrait,
    t: &Task,
    user: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Audited<()>, DbErr> {
    comment_entity::ActiveModel {
        task_id: Set(t.id),
        user_id: Set(user),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "comment",
            "task",
            t.id,
            t.title.clone(),
            json!({ "body": body }),
        ),
    ))
}

/// The tasks `task` waits for.
pub async fn waits_for(c: &impl ConnectionTrait, task: i64) -> Result<Vec<Task>, DbErr> {
    let ids: Vec<i64> = dependency_entity::Entity::find()
        .filter(dependency_entity::Column::TaskId.eq(task))
        .all(c)
        .await?
        .into_iter()
        .map(|d| d.depends_on)
        .collect();
    let mut out = Vec::new();
    for id in ids {
        out.extend(tasks::find(c, id).await?);
    }
    out.sort_by_key(|t| (t.due_on.is_none(), t.due_on, t.id));
    Ok(out)
}

/// Whether `from` already waits, directly or not, for `to`.
async fn reaches(c: &impl ConnectionTrait, from: i64, to: i64) -> Result<bool, DbErr> {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![from];
    while let Some(t) = todo.pop() {
        if t == to {
            return Ok(true);
        }
        if seen.insert(t) {
            todo.extend(
                dependency_entity::Entity::find()
                    .filter(dependency_entity::Column::TaskId.eq(t))
                    .all(c)
                    .await?
                    .into_iter()
                    .map(|d| d.depends_on),
            );
        }
    }
    Ok(false)
}

/// Whether `t` waiting for `on` would make a circle (a task waiting,
/// directly or not, for itself).
pub async fn would_cycle(c: &impl ConnectionTrait, t: &Task, on: &Task) -> Result<bool, DbErr> {
    Ok(t.id == on.id || reaches(c, on.id, t.id).await?)
}

/// Makes `t` wait for `on` (nothing when it already does); a circle is
/// refused (check [`would_cycle`] first to say why).
pub async fn depend(c: &impl ConnectionTrait, t: &Task, on: &Task) -> Result<Audited<()>, DbErr> {
    if would_cycle(c, t, on).await? {
        return Err(DbErr::Custom("a task cannot wait for itself".into()));
    }
    if dependency_entity::Entity::find_by_id((t.id, on.id))
        .one(c)
        .await?
        .is_some()
    {
        return Ok(Audited::unchanged(()));
    }
    dependency_entity::ActiveModel {
        task_id: Set(t.id),
        depends_on: Set(on.id),
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "depend",
            "task",
            t.id,
            t.title.clone(),
            json!({ "waits_for": on.id, "title": on.title }),
        ),
    ))
}

/// `t` no longer waits for `on`.
pub async fn undepend(c: &impl ConnectionTrait, t: &Task, on: i64) -> Result<Audited<()>, DbErr> {
    let gone = dependency_entity::Entity::delete_by_id((t.id, on))
        .exec(c)
        .await?
        .rows_affected
        == 1;
    if !gone {
        return Ok(Audited::unchanged(()));
    }
    Ok(Audited::new(
        (),
        Entry::new(
            "undepend",
            "task",
            t.id,
            t.title.clone(),
            json!({ "waits_for": on }),
        ),
    ))
}
