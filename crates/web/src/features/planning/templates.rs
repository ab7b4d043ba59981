//! `/team/plan-templates`: the rétroplanning templates, one per kind of
//! project, as staff edit them — the list with the form creating one; a
//! template's page with its tasks in order (each with its form, moved up or
//! down, removed), the form adding a task (its milestone typed as plans
//! write it, "J-120", "J+30"), its name and kind, its deletion. A refused
//! form comes back on its page beside its fields, as typed (422).

use crate::authz::Routes;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Typed, check};
use crate::i18n::{Messages, field_error};
use crate::shared::html_status;
use crate::shared::records::{deleted, saved, write};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::DbErr;
use maillage_db::planning::templates::{self, Move, NewTask, Template};
use maillage_domain::Action::ManagePlanning;
use maillage_domain::field::single_line;
use maillage_domain::planning::{Anchor, Offset};
use maillage_domain::programme::ProjectKind;
use maillage_domain::{FieldError, Vocabulary};
use serde::Deserialize;

pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/team/plan-templates", ManagePlanning, list)
        .post("/team/plan-templates", ManagePlanning, create)
        .get("/team/plan-templates/{id}", ManagePlanning, show)
        .post("/team/plan-templates/{id}", ManagePlanning, update)
        .post("/team/plan-templates/{id}/delete", ManagePlanning, delete)
        .post("/team/plan-templates/{id}/tasks", ManagePlanning, add_task)
        .post(
            "/team/plan-templates/{id}/tasks/{task}",
            ManagePlanning,
            edit_task,
        )
        .post(
            "/team/plan-templates/{id}/tasks/{task}/delete",
            ManagePlanning,
            remove_task,
        )
        .post(
            "/team/plan-templates/{id}/tasks/{task}/move",
            ManagePlanning,
            move_task,
        )
}

/// A template's name and kind, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TemplateForm {
    name: String,
    kind: String,
}

/// A template task, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TaskForm {
    title: String,
    offset: String,
    anchor: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    direction: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    confirm: bool,
}

/// Title and name lengths (characters).
const NAME_MAX: usize = 200;

fn read_template(
    m: &Messages,
    f: &TemplateForm,
) -> Result<(String, Option<ProjectKind>), FormErrors> {
    let mut e = FormErrors::new();
    let name = check(&mut e, m, "name", single_line(&f.name, 1, NAME_MAX));
    let kind = match f.kind.trim() {
        "" => Some(None),
        k => {
            let kind = ProjectKind::from_code(k).ok_or(FieldError::InvalidChoice);
            check(&mut e, m, "kind", kind).map(Some)
        }
    };
    match (name, kind) {
        (Some(n), Some(k)) => Ok((n, k)),
        _ => Err(e),
    }
}

fn read_task(m: &Messages, f: &TaskForm) -> Result<NewTask, FormErrors> {
    let mut e = FormErrors::new();
    let title = check(&mut e, m, "title", single_line(&f.title, 1, NAME_MAX));
    let offset = match Offset::parse(&f.offset) {
        Ok(o) => Some(o),
        Err(err) => {
            let msg = match err {
                FieldError::InvalidNumber => m.plt_offset_invalid.to_owned(),
                FieldError::OutOfRange { .. } => m.plt_offset_range.to_owned(),
                other => field_error(m, &other),
            };
            e.add("offset", msg);
            None
        }
    };
    let anchor = Anchor::from_code(f.anchor.trim()).ok_or(if f.anchor.trim().is_empty() {
        FieldError::Required
    } else {
        FieldError::InvalidChoice
    });
    let anchor = check(&mut e, m, "anchor", anchor);
    match (title, offset, anchor) {
        (Some(title), Some(offset), Some(anchor)) => Ok(NewTask {
            title,
            anchor,
            offset,
        }),
        _ => Err(e),
    }
}

/// A change whose template or task vanished meanwhile is a 404.
fn gone(e: DbErr) -> AppError {
    match e {
        DbErr::RecordNotFound(_) => AppError::NotFound,
        e => e.into(),
    }
}

fn kinds(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    ProjectKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(ctx.locale), k.code() == selected))
        .collect()
}

fn anchors(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    Anchor::ALL
        .iter()
        .map(|a| Choice::new(a.code(), a.label(ctx.locale), a.code() == selected))
        .collect()
}

fn kind_label(ctx: &Ctx, kind: Option<ProjectKind>) -> &'static str {
    kind.map_or(ctx.m.plt_any_kind, |k| k.label(ctx.locale))
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub tasks: usize,
}

#[derive(askama::Template)]
#[template(path = "planning/templates/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ListRow>,
    form: TemplateForm,
    errors: FormErrors,
    kinds: Vec<Choice>,
}

async fn render_list(
    st: &AppState,
    ctx: &Ctx,
    form: TemplateForm,
    mut errors: FormErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    errors.name_fields(
        ctx.locale,
        [("name", ctx.m.plt_name), ("kind", ctx.m.plt_kind)],
    );
    let rows = templates::list(st.db.conn())
        .await?
        .into_iter()
        .map(|t| ListRow {
            id: t.id,
            kind: kind_label(ctx, t.project_kind),
            tasks: t.tasks.len(),
            name: t.name,
        })
        .collect();
    html_status(
        status,
        ListPage {
            l: ctx.layout(ctx.m.plt_title),
            rows,
            kinds: kinds(ctx, form.kind.trim()),
            form,
            errors,
        },
    )
}

/// `GET /team/plan-templates`.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    render_list(&st, &ctx, TemplateForm::default(), FormErrors::new()).await
}

/// `POST /team/plan-templates`: a new template, without tasks yet.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<TemplateForm>,
) -> Result<Response, AppError> {
    let (name, kind) = match read_template(ctx.m, &f) {
        Ok(v) => v,
        Err(e) => return render_list(&st, &ctx, f, e).await,
    };
    let t = write(&st, &ctx, async |tx, now| {
        templates::create(tx, &name, kind, &[], now).await
    })
    .await?;
    Ok(saved(&st, &format!("/team/plan-templates/{}", t.id)))
}

/// A form of a template's page refused: which, what was typed, why.
enum Problem {
    None,
    Settings(TemplateForm, FormErrors),
    Add(TaskForm, FormErrors),
    Edit(i64, TaskForm, FormErrors),
    Delete(String),
}

pub struct TaskRow {
    pub id: i64,
    pub title: String,
    /// "J−120", "D+30".
    pub milestone: String,
    pub anchor: &'static str,
    pub form: TaskForm,
    pub errors: FormErrors,
    pub anchors: Vec<Choice>,
    pub first: bool,
    pub last: bool,
}

/// A message of the error summary: the field it links to, its text.
pub struct Summary {
    pub href: String,
    pub text: String,
}

#[derive(askama::Template)]
#[template(path = "planning/templates/show.html")]
struct ShowPage {
    l: Layout,
    t: Template,
    kind: &'static str,
    rows: Vec<TaskRow>,
    settings: TemplateForm,
    settings_errors: FormErrors,
    kinds: Vec<Choice>,
    add: TaskForm,
    add_errors: FormErrors,
    add_anchors: Vec<Choice>,
    delete_error: Option<String>,
    summary: Vec<Summary>,
}

/// The summary of `errors`, each linking to its field (`{field}{suffix}`
/// prefixed by `prefix`).
fn summary(ctx: &Ctx, errors: &FormErrors, id: impl Fn(&str) -> String) -> Vec<Summary> {
    let m = ctx.m;
    let colon = match ctx.locale {
        maillage_domain::Locale::Fr => "\u{a0}: ",
        maillage_domain::Locale::En => ": ",
    };
    errors
        .fields()
        .iter()
        .map(|(field, message)| {
            let label = match field.as_str() {
                "name" => m.plt_name,
                "kind" => m.plt_kind,
                "title" => m.plt_task_title,
                "offset" => m.plt_milestone,
                "anchor" => m.plt_anchor,
                _ => "",
            };
            Summary {
                href: id(field),
                text: format!("{label}{colon}{message}"),
            }
        })
        .collect()
}

async fn render(ctx: &Ctx, t: Template, problem: Problem) -> Result<Response, AppError> {
    let status = match problem {
        Problem::None => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut settings = TemplateForm {
        name: t.name.clone(),
        kind: t
            .project_kind
            .map(|k| k.code().to_owned())
            .unwrap_or_default(),
    };
    let (mut settings_errors, mut add, mut add_errors) =
        (FormErrors::new(), TaskForm::default(), FormErrors::new());
    let (mut refused, mut delete_error, mut sum) = (None, None, Vec::new());
    match problem {
        Problem::None => {}
        Problem::Settings(f, e) => {
            sum = summary(ctx, &e, |f| format!("f-{f}"));
            (settings, settings_errors) = (f, e);
        }
        Problem::Add(f, e) => {
            sum = summary(ctx, &e, |f| format!("new-{f}"));
            (add, add_errors) = (f, e);
        }
        Problem::Edit(id, f, e) => {
            sum = summary(ctx, &e, |f| format!("{f}-{id}"));
            refused = Some((id, f, e));
        }
        Problem::Delete(message) => {
            sum = vec![Summary {
                href: "confirm".into(),
                text: message.clone(),
            }];
            delete_error = Some(message);
        }
    }
    let n = t.tasks.len();
    let rows = t
        .tasks
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (form, errors) = match refused.take() {
                Some((id, f, e)) if id == x.id => (f, e),
                other => {
                    refused = other;
                    let typed = TaskForm {
                        title: x.title.clone(),
                        offset: x.offset.label(ctx.locale),
                        anchor: x.anchor.code().to_owned(),
                    };
                    (typed, FormErrors::new())
                }
            };
            TaskRow {
                id: x.id,
                title: x.title.clone(),
                milestone: x.offset.label(ctx.locale),
                anchor: x.anchor.label(ctx.locale),
                anchors: anchors(ctx, form.anchor.trim()),
                form,
                errors,
                first: i == 0,
                last: i + 1 == n,
            }
        })
        .collect();
    let add_anchor = if add.anchor.is_empty() {
        Anchor::Start.code()
    } else {
        add.anchor.trim()
    };
    let page = ShowPage {
        l: ctx.layout(t.name.clone()),
        kind: kind_label(ctx, t.project_kind),
        kinds: kinds(ctx, settings.kind.trim()),
        add_anchors: anchors(ctx, add_anchor),
        rows,
        settings,
        settings_errors,
        add,
        add_errors,
        delete_error,
        summary: sum,
        t,
    };
    html_status(status, page)
}

async fn template(st: &AppState, id: i64) -> Result<Template, AppError> {
    templates::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The template `id` and the id of its task `task`, or 404.
async fn template_task(st: &AppState, id: i64, task: i64) -> Result<Template, AppError> {
    let t = template(st, id).await?;
    if !t.tasks.iter().any(|x| x.id == task) {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

fn page_of(id: i64, anchor: &str) -> String {
    format!("/team/plan-templates/{id}{anchor}")
}

/// `GET /team/plan-templates/{id}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let t = template(&st, id).await?;
    render(&ctx, t, Problem::None).await
}

/// `POST /team/plan-templates/{id}`: its name and kind.
pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<TemplateForm>,
) -> Result<Response, AppError> {
    let t = template(&st, id).await?;
    let (name, kind) = match read_template(ctx.m, &f) {
        Ok(v) => v,
        Err(e) => return render(&ctx, t, Problem::Settings(f, e)).await,
    };
    write(&st, &ctx, async |tx, now| {
        templates::update(tx, id, &name, kind, now).await
    })
    .await
    .map_err(gone)?;
    Ok(saved(&st, &page_of(id, "")))
}

/// `POST /team/plan-templates/{id}/delete`, once confirmed.
pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<DeleteForm>,
) -> Result<Response, AppError> {
    let t = template(&st, id).await?;
    if !f.confirm {
        let message = ctx.m.plt_delete_confirm_missing.to_owned();
        return render(&ctx, t, Problem::Delete(message)).await;
    }
    write(&st, &ctx, async |tx, _| templates::delete(tx, id).await)
        .await
        .map_err(gone)?;
    Ok(deleted(&st, "/team/plan-templates"))
}

/// `POST /team/plan-templates/{id}/tasks`: a task added at the end.
pub async fn add_task(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<TaskForm>,
) -> Result<Response, AppError> {
    let t = template(&st, id).await?;
    let new = match read_task(ctx.m, &f) {
        Ok(n) => n,
        Err(e) => return render(&ctx, t, Problem::Add(f, e)).await,
    };
    let added = write(&st, &ctx, async |tx, now| {
        templates::add_task(tx, id, &new, now).await
    })
    .await
    .map_err(gone)?;
    Ok(saved(&st, &page_of(id, &format!("#task-{}", added.id))))
}

/// `POST /team/plan-templates/{id}/tasks/{task}`: its title, milestone
/// and anchor.
pub async fn edit_task(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, task)): Path<(i64, i64)>,
    Typed(f): Typed<TaskForm>,
) -> Result<Response, AppError> {
    let t = template_task(&st, id, task).await?;
    let new = match read_task(ctx.m, &f) {
        Ok(n) => n,
        Err(e) => return render(&ctx, t, Problem::Edit(task, f, e)).await,
    };
    write(&st, &ctx, async |tx, now| {
        templates::edit_task(tx, task, &new, now).await
    })
    .await
    .map_err(gone)?;
    Ok(saved(&st, &page_of(id, &format!("#task-{task}"))))
}

/// `POST /team/plan-templates/{id}/tasks/{task}/delete`.
pub async fn remove_task(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, task)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    template_task(&st, id, task).await?;
    write(&st, &ctx, async |tx, now| {
        templates::remove_task(tx, task, now).await
    })
    .await
    .map_err(gone)?;
    Ok(saved(&st, &page_of(id, "#tasks")))
}

/// `POST /team/plan-templates/{id}/tasks/{task}/move`: one place up or
/// down (`direction`).
pub async fn move_task(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, task)): Path<(i64, i64)>,
    Typed(f): Typed<MoveForm>,
) -> Result<Response, AppError> {
    template_task(&st, id, task).await?;
    let way = match f.direction.as_str() {
        "up" => Move::Up,
        "down" => Move::Down,
        _ => return Err(AppError::BadRequest(None)),
    };
    write(&st, &ctx, async |tx, now| {
        templates::move_task(tx, task, way, now).await
    })
    .await
    .map_err(gone)?;
    Ok(saved(&st, &page_of(id, &format!("#task-{task}"))))
}
