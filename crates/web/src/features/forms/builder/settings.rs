//! A form's settings: a new form (`/team/forms/new`), its settings
//! (`/team/forms/{id}/settings`) — title, purpose (fixed once made), what
//! it is attached to (a project, one of its activities, one of their
//! sessions; "refresh" fills the lists of the project chosen), and for a
//! questionnaire its audience, anonymity and one answer per link — and its
//! copy for the next edition (`/team/forms/{id}/copy`).

use super::edit_form::{EditForm, Fb, Group, Spec, choices};
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::forms::common::find_form;
use crate::forms::{FormErrors, Typed};
use crate::i18n::fill;
use crate::shared::audit::record;
use crate::shared::dates::{paris_instant, parse_date, parse_time};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveTime, Utc};
use maillage_db::ConnectionTrait;
use maillage_db::forms::{self, Form, FormData};
use maillage_db::programme::{activities, projects, sessions};
use maillage_domain::field::single_line;
use maillage_domain::forms::{FormAudience, Purpose, Schema};
use maillage_domain::{FieldError, FieldErrors};
use serde::Deserialize;
use serde_json::{Value, json};

/// The settings form, as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    title: String,
    /// Only for a new form.
    purpose: String,
    project: String,
    activity: String,
    session: String,
    audience: String,
    anonymous: bool,
    one_per_link: bool,
    /// The answering window, in Europe/Paris (all optional).
    opens_date: String,
    opens_time: String,
    closes_date: String,
    closes_time: String,
    /// "Refresh the lists" rather than save.
    refresh: bool,
}

/// A date and a time typed in Europe/Paris as an instant: none when both
/// are empty, midnight when only the date is given.
fn moment(e: &mut FieldErrors, prefix: &str, (date, time): (&str, &str)) -> Option<DateTime<Utc>> {
    if date.trim().is_empty() && time.trim().is_empty() {
        return None;
    }
    let d = e.check(&format!("{prefix}_date"), parse_date(date));
    let t = match time.trim() {
        "" => Some(NaiveTime::MIN),
        t => e.check(&format!("{prefix}_time"), parse_time(t)),
    };
    match paris_instant(d?, t?) {
        Ok(i) => Some(i),
        Err(_) => {
            e.add(format!("{prefix}_time"), FieldError::InvalidDate);
            None
        }
    }
}

/// An instant as the date and time fields show it, in Europe/Paris.
fn local_fields(t: Option<DateTime<Utc>>) -> (String, String) {
    t.map(|t| {
        let l = t.with_timezone(&chrono_tz::Europe::Paris);
        (
            l.format("%Y-%m-%d").to_string(),
            l.format("%H:%M").to_string(),
        )
    })
    .unwrap_or_default()
}

/// An id chosen in a list, if any (`Err` when not a number).
fn chosen(v: &str) -> Result<Option<i64>, FieldError> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| FieldError::InvalidChoice),
    }
}

impl SettingsForm {
    /// The settings of a form, as the form shows them.
    fn of(d: &FormData) -> SettingsForm {
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let (opens_date, opens_time) = local_fields(d.opens_at);
        let (closes_date, closes_time) = local_fields(d.closes_at);
        SettingsForm {
            opens_date,
            opens_time,
            closes_date,
            closes_time,
            title: d.title.clone(),
            purpose: d.purpose.code().to_owned(),
            project: opt(d.project_id),
            activity: opt(d.activity_id),
            session: opt(d.session_id),
            audience: d.audience.map(|a| a.code().to_owned()).unwrap_or_default(),
            anonymous: d.anonymous,
            one_per_link: d.one_per_link,
            refresh: false,
        }
    }

    /// Checks the settings typed (`purpose` is fixed for an existing
    /// form): a session fixes its activity, an activity its project.
    async fn check(
        &self,
        c: &impl ConnectionTrait,
        purpose: Option<Purpose>,
    ) -> Result<Result<FormData, FieldErrors>, AppError> {
        let mut e = FieldErrors::new();
        let title = e.check("title", single_line(&self.title, 1, 200));
        let purpose = match purpose {
            Some(p) => Some(p),
            None => e.check("purpose", Purpose::parse(&self.purpose)),
        };
        let mut project_id = e.check("project", chosen(&self.project)).flatten();
        let mut activity_id = e.check("activity", chosen(&self.activity)).flatten();
        let session_id = e.check("session", chosen(&self.session)).flatten();
        if let Some(pid) = project_id
            && projects::find(c, pid).await?.is_none()
        {
            e.add("project", FieldError::NotFound);
            project_id = None;
        }
        if let Some(s) = session_id {
            match sessions::find(c, s).await? {
                None => e.add("session", FieldError::NotFound),
                Some(s) => match activity_id {
                    None => activity_id = Some(s.activity_id),
                    Some(a) if a != s.activity_id => e.add("session", FieldError::InvalidChoice),
                    Some(_) => {}
                },
            }
        }
        if let Some(aid) = activity_id {
            match activities::find(c, aid).await? {
                None => e.add("activity", FieldError::NotFound),
                Some(a) => match project_id {
                    None => project_id = Some(a.data.project_id),
                    Some(pid) if pid != a.data.project_id => {
                        e.add("activity", FieldError::InvalidChoice)
                    }
                    Some(_) => {}
                },
            }
        }
        let audience = match self.audience.trim() {
            "" => None,
            a => e.check("audience", FormAudience::parse(a)),
        };
        let questionnaire = purpose == Some(Purpose::Questionnaire);
        if questionnaire && audience.is_none() && e.get("audience").is_none() {
            e.add("audience", FieldError::Required);
        }
        let opens_at = moment(&mut e, "opens", (&self.opens_date, &self.opens_time));
        let closes_at = moment(&mut e, "closes", (&self.closes_date, &self.closes_time));
        if let (Some(o), Some(c)) = (opens_at, closes_at)
            && c <= o
        {
            e.add("closes_date", FieldError::EndBeforeStart);
        }
        Ok(match (title, purpose) {
            (Some(title), Some(purpose)) if e.is_empty() => Ok(FormData {
                title,
                purpose,
                project_id,
                activity_id,
                session_id,
                audience: if questionnaire { audience } else { None },
                anonymous: self.anonymous,
                one_per_link: self.one_per_link,
                opens_at: if questionnaire { opens_at } else { None },
                closes_at: if questionnaire { closes_at } else { None },
            }),
            _ => Err(e),
        })
    }
}

#[derive(Template)]
#[template(path = "forms/builder/settings.html")]
struct SettingsPage {
    l: Layout,
    form: EditForm,
    back: String,
    back_label: &'static str,
}

/// The settings page: `existing` is the form being edited (its purpose
/// is then fixed), none for a new one.
async fn page(
    st: &AppState,
    ctx: &Ctx,
    existing: Option<&Form>,
    typed: &SettingsForm,
    errors: &FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let c = st.db.conn();
    let fb = Fb {
        prefix: "fs",
        errors,
    };
    let projects = projects::list(c, false).await?;
    let project = chosen(&typed.project).ok().flatten();
    let activity = chosen(&typed.activity).ok().flatten();
    let acts = match project {
        Some(p) => activities::of_project(c, p).await?,
        None => Vec::new(),
    };
    let none = || std::iter::once((String::new(), m.fb_none.to_owned()));
    let project_choices = choices(
        none().chain(
            projects
                .iter()
                .map(|p| (p.id.to_string(), p.data.name.clone())),
        ),
        &typed.project,
    );
    let activity_choices = choices(
        none().chain(
            acts.iter()
                .map(|a| (a.id.to_string(), a.data.title.clone())),
        ),
        &typed.activity,
    );
    let sessions = acts
        .iter()
        .filter(|a| activity.is_none_or(|x| x == a.id))
        .flat_map(|a| {
            a.sessions.iter().map(|s| {
                let when = time::datetime(ctx.locale, s.data.starts_at);
                (s.id.to_string(), format!("{} — {when}", a.data.title))
            })
        });
    let session_choices = choices(none().chain(sessions), &typed.session);
    let mut inputs = vec![fb.text("title", m.fb_form_title, &typed.title).required()];
    if existing.is_none() {
        let purposes = Purpose::ALL
            .iter()
            .map(|p| (p.code().to_owned(), p.label(ctx.locale).to_owned()));
        inputs.push(
            fb.select("purpose", m.fb_purpose, choices(purposes, &typed.purpose))
                .required(),
        );
    }
    let mut attach = vec![
        fb.select("project", m.fb_project, project_choices),
        fb.select("activity", m.fb_activity, activity_choices)
            .hint(m.fb_activity_hint),
        fb.select("session", m.fb_session, session_choices),
    ];
    if project.is_some() && acts.is_empty() {
        attach[1].hint = m.fb_no_activity.to_owned();
    }
    let audiences = FormAudience::ALL
        .iter()
        .map(|a| (a.code().to_owned(), a.label(ctx.locale).to_owned()));
    let choose = std::iter::once((String::new(), m.fb_choose.to_owned()));
    let questionnaire = vec![
        fb.select(
            "audience",
            m.fb_audience,
            choices(choose.chain(audiences), &typed.audience),
        ),
        fb.check("anonymous", m.fb_anonymous, typed.anonymous)
            .hint(m.fb_anonymous_hint),
        fb.check("one_per_link", m.fb_one_per_link, typed.one_per_link)
            .hint(m.fb_one_per_link_hint),
    ];
    let window = vec![
        fb.input("opens_date", m.fb_opens_date, "date", &typed.opens_date),
        fb.input("opens_time", m.fb_opens_time, "time", &typed.opens_time),
        fb.input("closes_date", m.fb_closes_date, "date", &typed.closes_date),
        fb.input("closes_time", m.fb_closes_time, "time", &typed.closes_time),
    ];
    let (action, heading, submit) = match existing {
        Some(f) => (
            format!("/team/forms/{}/settings", f.id),
            m.fb_settings,
            m.fb_save,
        ),
        None => ("/team/forms".to_owned(), m.fb_new, m.fb_create),
    };
    let spec = Spec {
        prefix: "fs",
        action,
        heading,
        submit,
        hidden: Vec::new(),
    };
    let mut form = fb.form(
        spec,
        vec![
            Group::loose(inputs),
            Group::set(m.fb_attached, m.fb_attached_hint, attach),
            Group::set(
                m.fb_questionnaire_settings,
                m.fb_questionnaire_settings_hint,
                questionnaire,
            ),
            Group::set(m.fb_window, m.fb_window_hint, window),
        ],
    );
    form.secondary = Some(("refresh", "1", m.fb_refresh_lists));
    let (title, back, back_label) = match existing {
        Some(f) => (
            f.data.title.clone(),
            format!("/team/forms/{}", f.id),
            m.fb_back,
        ),
        None => (
            m.fb_new.to_owned(),
            "/team/forms".to_owned(),
            m.fb_all_forms,
        ),
    };
    html_status(
        status,
        SettingsPage {
            l: ctx.layout(title),
            form,
            back,
            back_label,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub project: String,
    pub purpose: String,
    /// A questionnaire about this activity (from the team's inbox).
    pub activity: String,
}

/// `GET /team/forms/new`: a new form (`?project=` fills the lists of
/// activities and sessions of that project; `?activity=` chooses one).
pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let purpose = Purpose::parse(&q.purpose).unwrap_or(Purpose::Questionnaire);
    let mut project = q.project;
    let mut activity = String::new();
    if let Ok(id) = q.activity.trim().parse::<i64>()
        && let Some(a) = maillage_db::programme::activities::find(st.db.conn(), id).await?
    {
        project = a.data.project_id.to_string();
        activity = a.id.to_string();
    }
    let typed = SettingsForm {
        purpose: purpose.code().into(),
        project,
        activity,
        audience: FormAudience::Public.code().into(),
        anonymous: true,
        ..Default::default()
    };
    let no_errors = FormErrors::new();
    page(&st, &ctx, None, &typed, &no_errors, StatusCode::OK).await
}

/// The settings of a form for its audit entries.
fn settings_json(d: &FormData) -> Value {
    json!({
        "title": d.title, "purpose": d.purpose.code(), "project_id": d.project_id,
        "activity_id": d.activity_id, "session_id": d.session_id,
        "audience": d.audience.map(|a| a.code()), "anonymous": d.anonymous,
        "one_per_link": d.one_per_link,
    })
}

/// `POST /team/forms`: creates the form (no question yet) and opens its
/// builder; "refresh" shows the form again with the lists of the chosen
/// project.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(typed): Typed<SettingsForm>,
) -> Result<Response, AppError> {
    if typed.refresh {
        let no_errors = FormErrors::new();
        return page(&st, &ctx, None, &typed, &no_errors, StatusCode::OK).await;
    }
    let data = match typed.check(st.db.conn(), None).await? {
        Ok(d) => d,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(&st, &ctx, None, &typed, &errors, status).await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let f = forms::create(&tx, &data, &Schema::default(), now).await?;
    let changes = settings_json(&data);
    record(
        &tx,
        &ctx,
        ("create", "form", f.id),
        data.title,
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    let to = format!("/team/forms/{}", f.id);
    Ok(redirect_flash(&st, &to, Flash::Saved))
}

/// `POST /team/forms/{id}/copy`: a new form with the same settings and
/// the current questions, no answers (last edition's questionnaire made
/// ready for the next one); then its settings, to attach it elsewhere.
pub async fn copy(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let mut data = f.data.clone();
    data.title = fill(ctx.m.fb_copy_title, &[("title", &f.data.title)]);
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let new = forms::create(&tx, &data, &f.version.schema, now).await?;
    let mut changes = settings_json(&data);
    changes["copied_from"] = json!({ "id": f.id, "version": f.version.number });
    record(
        &tx,
        &ctx,
        ("create", "form", new.id),
        data.title,
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    let to = format!("/team/forms/{}/settings", new.id);
    Ok(redirect_flash(&st, &to, Flash::Saved))
}

/// `GET /team/forms/{id}/settings`.
pub async fn settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let typed = SettingsForm::of(&f.data);
    let no_errors = FormErrors::new();
    page(&st, &ctx, Some(&f), &typed, &no_errors, StatusCode::OK).await
}

/// `POST /team/forms/{id}/settings`.
pub async fn save_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(typed): Typed<SettingsForm>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    if typed.refresh {
        let no_errors = FormErrors::new();
        return page(&st, &ctx, Some(&f), &typed, &no_errors, StatusCode::OK).await;
    }
    let data = match typed.check(st.db.conn(), Some(f.data.purpose)).await? {
        Ok(d) => d,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(&st, &ctx, Some(&f), &typed, &errors, status).await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    forms::update(&tx, id, &data, now).await?;
    let changes = json!({"before": settings_json(&f.data), "after": settings_json(&data)});
    record(&tx, &ctx, ("update", "form", id), data.title, changes, now).await?;
    tx.commit().await?;
    let to = format!("/team/forms/{id}");
    Ok(redirect_flash(&st, &to, Flash::Saved))
}
