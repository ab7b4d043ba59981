//! One agenda across every published project: the sessions of two weeks,
//! day by day, optionally near a commune; and the next sessions the home
//! page shows. Served from the page cache like the programme pages.

use super::pages::truncate;
use super::*;
use crate::ctx::Layout;
use crate::forms::FormErrors;
use crate::time;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, TimeDelta};
use maillage_db::PageRequest;
use maillage_db::bookings;
use maillage_db::programme::activities;

/// Days the agenda shows at once.
pub const DAYS: i64 = 14;
/// Activities read for one agenda page at most.
const MAX_ACTIVITIES: u64 = 400;

/// A session in the agenda.
pub struct Entry {
    pub time: String,
    pub title: String,
    pub url: String,
    pub project: String,
    pub place: String,
    /// Places left in words, "Complet — liste d'attente"….
    pub places: String,
    pub cancelled: bool,
    pub distance: String,
}

/// A day of the agenda.
pub struct Day {
    pub date: String,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "programme/public/agenda.html")]
struct AgendaPage {
    l: Layout,
    q: ProgrammeQuery,
    errors: FormErrors,
    days: Vec<Day>,
    period: String,
    prev: Option<String>,
    next: String,
}

/// The sessions of public activities of published projects from `from`
/// for [`DAYS`] days matching `q` (near a commune…), day by day, at most
/// `limit` entries.
pub async fn days(
    st: &AppState,
    ctx: &Ctx,
    q: &ProgrammeQuery,
    from: NaiveDate,
    limit: usize,
) -> Result<(Vec<Day>, FieldErrors), AppError> {
    let last = from + TimeDelta::days(DAYS - 1);
    let mut window = q.clone();
    window.from = from.to_string();
    window.to = last.to_string();
    let (filter, errors, _) = window.filter(ctx.m, None);
    if !errors.is_empty() {
        return Ok((Vec::new(), errors));
    }
    let c = st.db.conn();
    let list = activities::list(c, &filter, PageRequest::new(1, MAX_ACTIVITIES)).await?;
    let published: BTreeMap<i64, Project> = projects::list(c, true)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let shown: Vec<&Activity> = list
        .items
        .iter()
        .filter(|a| published.contains_key(&a.data.project_id))
        .collect();
    let places = bookings::places_of(c, &shown).await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<(DateTime<Utc>, Entry)>> = BTreeMap::new();
    for a in shown {
        let p = &published[&a.data.project_id];
        let views = session_views(ctx.locale, &p.data.slug, a, &places);
        let distance = distance(ctx.m, &filter, a);
        for (s, v) in a.sessions.iter().zip(views) {
            let start = s.data.starts_at.with_timezone(&chrono_tz::Europe::Paris);
            let day = start.date_naive();
            if day < from || day > last {
                continue;
            }
            let end = s.data.ends_at.with_timezone(&chrono_tz::Europe::Paris);
            by_day.entry(day).or_default().push((
                s.data.starts_at,
                Entry {
                    time: format!("{}–{}", start.format("%H:%M"), end.format("%H:%M")),
                    title: a.data.title.clone(),
                    url: format!("/p/{}/a/{}", p.data.slug, a.data.slug),
                    project: p.data.name.clone(),
                    place: a
                        .venue_of(s)
                        .map(|v| crate::shared::places::venue_label(&v.data))
                        .unwrap_or_default(),
                    places: v.places,
                    cancelled: v.cancelled || a.status == ActivityStatus::Cancelled,
                    distance: distance.clone(),
                },
            ));
        }
    }
    let mut left = limit;
    let mut out = Vec::new();
    for (day, mut list) in by_day {
        if left == 0 {
            break;
        }
        list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
        let entries: Vec<Entry> = list.into_iter().take(left).map(|(_, e)| e).collect();
        left -= entries.len();
        out.push(Day {
            date: time::long_date(ctx.locale, day),
            entries,
        });
    }
    Ok((out, errors))
}

/// How far an activity's nearest place is on a "near me" search, in words
/// ("à 4 km", "à moins d'1 km"); empty otherwise.
pub fn distance(m: &Messages, filter: &Filter, a: &Activity) -> String {
    let nearest = filter.near.as_ref().and_then(|near| {
        a.venues()
            .iter()
            .filter_map(|v| near.get(v.data.commune_insee.as_deref()?))
            .copied()
            .reduce(f64::min)
    });
    match nearest {
        None => String::new(),
        Some(km) if km < 1.0 => m.programme_distance_close.to_owned(),
        Some(km) => crate::i18n::fill(m.programme_distance, &[("km", &format!("{km:.0}"))]),
    }
}

/// `GET /agenda`: two weeks of every project's sessions, day by day;
/// `from` (a day, today by default), `near` and `km`.
pub async fn agenda(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q = ProgrammeQuery::parse(raw.as_deref())?;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    let key = format!("agenda|{today}|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let mut errors = FieldErrors::new();
        let from = match q.from.trim() {
            "" => today,
            v => errors
                .check(
                    "from",
                    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| FieldError::InvalidDate),
                )
                .unwrap_or(today),
        };
        let (days, more) = days(&st, &ctx, &q, from, usize::MAX).await?;
        for (f, e) in more.iter() {
            errors.add(f, e.clone());
        }
        let link = |d: NaiveDate| {
            let mut params = vec![("from", d.to_string())];
            params.extend([("near", q.near.clone()), ("km", q.km.clone())]);
            let qs = crate::shared::query_string(&params);
            format!("/agenda?{qs}")
        };
        let last = from + TimeDelta::days(DAYS - 1);
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = AgendaPage {
            l: ctx.layout(ctx.m.agenda_title),
            errors: FormErrors::from_fields(ctx.m, &errors),
            period: format!(
                "{} → {}",
                time::long_date(ctx.locale, from),
                time::long_date(ctx.locale, last)
            ),
            prev: (from > today).then(|| link((from - TimeDelta::days(DAYS)).max(today))),
            next: link(last + TimeDelta::days(1)),
            days,
            q: q.clone(),
        };
        let (_, body) = html_cached(page)?;
        Ok((status, body))
    };
    cached(&st, &ctx, &headers, key, render).await
}

/// The next sessions across projects, for the home page.
pub async fn next_sessions(st: &AppState, ctx: &Ctx, n: usize) -> Result<Vec<Day>, AppError> {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive();
    let (mut list, _) = days(st, ctx, &ProgrammeQuery::default(), today, n).await?;
    for d in &mut list {
        for e in &mut d.entries {
            e.title = truncate(&e.title, 90);
        }
    }
    Ok(list)
}
