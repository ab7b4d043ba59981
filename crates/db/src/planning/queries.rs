//! Tasks listed across projects, with their project, the offset of the
//! template task they were made from and the people they are assigned to,
//! read in a few queries whatever their number: the API's lists, the team's
//! week and the daily digest. Filters by project, assignee, status, late
//! or not (as of a given day) and due dates; soonest due first, undated
//! last.

use crate::page::{Page, PageRequest};
use crate::query::{IDS_PER_QUERY, col, join};
use crate::vocab;
use chrono::NaiveDate;
use maillage_domain::Role;
use maillage_domain::planning::TaskStatus;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{
    Alias, Cond, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement,
};
use sea_orm::{QueryOrder, QueryResult};
use std::collections::HashMap;

/// The roles of the team, to whom tasks are assigned.
pub const TEAM: [Role; 4] = [Role::Admin, Role::Staff, Role::Intern, Role::Volunteer];

/// The project of a task, as lists name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A person a task is assigned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// A task as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: i64,
    pub title: String,
    pub status: TaskStatus,
    pub due_on: Option<NaiveDate>,
    pub project: Option<ProjectRef>,
    /// The offset in days of the template task it was made from.
    pub template_offset_days: Option<i32>,
    /// By name.
    pub assignees: Vec<Person>,
}

impl Line {
    /// Open and due before `today`.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|d| d < today)
    }
}

/// Which tasks a list holds; every filter given applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The day "late" is counted from (Europe/Paris).
    pub today: NaiveDate,
    pub project: Option<i64>,
    pub assignee: Option<i64>,
    pub status: Option<TaskStatus>,
    /// Open tasks only (to do, in progress, waiting).
    pub open: bool,
    /// Late ones only (`true`) or those not late (`false`).
    pub late: Option<bool>,
    /// Due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Due on or before this day.
    pub due_to: Option<NaiveDate>,
}

impl Filter {
    /// Every task, late counted from `today`.
    pub fn new(today: NaiveDate) -> Filter {
        Filter {
            today,
            project: None,
            assignee: None,
            status: None,
            open: false,
            late: None,
            due_from: None,
            due_to: None,
        }
    }
}

fn open_codes() -> Vec<&'static str> {
    [
        TaskStatus::Todo,
        TaskStatus::InProgress,
        TaskStatus::Waiting,
    ]
    .iter()
    .map(|s| s.code())
    .collect()
}

/// `tasks t` with its project `p` and template task `tt`, filtered.
fn select(f: &Filter) -> SelectStatement {
    let mut q = Query::select();
    q.from_as("tasks", Alias::new("t"));
    join(
        &mut q,
        JoinType::LeftJoin,
        "projects",
        ("p", "id"),
        ("t", "project_id"),
    );
    join(
        &mut q,
        JoinType::LeftJoin,
        "plan_template_tasks",
        ("tt", "id"),
        ("t", "template_task_id"),
    );
    if let Some(p) = f.project {
        q.and_where(col("t", "project_id").eq(p));
    }
    if let Some(u) = f.assignee {
        q.and_where(
            col("t", "id").in_subquery(
                Query::select()
                    .column("task_id")
                    .from("task_assignees")
                    .and_where(Expr::col("user_id").eq(u))
                    .take(),
            ),
        );
    }
    if let Some(s) = f.status {
        q.and_where(col("t", "status").eq(s.code()));
    }
    if f.open {
        q.and_where(col("t", "status").is_in(open_codes()));
    }
    let late = Cond::all()
        .add(col("t", "status").is_in(open_codes()))
        .add(col("t", "due_on").is_not_null())
        .add(col("t", "due_on").lt(f.today));
    match f.late {
        Some(true) => {
            q.cond_where(late);
        }
        Some(false) => {
            q.cond_where(late.not());
        }
        None => {}
    }
    if let Some(d) = f.due_from {
        q.and_where(col("t", "due_on").gte(d));
    }
    if let Some(d) = f.due_to {
        q.and_where(col("t", "due_on").lte(d));
    }
    q
}

fn ordered(mut q: SelectStatement) -> SelectStatement {
    q.expr_as(col("t", "id"), Alias::new("id"))
        .expr_as(col("t", "title"), Alias::new("title"))
        .expr_as(col("t", "status"), Alias::new("status"))
        .expr_as(col("t", "due_on"), Alias::new("due_on"))
        .expr_as(col("p", "id"), Alias::new("project_id"))
        .expr_as(col("p", "slug"), Alias::new("project_slug"))
        .expr_as(col("p", "name"), Alias::new("project_name"))
        .expr_as(col("tt", "offset_days"), Alias::new("offset_days"))
        .order_by_expr(col("t", "due_on").is_null(), Order::Asc)
        .order_by((Alias::new("t"), Alias::new("due_on")), Order::Asc)
        .order_by((Alias::new("t"), Alias::new("id")), Order::Asc);
    q
}

fn line(r: &QueryResult) -> Result<Line, DbErr> {
    let project = match r.try_get::<Option<i64>>("", "project_id")? {
        Some(id) => Some(ProjectRef {
            id,
            slug: r.try_get("", "project_slug")?,
            name: r.try_get("", "project_name")?,
        }),
        None => None,
    };
    Ok(Line {
        id: r.try_get("", "id")?,
        title: r.try_get("", "title")?,
        status: vocab::TASKS_STATUS.decode(&r.try_get::<String>("", "status")?)?,
        due_on: r.try_get("", "due_on")?,
        project,
        template_offset_days: r.try_get("", "offset_days")?,
        assignees: Vec::new(),
    })
}

async fn lines(c: &impl ConnectionTrait, q: SelectStatement) -> Result<Vec<Line>, DbErr> {
    let mut out: Vec<Line> = c
        .query_all(&q)
        .await?
        .iter()
        .map(line)
        .collect::<Result<_, _>>()?;
    let ids: Vec<i64> = out.iter().map(|l| l.id).collect();
    let mut who = assignees(c, &ids).await?;
    for l in &mut out {
        l.assignees = who.remove(&l.id).unwrap_or_default();
    }
    Ok(out)
}

/// The people each of `tasks` is assigned to, by name.
pub async fn assignees(
    c: &impl ConnectionTrait,
    tasks: &[i64],
) -> Result<HashMap<i64, Vec<Person>>, DbErr> {
    let mut out: HashMap<i64, Vec<Person>> = HashMap::new();
    for chunk in tasks.chunks(IDS_PER_QUERY) {
        let mut q = Query::select();
        q.from_as("task_assignees", Alias::new("a"));
        join(
            &mut q,
            JoinType::InnerJoin,
            "users",
            ("u", "id"),
            ("a", "user_id"),
        );
        q.expr_as(col("a", "task_id"), Alias::new("task_id"))
            .expr_as(col("u", "id"), Alias::new("user_id"))
            .expr_as(col("u", "name"), Alias::new("name"))
            .and_where(col("a", "task_id").is_in(chunk.iter().copied()))
            .order_by((Alias::new("u"), Alias::new("name")), Order::Asc)
            .order_by((Alias::new("u"), Alias::new("id")), Order::Asc);
        for r in c.query_all(&q).await? {
            out.entry(r.try_get("", "task_id")?)
                .or_default()
                .push(Person {
                    id: r.try_get("", "user_id")?,
                    name: r.try_get("", "name")?,
                });
        }
    }
    Ok(out)
}

/// Every task `f` selects, soonest due first (undated last).
pub async fn all(c: &impl ConnectionTrait, f: &Filter) -> Result<Vec<Line>, DbErr> {
    lines(c, ordered(select(f))).await
}

/// Page `page` of the tasks `f` selects, soonest due first (undated last),
/// with their number in all.
pub async fn list(
    c: &impl ConnectionTrait,
    f: &Filter,
    page: PageRequest,
) -> Result<Page<Line>, DbErr> {
    let mut count = select(f);
    count.expr_as(Func::count(col("t", "id")), Alias::new("n"));
    let total: i64 = match c.query_one(&count).await? {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    let mut q = ordered(select(f));
    q.limit(page.per_page).offset(page.offset());
    Ok(Page {
        items: lines(c, q).await?,
        total: u64::try_from(total).unwrap_or(0),
        request: page,
    })
}

/// The active members of the team (tasks are assigned to them), by name.
pub async fn team(c: &impl ConnectionTrait) -> Result<Vec<Person>, DbErr> {
    use crate::users::entity::{Column, Entity};
    Ok(Entity::find()
        .filter(Column::Role.is_in(TEAM.iter().map(|r| r.as_str())))
        .filter(Column::DisabledAt.is_null())
        .order_by_asc(Column::Name)
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|m| Person {
            id: m.id,
            name: m.name,
        })
        .collect())
}
