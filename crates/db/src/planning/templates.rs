//! Rétroplanning templates: a name, the kind of project they suit, and
//! their tasks with offsets from the project's first or last day.

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
