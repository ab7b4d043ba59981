//! The JSON API of planning, for the team's tokens: the tasks of a project
//! (`/api/v1/projects/{slug}/tasks`) and every task (`/api/v1/tasks`),
//! filtered by assignee, status and lateness, 50 a page, soonest due first
//! (undated last). Answers are built from the view types below, never from
//! the storage's records; the handlers and types carry their part of the
//! OpenAPI document ([`ApiDoc`]). A refused parameter is `400`
//! problem+json naming it.

use crate::error::AppError;
use crate::shared::api as openapi;
use crate::shared::query_string;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::PageRequest;
use maillage_db::planning::queries::{self, Filter, Line};
use maillage_db::programme::projects;
use maillage_domain::planning::TaskStatus;
use maillage_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(tasks_list, project_tasks),
    tags((name = "planning", description = "Tasks of projects and of the team (team tokens)."))
)]
pub(crate) struct ApiDoc;

/// Tasks a page holds at most.
const PER_PAGE: u64 = 50;

/// Schemas of the document only.
mod schema {
    use maillage_domain::planning::TaskStatus as Status;
    use utoipa::openapi::schema::{ObjectBuilder, Type};

    /// Where a task stands: `todo`, `in_progress`, `waiting` (open), `done`
    /// or `dropped`.
    #[allow(dead_code)] // A type for the document only.
    pub struct TaskStatus;

    impl utoipa::PartialSchema for TaskStatus {
        fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(Status::ALL.iter().map(|s| s.code())))
                .description(Some(
                    "Where a task stands: `todo`, `in_progress`, `waiting` (open), `done` or \
                     `dropped`.",
                ))
                .into()
        }
    }

    impl utoipa::ToSchema for TaskStatus {}
}

/// A page of tasks (at most 50), soonest due first, undated last.
#[derive(Serialize, ToSchema)]
struct TaskList {
    items: Vec<TaskView>,
    /// The URL of the next page (same filters); null on the last page.
    #[schema(format = "uri")]
    next: Option<String>,
}

/// A task.
#[derive(Serialize, ToSchema)]
#[schema(as = Task)]
struct TaskView {
    /// The task's identifier.
    #[schema(minimum = 1)]
    id: i64,
    /// What is to be done.
    title: String,
    /// The project it belongs to; null for a task of the team.
    project: Option<TaskProjectView>,
    /// When it is due (a Europe/Paris day); null when undated.
    #[schema(format = Date)]
    due_on: Option<String>,
    #[schema(value_type = schema::TaskStatus)]
    status: &'static str,
    /// The people it is assigned to, by name.
    assignees: Vec<AssigneeView>,
    /// Open and due before today (Europe/Paris).
    late: bool,
    /// Days from the project's first or last day of the rétroplanning task
    /// it was made from (`-120` for "J-120"); null when made by hand.
    template_offset_days: Option<i32>,
}

/// The project of a task.
#[derive(Serialize, ToSchema)]
#[schema(as = TaskProject)]
struct TaskProjectView {
    /// The project's identifier.
    #[schema(minimum = 1)]
    id: i64,
    /// Its identifier in URLs.
    slug: String,
    /// Its name.
    name: String,
}

/// A person a task is assigned to.
#[derive(Serialize, ToSchema)]
#[schema(as = TaskAssignee)]
struct AssigneeView {
    /// The person's account identifier.
    #[schema(minimum = 1)]
    id: i64,
    /// Their name.
    name: String,
}

fn view(l: Line, today: NaiveDate) -> TaskView {
    TaskView {
        late: l.is_late(today),
        id: l.id,
        title: l.title,
        project: l.project.map(|p| TaskProjectView {
            id: p.id,
            slug: p.slug,
            name: p.name,
        }),
        due_on: l.due_on.map(|d| d.to_string()),
        status: l.status.code(),
        assignees: l
            .assignees
            .into_iter()
            .map(|p| AssigneeView {
                id: p.id,
                name: p.name,
            })
            .collect(),
        template_offset_days: l.template_offset_days,
    }
}

/// The filters of the task lists, as typed in the query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TasksQuery {
    /// Tasks assigned to this person (an account identifier).
    #[param(value_type = Option<i64>, minimum = 1)]
    assignee: Option<String>,
    /// Tasks with this status.
    #[param(value_type = Option<schema::TaskStatus>)]
    status: Option<String>,
    /// Only late tasks (`true`: open and due before today, Europe/Paris),
    /// or only those not late (`false`).
    #[param(value_type = Option<bool>)]
    late: Option<String>,
    /// The page (1 first); follow `next` rather than counting.
    #[param(value_type = Option<u64>, minimum = 1)]
    page: Option<String>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Reads the filters and the page; a refused value is named in the errors.
fn read(q: &TasksQuery, today: NaiveDate) -> Result<(Filter, u64), FieldErrors> {
    let mut e = FieldErrors::new();
    let mut f = Filter::new(today);
    let positive = |e: &mut FieldErrors, name: &str, v: &Option<String>| -> Option<i64> {
        let s = some(v)?;
        match s.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                e.add(name, FieldError::InvalidNumber);
                None
            }
        }
    };
    f.assignee = positive(&mut e, "assignee", &q.assignee);
    let page = positive(&mut e, "page", &q.page).map_or(1, |n| n.unsigned_abs());
    if let Some(s) = some(&q.status) {
        match TaskStatus::parse(s) {
            Ok(s) => f.status = Some(s),
            Err(err) => e.add("status", err),
        }
    }
    f.late = match some(&q.late) {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => {
            e.add("late", FieldError::InvalidChoice);
            None
        }
    };
    e.into_result().map(|()| (f, page))
}

fn bad_request(errors: FieldErrors) -> Response {
    let mut res = AppError::Invalid(errors).into_response();
    *res.status_mut() = StatusCode::BAD_REQUEST;
    res
}

/// A page of the tasks `path` lists, with the query `raw` read into
/// filters (plus `project`, when given).
async fn answer(
    st: &AppState,
    path: &str,
    raw: Option<&str>,
    project: Option<i64>,
) -> Result<Response, AppError> {
    let q: TasksQuery =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| AppError::BadRequest(None))?;
    let today = Utc::now().with_timezone(&Paris).date_naive();
    let (mut filter, page) = match read(&q, today) {
        Ok(r) => r,
        Err(errors) => return Ok(bad_request(errors)),
    };
    filter.project = project;
    let found = queries::list(st.db.conn(), &filter, PageRequest::new(page, PER_PAGE)).await?;
    let next = found.has_next().then(|| {
        let page = (page + 1).to_string();
        let params = [
            ("assignee", some(&q.assignee).unwrap_or_default()),
            ("status", some(&q.status).unwrap_or_default()),
            ("late", some(&q.late).unwrap_or_default()),
            ("page", page.as_str()),
        ];
        format!("{}{path}?{}", st.config.base_url, query_string(&params))
    });
    let items = found.items.into_iter().map(|l| view(l, today)).collect();
    let mut res = Json(TaskList { items, next }).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Tasks
///
/// The tasks of every project and of the team matching the filters, soonest
/// due first (undated last), 50 a page. Needs a token of the team.
#[utoipa::path(
    get,
    path = "/api/v1/tasks",
    operation_id = "listTasks",
    tag = "planning",
    security(("bearerAuth" = [])),
    params(TasksQuery),
    responses(
        (status = 200, description = "A page of tasks.", body = TaskList),
        (status = 400, response = openapi::BadRequest),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
    ),
    extensions(("x-link" = json!("tasks")))
)]
pub async fn tasks_list(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    answer(&st, "/api/v1/tasks", raw.as_deref(), None).await
}

/// Tasks of a project
///
/// The tasks of a project (its rétroplanning and the others) matching the
/// filters, soonest due first (undated last), 50 a page. Needs a token of
/// the team.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}/tasks",
    operation_id = "listProjectTasks",
    tag = "planning",
    security(("bearerAuth" = [])),
    params(("slug" = String, Path, description = "The project's slug."), TasksQuery),
    responses(
        (status = 200, description = "A page of the project's tasks.", body = TaskList),
        (status = 400, response = openapi::BadRequest),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("project_tasks")))
)]
pub async fn project_tasks(
    State(st): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = projects::find_by_slug(st.db.conn(), &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = crate::ctx::urlencode(&slug);
    let path = format!("/api/v1/projects/{slug}/tasks");
    answer(&st, &path, raw.as_deref(), Some(p.id)).await
}
