//! `GET /team/tasks/new` and `POST /team/tasks`: a task made by hand, of
//! a project or of the team, with its first assignee.

use super::{TaskForm, back, chosen, common, team};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Typed};
use crate::shared::html_status;
use crate::shared::records::{saved, write};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::planning::tasks::{self, NewTask, Task, TaskEdit};
use maillage_db::programme::projects;
use maillage_domain::planning::Priority;

/// `GET /team/tasks/new`: a task made by hand.
pub async fn new_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    new_page(
        &st,
        &ctx,
        TaskForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "planning/task_new.html")]
struct NewPage {
    l: Layout,
    f: TaskForm,
    errors: FormErrors,
    projects: Vec<Choice>,
    people: Vec<Choice>,
    priorities: Vec<Choice>,
}

async fn new_page(
    st: &AppState,
    ctx: &Ctx,
    f: TaskForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let projects = projects::list(st.db.conn(), false)
        .await?
        .into_iter()
        .map(|p| {
            let v = p.id.to_string();
            let sel = f.project == v;
            Choice::new(v, p.data.name, sel)
        })
        .collect();
    let people = team(st)
        .await?
        .into_iter()
        .map(|(id, n)| {
            let v = id.to_string();
            let sel = f.assignee == v;
            Choice::new(v, n, sel)
        })
        .collect();
    let priorities = Priority::ALL
        .iter()
        .map(|p| {
            Choice::new(
                p.code(),
                p.label(ctx.locale),
                f.priority == p.code() || (f.priority.is_empty() && *p == Priority::Normal),
            )
        })
        .collect();
    html_status(
        status,
        NewPage {
            l: ctx.layout(ctx.m.tk_new),
            f,
            errors,
            projects,
            people,
            priorities,
        },
    )
}

/// `POST /team/tasks`: makes the task, then its page.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<TaskForm>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let mut e = FormErrors::new();
    let (title, due, priority) = common(&mut e, &ctx, &f);
    let all: Vec<i64> = projects::list(c, false)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let project_id = chosen(&mut e, &ctx, "project", &f.project, &all);
    let team: Vec<i64> = team(&st).await?.into_iter().map(|(id, _)| id).collect();
    let assignee = chosen(&mut e, &ctx, "assignee", &f.assignee, &team);
    let (Some(title), Some(due_on), true) = (title, due, e.is_empty()) else {
        return new_page(&st, &ctx, f, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewTask {
        project_id,
        title,
        due_on,
        assignees: assignee.into_iter().collect(),
        ..Default::default()
    };
    let made = write(&st, &ctx, async |tx, now| {
        let t = tasks::insert(tx, &new, now).await?;
        let t = if priority != Priority::Normal {
            let edit = TaskEdit {
                title: t.title.clone(),
                due_on: t.due_on,
                priority,
                organisation_id: None,
                activity_id: None,
                shared: false,
            };
            let _ = tasks::edit(tx, &t, &edit, now).await?;
            Task { priority, ..t }
        } else {
            t
        };
        Ok::<_, maillage_db::DbErr>(crate::shared::records::Audited::new(
            t.clone(),
            crate::shared::records::created(&t),
        ))
    })
    .await?;
    Ok(saved(&st, &back(made.id, "")))
}
