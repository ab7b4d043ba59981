//! The JSON API of forms: the open calls (public), and for the team the
//! questionnaires, their results with filters, and their responses as CSV
//! or XLSX. Answers are built from the view types below, never from the
//! storage's models; the OpenAPI document ([`super::openapi`]) describes
//! each route.

use crate::error::AppError;
use crate::shared::download::download;
use crate::state::AppState;
use crate::time::timestamp;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maillage_db::forms::questionnaires::{self, Filter};
use maillage_db::forms::{self, calls};
use maillage_db::programme::projects;
use maillage_domain::forms::Purpose;
use maillage_domain::forms::tally::QuestionResult;
use maillage_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

#[derive(Serialize)]
struct CallView {
    id: i64,
    slug: String,
    title: String,
    kind: &'static str,
    project: String,
    opens_at: String,
    closes_at: String,
    url: String,
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /api/v1/calls`: the calls open now, closing soonest first.
pub async fn calls_list(State(st): State<AppState>) -> Result<Response, AppError> {
    let c = st.db.conn();
    let open = calls::open(c, maillage_db::now()).await?;
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut items = Vec::with_capacity(open.len());
    for call in open {
        let project = match names.get(&call.data.project_id) {
            Some(n) => n.clone(),
            None => {
                let n = projects::find(c, call.data.project_id)
                    .await?
                    .map(|p| p.data.name)
                    .unwrap_or_default();
                names.insert(call.data.project_id, n.clone());
                n
            }
        };
        items.push(CallView {
            id: call.id,
            url: format!("{}/appel/{}", st.config.base_url, call.data.slug),
            slug: call.data.slug,
            title: call.data.title,
            kind: call.data.kind.code(),
            project,
            opens_at: timestamp(call.data.opens_at),
            closes_at: timestamp(call.data.closes_at),
        });
    }
    let mut res = Json(Items { items }).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(res)
}

#[derive(Serialize)]
struct QuestionnaireView {
    id: i64,
    title: String,
    responses: i64,
}

/// `GET /api/v1/questionnaires` (staff token): every questionnaire with
/// its number of responses, newest first.
pub async fn questionnaires_list(State(st): State<AppState>) -> Result<Response, AppError> {
    let items = questionnaires::list(st.db.conn())
        .await?
        .into_iter()
        .map(|q| QuestionnaireView {
            id: q.id,
            title: q.title,
            responses: q.responses,
        })
        .collect();
    Ok(no_store(
        Json(Items::<QuestionnaireView> { items }).into_response(),
    ))
}

/// The filters of the results and exports, as typed in the query.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub(crate) activity: Option<String>,
    pub(crate) session: Option<String>,
    pub(crate) commune: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Reads the filters; a refused value is named in the errors.
pub(crate) fn filter(q: &FilterQuery) -> Result<Filter, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut f = Filter::default();
    let id = |e: &mut FieldErrors, name: &str, v: &Option<String>| -> Option<i64> {
        let s = some(v)?;
        match s.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                e.add(name, FieldError::InvalidNumber);
                None
            }
        }
    };
    f.activity_id = id(&mut e, "activity", &q.activity);
    f.session_id = id(&mut e, "session", &q.session);
    if let Some(s) = some(&q.commune) {
        if maillage_geo::commune(s).is_some() {
            f.commune_insee = Some(s.to_owned());
        } else {
            e.add("commune", FieldError::NotFound);
        }
    }
    let day = |e: &mut FieldErrors, name: &str, v: &Option<String>| -> Option<NaiveDate> {
        let s = some(v)?;
        match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(name, FieldError::InvalidDate);
                None
            }
        }
    };
    f.from = day(&mut e, "from", &q.from);
    f.to = day(&mut e, "to", &q.to);
    if let (Some(a), Some(b)) = (f.from, f.to)
        && a > b
    {
        e.add("to", FieldError::MinAboveMax);
    }
    e.into_result().map(|()| f)
}

/// The questionnaire `id`, or 404 (another kind of form is not one).
async fn questionnaire(st: &AppState, id: i64) -> Result<forms::Form, AppError> {
    match forms::find(st.db.conn(), id).await? {
        Some(f) if f.data.purpose == Purpose::Questionnaire => Ok(f),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Serialize)]
struct ResultsView {
    id: i64,
    title: String,
    responses: u64,
    questions: Vec<QuestionView>,
}

#[derive(Serialize)]
struct OptionView {
    key: String,
    label: String,
    count: u64,
    percent: f64,
}

#[derive(Serialize)]
struct QuestionView {
    key: String,
    label: String,
    kind: &'static str,
    current: bool,
    answered: u64,
    options: Vec<OptionView>,
    mean: Option<f64>,
    median: Option<f64>,
    nps: Option<f64>,
    texts: Vec<String>,
    texts_total: u64,
}

fn question_view(q: QuestionResult) -> QuestionView {
    QuestionView {
        key: q.key,
        label: q.label,
        kind: q.kind,
        current: q.current,
        answered: q.answered,
        options: q
            .options
            .into_iter()
            .map(|o| OptionView {
                key: o.key,
                label: o.label,
                count: o.count,
                percent: o.percent,
            })
            .collect(),
        mean: q.mean,
        median: q.median,
        nps: q.nps,
        texts: q.texts,
        texts_total: q.texts_total,
    }
}

/// `GET /api/v1/questionnaires/{id}/results` (staff token): per question
/// counts and statistics, with the filters of [`FilterQuery`].
pub async fn results(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let f = filter(&q).map_err(AppError::Invalid)?;
    let form = questionnaire(&st, id).await?;
    let r = questionnaires::results(st.db.conn(), id, &f)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(no_store(
        Json(ResultsView {
            id,
            title: form.data.title,
            responses: r.responses,
            questions: r.questions.into_iter().map(question_view).collect(),
        })
        .into_response(),
    ))
}

/// The rows of the export of questionnaire `id`: a header, then one row
/// per response.
async fn rows(st: &AppState, id: i64, q: &FilterQuery) -> Result<Vec<Vec<String>>, AppError> {
    let f = filter(q).map_err(AppError::Invalid)?;
    questionnaire(st, id).await?;
    let mut rows = Vec::new();
    questionnaires::export(st.db.conn(), id, &f, |r| rows.push(r.to_vec())).await?;
    Ok(rows)
}

fn split(mut rows: Vec<Vec<String>>) -> (Vec<String>, Vec<Vec<String>>) {
    if rows.is_empty() {
        return (Vec::new(), rows);
    }
    let header = rows.remove(0);
    (header, rows)
}

/// `GET /api/v1/questionnaires/{id}/responses.csv` (staff token).
pub async fn responses_csv(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (header, rows) = split(rows(&st, id, &q).await?);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(download(
        maillage_tabular::write_csv(&header, &rows),
        "text/csv; charset=utf-8",
        &format!("questionnaire-{id}-responses.csv"),
    ))
}

/// `GET /api/v1/questionnaires/{id}/responses.xlsx` (staff token).
pub async fn responses_xlsx(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (header, rows) = split(rows(&st, id, &q).await?);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let bytes =
        maillage_tabular::write_xlsx("responses", &header, &rows).map_err(AppError::internal)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("questionnaire-{id}-responses.xlsx"),
    ))
}
