//! A task's page: what it is, who does it, what it waits for, its
//! checklist and comments, its history; staff edit it, give it to people
//! and link it (an organisation, shared with it or not; an activity);
//! whoever does it ticks its checklist and comments. `GET /team/tasks/new`
//! makes a task by hand (of a project, or of the team): `new`; what people
//! do on it (give, checklist, comments, dependencies): `work`.

mod new;
mod work;

pub use new::{create, new_form};
pub use work::{add_line, assign, comment, depend, tick, unassign, undepend};

use super::scope::Scope;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Typed, check};
use crate::i18n::field_error;
use crate::shared::html_status;
use crate::shared::records::{HistoryRow, saved, write};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use chrono_tz::Europe::Paris;
use maillage_db::planning::details;
use maillage_db::planning::tasks::{self, Task, TaskEdit};
use maillage_db::programme::{activities, projects};
use maillage_db::users::{self, UserFilter};
use maillage_db::{PageRequest, organisations};
use maillage_domain::field::single_line;
use maillage_domain::planning::{Priority, TaskStatus};
use maillage_domain::{Action, FieldError, Role, Vocabulary};
use serde::Deserialize;

/// The task form (edit, and new with `project` and `assignee`).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    pub due: String,
    pub priority: String,
    pub organisation: String,
    pub activity: String,
    #[serde(deserialize_with = "crate::forms::ticked")]
    pub shared: bool,
    pub project: String,
    pub assignee: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LineForm {
    pub label: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    pub body: String,
}

/// A form of the page refused.
#[derive(Default)]
pub enum Problem {
    #[default]
    None,
    Edit(TaskForm, FormErrors),
    Line(LineForm, FormErrors),
    Comment(CommentForm, FormErrors),
    Depend(FormErrors),
}

pub struct Linked {
    pub id: i64,
    pub title: String,
    pub due: String,
    pub status: &'static str,
    pub open: bool,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "planning/task.html")]
struct TaskPage {
    l: Layout,
    t: Task,
    project: Option<(i64, String)>,
    due: String,
    late: bool,
    status: &'static str,
    priority: &'static str,
    statuses: Vec<Choice>,
    assignees: Vec<(i64, String)>,
    people: Vec<Choice>,
    organisation: Option<String>,
    activity: Option<(i64, String)>,
    waits: Vec<Linked>,
    blocked: bool,
    candidates: Vec<Choice>,
    checklist: Vec<details::CheckItem>,
    comments: Vec<(String, String, String)>,
    history: Vec<HistoryRow>,
    form: TaskForm,
    priorities: Vec<Choice>,
    organisations: Vec<Choice>,
    activities: Vec<Choice>,
    errors: FormErrors,
    line: LineForm,
    line_errors: FormErrors,
    comment: CommentForm,
    comment_errors: FormErrors,
    depend_errors: FormErrors,
    can_manage: bool,
    can_edit: bool,
}

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

/// Task `id` if the signed-in person sees it: staff any, others theirs
/// or those of the projects they work on.
pub(super) async fn seen(st: &AppState, ctx: &Ctx, id: i64) -> Result<(Task, Scope), AppError> {
    let t = tasks::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = Scope::of(st, ctx).await?;
    let sees = scope.all
        || t.project_id.is_some_and(|p| scope.sees_project(p))
        || tasks::is_assigned(st.db.conn(), id, scope.user).await?;
    if !sees {
        return Err(AppError::NotFound);
    }
    Ok((t, scope))
}

/// Task `id` if the signed-in person may work on it (staff, or assigned).
pub(super) async fn worked(st: &AppState, ctx: &Ctx, id: i64) -> Result<Task, AppError> {
    let (t, scope) = seen(st, ctx, id).await?;
    if !scope.edits(st, &t).await? {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

fn form_of(t: &Task) -> TaskForm {
    TaskForm {
        title: t.title.clone(),
        due: t.due_on.map(|d| d.to_string()).unwrap_or_default(),
        priority: t.priority.code().to_owned(),
        organisation: t.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        activity: t.activity_id.map(|a| a.to_string()).unwrap_or_default(),
        shared: t.shared,
        project: t.project_id.map(|p| p.to_string()).unwrap_or_default(),
        assignee: String::new(),
    }
}

pub(super) async fn team(st: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    Ok(users::list(
        st.db.conn(),
        &UserFilter::default(),
        PageRequest::new(1, 500),
    )
    .await?
    .items
    .into_iter()
    .filter(|u| u.role != Role::Partner)
    .map(|u| (u.id, u.name))
    .collect())
}

pub(super) async fn render(
    st: &AppState,
    ctx: &Ctx,
    t: Task,
    problem: Problem,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let status = if matches!(problem, Problem::None) {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (mut form, mut errors) = (form_of(&t), FormErrors::new());
    let (mut line, mut line_errors) = (LineForm::default(), FormErrors::new());
    let (mut comment, mut comment_errors) = (CommentForm::default(), FormErrors::new());
    let mut depend_errors = FormErrors::new();
    match problem {
        Problem::None => {}
        Problem::Edit(f, e) => (form, errors) = (f, e),
        Problem::Line(f, e) => (line, line_errors) = (f, e),
        Problem::Comment(f, e) => (comment, comment_errors) = (f, e),
        Problem::Depend(e) => depend_errors = e,
    }
    let scope = Scope::of(st, ctx).await?;
    let who = tasks::assignees(c, &[t.id])
        .await?
        .remove(&t.id)
        .unwrap_or_default();
    let team = team(st).await?;
    let mut assignees = Vec::new();
    for u in &who {
        if let Some(found) = users::find(c, *u).await? {
            assignees.push((found.id, found.name));
        }
    }
    let people = team
        .iter()
        .filter(|(id, _)| !who.contains(id))
        .map(|(id, n)| Choice::new(id.to_string(), n.clone(), false))
        .collect();
    let project = match t.project_id {
        Some(p) => projects::find(c, p).await?.map(|p| (p.id, p.data.name)),
        None => None,
    };
    let today = today();
    let linked = |x: &Task| Linked {
        id: x.id,
        title: x.title.clone(),
        due: x
            .due_on
            .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
        status: x.status.label(ctx.locale),
        open: x.status.is_open(),
        late: x.is_late(today),
    };
    let waits: Vec<Linked> = details::waits_for(c, t.id)
        .await?
        .iter()
        .map(linked)
        .collect();
    let siblings = match t.project_id {
        Some(p) => tasks::of_project(c, p).await?,
        None => Vec::new(),
    };
    let candidates = siblings
        .iter()
        .filter(|x| x.id != t.id && !waits.iter().any(|w| w.id == x.id))
        .map(|x| Choice::new(x.id.to_string(), x.title.clone(), false))
        .collect();
    let organisation = match t.organisation_id {
        Some(o) => organisations::find(c, o).await?.map(|o| o.data.name),
        None => None,
    };
    let activity = match t.activity_id {
        Some(a) => activities::find(c, a).await?.map(|a| (a.id, a.data.title)),
        None => None,
    };
    let (organisations, activities) = if ctx.can(Action::ManagePlanning) {
        let mut orgs: Vec<Choice> = Vec::new();
        let mut acts: Vec<Choice> = Vec::new();
        if let Some(p) = t.project_id
            && let Some(p) = projects::find(c, p).await?
        {
            for partner in &p.partners {
                let v = partner.organisation_id.to_string();
                orgs.push(Choice::new(
                    v.clone(),
                    partner.organisation_name.clone(),
                    form.organisation == v,
                ));
            }
            for a in activities::of_project(c, p.id).await? {
                let v = a.id.to_string();
                acts.push(Choice::new(v.clone(), a.data.title, form.activity == v));
            }
        }
        if let Some(name) = &organisation
            && !orgs.iter().any(|o| o.value == form.organisation)
        {
            orgs.push(Choice::new(form.organisation.clone(), name.clone(), true));
        }
        (orgs, acts)
    } else {
        (Vec::new(), Vec::new())
    };
    let priorities = Priority::ALL
        .iter()
        .map(|p| Choice::new(p.code(), p.label(ctx.locale), form.priority == p.code()))
        .collect();
    let statuses = TaskStatus::ALL
        .iter()
        .map(|s| Choice::new(s.code(), s.label(ctx.locale), *s == t.status))
        .collect();
    let comments = details::comments(c, t.id)
        .await?
        .into_iter()
        .map(|cm| (cm.author, crate::time::datetime(ctx.locale, cm.at), cm.body))
        .collect();
    let page = TaskPage {
        l: ctx.layout(t.title.clone()),
        project,
        due: t
            .due_on
            .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
        late: t.is_late(today),
        status: t.status.label(ctx.locale),
        priority: t.priority.label(ctx.locale),
        statuses,
        people,
        assignees,
        organisation,
        activity,
        blocked: waits.iter().any(|w| w.open),
        waits,
        candidates,
        checklist: details::checklist(c, t.id).await?,
        comments,
        history: crate::shared::records::history::<Task>(st, ctx, t.id).await?,
        form,
        priorities,
        organisations,
        activities,
        errors,
        line,
        line_errors,
        comment,
        comment_errors,
        depend_errors,
        can_manage: ctx.can(Action::ManagePlanning),
        can_edit: scope.edits(st, &t).await?,
        t,
    };
    html_status(status, page)
}

impl crate::shared::records::Record for Task {
    const ENTITY: &'static str = "task";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.title.clone()
    }

    fn snapshot(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title, "project_id": self.project_id,
            "due_on": self.due_on.map(|d| d.to_string()), "status": self.status.code(),
        })
    }

    fn href(id: i64) -> String {
        format!("/team/tasks/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Task>, maillage_db::DbErr> {
        tasks::find(st.db.conn(), id).await
    }
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    render(&st, &ctx, t, Problem::None).await
}

pub(super) fn back(id: i64, anchor: &str) -> String {
    format!("/team/tasks/{id}{anchor}")
}

/// An optional id chosen in a select: `None` when empty, the error when
/// it is not among `allowed`.
pub(super) fn chosen(
    e: &mut FormErrors,
    ctx: &Ctx,
    field: &str,
    value: &str,
    allowed: &[i64],
) -> Option<i64> {
    match value.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) if allowed.contains(&id) => Some(id),
            _ => {
                e.add(field, field_error(ctx.m, &FieldError::InvalidChoice));
                None
            }
        },
    }
}

/// The form's title, due date and priority, or the errors beside them.
pub(super) fn common(
    e: &mut FormErrors,
    ctx: &Ctx,
    f: &TaskForm,
) -> (Option<String>, Option<Option<chrono::NaiveDate>>, Priority) {
    let title = check(e, ctx.m, "title", single_line(&f.title, 1, 200));
    let due = match f.due.trim() {
        "" => Some(None),
        d => check(e, ctx.m, "due", crate::shared::dates::parse_date(d)).map(Some),
    };
    let priority = match f.priority.trim() {
        "" => Priority::Normal,
        p => Priority::from_code(p).unwrap_or_else(|| {
            e.add("priority", field_error(ctx.m, &FieldError::InvalidChoice));
            Priority::Normal
        }),
    };
    (title, due, priority)
}

/// `POST /team/tasks/{id}`: staff change the task.
pub async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<TaskForm>,
) -> Result<Response, AppError> {
    let (t, _) = seen(&st, &ctx, id).await?;
    let c = st.db.conn();
    let mut e = FormErrors::new();
    let (title, due, priority) = common(&mut e, &ctx, &f);
    let (orgs, acts): (Vec<i64>, Vec<i64>) = match t.project_id {
        Some(p) => match projects::find(c, p).await? {
            Some(p) => (
                p.partners
                    .iter()
                    .map(|x| x.organisation_id)
                    .chain(t.organisation_id)
                    .collect(),
                activities::of_project(c, p.id)
                    .await?
                    .iter()
                    .map(|a| a.id)
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        },
        None => (t.organisation_id.into_iter().collect(), Vec::new()),
    };
    let organisation_id = chosen(&mut e, &ctx, "organisation", &f.organisation, &orgs);
    let activity_id = chosen(&mut e, &ctx, "activity", &f.activity, &acts);
    let (Some(title), Some(due_on), true) = (title, due, e.is_empty()) else {
        return render(&st, &ctx, t, Problem::Edit(f, e)).await;
    };
    let change = TaskEdit {
        title,
        due_on,
        priority,
        shared: f.shared && organisation_id.is_some(),
        organisation_id,
        activity_id,
    };
    write(&st, &ctx, async |tx, now| {
        tasks::edit(tx, &t, &change, now).await
    })
    .await?;
    Ok(saved(&st, &back(id, "")))
}
