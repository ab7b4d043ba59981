//! The activity form, typed, and its conversion into validated data: the
//! vocabularies, the organisers named one a line, the place (a venue or
//! one of its spaces), the village it is part of.

use super::super::projects::find_organisation;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, check};
use crate::i18n::{Messages, field_error, fill};
use crate::shared::records::{Checked, Checking, Editable, FormView, Nested, Record};
use crate::shared::{html_status, vocab_choices};
use crate::state::AppState;
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects::{self, Project};
use maillage_db::{DbErr, WriteTx, venues};
use maillage_domain::directory::{Theme, website};
use maillage_domain::field::single_line;
use maillage_domain::programme::{ActivityStatus, Audience, Format, RegistrationMode, SchoolLevel};
use maillage_domain::{Action, FieldError};
use serde::Deserialize;

/// The activity form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActivityForm {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub description: String,
    pub min_age: String,
    /// Organisations, one a line.
    pub organisers: String,
    pub price: String,
    pub registration_url: String,
    pub online_url: String,
    pub free: bool,
    pub wheelchair: bool,
    pub hearing_loop: bool,
    pub visual: bool,
    pub cognitive: bool,
    pub format: String,
    pub audiences: Vec<String>,
    pub levels: Vec<String>,
    pub themes: Vec<String>,
    /// `v:{venue}` or `s:{space}`.
    pub place: String,
    pub registration: String,
    pub status: String,
    pub parent: String,
}

impl ActivityForm {
    fn from_activity(a: &Activity) -> ActivityForm {
        let d = &a.data;
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let codes = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect();
        let organisers: Vec<&str> = a.organisers.iter().map(|(_, n)| n.as_str()).collect();
        ActivityForm {
            title: d.title.clone(),
            slug: d.slug.clone(),
            summary: s(&d.summary),
            description: s(&d.description),
            min_age: d.min_age.map(|v| v.to_string()).unwrap_or_default(),
            organisers: organisers.join("\n"),
            price: s(&d.price),
            registration_url: s(&d.registration_url),
            online_url: s(&d.online_url),
            free: d.free,
            wheelchair: d.access.wheelchair,
            hearing_loop: d.access.hearing_loop,
            visual: d.access.visual,
            cognitive: d.access.cognitive,
            format: a.format.code().into(),
            audiences: codes(d.audiences.iter().map(|x| x.code()).collect()),
            levels: codes(d.levels.iter().map(|x| x.code()).collect()),
            themes: codes(d.themes.iter().map(|x| x.code()).collect()),
            place: match (d.venue_id, d.space_id) {
                (_, Some(s)) => format!("s:{s}"),
                (Some(v), None) => format!("v:{v}"),
                _ => String::new(),
            },
            registration: a.registration.code().into(),
            status: a.status.code().into(),
            parent: d.parent_id.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// The values of a vocabulary ticked in the form (unknown ones left out).
fn ticked<T>(values: &[String], parse: impl Fn(&str) -> Result<T, FieldError>) -> Vec<T> {
    values.iter().filter_map(|v| parse(v).ok()).collect()
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
    f: ActivityForm,
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

/// The venues and their spaces to choose from.
async fn places(st: &AppState, ctx: &Ctx, selected: &str) -> Result<Vec<PlaceGroup>, AppError> {
    let list = venues::list_all_matching(st.db.conn(), &venues::Filter::default()).await?;
    Ok(list
        .into_iter()
        .map(|v| {
            let whole = format!("v:{}", v.id);
            let mut options = vec![Choice::new(
                whole.clone(),
                format!("{} — {}", v.data.name, ctx.m.pt_whole_venue),
                selected == whole,
            )];
            options.extend(v.spaces.iter().map(|s| {
                let value = format!("s:{}", s.id);
                let sel = selected == value;
                Choice::new(value, format!("{} › {}", v.data.name, s.data.name), sel)
            }));
            PlaceGroup {
                label: v.data.name,
                options,
            }
        })
        .collect())
}

/// One or none of a vocabulary, selected.
fn choose<T: Copy + PartialEq>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: Option<T>,
) -> Vec<Choice> {
    vocab_choices(all, code, label, &selected.into_iter().collect::<Vec<_>>())
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    v: FormView<'_, Activity>,
) -> Result<Response, AppError> {
    let loc = ctx.locale;
    let f = v.form;
    let except = v.record.map(|a| a.id);
    let parents = activities::of_project(st.db.conn(), v.parent.id)
        .await?
        .into_iter()
        .filter(|a| a.format == Format::Village && Some(a.id) != except)
        .map(|a| {
            let id = a.id.to_string();
            let sel = id == f.parent;
            Choice::new(id, a.data.title, sel)
        })
        .collect();
    let page = FormPage {
        l: ctx.layout(v.title),
        project: v.parent.clone(),
        action: v.action,
        cancel: v.cancel,
        formats: choose(
            Format::ALL,
            Format::code,
            |x| x.label(loc),
            Format::parse(&f.format).ok(),
        ),
        audiences: vocab_choices(
            Audience::ALL,
            Audience::code,
            |x| x.label(loc),
            &ticked(&f.audiences, Audience::parse),
        ),
        levels: vocab_choices(
            SchoolLevel::ALL,
            SchoolLevel::code,
            |x| x.label(loc),
            &ticked(&f.levels, SchoolLevel::parse),
        ),
        themes: vocab_choices(
            Theme::ALL,
            Theme::code,
            |x| x.label(loc),
            &ticked(&f.themes, Theme::parse),
        ),
        registrations: choose(
            RegistrationMode::ALL,
            RegistrationMode::code,
            |x| x.label(loc),
            RegistrationMode::parse(&f.registration).ok(),
        ),
        statuses: choose(
            ActivityStatus::ALL,
            ActivityStatus::code,
            |x| x.label(loc),
            ActivityStatus::parse(&f.status).ok(),
        ),
        places: places(st, ctx, &f.place).await?,
        parents,
        f,
        errors: v.errors,
    };
    html_status(v.status, page)
}

/// The values of a vocabulary ticked, each checked (an unknown one is an
/// error of the field).
fn all_of<T>(
    e: &mut FormErrors,
    m: &Messages,
    field: &str,
    values: &[String],
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Vec<T> {
    values
        .iter()
        .filter_map(|v| check(e, m, field, parse(v)))
        .collect()
}

/// A whole number from 0 to 120 (an age), or none.
fn age(e: &mut FormErrors, m: &Messages, field: &str, v: &str) -> Option<i32> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let error = match v.parse::<i32>() {
        Ok(n) if (0..=120).contains(&n) => return Some(n),
        Ok(_) => FieldError::OutOfRange { min: 0, max: 120 },
        Err(_) => FieldError::InvalidNumber,
    };
    e.add(field, field_error(m, &error));
    None
}

/// The place chosen: a venue, or a space and its venue.
async fn place(
    st: &AppState,
    e: &mut FormErrors,
    m: &Messages,
    place: &str,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    let c = st.db.conn();
    let place = place.trim();
    if place.is_empty() {
        return Ok((None, None));
    }
    let id = |p: &str| p.parse::<i64>().ok();
    if let Some(v) = place.strip_prefix("v:").and_then(id)
        && venues::find(c, v).await?.is_some()
    {
        return Ok((Some(v), None));
    }
    if let Some(s) = place.strip_prefix("s:").and_then(id)
        && let Some(sp) = venues::find_space(c, s).await?
    {
        return Ok((Some(sp.venue_id), Some(sp.id)));
    }
    e.add("place", field_error(m, &FieldError::InvalidChoice));
    Ok((None, None))
}

/// Checks the form; `before` is the activity being edited.
async fn parse(f: &ActivityForm, at: Checking<'_, Activity>) -> Checked<ActivityData> {
    let Checking {
        st,
        ctx,
        parent: project,
        before,
    } = at;
    let m = ctx.m;
    let c = st.db.conn();
    let mut e = FormErrors::new();
    let except = before.map(|a| a.id);
    let title = check(&mut e, m, "title", single_line(&f.title, 2, 200));
    let slug = match f.slug.trim() {
        "" => match &title {
            Some(t) => Some(activities::free_slug(c, project.id, t, except).await?),
            None => None,
        },
        s => match check(&mut e, m, "slug", maillage_domain::programme::slug(s)) {
            Some(s) if activities::slug_taken(c, project.id, &s, except).await? => {
                e.add("slug", field_error(m, &FieldError::AlreadyTaken));
                None
            }
            other => other,
        },
    };
    let optional = |e: &mut FormErrors, field: &str, v: &str, max: usize| match v.trim() {
        "" => None,
        v => check(e, m, field, single_line(v, 1, max)),
    };
    let summary = optional(&mut e, "summary", &f.summary, 300);
    let price = optional(&mut e, "price", &f.price, 120);
    let description = super::super::description(&mut e, m, &f.description);
    let format = check(&mut e, m, "format", Format::parse(&f.format));
    let status = check(&mut e, m, "status", ActivityStatus::parse(&f.status));
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
        RegistrationMode::parse(&f.registration),
    );
    let mut audiences = all_of(&mut e, m, "audiences", &f.audiences, Audience::parse);
    let levels = all_of(&mut e, m, "levels", &f.levels, SchoolLevel::parse);
    if !levels.is_empty() && !audiences.contains(&Audience::School) {
        audiences.push(Audience::School);
    }
    let themes = all_of(&mut e, m, "themes", &f.themes, Theme::parse);
    let min_age = age(&mut e, m, "min_age", &f.min_age);
    let url = |e: &mut FormErrors, field: &str, v: &str| match v.trim() {
        "" => None,
        v => check(e, m, field, website(v)),
    };
    let registration_url = url(&mut e, "registration_url", &f.registration_url);
    let online_url = url(&mut e, "online_url", &f.online_url);
    if registration == Some(RegistrationMode::External)
        && registration_url.is_none()
        && e.get("registration_url").is_none()
    {
        e.add("registration_url", m.pt_err_registration_url);
    }
    let mut organisations = Vec::new();
    for name in maillage_directory::validate::split_list(&f.organisers) {
        match find_organisation(st, name).await? {
            Some(id) => organisations.push(id),
            None => e.add(
                "organisers",
                fill(m.pt_err_unknown_organisation, &[("name", name)]),
            ),
        }
    }
    let (venue_id, space_id) = place(st, &mut e, m, &f.place).await?;
    let parent_id = match f.parent.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(id) if Some(id) != except => match activities::find(c, id).await? {
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
            wheelchair: f.wheelchair,
            hearing_loop: f.hearing_loop,
            visual: f.visual,
            cognitive: f.cognitive,
        },
        free: f.free,
        price,
        registration,
        registration_url,
        online_url,
        status,
        source: before.and_then(|a| a.data.source.clone()),
    }))
}

impl Editable for Activity {
    type Form = ActivityForm;
    type Data = ActivityData;
    type Parent = Project;

    fn new_title(m: &'static Messages) -> &'static str {
        m.pt_activity_new
    }

    fn create_hrefs(project: &Project) -> (String, String) {
        let href = Project::href(project.id);
        (format!("{href}/activities"), href)
    }

    fn blank() -> ActivityForm {
        ActivityForm {
            format: Format::Workshop.code().into(),
            audiences: vec![Audience::General.code().into()],
            registration: RegistrationMode::None.code().into(),
            status: ActivityStatus::Draft.code().into(),
            free: true,
            ..Default::default()
        }
    }

    async fn form_of(&self, _: &AppState) -> Result<ActivityForm, AppError> {
        Ok(ActivityForm::from_activity(self))
    }

    async fn parent_of(&self, st: &AppState) -> Result<Project, AppError> {
        super::super::project_of(st, self).await
    }

    async fn validate(f: &ActivityForm, at: Checking<'_, Self>) -> Checked<ActivityData> {
        parse(f, at).await
    }

    async fn insert(
        tx: &WriteTx,
        _: &Project,
        data: &ActivityData,
        now: DateTime<Utc>,
    ) -> Result<Activity, DbErr> {
        activities::insert(tx, data, now).await
    }

    async fn update(
        tx: &WriteTx,
        before: &Activity,
        data: &ActivityData,
        now: DateTime<Utc>,
    ) -> Result<Activity, DbErr> {
        activities::update(tx, before.id, data, now).await
    }

    async fn form_page(
        st: &AppState,
        ctx: &Ctx,
        view: FormView<'_, Activity>,
    ) -> Result<Response, AppError> {
        form_page(st, ctx, view).await
    }
}

impl Nested for Activity {
    /// The project a new activity is created in.
    async fn parent(st: &AppState, id: i64) -> Result<Project, AppError> {
        projects::find(st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }
}
