//! Tasks: of a project or of the team, with a status, a priority, a due
//! date, and the template task they were made from (once per project).

use super::templates::{Template, task_entity};
use crate::programme::projects::Project;
use crate::records::{Audited, Entry};
use crate::vocab;
use chrono::{DateTime, NaiveDate, Utc};
use maillage_domain::planning::{Offset, Priority, TaskStatus, due_on};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub project_id: Option<i64>,
        pub title: String,
        pub status: String,
        pub priority: String,
        pub due_on: Option<Date>,
        pub template_task_id: Option<i64>,
        pub meeting_id: Option<i64>,
        pub organisation_id: Option<i64>,
        pub activity_id: Option<i64>,
        pub shared: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub project_id: Option<i64>,
    pub title: String,
    pub status: TaskStatus,
    pub priority: Priority,
    pub due_on: Option<NaiveDate>,
    /// The template task it was made from, if any.
    pub template_task_id: Option<i64>,
    /// The meeting whose minutes made it (an action), if any.
    pub meeting_id: Option<i64>,
    /// The organisation it concerns, if any.
    pub organisation_id: Option<i64>,
    /// The activity it concerns, if any.
    pub activity_id: Option<i64>,
    /// Shown to the partners of `organisation_id` in their space.
    pub shared: bool,
}

impl Task {
    /// Open and due before `today`.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|d| d < today)
    }
}

fn task(m: entity::Model) -> Result<Task, DbErr> {
    Ok(Task {
        id: m.id,
        project_id: m.project_id,
        status: vocab::TASKS_STATUS.decode(&m.status)?,
        priority: vocab::TASKS_PRIORITY.decode(&m.priority)?,
        due_on: m.due_on,
        template_task_id: m.template_task_id,
        meeting_id: m.meeting_id,
        organisation_id: m.organisation_id,
        activity_id: m.activity_id,
        shared: m.shared,
        title: m.title,
    })
}

/// The tasks `q` selects, soonest due first (undated last).
async fn soonest_first(
    c: &impl ConnectionTrait,
    q: sea_orm::Select<Entity>,
) -> Result<Vec<Task>, DbErr> {
    let mut v: Vec<Task> = q
        .all(c)
        .await?
        .into_iter()
        .map(task)
        .collect::<Result<_, _>>()?;
    v.sort_by_key(|t| (t.due_on.is_none(), t.due_on, t.id));
    Ok(v)
}

/// The ids of the tasks assigned to `user`.
async fn ids_of(c: &impl ConnectionTrait, user: i64) -> Result<Vec<i64>, DbErr> {
    Ok(assignee_entity::Entity::find()
        .filter(assignee_entity::Column::UserId.eq(user))
        .all(c)
        .await?
        .into_iter()
        .map(|m| m.task_id)
        .collect())
}

/// Assigns task `task` to each of `users`.
async fn add_assignees(c: &impl ConnectionTrait, task: i64, users: &[i64]) -> Result<(), DbErr> {
    for user in users {
        assignee_entity::ActiveModel {
            task_id: Set(task),
            user_id: Set(*user),
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// A project's tasks, soonest due first (undated last).
pub async fn of_project(c: &impl ConnectionTrait, project: i64) -> Result<Vec<Task>, DbErr> {
    soonest_first(c, Entity::find().filter(Column::ProjectId.eq(project))).await
}

/// Applies `template` to `project`: one task due on the project's first or
/// last day plus the offset for each template task the project has no task
/// of yet. Applying again adds only the template's new tasks.
pub async fn apply_template(
    c: &impl ConnectionTrait,
    project: &Project,
    template: &Template,
    now: DateTime<Utc>,
) -> Result<Audited<usize>, DbErr> {
    let made: HashSet<i64> = of_project(c, project.id)
        .await?
        .into_iter()
        .filter_map(|t| t.template_task_id)
        .collect();
    let mut created = Vec::new();
    for t in template.tasks.iter().filter(|t| !made.contains(&t.id)) {
        let due = due_on(
            t.anchor,
            t.offset,
            project.data.starts_on,
            project.data.ends_on,
        );
        ActiveModel {
            project_id: Set(Some(project.id)),
            title: Set(t.title.clone()),
            status: Set(TaskStatus::Todo.code().to_owned()),
            priority: Set(Priority::Normal.code().to_owned()),
            due_on: Set(Some(due)),
            template_task_id: Set(Some(t.id)),
            shared: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?;
        created.push(json!({"title": t.title, "due_on": due.to_string()}));
    }
    let n = created.len();
    if n == 0 {
        return Ok(Audited::unchanged(0));
    }
    Ok(Audited::new(
        n,
        Entry::new(
            "apply_template",
            "project",
            project.id,
            format!("{} — {}", project.data.name, template.name),
            json!({"template": template.id, "tasks": created}),
        ),
    ))
}

/// Moves the open tasks `project` made from templates to its dates
/// (`starts_on`, `ends_on`); done and dropped ones stay. Returns how many
/// moved.
pub async fn reschedule(
    c: &impl ConnectionTrait,
    project: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let open: Vec<Task> = of_project(c, project)
        .await?
        .into_iter()
        .filter(|t| t.status.is_open() && t.template_task_id.is_some())
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = open.iter().filter_map(|t| t.template_task_id).collect();
    let offsets: HashMap<i64, (maillage_domain::planning::Anchor, Offset)> =
        task_entity::Entity::find()
            .filter(task_entity::Column::Id.is_in(ids))
            .all(c)
            .await?
            .into_iter()
            .map(|m| {
                Ok((
                    m.id,
                    (
                        vocab::PLAN_TEMPLATE_TASKS_ANCHOR.decode(&m.anchor)?,
                        Offset(m.offset_days),
                    ),
                ))
            })
            .collect::<Result<_, DbErr>>()?;
    let mut moved = 0;
    for t in open {
        let Some((anchor, offset)) = t.template_task_id.and_then(|id| offsets.get(&id)) else {
            continue;
        };
        let due = due_on(*anchor, *offset, starts_on, ends_on);
        if t.due_on != Some(due) {
            ActiveModel {
                id: Set(t.id),
                due_on: Set(Some(due)),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(c)
            .await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Sets the status of task `id`.
pub async fn set_status(
    c: &impl ConnectionTrait,
    id: i64,
    status: TaskStatus,
    now: DateTime<Utc>,
) -> Result<Audited<Task>, DbErr> {
    let m = Entity::find_by_id(id)
        .one(c)
        .await?
        .ok_or(DbErr::RecordNotFound("task".into()))?;
    let before = task(m)?;
    ActiveModel {
        id: Set(id),
        status: Set(status.code().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    let after = Task {
        status,
        ..before.clone()
    };
    let entry = Entry::update(
        "task",
        id,
        before.title.clone(),
        &json!({"status": before.status.code()}),
        &json!({"status": status.code()}),
    );
    Ok(Audited::maybe(after, entry))
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Task>, DbErr> {
    Entity::find_by_id(id).one(c).await?.map(task).transpose()
}

pub mod assignee_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "task_assignees")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub task_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
    }

    crate::query::no_relations!();
}

/// Adds `user` to the people task `id` is assigned to (nothing when they
/// already are).
pub async fn assign(c: &impl ConnectionTrait, id: i64, user: i64) -> Result<Audited<()>, DbErr> {
    let t = find(c, id)
        .await?
        .ok_or(DbErr::RecordNotFound("task".into()))?;
    let already = assignee_entity::Entity::find_by_id((id, user))
        .one(c)
        .await?
        .is_some();
    if already {
        return Ok(Audited::unchanged(()));
    }
    assignee_entity::ActiveModel {
        task_id: Set(id),
        user_id: Set(user),
    }
    .insert(c)
    .await?;
    Ok(Audited::new(
        (),
        Entry::new("assign", "task", id, t.title, json!({"user_id": user})),
    ))
}

/// The people each of `tasks` is assigned to (user ids).
pub async fn assignees(
    c: &impl ConnectionTrait,
    tasks: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in assignee_entity::Entity::find()
        .filter(assignee_entity::Column::TaskId.is_in(tasks.iter().copied()))
        .all(c)
        .await?
    {
        out.entry(m.task_id).or_default().push(m.user_id);
    }
    Ok(out)
}

/// The open tasks assigned to `user`, soonest due first (undated last).
pub async fn open_for(c: &impl ConnectionTrait, user: i64) -> Result<Vec<Task>, DbErr> {
    let ids = ids_of(c, user).await?;
    Ok(
        soonest_first(c, Entity::find().filter(Column::Id.is_in(ids)))
            .await?
            .into_iter()
            .filter(|t| t.status.is_open())
            .collect(),
    )
}

/// A task made by hand or by a meeting's minutes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewTask {
    pub project_id: Option<i64>,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub meeting_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub shared: bool,
    /// Who it is assigned to (user ids).
    pub assignees: Vec<i64>,
}

/// Inserts a task (to do, normal priority) with its assignees; the caller
/// records the audit entry.
pub async fn insert(
    c: &impl ConnectionTrait,
    new: &NewTask,
    now: DateTime<Utc>,
) -> Result<Task, DbErr> {
    let m = ActiveModel {
        project_id: Set(new.project_id),
        title: Set(new.title.clone()),
        status: Set(TaskStatus::Todo.code().to_owned()),
        priority: Set(Priority::Normal.code().to_owned()),
        due_on: Set(new.due_on),
        template_task_id: Set(None),
        meeting_id: Set(new.meeting_id),
        organisation_id: Set(new.organisation_id),
        activity_id: Set(new.activity_id),
        shared: Set(new.shared),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    add_assignees(c, m.id, &new.assignees).await?;
    task(m)
}

/// Changes the title, due date and assignees of a task a meeting made
/// (its status stays); the caller records the audit entry.
pub async fn revise(
    c: &impl ConnectionTrait,
    id: i64,
    title: &str,
    due_on: Option<NaiveDate>,
    assignees: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        id: Set(id),
        title: Set(title.to_owned()),
        due_on: Set(due_on),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    assignee_entity::Entity::delete_many()
        .filter(assignee_entity::Column::TaskId.eq(id))
        .exec(c)
        .await?;
    add_assignees(c, id, assignees).await?;
    Ok(())
}

/// The tasks made by the minutes of `meetings`, soonest due first.
pub async fn of_meetings(c: &impl ConnectionTrait, meetings: &[i64]) -> Result<Vec<Task>, DbErr> {
    let q = Entity::find().filter(Column::MeetingId.is_in(meetings.iter().copied()));
    soonest_first(c, q).await
}

/// The tasks shared with organisation `org`, soonest due first.
pub async fn shared_with(c: &impl ConnectionTrait, org: i64) -> Result<Vec<Task>, DbErr> {
    let q = Entity::find()
        .filter(Column::OrganisationId.eq(org))
        .filter(Column::Shared.eq(true));
    soonest_first(c, q).await
}

/// The projects `user` works on: those of the tasks assigned to them.
pub async fn projects_of(c: &impl ConnectionTrait, user: i64) -> Result<HashSet<i64>, DbErr> {
    let ids = ids_of(c, user).await?;
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(c)
        .await?
        .into_iter()
        .filter_map(|m| m.project_id)
        .collect())
}

/// Whether task `id` is assigned to `user`.
pub async fn is_assigned(c: &impl ConnectionTrait, id: i64, user: i64) -> Result<bool, DbErr> {
    Ok(assignee_entity::Entity::find_by_id((id, user))
        .one(c)
        .await?
        .is_some())
}

/// What the task form changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEdit {
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub priority: Priority,
    pub organisation_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub shared: bool,
}

fn edit_snapshot(t: &Task) -> serde_json::Value {
    json!({
        "title": t.title, "due_on": t.due_on.map(|d| d.to_string()),
        "priority": t.priority.code(), "organisation_id": t.organisation_id,
        "activity_id": t.activity_id, "shared": t.shared,
    })
}

/// Changes a task's title, due date, priority and links.
pub async fn edit(
    c: &impl ConnectionTrait,
    before: &Task,
    e: &TaskEdit,
    now: DateTime<Utc>,
) -> Result<Audited<Task>, DbErr> {
    ActiveModel {
        id: Set(before.id),
        title: Set(e.title.clone()),
        due_on: Set(e.due_on),
        priority: Set(e.priority.code().to_owned()),
        organisation_id: Set(e.organisation_id),
        activity_id: Set(e.activity_id),
        shared: Set(e.shared),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(c)
    .await?;
    let after = Task {
        title: e.title.clone(),
        due_on: e.due_on,
        priority: e.priority,
        organisation_id: e.organisation_id,
        activity_id: e.activity_id,
        shared: e.shared,
        ..before.clone()
    };
    let entry = Entry::update(
        "task",
        before.id,
        after.title.clone(),
        &edit_snapshot(before),
        &edit_snapshot(&after),
    );
    Ok(Audited::maybe(after, entry))
}

/// Removes `user` from the people task `t` is assigned to.
pub async fn unassign(c: &impl ConnectionTrait, t: &Task, user: i64) -> Result<Audited<()>, DbErr> {
    let gone = assignee_entity::Entity::delete_by_id((t.id, user))
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
            "unassign",
            "task",
            t.id,
            t.title.clone(),
            json!({"user_id": user}),
        ),
    ))
}
