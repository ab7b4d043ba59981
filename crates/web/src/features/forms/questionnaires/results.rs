//! The team's questionnaires: the list (`/team/questionnaires`), the
//! results of one (`/team/questionnaires/{id}`: per question counts,
//! percentages, mean, median, NPS, a bar chart with its data table, the
//! free texts; filters by activity, session, commune and dates; a
//! cross-tabulation of two questions; downloads of the responses with the
//! same filters). Its figures are drawn by `figures`, its QR codes and
//! poster by `qr`.
//!
//! The figures come from `questionnaires::results` and `crosstab` (one
//! streamed pass over the responses each); the filters are read by
//! [`forms_api::filter`] and the downloads are the API's own handlers
//! ([`forms_api::responses_csv`], [`forms_api::responses_xlsx`]) on team
//! routes, so the page, the API and the files always agree.

use super::figures::{CrossView, QuestionView, cross_view, n, question_view};
use super::qr::public_url;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::api::{self as forms_api, FilterQuery};
use crate::features::forms::common::{attached, find_questionnaire};
use crate::forms::{Choice, FormErrors};
use crate::i18n::{field_error, fill};
use crate::shared::{html, html_status, query_string};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::questionnaires::{self, Filter};
use maillage_db::forms::{self, FormData};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::{projects, sessions};
use maillage_domain::forms::{Kind, Purpose};
use maillage_domain::{FieldError, FieldErrors, Locale};
use maillage_reports::text::int;
use serde::Deserialize;
use std::collections::HashMap;

// ---------------------------------------------------------------- the list

pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub attached: String,
    pub audience: &'static str,
    pub responses: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "forms/questionnaires/results/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ListRow>,
}

/// `GET /team/questionnaires`: every questionnaire, newest first, with what
/// it evaluates, its audience, its number of responses and its public link.
pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let counted = questionnaires::list(c).await?;
    let data: HashMap<i64, FormData> = forms::list(c, Some(Purpose::Questionnaire))
        .await?
        .into_iter()
        .collect();
    let projects: HashMap<i64, String> = projects::list(c, false)
        .await?
        .into_iter()
        .map(|p| (p.id, p.data.name))
        .collect();
    let activity_ids: Vec<i64> = data.values().filter_map(|d| d.activity_id).collect();
    let titles: HashMap<i64, String> = activities::find_many(c, &activity_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.data.title))
        .collect();
    let mut rows = Vec::with_capacity(counted.len());
    for q in counted {
        let d = data.get(&q.id);
        let mut parts = Vec::new();
        if let Some(name) = q.project_id.and_then(|p| projects.get(&p)) {
            parts.push(name.clone());
        }
        if let Some(t) = d.and_then(|d| d.activity_id).and_then(|a| titles.get(&a)) {
            parts.push(t.clone());
        }
        if let Some(s) = d.and_then(|d| d.session_id)
            && let Some(s) = sessions::find(c, s).await?
        {
            parts.push(crate::time::datetime(l, s.data.starts_at));
        }
        rows.push(ListRow {
            id: q.id,
            url: public_url(&st, &q.public_key),
            title: q.title,
            attached: parts.join(" · "),
            audience: d.and_then(|d| d.audience).map_or("", |a| a.label(l)),
            responses: int(l, q.responses),
        });
    }
    html(ListPage {
        l: ctx.layout(ctx.m.qs_list_title),
        rows,
    })
}

// ------------------------------------------------------------- the results

/// The query of the results page: the filters as typed, and the two
/// questions to cross.
#[derive(Debug, Default, Deserialize)]
pub struct ResultsQuery {
    #[serde(default)]
    activity: String,
    #[serde(default)]
    session: String,
    #[serde(default)]
    commune: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    rows: String,
    #[serde(default)]
    cols: String,
}

/// A commune typed as its INSEE code, a postcode or a name, as the INSEE
/// code the responses carry.
fn commune_code(input: &str) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // The code itself first: the filter's links carry it.
    if let Some(c) = maillage_geo::commune(&s.to_ascii_uppercase()) {
        return Ok(Some(c.insee.to_owned()));
    }
    maillage_directory::resolve_commune(s, None).map(|c| Some(c.insee.to_owned()))
}

/// Reads the filters: the storage's [`Filter`] or the refused fields.
fn read_filter(q: &ResultsQuery) -> Result<Filter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let commune = errors.check("commune", commune_code(&q.commune)).flatten();
    let some = |s: &str| Some(s.to_owned());
    let fq = FilterQuery {
        activity: some(&q.activity),
        session: some(&q.session),
        commune,
        from: some(&q.from),
        to: some(&q.to),
    };
    match forms_api::filter(&fq) {
        Ok(f) if errors.is_empty() => Ok(f),
        Ok(_) => Err(errors),
        Err(e) => {
            for (field, err) in e.iter() {
                errors.add(field, err.clone());
            }
            Err(errors)
        }
    }
}

/// Whether a question can be an axis of a cross-tabulation.
fn crossable(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::SingleChoice { .. }
            | Kind::MultipleChoice { .. }
            | Kind::Dropdown { .. }
            | Kind::YesNo
            | Kind::Scale { .. }
            | Kind::Nps
    )
}

#[derive(Template)]
#[template(path = "forms/questionnaires/results/results.html")]
struct ResultsPage {
    l: Layout,
    id: i64,
    attached: String,
    audience: &'static str,
    anonymous: bool,
    one_per_link: bool,
    url: String,
    /// The key of the public address (QR codes).
    key: String,
    q: ResultsQuery,
    errors: FormErrors,
    activities: Vec<Choice>,
    sessions: Vec<Choice>,
    /// The commune the filter resolved, by name.
    commune_name: Option<String>,
    /// "312 réponses" or "45 réponses sur 312 correspondent aux filtres".
    summary: Option<String>,
    filtered: bool,
    /// The query string of the downloads (the filters, resolved).
    download_query: String,
    questions: Vec<QuestionView>,
    questions_choices: (Vec<Choice>, Vec<Choice>),
    cross: Option<CrossView>,
}

impl ResultsPage {
    fn download(&self, ext: &str) -> String {
        let base = format!("/team/questionnaires/{}/responses.{ext}", self.id);
        if self.download_query.is_empty() {
            base
        } else {
            format!("{base}?{}", self.download_query)
        }
    }
}

/// The activities of the filter: those of the questionnaire's project, or
/// its own activity.
async fn activities_of(st: &AppState, d: &FormData) -> Result<Vec<Activity>, AppError> {
    let c = st.db.conn();
    if let Some(p) = d.project_id {
        return Ok(activities::of_project(c, p).await?);
    }
    if let Some(a) = d.activity_id {
        return Ok(activities::find(c, a).await?.into_iter().collect());
    }
    Ok(Vec::new())
}

fn choices_of(locale: Locale, list: &[Activity], q: &ResultsQuery) -> (Vec<Choice>, Vec<Choice>) {
    let picked_activity = q.activity.trim();
    let picked_session = q.session.trim();
    let mut acts: Vec<Choice> = list
        .iter()
        .map(|a| {
            let id = a.id.to_string();
            let selected = id == picked_activity;
            Choice::new(id, a.data.title.clone(), selected)
        })
        .collect();
    // A value typed in the address and not in the list stays visible.
    if !picked_activity.is_empty() && !acts.iter().any(|c| c.selected) {
        acts.push(Choice::new(picked_activity, picked_activity, true));
    }
    // Sessions: of the chosen activity, else of all of them.
    let chosen: Vec<&Activity> = match list.iter().find(|a| a.id.to_string() == picked_activity) {
        Some(a) => vec![a],
        None => list.iter().collect(),
    };
    let single = chosen.len() == 1;
    let mut sess: Vec<Choice> = chosen
        .iter()
        .flat_map(|a| {
            a.sessions.iter().map(move |s| {
                let id = s.id.to_string();
                let when = crate::time::datetime(locale, s.data.starts_at);
                let label = if single {
                    when
                } else {
                    format!("{when} — {}", a.data.title)
                };
                (id, label)
            })
        })
        .map(|(id, label)| {
            let selected = id == picked_session;
            Choice::new(id, label, selected)
        })
        .collect();
    if !picked_session.is_empty() && !sess.iter().any(|c| c.selected) {
        sess.push(Choice::new(picked_session, picked_session, true));
    }
    (acts, sess)
}

/// `GET /team/questionnaires/{id}`: the results, with the filters and the
/// cross-tabulation of the query. Refused values are shown beside their
/// field (422) instead of results that would not be what was asked.
pub async fn results(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let l = ctx.locale;
    let c = st.db.conn();
    let form = find_questionnaire(&st, id).await?;
    let mut errors = FormErrors::new();
    let filter = match read_filter(&q) {
        Ok(f) => Some(f),
        Err(e) => {
            for (field, err) in e.iter() {
                errors.add(field, field_error(m, err));
            }
            None
        }
    };
    // The questions that can be crossed (current version).
    let schema = &form.version.schema;
    let cross_fields: Vec<(&str, &str, &'static str)> = schema
        .fields()
        .filter(|f| crossable(&f.kind))
        .map(|f| (f.key.as_str(), f.label.as_str(), f.kind.code()))
        .collect();
    let (rows_key, cols_key) = (q.rows.trim(), q.cols.trim());
    let mut cross_kinds = None;
    if !rows_key.is_empty() || !cols_key.is_empty() {
        let kind_of = |k: &str| cross_fields.iter().find(|f| f.0 == k).map(|f| f.2);
        let (a, b) = (kind_of(rows_key), kind_of(cols_key));
        for (name, key, kind) in [("rows", rows_key, a), ("cols", cols_key, b)] {
            if key.is_empty() {
                errors.add(name, field_error(m, &FieldError::Required));
            } else if kind.is_none() {
                errors.add(name, field_error(m, &FieldError::InvalidChoice));
            }
        }
        if let (Some(a), Some(b)) = (a, b) {
            if rows_key == cols_key {
                errors.add("cols", m.qs_crosstab_same);
            } else {
                cross_kinds = Some((a, b));
            }
        }
    }
    let mut summary = None;
    let mut questions = Vec::new();
    let mut cross = None;
    let mut download_query = String::new();
    let mut commune_name = None;
    let filtered = filter.as_ref().is_some_and(|f| *f != Filter::default());
    if let Some(f) = &filter {
        let r = questionnaires::results(c, id, f)
            .await?
            .ok_or(AppError::NotFound)?;
        summary = Some(if filtered {
            let total = questionnaires::count(c, id, &Filter::default()).await?;
            fill(
                m.qs_responses_filtered,
                &[("n", &n(l, r.responses)), ("total", &n(l, total))],
            )
        } else {
            fill(m.qs_responses_count, &[("n", &n(l, r.responses))])
        });
        let responses = r.responses;
        questions = r
            .questions
            .into_iter()
            .filter(|q| q.current || q.answered > 0)
            .enumerate()
            .map(|(i, q)| question_view(m, l, i, responses, q))
            .collect();
        if let Some(kinds) = cross_kinds
            && let Some(x) = questionnaires::crosstab(c, id, f, rows_key, cols_key).await?
        {
            cross = Some(cross_view(m, l, &x, kinds));
        }
        commune_name = f
            .commune_insee
            .as_deref()
            .and_then(maillage_geo::commune)
            .map(maillage_directory::commune::label);
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let id_of = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        download_query = query_string(&[
            ("activity", id_of(f.activity_id)),
            ("session", id_of(f.session_id)),
            ("commune", f.commune_insee.clone().unwrap_or_default()),
            ("from", day(f.from)),
            ("to", day(f.to)),
        ]);
    }
    let list = activities_of(&st, &form.data).await?;
    let (activities, sessions) = choices_of(l, &list, &q);
    let axis = |picked: &str| -> Vec<Choice> {
        cross_fields
            .iter()
            .map(|(k, label, _)| Choice::new(*k, *label, *k == picked))
            .collect()
    };
    let questions_choices = (axis(rows_key), axis(cols_key));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let d = &form.data;
    html_status(
        status,
        ResultsPage {
            l: ctx.layout(form.data.title.clone()),
            id,
            attached: attached(c, l, d, " · ").await?,
            audience: d.audience.map_or("", |a| a.label(l)),
            anonymous: d.anonymous,
            one_per_link: d.one_per_link,
            url: public_url(&st, &form.public_key),
            key: form.public_key.clone(),
            q,
            errors,
            activities,
            sessions,
            commune_name,
            summary,
            filtered,
            download_query,
            questions,
            questions_choices,
            cross,
        },
    )
}

/// `GET /team/questionnaires/{id}/responses.csv`: the API's export, with
/// the team's cookie.
pub async fn responses_csv(
    st: State<AppState>,
    id: Path<i64>,
    q: Query<FilterQuery>,
) -> Result<Response, AppError> {
    forms_api::responses_csv(st, id, q).await
}

/// `GET /team/questionnaires/{id}/responses.xlsx`.
pub async fn responses_xlsx(
    st: State<AppState>,
    id: Path<i64>,
    q: Query<FilterQuery>,
) -> Result<Response, AppError> {
    forms_api::responses_xlsx(st, id, q).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_by_code_postcode_or_name() {
        assert_eq!(commune_code(" ").unwrap(), None);
        assert_eq!(commune_code("38185").unwrap().as_deref(), Some("38185"));
        assert_eq!(
            commune_code("Le Pont-de-Claix").unwrap().as_deref(),
            Some("38317")
        );
        assert!(commune_code("Atlantis").is_err());
    }
}
