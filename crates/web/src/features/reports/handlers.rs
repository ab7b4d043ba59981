//! Reports: the bilan of a project as a team page, PDF, XLSX and JSON
//! (also through the API with a staff token), and the season dashboard.
//! The figures, tables and charts come from `maillage_reports`; this
//! module only lays them out and serves them.

use super::notes::NoteBox;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::fill;
use crate::shared::download::download;
use crate::shared::{html, html_status};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::Action;
use maillage_domain::Locale;
use maillage_reports::bilan::{self, Bilan, Table};
use maillage_reports::output::{self, Format};
use maillage_reports::text;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(api_json, api_pdf, api_xlsx))]
pub(crate) struct ApiDoc;

pub(crate) async fn bilan_of(st: &AppState, p: Project) -> Result<Bilan, AppError> {
    Ok(bilan::of_project(st.db.conn(), p, maillage_db::now()).await?)
}

pub struct Section {
    /// The section's id in the page (its table's key, numbered when
    /// several tables share one, as questionnaires do).
    pub anchor: String,
    pub title: String,
    pub chart: Option<String>,
    pub chart_caption: String,
    /// Column headings and cells, each with whether it is a figure
    /// (right-aligned).
    pub header: Vec<(String, bool)>,
    pub rows: Vec<Vec<(String, bool)>>,
    /// Long lists start folded (a `<details>` the reader opens).
    pub folded: bool,
    /// What the team wrote about it, and the form to write it.
    pub note: NoteBox,
}

/// A note being written that was refused: what was typed, and why.
pub struct Editing {
    pub anchor: String,
    pub commentary: String,
    pub highlights: String,
    pub errors: FormErrors,
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub change: Option<String>,
}

#[derive(Template)]
#[template(path = "reports/bilan.html")]
struct BilanPage {
    l: Layout,
    id: i64,
    title: String,
    subtitle: String,
    previous: Option<String>,
    figures: Vec<Figure>,
    sections: Vec<Section>,
    /// The user may write notes.
    can_write: bool,
    errors: FormErrors,
}

/// Sections of the page: each table, with the chart of the same figures
/// above it.
fn sections(bilan: &Bilan, locale: Locale, editing: Option<&Editing>) -> Vec<Section> {
    let mut charts = bilan.charts(locale);
    bilan
        .sections(locale)
        .into_iter()
        .map(|(anchor, t): (String, Table)| {
            let chart_key = match t.key {
                "coverage" => "map",
                k => k,
            };
            let chart = charts
                .iter()
                .position(|c| c.key == chart_key)
                .map(|i| charts.remove(i));
            Section {
                note: NoteBox::of(bilan, &anchor, editing),
                anchor,
                folded: t.rows.len() > 40,
                title: t.title,
                chart_caption: chart
                    .as_ref()
                    .map_or_else(String::new, |c| c.caption.clone()),
                chart: chart.map(|c| c.svg),
                header: t
                    .header
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| (h, t.numeric.get(i).copied().unwrap_or(false)))
                    .collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| {
                        r.iter()
                            .enumerate()
                            .map(|(i, c)| {
                                (
                                    c.display(locale),
                                    t.numeric.get(i).copied().unwrap_or(false),
                                )
                            })
                            .collect()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `GET /team/projects/{id}/report`: the bilan of a project.
pub async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bilan_of(&st, p).await?;
    render(&ctx, id, &b, None, StatusCode::OK)
}

/// The bilan's page, with a refused note's form open when `editing`.
pub(crate) fn render(
    ctx: &Ctx,
    id: i64,
    b: &Bilan,
    editing: Option<Editing>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let title = b.title(ctx.locale);
    html_status(
        status,
        BilanPage {
            l: ctx.layout(title.clone()),
            id,
            subtitle: b.subtitle(ctx.locale),
            previous: b.previous.as_ref().map(|p| p.data.name.clone()),
            figures: b
                .key_figures(ctx.locale)
                .into_iter()
                .map(|k| Figure {
                    label: k.label,
                    value: k.value,
                    change: k.change,
                })
                .collect(),
            sections: sections(b, ctx.locale, editing.as_ref()),
            can_write: ctx.can(Action::WriteReports),
            errors: editing.map(|e| e.errors).unwrap_or_default(),
            title,
        },
    )
}

/// The bilan as a download. Typesetting a PDF takes tens of milliseconds
/// of CPU: it runs on the blocking pool, not on the server's threads.
async fn file(b: Bilan, format: Format, locale: Locale) -> Result<Response, AppError> {
    let name = output::file_name(&b, format);
    let bytes = tokio::task::spawn_blocking(move || output::render(&b, format, locale))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut res = download(bytes, format.content_type(), &name);
    if format == Format::Json {
        // Shown in the browser rather than saved.
        res.headers_mut().remove(header::CONTENT_DISPOSITION);
    }
    Ok(res)
}

/// `GET /team/projects/{id}/report/{format}` (pdf, xlsx or json).
pub async fn team_download(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = Format::parse(&format).ok_or(AppError::NotFound)?;
    let p = projects::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = bilan_of(&st, p).await?;
    file(b, format, ctx.locale).await
}

async fn api_bilan(st: &AppState, slug: &str) -> Result<Bilan, AppError> {
    let p = projects::find_by_slug(st.db.conn(), slug)
        .await?
        .ok_or(AppError::NotFound)?;
    bilan_of(st, p).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// Language of the texts (default: the request's).
    #[param(value_type = Option<crate::shared::api::vocab::Locale>)]
    lang: Option<String>,
}

fn lang(ctx: &Ctx, q: &LangQuery) -> Locale {
    q.lang
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(ctx.locale)
}

/// The bilan of a project
///
/// Figures of the project compared with the previous edition, and its
/// coverage of the territory. Needs a token of a staff member (admin, staff
/// or intern).
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}/report",
    operation_id = "getProjectReport",
    tag = "reports",
    security(("bearerAuth" = [])),
    params(("slug" = String, Path, description = "The project's slug.")),
    responses(
        (status = 200, description = "The bilan.", body = bilan::json::Report),
        (status = 401, response = crate::shared::api::Unauthorized),
        (status = 403, response = crate::shared::api::Forbidden),
        (status = 404, response = crate::shared::api::NotFound),
    ),
    extensions(("x-link" = json!("report")))
)]
pub async fn api_json(
    State(st): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let b = api_bilan(&st, &slug).await?;
    let mut res = axum::Json(b.report()).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The bilan of a project as PDF
///
/// Figures of the project compared with the previous edition, and its
/// coverage of the territory. Needs a token of a staff member (admin, staff
/// or intern).
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}/report.pdf",
    operation_id = "getProjectReportPdf",
    tag = "reports",
    security(("bearerAuth" = [])),
    params(("slug" = String, Path, description = "The project's slug."), LangQuery),
    responses(
        (status = 200, description = "The bilan.", body = crate::shared::api::vocab::File, content_type = "application/pdf"),
        (status = 401, response = crate::shared::api::Unauthorized),
        (status = 403, response = crate::shared::api::Forbidden),
        (status = 404, response = crate::shared::api::NotFound),
    ),
    extensions(("x-link" = json!("report.pdf")))
)]
pub async fn api_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let b = api_bilan(&st, &slug).await?;
    file(b, Format::Pdf, lang(&ctx, &q)).await
}

/// The bilan of a project as an XLSX workbook
///
/// Figures of the project compared with the previous edition, and its
/// coverage of the territory. Needs a token of a staff member (admin, staff
/// or intern).
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}/report.xlsx",
    operation_id = "getProjectReportXlsx",
    tag = "reports",
    security(("bearerAuth" = [])),
    params(("slug" = String, Path, description = "The project's slug."), LangQuery),
    responses(
        (status = 200, description = "The bilan.", body = crate::shared::api::vocab::File,
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, response = crate::shared::api::Unauthorized),
        (status = 403, response = crate::shared::api::Forbidden),
        (status = 404, response = crate::shared::api::NotFound),
    ),
    extensions(("x-link" = json!("report.xlsx")))
)]
pub async fn api_xlsx(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let b = api_bilan(&st, &slug).await?;
    file(b, Format::Xlsx, lang(&ctx, &q)).await
}

// ------------------------------------------------------------ the season

pub struct SeasonRow {
    pub id: i64,
    pub name: String,
    pub dates: String,
    pub kind: &'static str,
    pub activities: String,
    pub sessions: String,
    pub communes: String,
    pub attendance: String,
    pub booked: String,
    pub fill_rate: String,
    pub waitlisted: String,
}

#[derive(Template)]
#[template(path = "reports/season.html")]
struct SeasonPage {
    l: Layout,
    heading: String,
    seasons: Vec<(i32, String, bool)>,
    rows: Vec<SeasonRow>,
    total: SeasonRow,
}

#[derive(Deserialize)]
pub struct SeasonQuery {
    season: Option<String>,
}

/// The season a date belongs to: the school year starting 1 September.
fn season_of(d: NaiveDate) -> i32 {
    if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn season_name(y: i32) -> String {
    format!("{y}–{}", y + 1)
}

/// `GET /team/season?season=2025`: every project of a season (1 September
/// to 31 August) with its key figures.
pub async fn season(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SeasonQuery>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let today = maillage_db::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    let all = projects::list(c, false).await?;
    let year = q
        .season
        .as_deref()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .filter(|y| (1900..=2200).contains(y))
        .unwrap_or_else(|| season_of(today));
    let mut years: Vec<i32> = all
        .iter()
        .flat_map(|p| [season_of(p.data.starts_on), season_of(p.data.ends_on)])
        .chain([season_of(today), year])
        .collect();
    years.sort_unstable();
    years.dedup();
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today),
        NaiveDate::from_ymd_opt(year + 1, 8, 31).unwrap_or(today),
    );
    let mut list: Vec<Project> = all
        .into_iter()
        .filter(|p| p.data.starts_on <= to && p.data.ends_on >= from)
        .collect();
    list.sort_by(|a, b| (a.data.starts_on, &a.data.name).cmp(&(b.data.starts_on, &b.data.name)));
    let l = ctx.locale;
    let mut rows = Vec::new();
    let mut sum = maillage_db::reports::BookingFigures::default();
    let (mut activities, mut sessions) = (0, 0);
    let mut communes = std::collections::BTreeSet::new();
    for p in list {
        let f = maillage_db::reports::project_figures(c, p.id).await?;
        let reached: Vec<String> = maillage_db::reports::by_commune(c, p.id)
            .await?
            .into_iter()
            .filter(|(_, x)| x.activities > 0)
            .map(|(insee, _)| insee)
            .collect();
        activities += f.activities;
        sessions += f.sessions;
        let reached_n = reached.len() as i64;
        communes.extend(reached);
        let b = &f.bookings;
        for (t, s) in [
            (&mut sum.came_pupils, b.came_pupils),
            (&mut sum.came_adults, b.came_adults),
            (&mut sum.came_public, b.came_public),
            (&mut sum.held, b.held),
            (&mut sum.capacity, b.capacity),
            (&mut sum.held_in_capacity, b.held_in_capacity),
            (&mut sum.waitlisted, b.waitlisted),
        ] {
            *t += s;
        }
        rows.push(SeasonRow {
            id: p.id,
            dates: format!(
                "{} – {}",
                text::date(l, p.data.starts_on),
                text::date(l, p.data.ends_on)
            ),
            kind: p.data.kind.label(l),
            name: p.data.name,
            activities: text::int(l, f.activities),
            sessions: text::int(l, f.sessions),
            communes: text::int(l, reached_n),
            attendance: text::int(l, b.attendance()),
            booked: text::int(l, b.held),
            fill_rate: b
                .fill_rate()
                .map_or_else(|| "—".into(), |r| text::percent(l, r)),
            waitlisted: text::int(l, b.waitlisted),
        });
    }
    let total = SeasonRow {
        id: 0,
        name: ctx.m.rp_total.into(),
        dates: String::new(),
        kind: "",
        activities: text::int(l, activities),
        sessions: text::int(l, sessions),
        communes: text::int(l, communes.len() as i64),
        attendance: text::int(l, sum.attendance()),
        booked: text::int(l, sum.held),
        fill_rate: sum
            .fill_rate()
            .map_or_else(|| "—".into(), |r| text::percent(l, r)),
        waitlisted: text::int(l, sum.waitlisted),
    };
    let heading = fill(ctx.m.rp_season_title, &[("season", &season_name(year))]);
    html(SeasonPage {
        l: ctx.layout(heading.clone()),
        heading,
        seasons: years
            .into_iter()
            .map(|y| (y, season_name(y), y == year))
            .collect(),
        rows,
        total,
    })
}
