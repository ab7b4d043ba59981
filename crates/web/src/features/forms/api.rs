//! The JSON API of forms: the open calls (public), and for the team the
//! questionnaires, their results with filters, and their responses as CSV
//! or XLSX. Answers are built from the view types below, never from the
//! storage's models; the handlers and types carry their part of the OpenAPI
//! document ([`ApiDoc`]).

use crate::error::AppError;
use crate::shared::api as openapi;
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
use maillage_domain::forms::tally::QuestionResult;
use maillage_domain::forms::{CallKind, Purpose};
use maillage_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    calls_list,
    questionnaires_list,
    results,
    responses_csv,
    responses_xlsx
))]
pub(crate) struct ApiDoc;

/// The open calls.
#[derive(Serialize, ToSchema)]
struct CallList {
    items: Vec<CallView>,
}

/// A call open now: for participation (proposals of activities) or for
/// applications.
#[derive(Serialize, ToSchema)]
#[schema(as = Call)]
struct CallView {
    /// The call's identifier.
    #[schema(minimum = 1)]
    id: i64,
    /// Its address on the site.
    slug: String,
    /// Its title.
    title: String,
    #[schema(schema_with = call_kind)]
    kind: &'static str,
    /// The name of the project it is for.
    project: String,
    /// When it opened (Europe/Paris offset).
    #[schema(format = DateTime)]
    opens_at: String,
    /// When it closes; later submissions are refused.
    #[schema(format = DateTime)]
    closes_at: String,
    /// Its public page.
    #[schema(format = "uri")]
    url: String,
}

fn call_kind() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(CallKind::ALL.iter().map(|k| k.code())))
        .description(Some("What the call asks for."))
        .build()
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Open calls
///
/// The calls for participation and for applications open now, closing
/// soonest first.
#[utoipa::path(
    get,
    path = "/api/v1/calls",
    operation_id = "listCalls",
    tag = "forms",
    security(()),
    responses((status = 200, description = "The open calls.", body = CallList)),
    extensions(("x-link" = json!("calls")))
)]
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
    let mut res = Json(CallList { items }).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(res)
}

/// The questionnaires.
#[derive(Serialize, ToSchema)]
struct QuestionnaireList {
    items: Vec<QuestionnaireView>,
}

/// A questionnaire.
#[derive(Serialize, ToSchema)]
#[schema(as = Questionnaire)]
struct QuestionnaireView {
    /// The questionnaire's identifier.
    #[schema(minimum = 1)]
    id: i64,
    /// Its title.
    title: String,
    /// Responses received.
    #[schema(minimum = 0)]
    responses: i64,
}

/// Questionnaires
///
/// Every questionnaire with its number of responses, newest first. Needs a
/// token of the team.
#[utoipa::path(
    get,
    path = "/api/v1/questionnaires",
    operation_id = "listQuestionnaires",
    tag = "forms",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The questionnaires.", body = QuestionnaireList),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
    ),
    extensions(("x-link" = json!("questionnaires")))
)]
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
    Ok(no_store(Json(QuestionnaireList { items }).into_response()))
}

/// The filters of the results and exports, as typed in the query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Responses about this activity.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) activity: Option<String>,
    /// Responses about this session.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub(crate) session: Option<String>,
    /// Responses from this commune (INSEE code).
    #[param(value_type = Option<openapi::vocab::Insee>)]
    pub(crate) commune: Option<String>,
    /// From this day (included).
    #[param(value_type = Option<String>, format = Date)]
    pub(crate) from: Option<String>,
    /// To this day (included).
    #[param(value_type = Option<String>, format = Date)]
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

/// The results of a questionnaire.
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionnaireResults)]
struct ResultsView {
    /// The questionnaire.
    #[schema(minimum = 1)]
    id: i64,
    /// Its title.
    title: String,
    /// Responses matching the filters.
    responses: u64,
    questions: Vec<QuestionView>,
}

/// One option (or value of a scale).
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionOption)]
struct OptionView {
    /// Its key.
    key: String,
    /// Its label.
    label: String,
    count: u64,
    /// Of the responses that answered the question.
    percent: f64,
}

/// The results of one question, all versions of the form together (by key).
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionResults)]
struct QuestionView {
    /// The question's key.
    key: String,
    /// Its label.
    label: String,
    /// Its kind (short_text, single_choice, scale, nps, yes_no…).
    kind: &'static str,
    /// Still in the current version.
    current: bool,
    answered: u64,
    options: Vec<OptionView>,
    /// Mean of numbers, scales and NPS.
    mean: Option<f64>,
    /// Median of numbers, scales and NPS.
    median: Option<f64>,
    /// Net promoter score: % of promoters minus % of detractors.
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

/// Results of a questionnaire
///
/// Per question counts, percentages, means, medians, NPS and free texts of
/// the responses matching the filters. Needs a token of the team.
#[utoipa::path(
    get,
    path = "/api/v1/questionnaires/{id}/results",
    operation_id = "getQuestionnaireResults",
    tag = "forms",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The questionnaire's identifier."), FilterQuery),
    responses(
        (status = 200, description = "The results.", body = ResultsView),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
        (status = 404, response = openapi::NotFound),
        (status = 422, response = openapi::Unprocessable),
    ),
    extensions(("x-link" = json!("results")))
)]
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

/// Responses of a questionnaire (CSV)
///
/// One row per response matching the filters: its day, activity,
/// session, commune, then one column per question. Sent as an attachment.
/// Needs a token of the team.
#[utoipa::path(
    get,
    path = "/api/v1/questionnaires/{id}/responses.csv",
    operation_id = "getQuestionnaireResponsesCsv",
    tag = "forms",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The questionnaire's identifier."), FilterQuery),
    responses(
        (status = 200, description = "The responses.", body = crate::shared::api::vocab::File, content_type = "text/csv; charset=utf-8"),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
        (status = 404, response = openapi::NotFound),
        (status = 422, response = openapi::Unprocessable),
    ),
    extensions(("x-link" = json!("responses.csv")))
)]
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

/// Responses of a questionnaire (XLSX)
///
/// One row per response matching the filters: its day, activity,
/// session, commune, then one column per question. Sent as an attachment.
/// Needs a token of the team.
#[utoipa::path(
    get,
    path = "/api/v1/questionnaires/{id}/responses.xlsx",
    operation_id = "getQuestionnaireResponsesXlsx",
    tag = "forms",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The questionnaire's identifier."), FilterQuery),
    responses(
        (status = 200, description = "The responses.", body = crate::shared::api::vocab::File,
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, response = openapi::Unauthorized),
        (status = 403, response = openapi::Forbidden),
        (status = 404, response = openapi::NotFound),
        (status = 422, response = openapi::Unprocessable),
    ),
    extensions(("x-link" = json!("responses.xlsx")))
)]
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
