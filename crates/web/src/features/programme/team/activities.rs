//! Activities in the team space: the page of an activity (its sessions with
//! conflict warnings, the forms to add one or a series, reconduction into
//! another project), create and edit.

use super::planning::{Conflict, conflicts};
use super::project_of;
use super::sessions::{SeriesPreview, SeriesValues, SessionValues};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::programme::public::{audience_labels, place, when};
use crate::forms::check;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::i18n::{field_error, fill};
use crate::shared::audit::record;
use crate::shared::vocab_choices;
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::sessions as db_sessions;
use maillage_db::venues;
use maillage_domain::directory::{Theme, website};
use maillage_domain::field::single_line;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, RegistrationMode, SchoolLevel, SessionStatus,
};
use maillage_domain::{Action, FieldError};
use serde::Deserialize;
use serde_json::{Value, json};

/// The record as the audit log sees it.
pub fn snapshot(d: &ActivityData) -> Value {
    json!({
        "project_id": d.project_id, "parent_id": d.parent_id, "slug": d.slug,
        "title": d.title, "summary": d.summary, "description": d.description,
        "format": d.format.map(Format::code),
        "audiences": d.audiences.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "levels": d.levels.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "min_age": d.min_age,
        "themes": d.themes.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "organisations": d.organisations, "venue_id": d.venue_id, "space_id": d.space_id,
        "access": [d.access.wheelchair, d.access.hearing_loop, d.access.visual, d.access.cognitive],
        "free": d.free, "price": d.price,
        "registration": d.registration.map(RegistrationMode::code),
        "registration_url": d.registration_url, "online_url": d.online_url,
        "status": d.status.map(ActivityStatus::code),
    })
}

/// One session on the activity page.
pub struct SessionRow {
    pub id: i64,
    pub when: String,
    pub capacity: String,
    pub status: &'static str,
    pub statuses: Vec<Choice>,
    pub conflicts: Vec<Conflict>,
    pub added: bool,
}

/// What the activity page shows besides the activity: the forms' values
/// and errors, a series preview, messages.
#[derive(Default)]
pub struct Extra {
    pub session: SessionValues,
    pub session_errors: FormErrors,
    pub series: SeriesValues,
    pub series_errors: FormErrors,
    pub preview: Option<SeriesPreview>,
    pub copy_error: Option<String>,
    pub delete_error: Option<String>,
    pub row_error: Option<String>,
    pub added: Option<i64>,
}

#[derive(Template)]
#[template(path = "programme/team/activity.html")]
struct ShowPage {
    l: Layout,
    a: Activity,
    project: Project,
    public_url: Option<String>,
    planning_url: Option<String>,
    format: &'static str,
    status: &'static str,
    audiences: Vec<&'static str>,
    themes: Vec<&'static str>,
    place: String,
    space: String,
    parent: Option<(i64, String)>,
    registration: &'static str,
    description: String,
    rows: Vec<SessionRow>,
    added_conflicts: Vec<Conflict>,
    any_conflict: bool,
    session_statuses: Vec<Choice>,
    targets: Vec<Choice>,
    x: Extra,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    pub added: Option<String>,
}

/// The conflicts of every session of `a`: sessions of the same space that
/// overlap it (cancelled ones left out).
pub async fn session_conflicts(
    st: &AppState,
    ctx: &Ctx,
    a: &Activity,
) -> Result<std::collections::BTreeMap<i64, Vec<Conflict>>, AppError> {
    let (Some(venue), Some(_)) = (a.data.venue_id, a.data.space_id) else {
        return Ok(Default::default());
    };
    let (Some(from), Some(to)) = (
        a.sessions.iter().map(|s| s.data.starts_at).min(),
        a.sessions.iter().map(|s| s.data.ends_at).max(),
    ) else {
        return Ok(Default::default());
    };
    let list = db_sessions::at_venue(st.db.conn(), venue, from, to).await?;
    let mut all = conflicts(ctx, &list);
    let own: Vec<i64> = a.sessions.iter().map(|s| s.id).collect();
    all.retain(|k, _| own.contains(k));
    Ok(all)
}

pub async fn show_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    x: Extra,
    code: StatusCode,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let project = project_of(st, &a).await?;
    let mut conflicts = session_conflicts(st, ctx, &a).await?;
    let rows: Vec<SessionRow> = a
        .sessions
        .iter()
        .map(|s| SessionRow {
            id: s.id,
            when: when(ctx.locale, s.data.starts_at, s.data.ends_at),
            capacity: s.data.capacity.map(|c| c.to_string()).unwrap_or_default(),
            status: s.data.status.label(ctx.locale),
            statuses: vocab_choices(
                SessionStatus::ALL,
                SessionStatus::code,
                |v| v.label(ctx.locale),
                &[s.data.status],
            ),
            conflicts: conflicts.remove(&s.id).unwrap_or_default(),
            added: x.added == Some(s.id),
        })
        .collect();
    let added_conflicts = rows
        .iter()
        .find(|r| r.added)
        .map(|r| r.conflicts.clone())
        .unwrap_or_default();
    let any_conflict = rows.iter().any(|r| !r.conflicts.is_empty());
    let parent = match a.data.parent_id {
        Some(pid) => activities::find(st.db.conn(), pid)
            .await?
            .map(|p| (p.id, p.data.title)),
        None => None,
    };
    // Reconduction: into another project, the next edition of the same kind first.
    let all_projects = projects::list(st.db.conn(), false).await?;
    let next = all_projects
        .iter()
        .filter(|p| p.id != project.id && p.data.kind == project.data.kind)
        .filter(|p| p.data.starts_on > project.data.starts_on)
        .min_by_key(|p| p.data.starts_on)
        .map(|p| p.id);
    let targets = all_projects
        .iter()
        .filter(|p| p.id != project.id)
        .map(|p| Choice::new(p.id.to_string(), p.data.name.clone(), Some(p.id) == next))
        .collect();
    let public_url =
        (a.status.is_public()).then(|| format!("/p/{}/a/{}", project.data.slug, a.data.slug));
    let planning_url = a.data.venue_id.map(|v| {
        let mut u = format!("/team/programme/venues/{v}/planning");
        if let Some(s) = a.sessions.first() {
            u.push_str(&format!(
                "?date={}",
                s.data
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .date_naive()
            ));
        }
        if let Some(sp) = a.data.space_id {
            u.push_str(if u.contains('?') { "&" } else { "?" });
            u.push_str(&format!("space={sp}"));
        }
        u
    });
    html_status(
        code,
        ShowPage {
            l: ctx.layout(a.data.title.clone()),
            public_url,
            planning_url,
            format: a.format.label(ctx.locale),
            status: a.status.label(ctx.locale),
            audiences: audience_labels(ctx.locale, &a),
            themes: a.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
            place: place(&a),
            space: a
                .venue
                .as_ref()
                .and_then(|v| v.space.clone())
                .unwrap_or_default(),
            parent,
            registration: a.registration.label(ctx.locale),
            description: a
                .data
                .description
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default(),
            rows,
            added_conflicts,
            any_conflict,
            session_statuses: vocab_choices(
                SessionStatus::ALL,
                SessionStatus::code,
                |v| v.label(ctx.locale),
                &[SessionStatus::parse(&x.session.status).unwrap_or(SessionStatus::Scheduled)],
            ),
            targets,
            x,
            can_edit: ctx.can(Action::EditProgramme),
            can_manage: ctx.can(Action::ManageProgramme),
            project,
            a,
        },
    )
}

/// `GET /team/programme/activities/{id}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let added = q.added.and_then(|s| s.parse().ok());
    show_page(
        &st,
        &ctx,
        id,
        Extra {
            added,
            ..Default::default()
        },
        StatusCode::OK,
    )
    .await
}

/// The values shown in the form (as typed, or from the record).
#[derive(Default)]
pub struct FormValues {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub description: String,
    pub min_age: String,
    pub organisers: String,
    pub price: String,
    pub registration_url: String,
    pub online_url: String,
    pub free: bool,
    pub wheelchair: bool,
    pub hearing_loop: bool,
    pub visual: bool,
    pub cognitive: bool,
    pub format: Option<Format>,
    pub audiences: Vec<Audience>,
    pub levels: Vec<SchoolLevel>,
    pub themes: Vec<Theme>,
    pub place: String,
    pub registration: Option<RegistrationMode>,
    pub status: Option<ActivityStatus>,
    pub parent: String,
}

fn parse_all<T>(p: &Pairs, name: &str, parse: impl Fn(&str) -> Result<T, FieldError>) -> Vec<T> {
    p.all(name)
        .into_iter()
        .filter_map(|v| parse(v).ok())
        .collect()
}

impl FormValues {
    fn from_pairs(p: &Pairs) -> FormValues {
        FormValues {
            title: p.get("title").into(),
            slug: p.get("slug").into(),
            summary: p.get("summary").into(),
            description: p.get("description").into(),
            min_age: p.get("min_age").into(),
            organisers: p.get("organisers").into(),
            price: p.get("price").into(),
            registration_url: p.get("registration_url").into(),
            online_url: p.get("online_url").into(),
            free: p.checked("free"),
            wheelchair: p.checked("wheelchair"),
            hearing_loop: p.checked("hearing_loop"),
            visual: p.checked("visual"),
            cognitive: p.checked("cognitive"),
            format: Format::parse(p.get("format")).ok(),
            audiences: parse_all(p, "audiences", Audience::parse),
            levels: parse_all(p, "levels", SchoolLevel::parse),
            themes: parse_all(p, "themes", Theme::parse),
            place: p.get("place").into(),
            registration: RegistrationMode::parse(p.get("registration")).ok(),
            status: ActivityStatus::parse(p.get("status")).ok(),
            parent: p.get("parent").into(),
        }
    }

    fn from_activity(a: &Activity) -> FormValues {
        let d = &a.data;
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        FormValues {
            title: d.title.clone(),
            slug: d.slug.clone(),
            summary: s(&d.summary),
            description: s(&d.description),
            min_age: d.min_age.map(|v| v.to_string()).unwrap_or_default(),
            organisers: a
                .organisers
                .iter()
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            price: s(&d.price),
            registration_url: s(&d.registration_url),
            online_url: s(&d.online_url),
            free: d.free,
            wheelchair: d.access.wheelchair,
            hearing_loop: d.access.hearing_loop,
            visual: d.access.visual,
            cognitive: d.access.cognitive,
            format: Some(a.format),
            audiences: d.audiences.clone(),
            levels: d.levels.clone(),
            themes: d.themes.clone(),
            place: match (d.venue_id, d.space_id) {
                (_, Some(s)) => format!("s:{s}"),
                (Some(v), None) => format!("v:{v}"),
                _ => String::new(),
            },
            registration: Some(a.registration),
            status: Some(a.status),
            parent: d.parent_id.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// A group of the place list: a venue and its spaces.
pub struct PlaceGroup {
    pub label: String,
    pub options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "programme/team/activity_form.html")]
struct FormPage {
    l: Layout,
    project: Project,
    action: String,
    cancel: String,
    f: FormValues,
    formats: Vec<Choice>,
    audiences: Vec<Choice>,
    levels: Vec<Choice>,
    themes: Vec<Choice>,
    registrations: Vec<Choice>,
    statuses: Vec<Choice>,
    places: Vec<PlaceGroup>,
    parents: Vec<Choice>,
    errors: FormErrors,
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    project: Project,
    (title, action, cancel): (&str, String, String),
    (f, except): (FormValues, Option<i64>),
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let loc = ctx.locale;
    let places = venues::list_all_matching(st.db.conn(), &venues::Filter::default())
        .await?
        .into_iter()
        .map(|v| {
            let mut options = vec![Choice::new(
                format!("v:{}", v.id),
                format!("{} — {}", v.data.name, ctx.m.pt_whole_venue),
                f.place == format!("v:{}", v.id),
            )];
            options.extend(v.spaces.iter().map(|s| {
                Choice::new(
                    format!("s:{}", s.id),
                    format!("{} › {}", v.data.name, s.data.name),
                    f.place == format!("s:{}", s.id),
                )
            }));
            PlaceGroup {
                label: v.data.name,
                options,
            }
        })
        .collect();
    let parents = activities::of_project(st.db.conn(), project.id)
        .await?
        .into_iter()
        .filter(|a| a.format == Format::Village && Some(a.id) != except)
        .map(|a| {
            let id = a.id.to_string();
            let sel = id == f.parent;
            Choice::new(id, a.data.title, sel)
        })
        .collect();
    html_status(
        code,
        FormPage {
            l: ctx.layout(title.to_owned()),
            action,
            cancel,
            formats: vocab_choices(
                Format::ALL,
                Format::code,
                |v| v.label(loc),
                &f.format.into_iter().collect::<Vec<_>>(),
            ),
            audiences: vocab_choices(
                Audience::ALL,
                Audience::code,
                |v| v.label(loc),
                &f.audiences,
            ),
            levels: vocab_choices(
                SchoolLevel::ALL,
                SchoolLevel::code,
                |v| v.label(loc),
                &f.levels,
            ),
            themes: vocab_choices(Theme::ALL, Theme::code, |v| v.label(loc), &f.themes),
            registrations: vocab_choices(
                RegistrationMode::ALL,
                RegistrationMode::code,
                |v| v.label(loc),
                &f.registration.into_iter().collect::<Vec<_>>(),
            ),
            statuses: vocab_choices(
                ActivityStatus::ALL,
                ActivityStatus::code,
                |v| v.label(loc),
                &f.status.into_iter().collect::<Vec<_>>(),
            ),
            places,
            parents,
            project,
            f,
            errors,
        },
    )
}

/// Checks the form; `before` is the activity being edited.
async fn parse(
    st: &AppState,
    ctx: &Ctx,
    project: &Project,
    p: &Pairs,
    before: Option<&Activity>,
) -> Result<Result<ActivityData, FormErrors>, AppError> {
    let m = ctx.m;
    let c = st.db.conn();
    let mut e = FormErrors::new();
    let title = check(&mut e, m, "title", single_line(p.get("title"), 2, 200));
    let slug = match p.get("slug").trim() {
        "" => match &title {
            Some(t) => Some(activities::free_slug(c, project.id, t, before.map(|a| a.id)).await?),
            None => None,
        },
        s => match check(&mut e, m, "slug", maillage_domain::programme::slug(s)) {
            Some(s) if activities::slug_taken(c, project.id, &s, before.map(|a| a.id)).await? => {
                e.add("slug", field_error(m, &FieldError::AlreadyTaken));
                None
            }
            other => other,
        },
    };
    let opt_line = |e: &mut FormErrors, field: &str, max: usize| match p.get(field).trim() {
        "" => None,
        v => check(e, m, field, single_line(v, 1, max)),
    };
    let summary = opt_line(&mut e, "summary", 300);
    let price = opt_line(&mut e, "price", 120);
    let description = match p.get("description").trim() {
        "" => None,
        d => check(
            &mut e,
            m,
            "description",
            maillage_directory::validate::multiline(d, 20_000),
        ),
    };
    let format = check(&mut e, m, "format", Format::parse(p.get("format")));
    let status = check(&mut e, m, "status", ActivityStatus::parse(p.get("status")));
    // Interns and volunteers prepare; publishing or cancelling is staff's.
    if let Some(s) = status
        && matches!(s, ActivityStatus::Published | ActivityStatus::Cancelled)
        && before.map(|b| b.status) != Some(s)
        && !ctx.can(Action::ManageProgramme)
    {
        e.add("status", m.pt_status_staff_only);
    }
    let registration = check(
        &mut e,
        m,
        "registration",
        RegistrationMode::parse(p.get("registration")),
    );
    let mut audiences = Vec::new();
    for v in p.all("audiences") {
        if let Some(a) = check(&mut e, m, "audiences", Audience::parse(v)) {
            audiences.push(a);
        }
    }
    let mut levels = Vec::new();
    for v in p.all("levels") {
        if let Some(a) = check(&mut e, m, "levels", SchoolLevel::parse(v)) {
            levels.push(a);
        }
    }
    if !levels.is_empty() && !audiences.contains(&Audience::School) {
        audiences.push(Audience::School);
    }
    let mut themes = Vec::new();
    for v in p.all("themes") {
        if let Some(a) = check(&mut e, m, "themes", Theme::parse(v)) {
            themes.push(a);
        }
    }
    let min_age = match p.get("min_age").trim() {
        "" => None,
        v => match v.parse::<i32>() {
            Ok(n) if (0..=120).contains(&n) => Some(n),
            Ok(_) => {
                e.add(
                    "min_age",
                    field_error(m, &FieldError::OutOfRange { min: 0, max: 120 }),
                );
                None
            }
            Err(_) => {
                e.add("min_age", field_error(m, &FieldError::InvalidNumber));
                None
            }
        },
    };
    let url = |e: &mut FormErrors, field: &str| match p.get(field).trim() {
        "" => None,
        v => check(e, m, field, website(v)),
    };
    let registration_url = url(&mut e, "registration_url");
    let online_url = url(&mut e, "online_url");
    if registration == Some(RegistrationMode::External)
        && registration_url.is_none()
        && e.get("registration_url").is_none()
    {
        e.add("registration_url", m.pt_err_registration_url);
    }
    let mut organisations = Vec::new();
    for name in maillage_directory::validate::split_list(p.get("organisers")) {
        match super::projects::find_organisation(st, name).await? {
            Some(id) => organisations.push(id),
            None => e.add(
                "organisers",
                fill(m.pt_err_unknown_organisation, &[("name", name)]),
            ),
        }
    }
    let (mut venue_id, mut space_id) = (None, None);
    let place = p.get("place").trim();
    if let Some(v) = place.strip_prefix("v:") {
        match v.parse::<i64>() {
            Ok(id) if venues::find(c, id).await?.is_some() => venue_id = Some(id),
            _ => e.add("place", field_error(m, &FieldError::InvalidChoice)),
        }
    } else if let Some(s) = place.strip_prefix("s:") {
        match s.parse::<i64>() {
            Ok(id) => match venues::find_space(c, id).await? {
                Some(sp) => {
                    venue_id = Some(sp.venue_id);
                    space_id = Some(sp.id);
                }
                None => e.add("place", field_error(m, &FieldError::InvalidChoice)),
            },
            Err(_) => e.add("place", field_error(m, &FieldError::InvalidChoice)),
        }
    } else if !place.is_empty() {
        e.add("place", field_error(m, &FieldError::InvalidChoice));
    }
    let parent_id = match p.get("parent").trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) if Some(id) != before.map(|a| a.id) => match activities::find(c, id).await? {
                Some(pa) if pa.data.project_id == project.id => Some(id),
                _ => {
                    e.add("parent", field_error(m, &FieldError::InvalidChoice));
                    None
                }
            },
            _ => {
                e.add("parent", field_error(m, &FieldError::InvalidChoice));
                None
            }
        },
    };
    if !e.is_empty() {
        return Ok(Err(e));
    }
    let (Some(title), Some(slug)) = (title, slug) else {
        e.add("title", field_error(m, &FieldError::Required));
        return Ok(Err(e));
    };
    Ok(Ok(ActivityData {
        project_id: project.id,
        parent_id,
        slug,
        title,
        summary,
        description,
        format,
        audiences,
        levels,
        min_age,
        themes,
        organisations,
        // Speakers are not edited here; keep those already linked.
        speakers: before.map(|a| a.data.speakers.clone()).unwrap_or_default(),
        venue_id,
        space_id,
        access: venues::Access {
            wheelchair: p.checked("wheelchair"),
            hearing_loop: p.checked("hearing_loop"),
            visual: p.checked("visual"),
            cognitive: p.checked("cognitive"),
        },
        free: p.checked("free"),
        price,
        registration,
        registration_url,
        online_url,
        status,
        source: before.and_then(|a| a.data.source.clone()),
    }))
}

async fn project(st: &AppState, id: i64) -> Result<Project, AppError> {
    projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /team/programme/projects/{id}/activities/new`.
pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = project(&st, id).await?;
    form_page(
        &st,
        &ctx,
        p,
        (
            ctx.m.pt_activity_new,
            format!("/team/programme/projects/{id}/activities"),
            format!("/team/programme/projects/{id}"),
        ),
        (
            FormValues {
                format: Some(Format::Workshop),
                audiences: vec![Audience::General],
                registration: Some(RegistrationMode::None),
                status: Some(ActivityStatus::Draft),
                free: true,
                ..Default::default()
            },
            None,
        ),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/programme/projects/{id}/activities`.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let project = project(&st, id).await?;
    let data = match parse(&st, &ctx, &project, &p, None).await? {
        Ok(d) => d,
        Err(errors) => {
            return form_page(
                &st,
                &ctx,
                project,
                (
                    ctx.m.pt_activity_new,
                    format!("/team/programme/projects/{id}/activities"),
                    format!("/team/programme/projects/{id}"),
                ),
                (FormValues::from_pairs(&p), None),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let a = activities::insert(&tx, &data, now).await?;
    record(
        &tx,
        &ctx,
        ("create", "activity", a.id),
        a.data.title.clone(),
        snapshot(&data),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/activities/{}", a.id),
        Flash::Saved,
    ))
}

/// `GET /team/programme/activities/{id}/edit`.
pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = project_of(&st, &a).await?;
    form_page(
        &st,
        &ctx,
        p,
        (
            &a.data.title,
            format!("/team/programme/activities/{id}"),
            format!("/team/programme/activities/{id}"),
        ),
        (FormValues::from_activity(&a), Some(id)),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/programme/activities/{id}`.
pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let before = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let project = project_of(&st, &before).await?;
    let data = match parse(&st, &ctx, &project, &p, Some(&before)).await? {
        Ok(d) => d,
        Err(errors) => {
            return form_page(
                &st,
                &ctx,
                project,
                (
                    &before.data.title,
                    format!("/team/programme/activities/{id}"),
                    format!("/team/programme/activities/{id}"),
                ),
                (FormValues::from_pairs(&p), Some(id)),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = activities::update(&tx, id, &data, now).await?;
    let changes = maillage_db::audit::diff(&snapshot(&before.data), &snapshot(&after.data));
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        record(
            &tx,
            &ctx,
            ("update", "activity", id),
            after.data.title.clone(),
            changes,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/activities/{id}"),
        Flash::Saved,
    ))
}

/// `POST /team/programme/activities/{id}/copy` with `project`: reconduction
/// of the activity into another project, as a draft without sessions.
pub async fn copy(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = match p.get("project").trim().parse::<i64>() {
        Ok(t) if t != a.data.project_id => projects::find(st.db.conn(), t).await?,
        _ => None,
    };
    let Some(target) = target else {
        return show_page(
            &st,
            &ctx,
            id,
            Extra {
                copy_error: Some(ctx.m.pt_copy_choose.into()),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let copy = activities::copy_to_project(&tx, id, target.id, now).await?;
    record(
        &tx,
        &ctx,
        ("reconduct", "activity", copy.id),
        format!("{} → {}", copy.data.title, target.data.name),
        json!({"from_activity": id, "project_id": target.id}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/activities/{}", copy.id),
        Flash::Saved,
    ))
}

/// `POST /team/programme/activities/{id}/delete` with `confirm` ticked:
/// deletes the activity and its sessions.
pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !p.checked("confirm") {
        return show_page(
            &st,
            &ctx,
            id,
            Extra {
                delete_error: Some(ctx.m.pt_delete_activity_confirm_missing.into()),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let ids: Vec<i64> = a.sessions.iter().map(|s| s.id).collect();
    let booked = maillage_db::bookings::active_count(st.db.conn(), &ids).await?;
    if booked > 0 {
        return show_page(
            &st,
            &ctx,
            id,
            Extra {
                delete_error: Some(crate::i18n::fill(
                    ctx.m.pt_activity_has_bookings,
                    &[("n", &booked.to_string())],
                )),
                ..Default::default()
            },
            StatusCode::CONFLICT,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    activities::delete(&tx, id).await?;
    record(
        &tx,
        &ctx,
        ("delete", "activity", id),
        a.data.title.clone(),
        snapshot(&a.data),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/projects/{}", a.data.project_id),
        Flash::Deleted,
    ))
}
