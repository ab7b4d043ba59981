//! Rétroplanning templates: a name, the kind of project they suit, and
//! their tasks with offsets from the project's first or last day, in order.
//! The team edits them: renamed, tasks added, changed, moved and removed,
//! deleted; the tasks projects were given from them stay (their link to
//! the template task is set to null).

use crate::records::{Audited, Entry};
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::planning::{Anchor, Offset};
use maillage_domain::programme::ProjectKind;
use sea_orm::ActiveValue::Set;
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;
use serde_json::json;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_templates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub project_kind: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

pub mod task_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_template_tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub template_id: i64,
        pub title: String,
        pub anchor: String,
        pub offset_days: i32,
        pub position: i32,
    }

    crate::query::no_relations!();
}

/// A task of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTask {
    pub id: i64,
    pub title: String,
    pub anchor: Anchor,
    pub offset: Offset,
}

/// A task to add to a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub title: String,
    pub anchor: Anchor,
    pub offset: Offset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: i64,
    pub name: String,
    pub project_kind: Option<ProjectKind>,
    /// In their order in the template.
    pub tasks: Vec<TemplateTask>,
}

fn task(m: task_entity::Model) -> Result<TemplateTask, DbErr> {
    Ok(TemplateTask {
        id: m.id,
        anchor: vocab::PLAN_TEMPLATE_TASKS_ANCHOR.decode(&m.anchor)?,
        offset: Offset(m.offset_days),
        title: m.title,
    })
}

/// Creates a template with its tasks, in order.
pub async fn create(
    c: &impl ConnectionTrait,
    name: &str,
    kind: Option<ProjectKind>,
    tasks: &[NewTask],
    now: DateTime<Utc>,
) -> Result<Audited<Template>, DbErr> {
    let t = entity::ActiveModel {
        name: Set(name.to_owned()),
        project_kind: Set(kind.map(|k| k.code().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    for (i, n) in tasks.iter().enumerate() {
        task_entity::ActiveModel {
            template_id: Set(t.id),
            title: Set(n.title.clone()),
            anchor: Set(n.anchor.code().to_owned()),
            offset_days: Set(n.offset.0),
            position: Set(i as i32),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    let template = find(c, t.id)
        .await?
        .ok_or(DbErr::RecordNotFound("plan_template".into()))?;
    let entry = Entry::new(
        "create",
        "plan_template",
        t.id,
        name,
        json!({
            "name": name,
            "project_kind": kind.map(|k| k.code()),
            "tasks": tasks.iter().map(|n| json!({
                "title": n.title, "anchor": n.anchor.code(), "offset_days": n.offset.0
            })).collect::<Vec<_>>(),
        }),
    );
    Ok(Audited::new(template, entry))
}

/// The templates `templates` with their tasks, read in one more query.
async fn with_tasks(
    c: &impl ConnectionTrait,
    templates: Vec<entity::Model>,
) -> Result<Vec<Template>, DbErr> {
    let mut tasks: std::collections::HashMap<i64, Vec<TemplateTask>> = Default::default();
    for m in task_entity::Entity::find()
        .filter(task_entity::Column::TemplateId.is_in(templates.iter().map(|t| t.id)))
        .order_by_asc(task_entity::Column::Position)
        .order_by_asc(task_entity::Column::Id)
        .all(c)
        .await?
    {
        tasks.entry(m.template_id).or_default().push(task(m)?);
    }
    templates
        .into_iter()
        .map(|t| {
            Ok(Template {
                id: t.id,
                project_kind: vocab::PLAN_TEMPLATES_PROJECT_KIND
                    .decode_opt(t.project_kind.as_deref())?,
                tasks: tasks.remove(&t.id).unwrap_or_default(),
                name: t.name,
            })
        })
        .collect()
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Template>, DbErr> {
    let found = entity::Entity::find_by_id(id).one(c).await?;
    Ok(with_tasks(c, found.into_iter().collect()).await?.pop())
}

/// Every template, by name, with its tasks.
pub async fn list(c: &impl ConnectionTrait) -> Result<Vec<Template>, DbErr> {
    let all = entity::Entity::find()
        .order_by_asc(entity::Column::Name)
        .order_by_asc(entity::Column::Id)
        .all(c)
        .await?;
    with_tasks(c, all).await
}

impl Template {
    /// Its values as its audit entries keep them.
    fn snapshot(&self) -> serde_json::Value {
        json!({
            "name": self.name,
            "project_kind": self.project_kind.map(|k| k.code()),
            "tasks": self.tasks.iter().map(TemplateTask::snapshot).collect::<Vec<_>>(),
        })
    }
}

impl TemplateTask {
    fn snapshot(&self) -> serde_json::Value {
        json!({
            "title": self.title,
            "anchor": self.anchor.code(),
            "offset_days": self.offset.0,
        })
    }
}

async fn found(c: &impl ConnectionTrait, id: i64) -> Result<Template, DbErr> {
    find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("plan_template".into()))
}

/// Marks template `id` as changed at `now`.
async fn touch(c: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    entity::ActiveModel {
        id: Set(id),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    Ok(())
}

/// Renames template `id` and sets the kind of project it suits.
pub async fn update(
    c: &impl ConnectionTrait,
    id: i64,
    name: &str,
    kind: Option<ProjectKind>,
    now: DateTime<Utc>,
) -> Result<Audited<Template>, DbErr> {
    let before = found(c, id).await?;
    entity::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        project_kind: Set(kind.map(|k| k.code().to_owned())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    let after = Template {
        name: name.to_owned(),
        project_kind: kind,
        ..before.clone()
    };
    let values =
        |t: &Template| json!({"name": t.name, "project_kind": t.project_kind.map(|k| k.code())});
    let entry = Entry::update("plan_template", id, name, &values(&before), &values(&after));
    Ok(Audited::maybe(after, entry))
}

/// Deletes template `id` and its tasks; the tasks projects were given
/// from it stay, no longer tied to a template (they keep their dates).
pub async fn delete(c: &impl ConnectionTrait, id: i64) -> Result<Audited<()>, DbErr> {
    let t = found(c, id).await?;
    entity::Entity::delete_by_id(id).exec(c).await?;
    Ok(Audited::new(
        (),
        Entry::new("delete", "plan_template", id, t.name.clone(), t.snapshot()),
    ))
}

/// The task `id` of a template, with the template's id.
pub async fn find_task(
    c: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<(i64, TemplateTask)>, DbErr> {
    task_entity::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(|m| Ok((m.template_id, task(m)?)))
        .transpose()
}

/// Adds a task at the end of template `template`.
pub async fn add_task(
    c: &impl ConnectionTrait,
    template: i64,
    new: &NewTask,
    now: DateTime<Utc>,
) -> Result<Audited<TemplateTask>, DbErr> {
    let t = found(c, template).await?;
    let last = task_entity::Entity::find()
        .filter(task_entity::Column::TemplateId.eq(template))
        .order_by_desc(task_entity::Column::Position)
        .one(c)
        .await?
        .map_or(-1, |m| m.position);
    let m = task_entity::ActiveModel {
        template_id: Set(template),
        title: Set(new.title.clone()),
        anchor: Set(new.anchor.code().to_owned()),
        offset_days: Set(new.offset.0),
        position: Set(last + 1),
        ..Default::default()
    }
    .insert(c)
    .await?;
    touch(c, template, now).await?;
    let added = task(m)?;
    let entry = Entry::new(
        "add_task",
        "plan_template",
        template,
        format!("{} — {}", t.name, added.title),
        json!({"task": added.id, "values": added.snapshot()}),
    );
    Ok(Audited::new(added, entry))
}

/// The task `id` and its template, or `RecordNotFound`.
async fn task_of(c: &impl ConnectionTrait, id: i64) -> Result<(Template, TemplateTask), DbErr> {
    let (template, _) = find_task(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("plan_template_task".into()))?;
    let t = found(c, template).await?;
    let task = t
        .tasks
        .iter()
        .find(|x| x.id == id)
        .cloned()
        .ok_or(DbErr::RecordNotFound("plan_template_task".into()))?;
    Ok((t, task))
}

/// Changes the title, anchor and offset of template task `id`. The tasks
/// projects were given from it keep their title; their due date follows
/// the new offset when their project's dates next change
/// ([`super::tasks::reschedule`]).
pub async fn edit_task(
    c: &impl ConnectionTrait,
    id: i64,
    new: &NewTask,
    now: DateTime<Utc>,
) -> Result<Audited<TemplateTask>, DbErr> {
    let (t, before) = task_of(c, id).await?;
    task_entity::ActiveModel {
        id: Set(id),
        title: Set(new.title.clone()),
        anchor: Set(new.anchor.code().to_owned()),
        offset_days: Set(new.offset.0),
        ..Default::default()
    }
    .update(c)
    .await?;
    let after = TemplateTask {
        id,
        title: new.title.clone(),
        anchor: new.anchor,
        offset: new.offset,
    };
    let changes = crate::audit::diff(&before.snapshot(), &after.snapshot());
    if changes.as_object().is_none_or(|o| o.is_empty()) {
        return Ok(Audited::unchanged(after));
    }
    touch(c, t.id, now).await?;
    let entry = Entry::new(
        "edit_task",
        "plan_template",
        t.id,
        format!("{} — {}", t.name, after.title),
        json!({"task": id, "changes": changes}),
    );
    Ok(Audited::new(after, entry))
}

/// Removes template task `id`; the tasks projects were given from it stay,
/// no longer tied to the template.
pub async fn remove_task(
    c: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Audited<()>, DbErr> {
    let (t, gone) = task_of(c, id).await?;
    task_entity::Entity::delete_by_id(id).exec(c).await?;
    touch(c, t.id, now).await?;
    Ok(Audited::new(
        (),
        Entry::new(
            "remove_task",
            "plan_template",
            t.id,
            format!("{} — {}", t.name, gone.title),
            json!({"task": id, "values": gone.snapshot()}),
        ),
    ))
}

/// Which way a task moves in its template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// Moves template task `id` one place up or down in its template; the
/// first task does not move up nor the last down (returns `false`).
pub async fn move_task(
    c: &impl ConnectionTrait,
    id: i64,
    way: Move,
    now: DateTime<Utc>,
) -> Result<Audited<bool>, DbErr> {
    let (t, moved) = task_of(c, id).await?;
    let mut order: Vec<i64> = t.tasks.iter().map(|x| x.id).collect();
    let Some(i) = order.iter().position(|x| *x == id) else {
        return Err(DbErr::RecordNotFound("plan_template_task".into()));
    };
    let j = match way {
        Move::Up if i > 0 => i - 1,
        Move::Down if i + 1 < order.len() => i + 1,
        _ => return Ok(Audited::unchanged(false)),
    };
    order.swap(i, j);
    // Positions renumbered from 0, each row written only if it changed.
    let now_at: std::collections::HashMap<i64, i32> = task_entity::Entity::find()
        .filter(task_entity::Column::TemplateId.eq(t.id))
        .all(c)
        .await?
        .into_iter()
        .map(|m| (m.id, m.position))
        .collect();
    for (position, task_id) in order.iter().enumerate() {
        let position = position as i32;
        if now_at.get(task_id) != Some(&position) {
            task_entity::ActiveModel {
                id: Set(*task_id),
                position: Set(position),
                ..Default::default()
            }
            .update(c)
            .await?;
        }
    }
    touch(c, t.id, now).await?;
    Ok(Audited::new(
        true,
        Entry::new(
            "move_task",
            "plan_template",
            t.id,
            format!("{} — {}", t.name, moved.title),
            json!({
                "task": id,
                "direction": match way { Move::Up => "up", Move::Down => "down" },
                "from": i + 1,
                "to": j + 1,
            }),
        ),
    ))
}
