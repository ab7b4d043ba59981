//! The form builder of the team space (`/team/forms`): the forms by
//! purpose, a new form (title, purpose, the project, activity or session
//! it is attached to, the audience of a questionnaire, anonymity, one
//! answer per link), and the builder itself — the items in order, each
//! with edit, move up, move down and delete; adding a field of any kind,
//! a section heading or a help text; conditional display on an earlier
//! choice or yes/no answer. No JavaScript: every action is a plain form
//! POST carrying the revision of the schema it was made on (`rev`), so a
//! change made on a stale page is refused instead of moving the wrong
//! item.
//!
//! Every change builds the whole new schema, checks it with
//! [`Schema::validate`] and saves it with [`forms::save_schema`]: while
//! nothing answered the current version it is replaced, once answers
//! exist a new version is made and the old answers keep theirs. The
//! domain's messages are shown beside the fields they concern, with what
//! was typed kept. The preview draws the form exactly as respondents see
//! it (`form_view::items` and the `fields` macro) and only validates.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::forms::view::{QItem, items};
use crate::forms::{Choice, FormErrors, Pairs};
use crate::i18n::{Messages, field_error, fill};
use crate::shared::{html, html_status, redirect, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit::{self, Change};
use maillage_db::forms::questionnaires;
use maillage_db::forms::{self, Form, FormData, Saved, calls, submissions};
use maillage_db::programme::{activities, projects};
use maillage_domain::FieldError;
use maillage_domain::field::single_line;
use maillage_domain::forms::{
    Choice as Opt, Condition, Field, FileKind, FormAudience, Item, KEY_MAX, Kind, Purpose, Schema,
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

// ---------------------------------------------------------------------
// Generic form view: every form of the builder is a list of groups of
// inputs, drawn by the `edit_form` macro of `form_builder/builder_macros.html`.

/// One input of a builder form.
pub struct Input {
    /// The element id (`{prefix}-{name}`), the target of the error summary.
    pub id: String,
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: String,
    /// text, number, textarea, select, checkbox, checkboxes.
    pub widget: &'static str,
    pub choices: Vec<Choice>,
    pub checked: bool,
    pub required: bool,
}

/// A fieldset of inputs (or loose inputs when without legend).
pub struct Group {
    pub legend: Option<&'static str>,
    pub hint: &'static str,
    pub inputs: Vec<Input>,
}

/// A whole builder form.
pub struct EditForm {
    pub prefix: &'static str,
    pub action: String,
    pub heading: &'static str,
    pub hidden: Vec<(&'static str, String)>,
    pub groups: Vec<Group>,
    pub submit: &'static str,
    /// A second submit button (name, value, label), e.g. to refresh lists.
    pub secondary: Option<(&'static str, &'static str, &'static str)>,
    /// (element id, message) for the error summary.
    pub errors: Vec<(String, String)>,
    pub general: Option<String>,
}

/// Makes inputs from the values typed (`pairs`) and the messages.
struct Fb<'a> {
    prefix: &'static str,
    pairs: &'a Pairs,
    errors: &'a FormErrors,
}

impl Fb<'_> {
    fn input(&self, name: &'static str, label: &'static str, widget: &'static str) -> Input {
        Input {
            id: format!("{}-{name}", self.prefix),
            name,
            label,
            value: self.pairs.get(name).to_owned(),
            error: self.errors.get(name).map(str::to_owned),
            hint: String::new(),
            widget,
            choices: Vec::new(),
            checked: self.pairs.checked(name),
            required: false,
        }
    }

    fn hint(&self, mut i: Input, hint: &str) -> Input {
        i.hint = hint.to_owned();
        i
    }

    fn required(&self, mut i: Input) -> Input {
        i.required = true;
        i
    }

    fn select(&self, name: &'static str, label: &'static str, choices: Vec<Choice>) -> Input {
        let mut i = self.input(name, label, "select");
        i.choices = choices;
        i
    }

    fn form(
        &self,
        action: String,
        heading: &'static str,
        submit: &'static str,
        hidden: Vec<(&'static str, String)>,
        groups: Vec<Group>,
    ) -> EditForm {
        EditForm {
            prefix: self.prefix,
            action,
            heading,
            hidden,
            errors: self
                .errors
                .fields()
                .iter()
                .map(|(f, m)| (format!("{}-{f}", self.prefix), m.clone()))
                .collect(),
            general: self.errors.general.clone(),
            groups,
            submit,
            secondary: None,
        }
    }
}

fn loose(inputs: Vec<Input>) -> Group {
    Group {
        legend: None,
        hint: "",
        inputs,
    }
}

/// Choices with `selected` the one whose value is `current`.
fn choices(all: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    all.into_iter()
        .map(|(v, l)| {
            let sel = v == current;
            Choice::new(v, l, sel)
        })
        .collect()
}

// ---------------------------------------------------------------------
// Kinds, labels and small helpers.

const KINDS: [&str; 13] = [
    "short_text",
    "long_text",
    "email",
    "phone",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "dropdown",
    "scale",
    "nps",
    "yes_no",
    "file",
];

fn kind_label(m: &Messages, code: &str) -> &'static str {
    match code {
        "short_text" => m.fb_kind_short_text,
        "long_text" => m.fb_kind_long_text,
        "email" => m.fb_kind_email,
        "phone" => m.fb_kind_phone,
        "number" => m.fb_kind_number,
        "date" => m.fb_kind_date,
        "single_choice" => m.fb_kind_single_choice,
        "multiple_choice" => m.fb_kind_multiple_choice,
        "dropdown" => m.fb_kind_dropdown,
        "scale" => m.fb_kind_scale,
        "nps" => m.fb_kind_nps,
        "yes_no" => m.fb_kind_yes_no,
        _ => m.fb_kind_file,
    }
}

fn file_kind_label(k: FileKind) -> &'static str {
    match k {
        FileKind::Pdf => "PDF",
        FileKind::Png => "PNG",
        FileKind::Jpeg => "JPEG",
        FileKind::Odt => "ODT (LibreOffice)",
        FileKind::Docx => "DOCX (Word)",
    }
}

/// The revision of a form's questions, carried by every builder form: a
/// change made on a page showing another revision is refused.
fn rev(f: &Form) -> String {
    let d =
        maillage_domain::token::digest(&format!("{}:{}", f.version.id, f.version.schema.to_json()));
    d[..16].to_owned()
}

/// The form `id`, or 404.
async fn find(st: &AppState, id: i64) -> Result<Form, AppError> {
    forms::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many answers (responses or submissions) the form has, all versions.
async fn answers_count(st: &AppState, f: &Form) -> Result<u64, AppError> {
    let c = st.db.conn();
    if f.data.purpose == Purpose::Questionnaire {
        Ok(questionnaires::count(c, f.id, &Default::default()).await?)
    } else {
        Ok(submissions::list(
            c,
            &submissions::Filter {
                form_id: Some(f.id),
                include_drafts: true,
                ..Default::default()
            },
        )
        .await?
        .len() as u64)
    }
}

/// What a form is attached to, as text.
async fn attached(st: &AppState, ctx: &Ctx, d: &FormData) -> Result<String, AppError> {
    let c = st.db.conn();
    let mut parts = Vec::new();
    if let Some(p) = d.project_id
        && let Some(p) = projects::find(c, p).await?
    {
        parts.push(p.data.name);
    }
    if let Some(a) = d.activity_id
        && let Some(a) = activities::find(c, a).await?
    {
        let session = d
            .session_id
            .and_then(|s| a.sessions.iter().find(|x| x.id == s))
            .map(|s| time::datetime(ctx.locale, s.data.starts_at));
        parts.push(a.data.title);
        if let Some(s) = session {
            parts.push(s);
        }
    }
    Ok(parts.join(" — "))
}

/// Records a change of a form in the audit log.
async fn record(
    tx: &impl maillage_db::ConnectionTrait,
    ctx: &Ctx,
    action: &str,
    id: i64,
    summary: String,
    changes: Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &ctx.actor(),
        Change {
            action,
            entity_type: "form",
            entity_id: id.to_string(),
            summary,
            changes,
        },
        now,
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------
// The list.

pub struct FormRow {
    pub id: i64,
    pub title: String,
    pub attached: String,
    pub version: i32,
    pub answers: u64,
}

pub struct PurposeGroup {
    pub label: &'static str,
    pub code: &'static str,
    pub rows: Vec<FormRow>,
}

#[derive(Template)]
#[template(path = "forms/builder/list.html")]
struct ListPage {
    l: Layout,
    groups: Vec<PurposeGroup>,
}

/// `GET /team/forms`: the forms by purpose, with their version and
/// number of answers.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let all = forms::list(c, None).await?;
    let responses: HashMap<i64, i64> = questionnaires::list(c)
        .await?
        .into_iter()
        .map(|q| (q.id, q.responses))
        .collect();
    let mut groups: Vec<PurposeGroup> = Purpose::ALL
        .iter()
        .map(|p| PurposeGroup {
            label: p.label(ctx.locale),
            code: p.code(),
            rows: Vec::new(),
        })
        .collect();
    for (id, d) in all {
        let Some(f) = forms::find(c, id).await? else {
            continue;
        };
        let answers = match responses.get(&id) {
            Some(n) => u64::try_from(*n).unwrap_or(0),
            None => answers_count(&st, &f).await?,
        };
        let row = FormRow {
            id,
            title: d.title.clone(),
            attached: attached(&st, &ctx, &d).await?,
            version: f.version.number,
            answers,
        };
        if let Some(g) = groups.iter_mut().find(|g| g.code == d.purpose.code()) {
            g.rows.push(row);
        }
    }
    html(ListPage {
        l: ctx.layout(ctx.m.fb_title),
        groups,
    })
}

// ---------------------------------------------------------------------
// New form and settings.

#[derive(Template)]
#[template(path = "forms/builder/settings.html")]
struct SettingsPage {
    l: Layout,
    form: EditForm,
    back: String,
    back_label: &'static str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub project: String,
    pub purpose: String,
}

/// The values of a form's settings, as a form would send them.
fn settings_pairs(d: &FormData) -> Pairs {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut p = vec![
        ("title".to_owned(), d.title.clone()),
        ("purpose".to_owned(), d.purpose.code().to_owned()),
        ("project".to_owned(), opt(d.project_id)),
        ("activity".to_owned(), opt(d.activity_id)),
        ("session".to_owned(), opt(d.session_id)),
        (
            "audience".to_owned(),
            d.audience.map(|a| a.code().to_owned()).unwrap_or_default(),
        ),
    ];
    if d.anonymous {
        p.push(("anonymous".into(), "1".into()));
    }
    if d.one_per_link {
        p.push(("one_per_link".into(), "1".into()));
    }
    Pairs(p)
}

/// The settings form: `existing` is the form being edited (its purpose
/// is then fixed), none for a new one.
async fn settings_form(
    st: &AppState,
    ctx: &Ctx,
    existing: Option<&Form>,
    pairs: &Pairs,
    errors: &FormErrors,
) -> Result<EditForm, AppError> {
    let m = ctx.m;
    let c = st.db.conn();
    let fb = Fb {
        prefix: "fs",
        pairs,
        errors,
    };
    let projects = projects::list(c, false).await?;
    let project: Option<i64> = pairs.get("project").trim().parse().ok();
    let activity: Option<i64> = pairs.get("activity").trim().parse().ok();
    let acts = match project {
        Some(p) => activities::of_project(c, p).await?,
        None => Vec::new(),
    };
    let mut empty = vec![(String::new(), m.fb_none.to_owned())];
    let project_choices = choices(
        empty.clone().into_iter().chain(
            projects
                .iter()
                .map(|p| (p.id.to_string(), p.data.name.clone())),
        ),
        pairs.get("project"),
    );
    let activity_choices = choices(
        empty.clone().into_iter().chain(
            acts.iter()
                .map(|a| (a.id.to_string(), a.data.title.clone())),
        ),
        pairs.get("activity"),
    );
    let sessions = acts
        .iter()
        .filter(|a| activity.is_none_or(|x| x == a.id))
        .flat_map(|a| {
            a.sessions.iter().map(|s| {
                (
                    s.id.to_string(),
                    format!(
                        "{} — {}",
                        a.data.title,
                        time::datetime(ctx.locale, s.data.starts_at)
                    ),
                )
            })
        });
    let session_choices = choices(
        empty.clone().into_iter().chain(sessions),
        pairs.get("session"),
    );
    empty[0].1 = m.fb_choose.to_owned();
    let mut inputs = vec![fb.required(fb.input("title", m.fb_form_title, "text"))];
    if existing.is_none() {
        inputs.push(
            fb.required(
                fb.select(
                    "purpose",
                    m.fb_purpose,
                    choices(
                        Purpose::ALL
                            .iter()
                            .map(|p| (p.code().to_owned(), p.label(ctx.locale).to_owned())),
                        pairs.get("purpose"),
                    ),
                ),
            ),
        );
    }
    let mut attach = vec![
        fb.select("project", m.fb_project, project_choices),
        fb.hint(
            fb.select("activity", m.fb_activity, activity_choices),
            m.fb_activity_hint,
        ),
        fb.select("session", m.fb_session, session_choices),
    ];
    if project.is_some() && acts.is_empty() {
        attach[1].hint = m.fb_no_activity.to_owned();
    }
    let questionnaire = vec![
        fb.select(
            "audience",
            m.fb_audience,
            choices(
                empty.into_iter().chain(
                    FormAudience::ALL
                        .iter()
                        .map(|a| (a.code().to_owned(), a.label(ctx.locale).to_owned())),
                ),
                pairs.get("audience"),
            ),
        ),
        fb.hint(
            fb.input("anonymous", m.fb_anonymous, "checkbox"),
            m.fb_anonymous_hint,
        ),
        fb.hint(
            fb.input("one_per_link", m.fb_one_per_link, "checkbox"),
            m.fb_one_per_link_hint,
        ),
    ];
    let (action, heading, submit) = match existing {
        Some(f) => (
            format!("/team/forms/{}/settings", f.id),
            m.fb_settings,
            m.fb_save,
        ),
        None => ("/team/forms".to_owned(), m.fb_new, m.fb_create),
    };
    let mut form = fb.form(
        action,
        heading,
        submit,
        Vec::new(),
        vec![
            loose(inputs),
            Group {
                legend: Some(m.fb_attached),
                hint: m.fb_attached_hint,
                inputs: attach,
            },
            Group {
                legend: Some(m.fb_questionnaire_settings),
                hint: m.fb_questionnaire_settings_hint,
                inputs: questionnaire,
            },
        ],
    );
    form.secondary = Some(("refresh", "1", m.fb_refresh_lists));
    Ok(form)
}

/// Reads the settings typed; `purpose` is fixed for an existing form.
async fn parse_settings(
    st: &AppState,
    m: &Messages,
    p: &Pairs,
    purpose: Option<Purpose>,
) -> Result<Result<FormData, FormErrors>, AppError> {
    let c = st.db.conn();
    let mut e = FormErrors::new();
    let err = |e: &mut FormErrors, f: &str, x: FieldError| e.add(f, field_error(m, &x));
    let title = single_line(p.get("title"), 1, 200)
        .map_err(|x| err(&mut e, "title", x))
        .ok();
    let purpose = match purpose {
        Some(p) => Some(p),
        None => Purpose::parse(p.get("purpose"))
            .map_err(|x| err(&mut e, "purpose", x))
            .ok(),
    };
    let id = |name: &str, e: &mut FormErrors| -> Option<i64> {
        let v = p.get(name).trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add(name, field_error(m, &FieldError::InvalidChoice));
                None
            }
        }
    };
    let mut project_id = id("project", &mut e);
    let mut activity_id = id("activity", &mut e);
    let session_id = id("session", &mut e);
    if let Some(pid) = project_id
        && projects::find(c, pid).await?.is_none()
    {
        err(&mut e, "project", FieldError::NotFound);
        project_id = None;
    }
    if let Some(s) = session_id {
        match maillage_db::programme::sessions::find(c, s).await? {
            None => err(&mut e, "session", FieldError::NotFound),
            Some(s) => match activity_id {
                None => activity_id = Some(s.activity_id),
                Some(a) if a != s.activity_id => err(&mut e, "session", FieldError::InvalidChoice),
                Some(_) => {}
            },
        }
    }
    if let Some(aid) = activity_id {
        match activities::find(c, aid).await? {
            None => err(&mut e, "activity", FieldError::NotFound),
            Some(a) => match project_id {
                None => project_id = Some(a.data.project_id),
                Some(pid) if pid != a.data.project_id => {
                    err(&mut e, "activity", FieldError::InvalidChoice)
                }
                Some(_) => {}
            },
        }
    }
    let audience = match p.get("audience").trim() {
        "" => None,
        a => FormAudience::parse(a)
            .map_err(|x| err(&mut e, "audience", x))
            .ok(),
    };
    if purpose == Some(Purpose::Questionnaire) && audience.is_none() && e.get("audience").is_none()
    {
        err(&mut e, "audience", FieldError::Required);
    }
    let questionnaire = purpose == Some(Purpose::Questionnaire);
    match (title, purpose) {
        (Some(title), Some(purpose)) if e.is_empty() => Ok(Ok(FormData {
            title,
            purpose,
            project_id,
            activity_id,
            session_id,
            audience: if questionnaire { audience } else { None },
            anonymous: p.checked("anonymous"),
            one_per_link: p.checked("one_per_link"),
        })),
        _ => Ok(Err(e)),
    }
}

/// `GET /team/forms/new`: a new form (`?project=` fills the lists of
/// activities and sessions of that project).
pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let purpose = Purpose::parse(&q.purpose).unwrap_or(Purpose::Questionnaire);
    let pairs = Pairs(vec![
        ("purpose".into(), purpose.code().into()),
        ("project".into(), q.project.clone()),
        ("audience".into(), FormAudience::Public.code().into()),
        ("anonymous".into(), "1".into()),
    ]);
    let form = settings_form(&st, &ctx, None, &pairs, &FormErrors::new()).await?;
    html(SettingsPage {
        l: ctx.layout(ctx.m.fb_new),
        form,
        back: "/team/forms".into(),
        back_label: ctx.m.fb_all_forms,
    })
}

/// `POST /team/forms`: creates the form (no question yet) and opens its
/// builder; "refresh" shows the form again with the lists of the chosen
/// project.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let m = ctx.m;
    if pairs.checked("refresh") {
        let form = settings_form(&st, &ctx, None, &pairs, &FormErrors::new()).await?;
        return html(SettingsPage {
            l: ctx.layout(m.fb_new),
            form,
            back: "/team/forms".into(),
            back_label: m.fb_all_forms,
        });
    }
    let data = match parse_settings(&st, m, &pairs, None).await? {
        Ok(d) => d,
        Err(errors) => {
            let form = settings_form(&st, &ctx, None, &pairs, &errors).await?;
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                SettingsPage {
                    l: ctx.layout(m.fb_new),
                    form,
                    back: "/team/forms".into(),
                    back_label: m.fb_all_forms,
                },
            );
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let f = forms::create(&tx, &data, &Schema::default(), now).await?;
    record(
        &tx,
        &ctx,
        "create",
        f.id,
        data.title.clone(),
        settings_json(&data),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/forms/{}", f.id),
        Flash::Saved,
    ))
}

/// `POST /team/forms/{id}/copy`: a new form with the same settings and
/// the current questions, no answers (last edition's questionnaire made
/// ready for the next one); then its settings, to attach it elsewhere.
pub async fn copy(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    let mut data = f.data.clone();
    data.title = fill(ctx.m.fb_copy_title, &[("title", &f.data.title)]);
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let new = forms::create(&tx, &data, &f.version.schema, now).await?;
    let mut detail = settings_json(&data);
    detail["copied_from"] = json!({ "id": f.id, "version": f.version.number });
    record(&tx, &ctx, "create", new.id, data.title.clone(), detail, now).await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/forms/{}/settings", new.id),
        Flash::Saved,
    ))
}

fn settings_json(d: &FormData) -> Value {
    json!({
        "title": d.title, "purpose": d.purpose.code(), "project_id": d.project_id,
        "activity_id": d.activity_id, "session_id": d.session_id,
        "audience": d.audience.map(|a| a.code()), "anonymous": d.anonymous,
        "one_per_link": d.one_per_link,
    })
}

/// `GET /team/forms/{id}/settings`.
pub async fn settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    let pairs = settings_pairs(&f.data);
    let form = settings_form(&st, &ctx, Some(&f), &pairs, &FormErrors::new()).await?;
    html(SettingsPage {
        l: ctx.layout(f.data.title.clone()),
        form,
        back: format!("/team/forms/{id}"),
        back_label: ctx.m.fb_back,
    })
}

/// `POST /team/forms/{id}/settings`.
pub async fn save_settings(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    let back = format!("/team/forms/{id}");
    let errors = if pairs.checked("refresh") {
        None
    } else {
        match parse_settings(&st, ctx.m, &pairs, Some(f.data.purpose)).await? {
            Ok(data) => {
                let now = maillage_db::now();
                let tx = st.db.write().await?;
                forms::update(&tx, id, &data, now).await?;
                record(
                    &tx,
                    &ctx,
                    "update",
                    id,
                    data.title.clone(),
                    json!({"before": settings_json(&f.data), "after": settings_json(&data)}),
                    now,
                )
                .await?;
                tx.commit().await?;
                return Ok(redirect_flash(&st, &back, Flash::Saved));
            }
            Err(e) => Some(e),
        }
    };
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let errors = errors.unwrap_or_default();
    let form = settings_form(&st, &ctx, Some(&f), &pairs, &errors).await?;
    html_status(
        status,
        SettingsPage {
            l: ctx.layout(f.data.title.clone()),
            form,
            back,
            back_label: ctx.m.fb_back,
        },
    )
}

// ---------------------------------------------------------------------
// Items: reading what was typed into a field, a heading or a text.

/// A key made from a label, unique among `taken`.
fn derive_key(label: &str, taken: &[&str], fallback: &str) -> String {
    let mut base = maillage_domain::programme::slugify(label).replace('-', "_");
    if base.is_empty() {
        base = fallback.to_owned();
    }
    base.truncate(KEY_MAX - 4);
    let base = base.trim_end_matches('_').to_owned();
    if !taken.contains(&base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken.contains(&k.as_str()))
        .unwrap_or(base)
}

/// The values of a field, as the field form sends them.
fn field_pairs(f: &Field) -> Pairs {
    let mut p: Vec<(String, String)> = vec![
        ("kind".into(), f.kind.code().into()),
        ("label".into(), f.label.clone()),
        ("key".into(), f.key.clone()),
        ("help".into(), f.help.clone().unwrap_or_default()),
    ];
    if f.required {
        p.push(("required".into(), "1".into()));
    }
    if let Some(c) = &f.condition {
        p.push(("condition".into(), format!("{}={}", c.field, c.value)));
    }
    let opt = |v: Option<String>| v.unwrap_or_default();
    match &f.kind {
        Kind::Number { min, max, integer } => {
            p.push(("min".into(), opt(min.map(|v| v.to_string()))));
            p.push(("max".into(), opt(max.map(|v| v.to_string()))));
            if *integer {
                p.push(("integer".into(), "1".into()));
            }
        }
        Kind::MultipleChoice { min, max, .. } => {
            p.push(("min".into(), opt(min.map(|v| v.to_string()))));
            p.push(("max".into(), opt(max.map(|v| v.to_string()))));
        }
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => {
            p.push(("scale_min".into(), min.to_string()));
            p.push(("scale_max".into(), max.to_string()));
            p.push(("min_label".into(), opt(min_label.clone())));
            p.push(("max_label".into(), opt(max_label.clone())));
        }
        Kind::File { types, max_bytes } => {
            for t in types {
                p.push(("types".into(), t.code().into()));
            }
            p.push((
                "max_mb".into(),
                maillage_domain::forms::format_number(*max_bytes as f64 / 1e6),
            ));
        }
        _ => {}
    }
    let options = f.kind.options();
    if !options.is_empty() {
        p.push((
            "options".into(),
            options
                .iter()
                .map(|o| format!("{} | {}", o.key, o.label))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    Pairs(p)
}

/// What a new field's form starts with.
fn new_field_pairs() -> Pairs {
    Pairs(vec![
        ("kind".into(), "short_text".into()),
        ("scale_min".into(), "1".into()),
        ("scale_max".into(), "5".into()),
        ("max_mb".into(), "5".into()),
        ("types".into(), "pdf".into()),
    ])
}

/// Reads the options typed, one per line: `label`, or `key | label` to
/// fix the stored code. A line without a key keeps the key of an option
/// of the same label in `old`, else gets one made from its label.
fn parse_options(text: &str, old: &[Opt]) -> Vec<Opt> {
    let mut out: Vec<Opt> = Vec::new();
    let lines: Vec<(Option<String>, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((k, label)) if !k.trim().is_empty() => {
                (Some(k.trim().to_owned()), label.trim().to_owned())
            }
            Some((_, label)) => (None, label.trim().to_owned()),
            None => (None, l.to_owned()),
        })
        .collect();
    let given: Vec<String> = lines.iter().filter_map(|(k, _)| k.clone()).collect();
    for (i, (k, label)) in lines.into_iter().enumerate() {
        let key = match k {
            Some(k) => k,
            None => {
                let mut taken: Vec<&str> = out.iter().map(|o| o.key.as_str()).collect();
                taken.extend(given.iter().map(String::as_str));
                match old.iter().find(|o| o.label == label) {
                    Some(o) if !taken.contains(&o.key.as_str()) => o.key.clone(),
                    _ => derive_key(&label, &taken, &format!("option_{}", i + 1)),
                }
            }
        };
        out.push(Opt { key, label });
    }
    out
}

/// An optional whole number typed in a field.
fn whole(v: &str) -> Result<Option<i64>, FieldError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let n = maillage_domain::forms::number(v)?;
    if n.fract() != 0.0 {
        return Err(FieldError::NotWhole);
    }
    if n.abs() > 1e15 {
        return Err(FieldError::InvalidNumber);
    }
    Ok(Some(n as i64))
}

/// Reads the field form. `at` is where the field goes in `schema`
/// (`replace`: instead of the item there). Returns the field (with
/// defaults where the input was unreadable) and the messages of what
/// could not be read, by input name.
fn parse_field(
    m: &Messages,
    p: &Pairs,
    schema: &Schema,
    at: usize,
    replace: bool,
) -> (Field, FormErrors) {
    let mut e = FormErrors::new();
    let bad = |e: &mut FormErrors, name: &str, x: FieldError| e.add(name, field_error(m, &x));
    let old = if replace {
        match schema.items.get(at) {
            Some(Item::Field(f)) => Some(f),
            _ => None,
        }
    } else {
        None
    };
    let label = p.get("label").trim().to_owned();
    let taken: Vec<&str> = schema
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !(replace && *i == at))
        .filter_map(|(_, it)| match it {
            Item::Field(f) => Some(f.key.as_str()),
            _ => None,
        })
        .collect();
    let key = match p.get("key").trim() {
        "" => derive_key(&label, &taken, &format!("question_{}", at + 1)),
        k => k.to_owned(),
    };
    let help = match p.get("help").trim() {
        "" => None,
        h => match single_line(h, 1, 1000) {
            Ok(h) => Some(h),
            Err(x) => {
                bad(&mut e, "help", x);
                None
            }
        },
    };
    let num = |e: &mut FormErrors, name: &str| match whole(p.get(name)) {
        Ok(v) => v,
        Err(x) => {
            e.add(name, field_error(m, &x));
            None
        }
    };
    let old_options = old.map(|f| f.kind.options()).unwrap_or(&[]);
    let options = || parse_options(p.get("options"), old_options);
    let code = p.get("kind");
    let kind = match code {
        "short_text" => Kind::ShortText,
        "long_text" => Kind::LongText,
        "email" => Kind::Email,
        "phone" => Kind::Phone,
        "number" => Kind::Number {
            min: num(&mut e, "min"),
            max: num(&mut e, "max"),
            integer: p.checked("integer"),
        },
        "date" => Kind::Date,
        "single_choice" => Kind::SingleChoice { options: options() },
        "dropdown" => Kind::Dropdown { options: options() },
        "multiple_choice" => {
            let mut count = |name: &str| {
                num(&mut e, name).and_then(|v| match usize::try_from(v) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        bad(&mut e, name, FieldError::TooSmall { min: 0 });
                        None
                    }
                })
            };
            let (min, max) = (count("min"), count("max"));
            Kind::MultipleChoice {
                options: options(),
                min,
                max,
            }
        }
        "scale" => {
            let mut bound = |name: &str, default: i32| {
                if p.get(name).trim().is_empty() {
                    return default;
                }
                match num(&mut e, name).map(i32::try_from) {
                    Some(Ok(v)) => v,
                    Some(Err(_)) => {
                        bad(
                            &mut e,
                            name,
                            FieldError::OutOfRange {
                                min: -100,
                                max: 100,
                            },
                        );
                        default
                    }
                    None => default,
                }
            };
            let (min, max) = (bound("scale_min", 1), bound("scale_max", 5));
            let text = |name: &str| match p.get(name).trim() {
                "" => None,
                t => Some(t.to_owned()),
            };
            Kind::Scale {
                min,
                max,
                min_label: text("min_label"),
                max_label: text("max_label"),
            }
        }
        "nps" => Kind::Nps,
        "yes_no" => Kind::YesNo,
        "file" => {
            let mut types = Vec::new();
            for t in p.all("types") {
                match FileKind::parse(t) {
                    Some(k) if !types.contains(&k) => types.push(k),
                    Some(_) => {}
                    None => bad(&mut e, "types", FieldError::InvalidChoice),
                }
            }
            let max_bytes = match p.get("max_mb").trim() {
                "" => 5_000_000,
                v => match maillage_domain::forms::number(v) {
                    Ok(n) if n > 0.0 && n < 1e6 => (n * 1e6).round() as u64,
                    Ok(_) => 0,
                    Err(x) => {
                        bad(&mut e, "max_mb", x);
                        5_000_000
                    }
                },
            };
            Kind::File { types, max_bytes }
        }
        _ => {
            bad(&mut e, "kind", FieldError::InvalidChoice);
            Kind::ShortText
        }
    };
    let condition = match p.get("condition").trim() {
        "" => None,
        c => match c.split_once('=') {
            Some((field, value)) => Some(Condition {
                field: field.to_owned(),
                value: value.to_owned(),
            }),
            None => {
                bad(&mut e, "condition", FieldError::InvalidCondition);
                None
            }
        },
    };
    (
        Field {
            key,
            label,
            help,
            required: p.checked("required"),
            condition,
            kind,
        },
        e,
    )
}

/// Reads the section heading form.
fn parse_section(m: &Messages, p: &Pairs) -> (Item, FormErrors) {
    let mut e = FormErrors::new();
    let help = match p.get("help").trim() {
        "" => None,
        h => match single_line(h, 1, 1000) {
            Ok(h) => Some(h),
            Err(x) => {
                e.add("help", field_error(m, &x));
                None
            }
        },
    };
    (
        Item::Section {
            title: p.get("title").trim().to_owned(),
            help,
        },
        e,
    )
}

/// Reads the help text form.
fn parse_text(m: &Messages, p: &Pairs) -> (Item, FormErrors) {
    let mut e = FormErrors::new();
    let text = p.get("text").replace("\r\n", "\n").trim().to_owned();
    if text.chars().count() > 5000 {
        e.add("text", field_error(m, &FieldError::TooLong { max: 5000 }));
    }
    (Item::HelpText { text }, e)
}

/// The input a domain message about item `n` belongs beside.
fn input_of(kind: Option<&Kind>, what: &str) -> (&'static str, Option<usize>) {
    let mut parts = what.split('.');
    let first = parts.next().unwrap_or("");
    let line = parts.next().and_then(|j| j.parse::<usize>().ok());
    let scale = matches!(kind, Some(Kind::Scale { .. }));
    let name = match first {
        "key" => "key",
        "label" => "label",
        "options" => "options",
        "min" if scale => "scale_min",
        "max" if scale => "scale_max",
        "min" => "min",
        "max" => "max",
        "types" => "types",
        "max_bytes" => "max_mb",
        "condition" => "condition",
        "title" => "title",
        "text" => "text",
        "help" => "help",
        _ => "",
    };
    (name, line)
}

/// A short name of an item, for messages and the list.
fn item_name(m: &Messages, it: &Item) -> String {
    match it {
        Item::Field(f) => f.label.clone(),
        Item::Section { title, .. } => format!("{} « {title} »", m.fb_section),
        Item::HelpText { text } => {
            let t: String = text.chars().take(40).collect();
            format!("{} « {t} »", m.fb_help_text)
        }
    }
}

/// Checks `schema` with the domain; messages about item `focus` go
/// beside its inputs (in `e`), others into the general message.
fn validate(m: &Messages, schema: &Schema, focus: Option<usize>, e: &mut FormErrors) {
    let Err(errs) = schema.validate() else {
        return;
    };
    let mut general = Vec::new();
    for (path, err) in errs.iter() {
        let rest = path.strip_prefix("items.");
        let (n, what) = match rest.and_then(|r| r.split_once('.')) {
            Some((n, what)) => (n.parse::<usize>().ok(), what),
            None => (None, ""),
        };
        let msg = field_error(m, err);
        let item = n.and_then(|n| schema.items.get(n));
        if n.is_some() && n == focus {
            let kind = match item {
                Some(Item::Field(f)) => Some(&f.kind),
                _ => None,
            };
            let (name, line) = input_of(kind, what);
            let msg = match line {
                Some(j) => fill(
                    m.fb_err_line,
                    &[("line", &(j + 1).to_string()), ("message", &msg)],
                ),
                None => msg,
            };
            if e.get(name).is_none() {
                e.add(name, msg);
            }
        } else {
            let name = item.map(|it| item_name(m, it));
            general.push(match (n, name) {
                (Some(n), Some(name)) => fill(
                    m.fb_err_item,
                    &[
                        ("n", &(n + 1).to_string()),
                        ("name", &name),
                        ("message", &msg),
                    ],
                ),
                _ => msg,
            });
        }
    }
    if !general.is_empty() {
        e.general = Some(general.join(" "));
    }
}

// ---------------------------------------------------------------------
// The builder page.

pub struct ItemRow {
    pub n: usize,
    pub what: &'static str,
    pub text: String,
    pub key: String,
    pub required: bool,
    pub details: String,
    pub condition: Option<String>,
    pub first: bool,
    pub last: bool,
}

pub struct VersionRow {
    pub number: i32,
    pub created: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "forms/builder/builder.html")]
struct BuilderPage {
    l: Layout,
    id: i64,
    purpose: &'static str,
    attached: String,
    audience: Option<&'static str>,
    version: i32,
    versions: Vec<VersionRow>,
    answers: u64,
    has_answers: bool,
    new_version: bool,
    rev: String,
    rows: Vec<ItemRow>,
    general: Option<String>,
    /// The add form below that was refused, for a link at the top.
    refused: Option<&'static str>,
    add_field: EditForm,
    add_section: EditForm,
    add_text: EditForm,
    public_link: Option<String>,
    results_link: Option<String>,
}

/// The `condition` choices of an item at `at`: "always", then each
/// answer of each choice or yes/no field before it.
fn condition_choices(m: &Messages, schema: &Schema, at: usize, current: &str) -> Vec<Choice> {
    let mut all = vec![(String::new(), m.fb_always.to_owned())];
    for it in schema.items.iter().take(at) {
        let Item::Field(f) = it else { continue };
        let answers: Vec<(String, String)> = match &f.kind {
            Kind::YesNo => vec![
                ("yes".into(), m.fm_yes.into()),
                ("no".into(), m.fm_no.into()),
            ],
            k => k
                .options()
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect(),
        };
        for (v, l) in answers {
            all.push((
                format!("{}={v}", f.key),
                fill(m.fb_when, &[("question", &f.label), ("answer", &l)]),
            ));
        }
    }
    // A condition no longer offered (its target moved) stays shown.
    if !current.is_empty() && !all.iter().any(|(v, _)| v == current) {
        all.push((current.to_owned(), current.to_owned()));
    }
    choices(all, current)
}

/// Where a builder form goes and what it is called.
struct Spec {
    prefix: &'static str,
    action: String,
    heading: &'static str,
    submit: &'static str,
    hidden: Vec<(&'static str, String)>,
}

/// The field form, for adding (`at` = the end) or editing item `at`.
fn field_form(
    m: &Messages,
    f: &Form,
    at: usize,
    pairs: &Pairs,
    errors: &FormErrors,
    spec: Spec,
) -> EditForm {
    let fb = Fb {
        prefix: spec.prefix,
        pairs,
        errors,
    };
    let kind = pairs.get("kind");
    let types: Vec<&str> = pairs.all("types");
    let mut type_input = fb.input("types", m.fb_file_types, "checkboxes");
    type_input.choices = FileKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), file_kind_label(*k), types.contains(&k.code())))
        .collect();
    let groups = vec![
        loose(vec![
            fb.required(
                fb.select(
                    "kind",
                    m.fb_kind,
                    choices(
                        KINDS
                            .iter()
                            .map(|k| ((*k).to_owned(), kind_label(m, k).to_owned())),
                        kind,
                    ),
                ),
            ),
            fb.required(fb.input("label", m.fb_label, "text")),
            fb.hint(fb.input("key", m.fb_key, "text"), m.fb_key_hint),
            fb.input("help", m.fb_help, "text"),
            fb.input("required", m.fb_required, "checkbox"),
        ]),
        Group {
            legend: Some(m.fb_options),
            hint: m.fb_options_group_hint,
            inputs: vec![fb.hint(
                fb.input("options", m.fb_options_lines, "textarea"),
                m.fb_options_hint,
            )],
        },
        Group {
            legend: Some(m.fb_bounds),
            hint: m.fb_bounds_hint,
            inputs: vec![
                fb.input("min", m.fb_min, "text"),
                fb.input("max", m.fb_max, "text"),
                fb.input("integer", m.fb_integer, "checkbox"),
            ],
        },
        Group {
            legend: Some(m.fb_scale),
            hint: m.fb_scale_hint,
            inputs: vec![
                fb.input("scale_min", m.fb_min, "text"),
                fb.input("scale_max", m.fb_max, "text"),
                fb.input("min_label", m.fb_min_label, "text"),
                fb.input("max_label", m.fb_max_label, "text"),
            ],
        },
        Group {
            legend: Some(m.fb_file),
            hint: m.fb_file_hint,
            inputs: vec![type_input, fb.input("max_mb", m.fb_max_mb, "text")],
        },
        Group {
            legend: Some(m.fb_condition),
            hint: m.fb_condition_hint,
            inputs: vec![fb.select(
                "condition",
                m.fb_show,
                condition_choices(m, &f.version.schema, at, pairs.get("condition")),
            )],
        },
    ];
    fb.form(spec.action, spec.heading, spec.submit, spec.hidden, groups)
}

fn section_form(m: &Messages, pairs: &Pairs, errors: &FormErrors, spec: Spec) -> EditForm {
    let fb = Fb {
        prefix: spec.prefix,
        pairs,
        errors,
    };
    fb.form(
        spec.action,
        spec.heading,
        spec.submit,
        spec.hidden,
        vec![loose(vec![
            fb.required(fb.input("title", m.fb_section_title, "text")),
            fb.hint(fb.input("help", m.fb_help, "text"), m.fb_section_help_hint),
        ])],
    )
}

fn text_form(m: &Messages, pairs: &Pairs, errors: &FormErrors, spec: Spec) -> EditForm {
    let fb = Fb {
        prefix: spec.prefix,
        pairs,
        errors,
    };
    fb.form(
        spec.action,
        spec.heading,
        spec.submit,
        spec.hidden,
        vec![loose(vec![fb.required(fb.input(
            "text",
            m.fb_help_text,
            "textarea",
        ))])],
    )
}

/// Description of a field's settings for the list of items.
fn details(ctx: &Ctx, f: &Field) -> String {
    let m = ctx.m;
    match &f.kind {
        Kind::Number { min, max, integer } => {
            let mut s = Vec::new();
            if let Some(a) = min {
                s.push(format!("≥ {a}"));
            }
            if let Some(b) = max {
                s.push(format!("≤ {b}"));
            }
            if *integer {
                s.push(m.fb_integer.to_owned());
            }
            s.join(", ")
        }
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => {
            let lo = min_label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let hi = max_label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            format!("{min}{lo} → {max}{hi}")
        }
        Kind::File { types, max_bytes } => format!(
            "{} · {} Mo",
            types
                .iter()
                .map(|t| file_kind_label(*t))
                .collect::<Vec<_>>()
                .join(", "),
            maillage_domain::forms::format_number(*max_bytes as f64 / 1e6)
        ),
        k => k
            .options()
            .iter()
            .map(|o| o.label.as_str())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// What the builder shows in place of its empty "add" forms: the form
/// that was sent, with its messages.
#[derive(Default)]
struct Sent {
    field: Option<(Pairs, FormErrors)>,
    section: Option<(Pairs, FormErrors)>,
    text: Option<(Pairs, FormErrors)>,
    general: Option<String>,
    new_version: bool,
}

async fn builder(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    sent: Sent,
    status: StatusCode,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let c = st.db.conn();
    let schema = &f.version.schema;
    let n = schema.items.len();
    let rev = rev(f);
    let rows = schema
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let (what, text, key, required, det, condition) = match it {
                Item::Section { title, help } => (
                    m.fb_section,
                    title.clone(),
                    String::new(),
                    false,
                    help.clone().unwrap_or_default(),
                    None,
                ),
                Item::HelpText { text } => (
                    m.fb_help_text,
                    text.clone(),
                    String::new(),
                    false,
                    String::new(),
                    None,
                ),
                Item::Field(fd) => (
                    kind_label(m, fd.kind.code()),
                    fd.label.clone(),
                    fd.key.clone(),
                    fd.required,
                    details(ctx, fd),
                    fd.condition.as_ref().map(|cd| {
                        let q = schema.field(&cd.field);
                        let answer = match q.map(|q| &q.kind) {
                            Some(Kind::YesNo) if cd.value == "yes" => m.fm_yes.to_owned(),
                            Some(Kind::YesNo) => m.fm_no.to_owned(),
                            Some(k) => k
                                .options()
                                .iter()
                                .find(|o| o.key == cd.value)
                                .map_or_else(|| cd.value.clone(), |o| o.label.clone()),
                            None => cd.value.clone(),
                        };
                        fill(
                            m.fb_when,
                            &[
                                (
                                    "question",
                                    q.map_or(cd.field.as_str(), |q| q.label.as_str()),
                                ),
                                ("answer", &answer),
                            ],
                        )
                    }),
                ),
            };
            ItemRow {
                n: i,
                what,
                text,
                key,
                required,
                details: det,
                condition,
                first: i == 0,
                last: i + 1 == n,
            }
        })
        .collect();
    let spec = |prefix, heading, submit, kind: &str| Spec {
        prefix,
        action: format!("/team/forms/{}/items", f.id),
        heading,
        submit,
        hidden: vec![("rev", rev.clone()), ("type", kind.to_owned())],
    };
    let refused = if sent.field.is_some() {
        Some("af")
    } else if sent.section.is_some() {
        Some("as")
    } else if sent.text.is_some() {
        Some("at")
    } else {
        None
    };
    let (fp, fe) = sent
        .field
        .unwrap_or_else(|| (new_field_pairs(), FormErrors::new()));
    let add_field = field_form(
        m,
        f,
        n,
        &fp,
        &fe,
        spec("af", m.fb_add_field, m.fb_add_field_submit, "field"),
    );
    let (sp, se) = sent.section.unwrap_or_default();
    let add_section = section_form(
        m,
        &sp,
        &se,
        spec("as", m.fb_add_section, m.fb_add_section_submit, "section"),
    );
    let (tp, te) = sent.text.unwrap_or_default();
    let add_text = text_form(
        m,
        &tp,
        &te,
        spec("at", m.fb_add_text, m.fb_add_text_submit, "text"),
    );
    let answers = answers_count(st, f).await?;
    let has_answers = forms::has_answers(c, f.version.id).await?;
    let versions = forms::versions(c, f.id)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            number: v.number,
            created: time::datetime(ctx.locale, v.created_at),
            current: v.id == f.version.id,
        })
        .collect();
    let (public_link, results_link) = match f.data.purpose {
        Purpose::Questionnaire => (
            Some(format!("/q/{}", f.id)),
            Some(format!("/team/questionnaires/{}", f.id)),
        ),
        _ => {
            let mut link = None;
            let found = match f.data.project_id {
                Some(p) => calls::of_project(c, p).await?,
                None => calls::open(c, maillage_db::now()).await?,
            };
            if let Some(call) = found.iter().find(|x| x.data.form_id == f.id) {
                link = Some(format!("/appel/{}", call.data.slug));
            }
            (link, None)
        }
    };
    html_status(
        status,
        BuilderPage {
            l: ctx.layout(f.data.title.clone()),
            id: f.id,
            purpose: f.data.purpose.label(ctx.locale),
            attached: attached(st, ctx, &f.data).await?,
            audience: f.data.audience.map(|a| a.label(ctx.locale)),
            version: f.version.number,
            versions,
            answers,
            has_answers,
            new_version: sent.new_version,
            rev,
            rows,
            general: sent.general,
            refused,
            add_field,
            add_section,
            add_text,
            public_link,
            results_link,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BuilderQuery {
    /// Set after a change that made a new version.
    pub version: String,
}

/// `GET /team/forms/{id}`: the builder.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<BuilderQuery>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    let sent = Sent {
        new_version: q.version == f.version.number.to_string() && f.version.number > 1,
        ..Default::default()
    };
    builder(&st, &ctx, &f, sent, StatusCode::OK).await
}

/// Saves `schema` as the form's questions, with an audit entry; then
/// back to the builder (saying so when a new version was made).
async fn save(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    schema: &Schema,
    op: &str,
    anchor: Option<usize>,
    detail: Value,
) -> Result<Response, AppError> {
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    // Checked again in the write transaction: another change may have
    // been saved since the page was read.
    let current = forms::find(&tx, f.id).await?.ok_or(AppError::NotFound)?;
    if rev(&current) != rev(f) {
        tx.rollback().await?;
        return stale(st, ctx, &current).await;
    }
    let saved = forms::save_schema(&tx, f.id, schema, now).await?;
    let version = match saved {
        Saved::Replaced => f.version.number,
        Saved::NewVersion { number, .. } => number,
    };
    record(
        &tx,
        ctx,
        "update",
        f.id,
        format!("{} : {op}", f.data.title),
        json!({"op": op, "version": version, "new_version": matches!(saved, Saved::NewVersion { .. }), "detail": detail}),
        now,
    )
    .await?;
    tx.commit().await?;
    let mut to = format!("/team/forms/{}", f.id);
    if matches!(saved, Saved::NewVersion { .. }) {
        to.push_str(&format!("?version={version}"));
    }
    if let Some(n) = anchor {
        to.push_str(&format!("#item-{n}"));
    }
    Ok(redirect_flash(st, &to, Flash::Saved))
}

/// Whether the page the change was made on showed the current questions.
fn fresh(f: &Form, p: &Pairs) -> bool {
    p.get("rev") == rev(f)
}

async fn stale(st: &AppState, ctx: &Ctx, f: &Form) -> Result<Response, AppError> {
    builder(
        st,
        ctx,
        f,
        Sent {
            general: Some(ctx.m.fb_err_stale.to_owned()),
            ..Default::default()
        },
        StatusCode::CONFLICT,
    )
    .await
}

/// When a field's key changes, the conditions that pointed at the old
/// key follow it.
fn rename_conditions(schema: &mut Schema, old: &str, new: &str) {
    if old == new {
        return;
    }
    for it in &mut schema.items {
        if let Item::Field(f) = it
            && let Some(c) = &mut f.condition
            && c.field == old
        {
            c.field = new.to_owned();
        }
    }
}

/// `POST /team/forms/{id}/items`: adds a field, a section heading or a
/// help text at the end.
pub async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let f = find(&st, id).await?;
    if !fresh(&f, &pairs) {
        return stale(&st, &ctx, &f).await;
    }
    let mut schema = f.version.schema.clone();
    let at = schema.items.len();
    let kind = pairs.get("type").to_owned();
    let (item, mut e) = match kind.as_str() {
        "field" => {
            let (fd, e) = parse_field(m, &pairs, &schema, at, false);
            (Item::Field(fd), e)
        }
        "section" => parse_section(m, &pairs),
        "text" => parse_text(m, &pairs),
        _ => return Err(AppError::BadRequest(None)),
    };
    let op = match &item {
        Item::Field(fd) => format!("add field {}", fd.key),
        Item::Section { .. } => "add section".to_owned(),
        Item::HelpText { .. } => "add help text".to_owned(),
    };
    schema.items.push(item.clone());
    validate(m, &schema, Some(at), &mut e);
    if e.is_empty() {
        let detail =
            json!({"position": at + 1, "item": serde_json::to_value(&item).unwrap_or_default()});
        return save(&st, &ctx, &f, &schema, &op, Some(at), detail).await;
    }
    let general = e.general.take();
    let mut sent = Sent {
        general,
        ..Default::default()
    };
    match kind.as_str() {
        "field" => sent.field = Some((pairs, e)),
        "section" => sent.section = Some((pairs, e)),
        _ => sent.text = Some((pairs, e)),
    }
    builder(&st, &ctx, &f, sent, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Template)]
#[template(path = "forms/builder/item.html")]
struct ItemPage {
    l: Layout,
    id: i64,
    form: EditForm,
    has_answers: bool,
    is_field: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemQuery {
    pub n: String,
}

fn item_at(f: &Form, n: &str) -> Result<(usize, Item), AppError> {
    let n: usize = n.trim().parse().map_err(|_| AppError::NotFound)?;
    f.version
        .schema
        .items
        .get(n)
        .cloned()
        .map(|it| (n, it))
        .ok_or(AppError::NotFound)
}

async fn item_page(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    (n, item): (usize, &Item),
    pairs: &Pairs,
    errors: &FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let spec = |prefix, heading| Spec {
        prefix,
        action: format!("/team/forms/{}/item", f.id),
        heading,
        submit: m.fb_save,
        hidden: vec![("rev", rev(f)), ("n", n.to_string())],
    };
    let (form, is_field) = match item {
        Item::Field(_) => (
            field_form(m, f, n, pairs, errors, spec("ef", m.fb_edit_field)),
            true,
        ),
        Item::Section { .. } => (
            section_form(m, pairs, errors, spec("es", m.fb_edit_section)),
            false,
        ),
        Item::HelpText { .. } => (
            text_form(m, pairs, errors, spec("et", m.fb_edit_text)),
            false,
        ),
    };
    let has_answers = forms::has_answers(st.db.conn(), f.version.id).await?;
    html_status(
        status,
        ItemPage {
            l: ctx.layout(format!("{} — {}", f.data.title, item_name(m, item))),
            id: f.id,
            form,
            has_answers,
            is_field,
        },
    )
}

/// `GET /team/forms/{id}/item?n=3`: the form to edit item `n` (from 0).
pub async fn edit_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ItemQuery>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    let (n, item) = item_at(&f, &q.n)?;
    let pairs = match &item {
        Item::Field(fd) => field_pairs(fd),
        Item::Section { title, help } => Pairs(vec![
            ("title".into(), title.clone()),
            ("help".into(), help.clone().unwrap_or_default()),
        ]),
        Item::HelpText { text } => Pairs(vec![("text".into(), text.clone())]),
    };
    item_page(
        &st,
        &ctx,
        &f,
        (n, &item),
        &pairs,
        &FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /team/forms/{id}/item`: saves item `n`.
pub async fn save_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let f = find(&st, id).await?;
    if !fresh(&f, &pairs) {
        return stale(&st, &ctx, &f).await;
    }
    let (n, old) = item_at(&f, pairs.get("n"))?;
    let mut schema = f.version.schema.clone();
    let (item, mut e) = match &old {
        Item::Field(_) => {
            let (fd, e) = parse_field(m, &pairs, &schema, n, true);
            (Item::Field(fd), e)
        }
        Item::Section { .. } => parse_section(m, &pairs),
        Item::HelpText { .. } => parse_text(m, &pairs),
    };
    if let (Item::Field(a), Item::Field(b)) = (&old, &item) {
        rename_conditions(&mut schema, &a.key, &b.key);
    }
    schema.items[n] = item.clone();
    validate(m, &schema, Some(n), &mut e);
    if e.is_empty() {
        let op = match &item {
            Item::Field(fd) => format!("edit field {}", fd.key),
            _ => format!("edit item {}", n + 1),
        };
        let detail = json!({
            "position": n + 1,
            "before": serde_json::to_value(&old).unwrap_or_default(),
            "after": serde_json::to_value(&item).unwrap_or_default(),
        });
        return save(&st, &ctx, &f, &schema, &op, Some(n), detail).await;
    }
    item_page(
        &st,
        &ctx,
        &f,
        (n, &old),
        &pairs,
        &e,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /team/forms/{id}/move`: moves item `n` one place up or down.
pub async fn move_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let f = find(&st, id).await?;
    if !fresh(&f, &pairs) {
        return stale(&st, &ctx, &f).await;
    }
    let (n, item) = item_at(&f, pairs.get("n"))?;
    let len = f.version.schema.items.len();
    let to = match pairs.get("dir") {
        "up" if n > 0 => n - 1,
        "down" if n + 1 < len => n + 1,
        "up" | "down" => return Ok(redirect(&format!("/team/forms/{id}"), [])),
        _ => return Err(AppError::BadRequest(None)),
    };
    let mut schema = f.version.schema.clone();
    schema.items.swap(n, to);
    let mut e = FormErrors::new();
    validate(m, &schema, None, &mut e);
    if !e.is_empty() {
        return builder(
            &st,
            &ctx,
            &f,
            Sent {
                general: Some(fill(
                    m.fb_err_move,
                    &[
                        ("name", &item_name(m, &item)),
                        ("message", e.general.as_deref().unwrap_or("")),
                    ],
                )),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let op = format!("move item {} to {}", n + 1, to + 1);
    save(
        &st,
        &ctx,
        &f,
        &schema,
        &op,
        Some(to),
        json!({"from": n + 1, "to": to + 1}),
    )
    .await
}

/// `POST /team/forms/{id}/remove`: deletes item `n` (refused while a
/// later question depends on it).
pub async fn remove_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let f = find(&st, id).await?;
    if !fresh(&f, &pairs) {
        return stale(&st, &ctx, &f).await;
    }
    let (n, item) = item_at(&f, pairs.get("n"))?;
    let mut schema = f.version.schema.clone();
    schema.items.remove(n);
    let mut e = FormErrors::new();
    validate(m, &schema, None, &mut e);
    if !e.is_empty() {
        return builder(
            &st,
            &ctx,
            &f,
            Sent {
                general: Some(fill(
                    m.fb_err_remove,
                    &[
                        ("name", &item_name(m, &item)),
                        ("message", e.general.as_deref().unwrap_or("")),
                    ],
                )),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let op = match &item {
        Item::Field(fd) => format!("delete field {}", fd.key),
        _ => format!("delete item {}", n + 1),
    };
    let detail =
        json!({"position": n + 1, "item": serde_json::to_value(&item).unwrap_or_default()});
    save(&st, &ctx, &f, &schema, &op, None, detail).await
}

// ---------------------------------------------------------------------
// Preview.

#[derive(Template)]
#[template(path = "forms/builder/preview.html")]
struct PreviewPage {
    l: Layout,
    id: i64,
    items: Vec<QItem>,
    errors: FormErrors,
    valid: bool,
    files: Vec<String>,
}

fn preview_page(
    ctx: &Ctx,
    f: &Form,
    pairs: &Pairs,
    errors: FormErrors,
    valid: bool,
) -> PreviewPage {
    let schema = &f.version.schema;
    PreviewPage {
        l: ctx.layout(fill(ctx.m.fb_preview_title, &[("title", &f.data.title)])),
        id: f.id,
        items: items(ctx, schema, pairs, &errors),
        errors,
        valid,
        files: schema
            .fields()
            .filter(|fd| matches!(fd.kind, Kind::File { .. }))
            .map(|fd| format!("{} ({})", fd.label, details(ctx, fd)))
            .collect(),
    }
}

/// `GET /team/forms/{id}/preview`: the form as respondents see it.
pub async fn preview(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    html(preview_page(
        &ctx,
        &f,
        &Pairs::default(),
        FormErrors::new(),
        false,
    ))
}

/// `POST /team/forms/{id}/preview`: checks the answers typed as a real
/// submission would, and stores nothing.
pub async fn preview_check(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    match f.version.schema.parse_answers(&pairs.0, None) {
        Ok(_) => html(preview_page(&ctx, &f, &pairs, FormErrors::new(), true)),
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                preview_page(&ctx, &f, &pairs, errors, false),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_derived_from_labels_and_unique() {
        assert_eq!(derive_key("Âge de l'enfant ?", &[], "q"), "age_de_l_enfant");
        assert_eq!(derive_key("Note", &["note"], "q"), "note_2");
        assert_eq!(derive_key("Note", &["note", "note_2"], "q"), "note_3");
        assert_eq!(derive_key("???", &[], "question_3"), "question_3");
        assert!(derive_key(&"très long ".repeat(20), &[], "q").len() <= KEY_MAX);
    }

    #[test]
    fn options_keep_their_keys() {
        let old = vec![Opt {
            key: "5".into(),
            label: "Très satisfait".into(),
        }];
        let o = parse_options("Très satisfait\n\nbof | Bof\nPas du tout\n", &old);
        let keys: Vec<&str> = o.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["5", "bof", "pas_du_tout"]);
        assert_eq!(o[1].label, "Bof");
    }

    #[test]
    fn messages_go_beside_the_right_input() {
        let scale = Kind::Scale {
            min: 1,
            max: 5,
            min_label: None,
            max_label: None,
        };
        assert_eq!(input_of(Some(&scale), "max"), ("scale_max", None));
        assert_eq!(input_of(None, "max"), ("max", None));
        assert_eq!(input_of(None, "options.2.key"), ("options", Some(2)));
        assert_eq!(input_of(None, "max_bytes"), ("max_mb", None));
    }
}
