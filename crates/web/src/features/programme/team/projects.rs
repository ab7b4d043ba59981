//! Projects in the team space: the list, a project's page with its
//! activities (status filter, bulk publish and cancel), create and edit with
//! partners and their roles.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::check;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::i18n::fill;
use crate::shared::audit::record;
use crate::shared::dates::parse_date;
use crate::shared::vocab_choices;
use crate::shared::{html, html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project, ProjectData};
use maillage_db::users::{self, UserFilter};
use maillage_db::{PageRequest, organisations};
use maillage_domain::programme::{ActivityStatus, PartnerRole, ProjectKind, ProjectStatus};
use maillage_domain::{Action, FieldError, Role};
use serde::Deserialize;
use serde_json::{Value, json};

/// The record as the audit log sees it.
pub fn snapshot(d: &ProjectData, partners: &[(i64, PartnerRole)]) -> Value {
    json!({
        "slug": d.slug, "name": d.name, "kind": d.kind.code(),
        "starts_on": d.starts_on.to_string(), "ends_on": d.ends_on.to_string(),
        "description": d.description, "lead_user_id": d.lead_user_id,
        "status": d.status.code(),
        "partners": partners.iter().map(|(o, r)| json!([o, r.code()])).collect::<Vec<_>>(),
    })
}

pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub kind: &'static str,
    pub dates: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "programme/team/projects.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ProjectRow>,
    can_manage: bool,
}

pub fn dates(ctx: &Ctx, p: &Project) -> String {
    crate::shared::programme::project_dates(ctx.locale, p)
}

/// `GET /team/programme`: every project, most recent first.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let rows = projects::list(st.db.conn(), false)
        .await?
        .iter()
        .map(|p| ProjectRow {
            id: p.id,
            name: p.data.name.clone(),
            slug: p.data.slug.clone(),
            kind: p.data.kind.label(ctx.locale),
            dates: dates(&ctx, p),
            status: p.data.status.label(ctx.locale),
        })
        .collect();
    html(ListPage {
        l: ctx.layout(ctx.m.pt_title),
        rows,
        can_manage: ctx.can(Action::ManageProgramme),
    })
}

pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub format: &'static str,
    pub first: String,
    pub sessions: usize,
    pub status: &'static str,
    pub status_code: &'static str,
    pub place: String,
}

pub fn activity_row(ctx: &Ctx, a: &Activity) -> ActivityRow {
    ActivityRow {
        id: a.id,
        title: a.data.title.clone(),
        format: a.format.label(ctx.locale),
        first: a
            .first_starts_at
            .map(|t| time::datetime(ctx.locale, t))
            .unwrap_or_default(),
        sessions: a.sessions.len(),
        status: a.status.label(ctx.locale),
        status_code: a.status.code(),
        place: crate::features::programme::public::place(a),
    }
}

#[derive(Template)]
#[template(path = "programme/team/project.html")]
struct ShowPage {
    l: Layout,
    p: Project,
    kind: &'static str,
    status: &'static str,
    dates: String,
    lead: String,
    partners: Vec<(String, &'static str)>,
    description: String,
    statuses: Vec<Choice>,
    status_filter: String,
    rows: Vec<ActivityRow>,
    error: Option<String>,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    pub status: String,
}

async fn show_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    status_filter: &str,
    error: Option<String>,
    code: StatusCode,
) -> Result<Response, AppError> {
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = ActivityStatus::parse(status_filter).ok();
    let rows = activities::of_project(st.db.conn(), id)
        .await?
        .iter()
        .filter(|a| filter.is_none_or(|s| a.status == s))
        .map(|a| activity_row(ctx, a))
        .collect();
    let lead = match p.data.lead_user_id {
        Some(u) => users::find(st.db.conn(), u)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    html_status(
        code,
        ShowPage {
            l: ctx.layout(p.data.name.clone()),
            kind: p.data.kind.label(ctx.locale),
            status: p.data.status.label(ctx.locale),
            dates: dates(ctx, &p),
            lead,
            partners: p
                .partners
                .iter()
                .map(|x| (x.organisation_name.clone(), x.role.label(ctx.locale)))
                .collect(),
            description: p
                .data
                .description
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default(),
            statuses: vocab_choices(
                ActivityStatus::ALL,
                ActivityStatus::code,
                |s| s.label(ctx.locale),
                &filter.into_iter().collect::<Vec<_>>(),
            ),
            status_filter: status_filter.to_owned(),
            rows,
            error,
            can_edit: ctx.can(Action::EditProgramme),
            can_manage: ctx.can(Action::ManageProgramme),
            p,
        },
    )
}

/// `GET /team/programme/projects/{id}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    show_page(&st, &ctx, id, &q.status, None, StatusCode::OK).await
}

/// `POST /team/programme/projects/{id}/bulk` with `op` (publish or cancel)
/// and the ticked `ids`.
pub async fn bulk(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let project = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let back_status = p.get("status").to_owned();
    let status = match p.get("op") {
        "publish" => ActivityStatus::Published,
        "cancel" => ActivityStatus::Cancelled,
        _ => {
            return show_page(
                &st,
                &ctx,
                id,
                &back_status,
                Some(ctx.m.pt_bulk_choose_op.into()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let wanted: Vec<i64> = p
        .all("ids")
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let list = activities::of_project(st.db.conn(), id).await?;
    let ids: Vec<i64> = list
        .iter()
        .filter(|a| wanted.contains(&a.id))
        .map(|a| a.id)
        .collect();
    if ids.is_empty() {
        return show_page(
            &st,
            &ctx,
            id,
            &back_status,
            Some(ctx.m.pt_bulk_none.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    activities::set_status(&tx, &ids, status, now).await?;
    record(
        &tx,
        &ctx,
        (status.code(), "project", id),
        format!("{} ({})", project.data.name, ids.len()),
        json!({"activities": ids, "status": status.code()}),
        now,
    )
    .await?;
    tx.commit().await?;
    let to = if back_status.is_empty() {
        format!("/team/programme/projects/{id}")
    } else {
        format!(
            "/team/programme/projects/{id}?status={}",
            crate::ctx::urlencode(&back_status)
        )
    };
    Ok(redirect_flash(&st, &to, Flash::Saved))
}

/// One line of partners in the form.
pub struct PartnerLine {
    pub organisation: String,
    pub roles: Vec<Choice>,
}

/// The values shown in the form (as typed, or from the record).
#[derive(Default)]
pub struct FormValues {
    pub name: String,
    pub slug: String,
    pub starts_on: String,
    pub ends_on: String,
    pub description: String,
    pub kind: Option<ProjectKind>,
    pub status: Option<ProjectStatus>,
    pub lead: String,
    pub partners: Vec<(String, Option<PartnerRole>)>,
}

impl FormValues {
    fn from_pairs(p: &Pairs) -> FormValues {
        let orgs = p.all("partner_org");
        let roles = p.all("partner_role");
        FormValues {
            name: p.get("name").into(),
            slug: p.get("slug").into(),
            starts_on: p.get("starts_on").into(),
            ends_on: p.get("ends_on").into(),
            description: p.get("description").into(),
            kind: ProjectKind::parse(p.get("kind")).ok(),
            status: ProjectStatus::parse(p.get("status")).ok(),
            lead: p.get("lead").into(),
            partners: orgs
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    (
                        (*o).to_owned(),
                        roles.get(i).and_then(|r| PartnerRole::parse(r).ok()),
                    )
                })
                .filter(|(o, _)| !o.trim().is_empty())
                .collect(),
        }
    }

    fn from_project(p: &Project) -> FormValues {
        FormValues {
            name: p.data.name.clone(),
            slug: p.data.slug.clone(),
            starts_on: p.data.starts_on.to_string(),
            ends_on: p.data.ends_on.to_string(),
            description: p.data.description.clone().unwrap_or_default(),
            kind: Some(p.data.kind),
            status: Some(p.data.status),
            lead: p
                .data
                .lead_user_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
            partners: p
                .partners
                .iter()
                .map(|x| (x.organisation_name.clone(), Some(x.role)))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "programme/team/project_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: FormValues,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    leads: Vec<Choice>,
    partners: Vec<PartnerLine>,
    errors: FormErrors,
    /// The delete form (editing, for who may manage projects).
    delete_action: Option<String>,
}

/// The people who may lead a project: the team's staff and administrators.
async fn lead_choices(st: &AppState, selected: &str) -> Result<Vec<Choice>, AppError> {
    let mut out = Vec::new();
    for role in [Role::Staff, Role::Admin] {
        for u in users::list(
            st.db.conn(),
            &UserFilter {
                role: Some(role),
                ..Default::default()
            },
            PageRequest::new(1, 500),
        )
        .await?
        .items
        {
            let id = u.id.to_string();
            let sel = id == selected;
            out.push(Choice::new(id, format!("{} ({})", u.name, u.email), sel));
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    title: &str,
    (action, cancel): (String, String),
    f: FormValues,
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let role_choices = |r: Option<PartnerRole>| {
        vocab_choices(
            PartnerRole::ALL,
            PartnerRole::code,
            |x| x.label(ctx.locale),
            &r.into_iter().collect::<Vec<_>>(),
        )
    };
    let mut partners: Vec<PartnerLine> = f
        .partners
        .iter()
        .map(|(o, r)| PartnerLine {
            organisation: o.clone(),
            roles: role_choices(*r),
        })
        .collect();
    let delete_action = (action != "/team/programme/projects" && ctx.can(Action::ManageProgramme))
        .then(|| format!("{action}/delete"));
    for _ in 0..3 {
        partners.push(PartnerLine {
            organisation: String::new(),
            roles: role_choices(None),
        });
    }
    html_status(
        code,
        FormPage {
            l: ctx.layout(title.to_owned()),
            action,
            cancel,
            kinds: vocab_choices(
                ProjectKind::ALL,
                ProjectKind::code,
                |x| x.label(ctx.locale),
                &f.kind.into_iter().collect::<Vec<_>>(),
            ),
            statuses: vocab_choices(
                ProjectStatus::ALL,
                ProjectStatus::code,
                |x| x.label(ctx.locale),
                &f.status.into_iter().collect::<Vec<_>>(),
            ),
            leads: lead_choices(st, &f.lead).await?,
            partners,
            delete_action,
            f,
            errors,
        },
    )
}

/// Checks the form; `except` is the project being edited.
async fn parse(
    st: &AppState,
    ctx: &Ctx,
    p: &Pairs,
    except: Option<i64>,
) -> Result<Result<(ProjectData, Vec<(i64, PartnerRole)>), FormErrors>, AppError> {
    let m = ctx.m;
    let mut e = FormErrors::new();
    let name = check(
        &mut e,
        m,
        "name",
        maillage_domain::field::single_line(p.get("name"), 2, 200),
    );
    let slug = if p.get("slug").trim().is_empty() {
        name.as_deref()
            .map(maillage_domain::programme::slugify)
            .filter(|s| !s.is_empty())
    } else {
        check(
            &mut e,
            m,
            "slug",
            maillage_domain::programme::slug(p.get("slug")),
        )
    };
    if let Some(s) = &slug
        && let Some(other) = projects::find_by_slug(st.db.conn(), s).await?
        && Some(other.id) != except
    {
        e.add(
            "slug",
            crate::i18n::field_error(m, &FieldError::AlreadyTaken),
        );
    }
    let kind = check(&mut e, m, "kind", ProjectKind::parse(p.get("kind")));
    let status = check(&mut e, m, "status", ProjectStatus::parse(p.get("status")));
    let starts_on = check(&mut e, m, "starts_on", parse_date(p.get("starts_on")));
    let ends_on = check(&mut e, m, "ends_on", parse_date(p.get("ends_on")));
    if let (Some(a), Some(b)) = (starts_on, ends_on)
        && b < a
    {
        e.add(
            "ends_on",
            crate::i18n::field_error(m, &FieldError::EndBeforeStart),
        );
    }
    let description = match p.get("description").trim() {
        "" => None,
        d => check(
            &mut e,
            m,
            "description",
            maillage_directory::validate::multiline(d, 20_000),
        ),
    };
    let lead = match p.get("lead").trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) if users::find(st.db.conn(), id).await?.is_some() => Some(id),
            _ => {
                e.add(
                    "lead",
                    crate::i18n::field_error(m, &FieldError::InvalidChoice),
                );
                None
            }
        },
    };
    let orgs = p.all("partner_org");
    let roles = p.all("partner_role");
    let mut partners = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        let o = o.trim();
        if o.is_empty() {
            continue;
        }
        let Some(role) = roles.get(i).and_then(|r| PartnerRole::parse(r).ok()) else {
            e.add("partners", fill(m.pt_err_partner_role, &[("name", o)]));
            continue;
        };
        match find_organisation(st, o).await? {
            Some(id) => partners.push((id, role)),
            None => e.add(
                "partners",
                fill(m.pt_err_unknown_organisation, &[("name", o)]),
            ),
        }
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let (Some(name), Some(slug), Some(kind), Some(status), Some(starts_on), Some(ends_on)) =
        (name, slug, kind, status, starts_on, ends_on)
    else {
        e.add("slug", crate::i18n::field_error(m, &FieldError::Required));
        return Ok(Err(e));
    };
    Ok(Ok((
        ProjectData {
            slug,
            name,
            kind,
            starts_on,
            ends_on,
            description,
            lead_user_id: lead,
            status,
        },
        partners,
    )))
}

/// An organisation by its exact name, or by its name without accents or
/// case when only one matches.
pub async fn find_organisation(st: &AppState, name: &str) -> Result<Option<i64>, AppError> {
    if let Some(o) = organisations::find_by_name(st.db.conn(), name).await? {
        return Ok(Some(o.id));
    }
    let list = organisations::find_by_folded_name(st.db.conn(), name).await?;
    Ok(match list.as_slice() {
        [(id, _)] => Some(*id),
        _ => None,
    })
}

/// `GET /team/programme/projects/new`.
pub async fn new_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    form_page(
        &st,
        &ctx,
        ctx.m.pt_project_new,
        ("/team/programme/projects".into(), "/team/programme".into()),
        FormValues {
            kind: Some(ProjectKind::Festival),
            status: Some(ProjectStatus::Draft),
            ..Default::default()
        },
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/programme/projects`.
pub async fn create(State(st): State<AppState>, ctx: Ctx, p: Pairs) -> Result<Response, AppError> {
    let (data, partners) = match parse(&st, &ctx, &p, None).await? {
        Ok(x) => x,
        Err(errors) => {
            return form_page(
                &st,
                &ctx,
                ctx.m.pt_project_new,
                ("/team/programme/projects".into(), "/team/programme".into()),
                FormValues::from_pairs(&p),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let project = projects::insert(&tx, &data, now).await?;
    projects::set_partners(&tx, project.id, &partners).await?;
    record(
        &tx,
        &ctx,
        ("create", "project", project.id),
        data.name.clone(),
        snapshot(&data, &partners),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/projects/{}", project.id),
        Flash::Saved,
    ))
}

/// `GET /team/programme/projects/{id}/edit`.
pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    form_page(
        &st,
        &ctx,
        &p.data.name,
        (
            format!("/team/programme/projects/{id}"),
            format!("/team/programme/projects/{id}"),
        ),
        FormValues::from_project(&p),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/programme/projects/{id}`.
pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let before = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (data, partners) = match parse(&st, &ctx, &p, Some(id)).await? {
        Ok(x) => x,
        Err(errors) => {
            return form_page(
                &st,
                &ctx,
                &before.data.name,
                (
                    format!("/team/programme/projects/{id}"),
                    format!("/team/programme/projects/{id}"),
                ),
                FormValues::from_pairs(&p),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let before_partners: Vec<(i64, PartnerRole)> = before
        .partners
        .iter()
        .map(|x| (x.organisation_id, x.role))
        .collect();
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    projects::update(&tx, id, &data, now).await?;
    projects::set_partners(&tx, id, &partners).await?;
    let changes = maillage_db::audit::diff(
        &snapshot(&before.data, &before_partners),
        &snapshot(&data, &partners),
    );
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        record(
            &tx,
            &ctx,
            ("update", "project", id),
            data.name.clone(),
            changes,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/projects/{id}"),
        Flash::Saved,
    ))
}

/// `POST /team/programme/projects/{id}/delete` with `confirm` = the project's
/// slug: deletes the project with its activities and their sessions.
pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let project = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if p.get("confirm").trim() != project.data.slug {
        return form_page(
            &st,
            &ctx,
            &project.data.name,
            (
                format!("/team/programme/projects/{id}"),
                format!("/team/programme/projects/{id}"),
            ),
            FormValues::from_project(&project),
            FormErrors::general(ctx.m.pt_delete_project_confirm_wrong),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let partners: Vec<(i64, PartnerRole)> = project
        .partners
        .iter()
        .map(|x| (x.organisation_id, x.role))
        .collect();
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    projects::delete(&tx, id).await?;
    record(
        &tx,
        &ctx,
        ("delete", "project", id),
        project.data.name.clone(),
        snapshot(&project.data, &partners),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/programme", Flash::Deleted))
}
