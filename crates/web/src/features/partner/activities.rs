//! A partner's activities: those its organisation runs, listed on its
//! home; an accepted proposal's draft is completed here (its words, its
//! sessions and their places) until the partner hands it to the team,
//! which publishes it. Once handed over or published, it is read-only here.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{FormErrors, check};
use crate::i18n::field_error;
use crate::shared::dates::{LocalTimeError, gap_message, paris_instant, parse_date, parse_time};
use crate::shared::records::{Audited, Entry, Record, Typed, saved, write};
use crate::shared::{html_status, places};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::sessions::{self, SessionData};
use maillage_domain::FieldError;
use maillage_domain::field::single_line;
use maillage_domain::programme::{ActivityStatus, ProjectStatus, SessionStatus};
use serde::Deserialize;
use serde_json::json;

/// One activity of the partner's organisation, on its home.
pub struct ActivityRow {
    pub href: String,
    pub title: String,
    pub status: &'static str,
    /// "2 séances".
    pub sessions: String,
    /// The partner completes it now.
    pub to_complete: bool,
}

/// The activities the partner's organisation runs, drafts first.
pub async fn rows(
    st: &AppState,
    ctx: &Ctx,
    org: Option<i64>,
) -> Result<Vec<ActivityRow>, AppError> {
    let Some(org) = org else {
        return Ok(Vec::new());
    };
    let mut list = activities::of_organisation(st.db.conn(), org).await?;
    list.sort_by_key(|a| (a.status != ActivityStatus::Draft, a.first_starts_at, a.id));
    Ok(list
        .into_iter()
        .map(|a| ActivityRow {
            href: format!("/partner/activities/{}", a.id),
            status: a.status.label(ctx.locale),
            sessions: crate::i18n::count(
                ctx.locale,
                i64::try_from(a.sessions.len()).unwrap_or(i64::MAX),
                ctx.m.pa_sessions_one,
                ctx.m.pa_sessions_many,
            ),
            to_complete: a.status == ActivityStatus::Draft,
            title: a.data.title,
        })
        .collect())
}

/// The details a partner writes.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DetailsForm {
    title: String,
    summary: String,
    description: String,
}

/// A session a partner adds: when, and where (a place's name in a commune).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SessionForm {
    date: String,
    start: String,
    end: String,
    place: String,
    commune: String,
}

/// The page's two forms as typed, with their errors (empty: as stored).
#[derive(Default)]
struct Forms {
    details: DetailsForm,
    details_errors: FormErrors,
    session: SessionForm,
    session_errors: FormErrors,
}

struct SessionLine {
    id: i64,
    when: String,
    place: String,
}

#[derive(Template)]
#[template(path = "partner/activity.html")]
struct ActivityPage {
    l: Layout,
    a: Activity,
    project: String,
    status: &'static str,
    editable: bool,
    details: DetailsForm,
    details_errors: FormErrors,
    session: SessionForm,
    session_errors: FormErrors,
    sessions: Vec<SessionLine>,
}

/// The activity `id` if the signed-in partner's organisation runs it
/// (else not found), with its project.
async fn own(st: &AppState, ctx: &Ctx, id: i64) -> Result<(Activity, Project), AppError> {
    let org = ctx.user()?.organisation_id.ok_or(AppError::NotFound)?;
    let a = activities::find(st.db.conn(), id)
        .await?
        .filter(|a| a.data.organisations.contains(&org))
        .ok_or(AppError::NotFound)?;
    let p = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((a, p))
}

/// A draft of a project still in preparation or running is the partner's
/// to complete; handed over or published, it is the team's.
fn editable(a: &Activity, p: &Project) -> bool {
    a.status == ActivityStatus::Draft && p.data.status != ProjectStatus::Archived
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    forms: Forms,
    code: StatusCode,
) -> Result<Response, AppError> {
    let (a, p) = own(st, ctx, id).await?;
    let Forms {
        details,
        details_errors,
        session,
        session_errors,
    } = forms;
    let details = if details_errors.is_empty() {
        DetailsForm {
            title: a.data.title.clone(),
            summary: a.data.summary.clone().unwrap_or_default(),
            description: a.data.description.clone().unwrap_or_default(),
        }
    } else {
        details
    };
    let sessions = a
        .sessions
        .iter()
        .map(|s| SessionLine {
            id: s.id,
            when: crate::shared::programme::when(ctx.locale, s.data.starts_at, s.data.ends_at),
            place: a
                .venue_of(s)
                .map(|v| places::venue_label(&v.data))
                .unwrap_or_default(),
        })
        .collect();
    html_status(
        code,
        ActivityPage {
            l: ctx.layout(a.data.title.clone()),
            project: p.data.name.clone(),
            status: a.status.label(ctx.locale),
            editable: editable(&a, &p),
            details,
            details_errors,
            session,
            session_errors,
            sessions,
            a,
        },
    )
}

/// `GET /partner/activities/{id}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    page(&st, &ctx, id, Forms::default(), StatusCode::OK).await
}

/// The activity, if the partner may still change it; else the page saying
/// it is the team's now.
async fn changeable(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<Result<Activity, Response>, AppError> {
    let (a, p) = own(st, ctx, id).await?;
    if editable(&a, &p) {
        return Ok(Ok(a));
    }
    let forms = Forms {
        details_errors: FormErrors::general(ctx.m.pa_locked),
        ..Forms::default()
    };
    Ok(Err(page(st, ctx, id, forms, StatusCode::CONFLICT).await?))
}

/// `POST /partner/activities/{id}`: its title, summary and description.
pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<DetailsForm>,
) -> Result<Response, AppError> {
    let a = match changeable(&st, &ctx, id).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let m = ctx.m;
    let mut e = FormErrors::new();
    let title = check(&mut e, m, "title", single_line(&f.title, 2, 200));
    let summary = match f.summary.trim() {
        "" => None,
        v => check(&mut e, m, "summary", single_line(v, 1, 300)),
    };
    let description = crate::shared::programme::description(&mut e, m, &f.description);
    let Some(title) = title.filter(|_| e.is_empty()) else {
        let forms = Forms {
            details: f,
            details_errors: e,
            ..Forms::default()
        };
        return page(&st, &ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let data = ActivityData {
        title,
        summary,
        description,
        ..a.data.clone()
    };
    write(&st, &ctx, async |tx, now| {
        let after = activities::update(tx, id, &data, now).await?;
        let entry = Entry::new(
            "partner_update",
            Activity::ENTITY,
            id,
            after.data.title.clone(),
            json!({"title": {"from": a.data.title, "to": after.data.title}}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(&st, &format!("/partner/activities/{id}")))
}

/// `POST /partner/activities/{id}/sessions`: a session on a date, from a
/// time to a time, at a place of a commune.
pub async fn add_session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<SessionForm>,
) -> Result<Response, AppError> {
    let a = match changeable(&st, &ctx, id).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let m = ctx.m;
    let mut e = FormErrors::new();
    let date = check(&mut e, m, "date", parse_date(&f.date));
    let start = check(&mut e, m, "start", parse_time(&f.start));
    let end = check(&mut e, m, "end", parse_time(&f.end));
    let commune = match f.commune.trim() {
        "" => None,
        v => check(
            &mut e,
            m,
            "commune",
            maillage_directory::commune::resolve(v, None),
        ),
    };
    let place = match f.place.trim() {
        "" => None,
        v => check(&mut e, m, "place", single_line(v, 2, 200)),
    };
    if place.is_some() && commune.is_none() && f.commune.trim().is_empty() {
        e.add("commune", field_error(m, &FieldError::Required));
    }
    let mut at = |field: &str, d, t| match paris_instant(d, t) {
        Ok(x) => Some(x),
        Err(LocalTimeError::Gap) => {
            e.add(field, gap_message(m, d, t));
            None
        }
    };
    let times = match (date, start, end) {
        (Some(d), Some(s), Some(x)) => at("start", d, s).zip(at("end", d, x)),
        _ => None,
    };
    if let Some((s, x)) = times
        && x <= s
    {
        e.add("end", field_error(m, &FieldError::EndBeforeStart));
    }
    let Some((starts_at, ends_at)) = times.filter(|_| e.is_empty()) else {
        let forms = Forms {
            session: f,
            session_errors: e,
            ..Forms::default()
        };
        return page(&st, &ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let organisation = a.organisers.first().map(|(_, n)| n.clone());
    write(&st, &ctx, async |tx, now| {
        let venue_id = match commune {
            Some(c) => {
                let name = place
                    .clone()
                    .or(organisation.clone())
                    .unwrap_or_else(|| c.name.to_owned());
                let v = maillage_db::venues::find_or_create(tx, &name, c.insee, now).await?;
                Some(v).filter(|v| Some(*v) != a.data.venue_id)
            }
            None => None,
        };
        let data = SessionData {
            starts_at,
            ends_at,
            capacity: None,
            status: SessionStatus::Scheduled,
            venue_id,
        };
        let s = sessions::insert(tx, id, &data, now).await?;
        let entry = Entry::new(
            "partner_add_session",
            Activity::ENTITY,
            id,
            a.data.title.clone(),
            json!({"session": s.id, "starts_at": starts_at, "ends_at": ends_at, "venue": venue_id}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(
        &st,
        &format!("/partner/activities/{id}#sessions-title"),
    ))
}

/// `POST /partner/activities/{id}/sessions/{session}/delete`.
pub async fn delete_session(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, session)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let a = match changeable(&st, &ctx, id).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let s = a
        .sessions
        .iter()
        .find(|s| s.id == session)
        .ok_or(AppError::NotFound)?
        .clone();
    write(&st, &ctx, async |tx, _| {
        sessions::delete(tx, s.id).await?;
        let entry = Entry::new(
            "partner_delete_session",
            Activity::ENTITY,
            id,
            a.data.title.clone(),
            json!({"session": s.id, "starts_at": s.data.starts_at}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(
        &st,
        &format!("/partner/activities/{id}#sessions-title"),
    ))
}

/// `POST /partner/activities/{id}/submit`: hands the completed draft to the
/// team, which publishes it.
pub async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = match changeable(&st, &ctx, id).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    if a.sessions.is_empty() {
        let mut session_errors = FormErrors::new();
        session_errors.add("date", ctx.m.pa_no_session);
        let forms = Forms {
            session_errors,
            ..Forms::default()
        };
        return page(&st, &ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    write(&st, &ctx, async |tx, _| {
        activities::set_status(tx, &[id], ActivityStatus::Submitted, maillage_db::now()).await?;
        let entry = Entry::new(
            "partner_submit",
            Activity::ENTITY,
            id,
            a.data.title.clone(),
            json!({"status": {"from": a.status.code(), "to": "submitted"}}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(&st, &format!("/partner/activities/{id}")))
}
