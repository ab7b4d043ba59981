//! The team's questionnaires: the list (`/team/questionnaires`), the
//! results of one (`/team/questionnaires/{id}`: per question counts,
//! percentages, mean, median, NPS, a bar chart with its data table, the
//! free texts; filters by activity, session, commune and dates; a
//! cross-tabulation of two questions; downloads of the responses with the
//! same filters), and its printable QR code (`/q/{id}/qr.svg`,
//! `/q/{id}/qr.png`, the poster `/team/questionnaires/{id}/print`).
//!
//! The figures come from `questionnaires::results` and `crosstab` (one
//! streamed pass over the responses each); the filters are read by
//! [`forms_api::filter`] and the downloads are the API's own handlers
//! ([`forms_api::responses_csv`], [`forms_api::responses_xlsx`]) on team
//! routes, so the page, the API and the files always agree.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::api::{self as forms_api, FilterQuery};
use crate::forms::{Choice, FormErrors};
use crate::i18n::{Messages, field_error, fill};
use crate::shared::{html, html_status, query_string};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_db::forms::questionnaires::{self, Filter};
use maillage_db::forms::{self, Form, FormData};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::{projects, sessions};
use maillage_domain::forms::tally::{CrossTab, QuestionResult};
use maillage_domain::forms::{Kind, Purpose};
use maillage_domain::{FieldError, FieldErrors, Locale};
use maillage_reports::svg;
use maillage_reports::text::{int, percent};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write;

/// The questionnaire `id`, or 404 (another kind of form is not one).
async fn questionnaire(st: &AppState, id: i64) -> Result<Form, AppError> {
    match forms::find(st.db.conn(), id).await? {
        Some(f) if f.data.purpose == Purpose::Questionnaire => Ok(f),
        _ => Err(AppError::NotFound),
    }
}

/// The absolute address of the public questionnaire, as printed.
fn public_url(st: &AppState, id: i64) -> String {
    format!("{}/q/{id}", st.config.base_url)
}

fn n(locale: Locale, v: u64) -> String {
    int(locale, i64::try_from(v).unwrap_or(i64::MAX))
}

/// A decimal with one digit, in the user's language ("3,8" / "3.8").
fn dec(locale: Locale, x: f64) -> String {
    let s = format!("{x:.1}");
    match locale {
        Locale::Fr => s.replace('.', ","),
        Locale::En => s,
    }
}

/// The share `count / of` as a percentage ("42,5 %").
fn share(locale: Locale, count: u64, of: u64) -> String {
    if of == 0 {
        return percent(locale, 0.0);
    }
    percent(locale, count as f64 / of as f64)
}

/// "Fête de la science 2025 · Atelier fusées · 11/10/2025 14:00": what a
/// questionnaire is attached to.
async fn attached_to(st: &AppState, locale: Locale, d: &FormData) -> Result<String, AppError> {
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
        parts.push(a.data.title);
    }
    if let Some(s) = d.session_id
        && let Some(s) = sessions::find(c, s).await?
    {
        parts.push(crate::time::datetime(locale, s.data.starts_at));
    }
    Ok(parts.join(" · "))
}

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
        let mut attached = Vec::new();
        if let Some(name) = q.project_id.and_then(|p| projects.get(&p)) {
            attached.push(name.clone());
        }
        if let Some(t) = d.and_then(|d| d.activity_id).and_then(|a| titles.get(&a)) {
            attached.push(t.clone());
        }
        if let Some(s) = d.and_then(|d| d.session_id)
            && let Some(s) = sessions::find(c, s).await?
        {
            attached.push(crate::time::datetime(l, s.data.starts_at));
        }
        rows.push(ListRow {
            id: q.id,
            url: public_url(&st, q.id),
            title: q.title,
            attached: attached.join(" · "),
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

/// A line of a question's data table.
pub struct OptionRow {
    pub label: String,
    pub count: String,
    pub percent: String,
}

/// One question of the results.
pub struct QuestionView {
    pub anchor: String,
    pub label: String,
    /// Only in an older version of the form.
    pub removed: bool,
    /// "312 réponses (86,7 %)".
    pub answered: String,
    pub any: bool,
    /// Key figures: mean, median, NPS.
    pub stats: Vec<(&'static str, String)>,
    pub chart: Option<String>,
    pub options: Vec<OptionRow>,
    /// Promoters, passives, detractors.
    pub nps_groups: Vec<OptionRow>,
    /// Free texts: the first ones shown, the others folded.
    pub texts: Vec<String>,
    pub texts_more: Vec<String>,
    pub texts_more_label: String,
    /// "1 000 shown of 1 250" when the storage kept only the first ones.
    pub texts_cut: Option<String>,
    pub file: bool,
}

/// Texts shown before the others are folded.
const TEXTS_OPEN: usize = 10;

fn option_label(m: &Messages, kind: &str, key: &str, label: &str) -> String {
    match (kind, key) {
        ("yes_no", "yes") => m.fm_yes.to_owned(),
        ("yes_no", "no") => m.fm_no.to_owned(),
        _ => label.to_owned(),
    }
}

fn question_view(
    m: &'static Messages,
    locale: Locale,
    index: usize,
    responses: u64,
    q: QuestionResult,
) -> QuestionView {
    let anchor = format!("q{}", index + 1);
    let options: Vec<OptionRow> = q
        .options
        .iter()
        .map(|o| OptionRow {
            label: option_label(m, q.kind, &o.key, &o.label),
            count: n(locale, o.count),
            percent: percent(locale, o.percent / 100.0),
        })
        .collect();
    let chart = (!q.options.is_empty() && q.answered > 0).then(|| {
        let bars: Vec<svg::Bar> = q
            .options
            .iter()
            .zip(&options)
            .map(|(o, row)| svg::Bar {
                label: row.label.clone(),
                value: i64::try_from(o.count).unwrap_or(i64::MAX),
                previous: None,
                text: format!("{} ({})", row.count, row.percent),
            })
            .collect();
        let colon = match locale {
            Locale::Fr => " : ",
            Locale::En => ": ",
        };
        let desc = options
            .iter()
            .map(|o| format!("{}{colon}{} ({})", o.label, o.count, o.percent))
            .collect::<Vec<_>>()
            .join(" ; ");
        svg::bars(&format!("chart-{anchor}"), &q.label, &desc, &bars, None)
    });
    let mut stats = Vec::new();
    if let Some(v) = q.nps {
        let sign = if v > 0.0 { "+" } else { "" };
        stats.push((m.qs_nps, format!("{sign}{}", dec(locale, v))));
    }
    if let Some(v) = q.mean {
        stats.push((m.qs_mean, dec(locale, v)));
    }
    if let Some(v) = q.median {
        stats.push((m.qs_median, dec(locale, v)));
    }
    let mut nps_groups = Vec::new();
    if q.kind == "nps" && q.answered > 0 {
        let sum = |from: usize, to: usize| -> u64 {
            q.options
                .iter()
                .filter(|o| {
                    o.key
                        .parse::<usize>()
                        .is_ok_and(|v| (from..=to).contains(&v))
                })
                .map(|o| o.count)
                .sum()
        };
        for (label, count) in [
            (m.qs_promoters, sum(9, 10)),
            (m.qs_passives, sum(7, 8)),
            (m.qs_detractors, sum(0, 6)),
        ] {
            nps_groups.push(OptionRow {
                label: label.to_owned(),
                count: n(locale, count),
                percent: share(locale, count, q.answered),
            });
        }
    }
    let mut texts = q.texts;
    let texts_more = if texts.len() > TEXTS_OPEN {
        texts.split_off(TEXTS_OPEN)
    } else {
        Vec::new()
    };
    let kept = (texts.len() + texts_more.len()) as u64;
    QuestionView {
        removed: !q.current,
        answered: format!(
            "{} ({})",
            fill(m.qs_answered, &[("n", &n(locale, q.answered))]),
            share(locale, q.answered, responses)
        ),
        any: q.answered > 0,
        stats,
        chart,
        options: if q.answered > 0 { options } else { Vec::new() },
        nps_groups,
        texts_more_label: fill(
            m.qs_texts_more,
            &[("n", &int(locale, texts_more.len() as i64))],
        ),
        texts,
        texts_more,
        texts_cut: (q.texts_total > kept).then(|| {
            fill(
                m.qs_texts_cut,
                &[
                    ("kept", &n(locale, kept)),
                    ("total", &n(locale, q.texts_total)),
                ],
            )
        }),
        file: q.kind == "file",
        label: q.label,
        anchor,
    }
}

/// The cross-tabulation as a table.
pub struct CrossView {
    pub caption: String,
    pub columns: Vec<String>,
    /// Label, cells, row total.
    pub rows: Vec<(String, Vec<String>, String)>,
    pub totals: Vec<String>,
    pub total: String,
    pub multiple: bool,
}

fn cross_view(m: &Messages, locale: Locale, x: &CrossTab, kinds: (&str, &str)) -> CrossView {
    let label = |kind: &str, (k, l): &(String, String)| option_label(m, kind, k, l);
    let columns: Vec<String> = x.columns.values.iter().map(|v| label(kinds.1, v)).collect();
    let mut totals = vec![0u64; columns.len()];
    let mut rows = Vec::with_capacity(x.rows.values.len());
    for (v, counts) in x.rows.values.iter().zip(&x.counts) {
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
        rows.push((
            label(kinds.0, v),
            counts.iter().map(|c| n(locale, *c)).collect(),
            n(locale, counts.iter().sum()),
        ));
    }
    CrossView {
        caption: fill(
            m.qs_crosstab_caption,
            &[("rows", &x.rows.label), ("cols", &x.columns.label)],
        ),
        columns,
        rows,
        total: n(locale, totals.iter().sum()),
        totals: totals.into_iter().map(|t| n(locale, t)).collect(),
        multiple: kinds.0 == "multiple_choice" || kinds.1 == "multiple_choice",
    }
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
    let form = questionnaire(&st, id).await?;
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
            .map(|c| format!("{} ({})", c.name, c.insee));
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
            attached: attached_to(&st, l, d).await?,
            audience: d.audience.map_or("", |a| a.label(l)),
            anonymous: d.anonymous,
            one_per_link: d.one_per_link,
            url: public_url(&st, id),
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

// --------------------------------------------------------------- QR codes

/// Light modules around the code, as the standard asks.
const QUIET: usize = 4;
/// Pixels per module of the PNG (a 33-module code is 656 px: sharp when
/// printed 5 cm wide and more).
const PNG_SCALE: usize = 16;

/// The modules of the QR code of `text` (medium error correction): its
/// width and, row by row, whether each module is dark.
fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), AppError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(AppError::internal)?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// The QR code of `text` as SVG: one path of dark runs on a white square
/// with its quiet zone, titled for screen readers.
pub(crate) fn qr_svg(text: &str, title: &str) -> Result<String, AppError> {
    let (w, dark) = qr_modules(text)?;
    let size = w + 2 * QUIET;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if dark[y * w + x] {
                let start = x;
                while x < w && dark[y * w + x] {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges" role="img" aria-labelledby="qr-title"><title id="qr-title">{}</title><rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{d}"/></svg>"##,
        svg::escape(title),
        px = size * 8,
    ))
}

/// The QR code of `text` as a PNG, [`PNG_SCALE`] pixels a module.
pub(crate) fn qr_png(text: &str) -> Result<Vec<u8>, AppError> {
    let (w, dark) = qr_modules(text)?;
    let px = u32::try_from((w + 2 * QUIET) * PNG_SCALE).map_err(AppError::internal)?;
    let img = image::GrayImage::from_fn(px, px, |x, y| {
        let (mx, my) = (x as usize / PNG_SCALE, y as usize / PNG_SCALE);
        let on = mx >= QUIET
            && my >= QUIET
            && mx < w + QUIET
            && my < w + QUIET
            && dark[(my - QUIET) * w + (mx - QUIET)];
        image::Luma([if on { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(AppError::internal)?;
    Ok(out.into_inner())
}

fn qr_response(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// `GET /q/{id}/qr.svg`: the QR code of the questionnaire's public address.
/// Its title is the questionnaire's and the address, in no language, so
/// the file can be cached for everyone.
pub async fn qr_svg_file(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = questionnaire(&st, id).await?;
    let url = public_url(&st, id);
    let title = format!("{} — {url}", form.data.title);
    let svg = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        qr_svg(&url, &title)?
    );
    Ok(qr_response(
        svg.into_bytes(),
        "image/svg+xml",
        &format!("questionnaire-{id}-qr.svg"),
    ))
}

/// `GET /q/{id}/qr.png`.
pub async fn qr_png_file(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    questionnaire(&st, id).await?;
    let png = qr_png(&public_url(&st, id))?;
    Ok(qr_response(
        png,
        "image/png",
        &format!("questionnaire-{id}-qr.png"),
    ))
}

#[derive(Template)]
#[template(path = "forms/questionnaires/results/print.html")]
struct PrintPage {
    l: Layout,
    id: i64,
    attached: String,
    url: String,
    svg: String,
}

/// `GET /team/questionnaires/{id}/print`: a poster to print — the title,
/// the QR code and the address in clear.
pub async fn print(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = questionnaire(&st, id).await?;
    let url = public_url(&st, id);
    let svg = qr_svg(&url, &fill(ctx.m.qs_qr_alt, &[("url", &url)]))?;
    html(PrintPage {
        l: ctx.layout(form.data.title.clone()),
        attached: attached_to(&st, ctx.locale, &form.data).await?,
        id,
        url,
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_svg_draws_runs_inside_the_quiet_zone() {
        let svg = qr_svg("https://example.org/q/1", "QR <&>").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("QR &lt;&amp;&gt;"));
        let (w, _) = qr_modules("https://example.org/q/1").unwrap();
        // The finder pattern's top row: 7 dark modules from (4, 4).
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", w + 8)));
    }

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
