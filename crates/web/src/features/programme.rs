//! The public programme: the projects on the home page, a project's
//! programme with its filters (shareable URLs), activity pages with
//! schema.org Event data and OpenGraph tags, iCalendar and Atom feeds.
//! Anonymous visitors get pages from the page cache while the programme
//! does not change.

use super::directory as dir;
use super::images::ImageView;
use super::openapi::vocab;
use super::{Pager, page_number, query_string};
use crate::cache::Cached;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::i18n::Messages;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::PageRequest;
use maillage_db::counters;
use maillage_db::media::{self, Owner};
use maillage_db::programme::activities::{self, Activity, Filter};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::Locale;
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectStatus, RegistrationMode, SchoolLevel, SessionStatus,
};
use maillage_domain::{FieldError, FieldErrors};
use serde::Deserialize;

/// Activities per page of the public programme.
pub const PER_PAGE: u64 = 20;

/// The filters of the programme, as in the URL (the pages' and the API's;
/// the doc comments describe them in the OpenAPI document).
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeQuery {
    /// Words to look for (accents and case ignored; each word matches the
    /// start of a word).
    pub q: String,
    /// Activities with a session on a day from this one (Europe/Paris). With
    /// only one of `from` and `to`, that single day. At most 400 days.
    #[param(value_type = Option<String>, format = Date)]
    pub from: String,
    /// Activities with a session on a day up to this one (Europe/Paris), not
    /// before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: String,
    /// A commune: its INSEE code, else a postcode or a name that designates
    /// one commune.
    pub commune: String,
    /// The SIREN of an EPCI: its communes. With `commune`, both apply.
    #[param(value_type = Option<vocab::Siren>)]
    pub epci: String,
    /// Who the activity is for.
    #[param(value_type = Option<vocab::Audience>)]
    pub audience: String,
    /// A school level the activity welcomes.
    #[param(value_type = Option<vocab::SchoolLevel>)]
    pub level: String,
    /// The format.
    #[param(value_type = Option<vocab::Format>)]
    pub format: String,
    /// A theme.
    #[param(value_type = Option<vocab::Theme>)]
    pub theme: String,
    /// Only free activities. `true` or `1`; `false`, `0` or absent: no filter.
    #[param(value_type = Option<bool>)]
    pub free: String,
    /// Only activities that need a registration. `true` or `1`; `false`, `0`
    /// or absent: no filter.
    #[param(value_type = Option<bool>)]
    pub registration: String,
    /// Only activities accessible in a wheelchair. `true` or `1`; `false`,
    /// `0` or absent: no filter.
    #[param(value_type = Option<bool>)]
    pub wheelchair: String,
    /// Only activities with a hearing loop. `true` or `1`; `false`, `0` or
    /// absent: no filter.
    #[param(value_type = Option<bool>)]
    pub hearing_loop: String,
    /// Only activities suited to visually impaired people. `true` or `1`;
    /// `false`, `0` or absent: no filter.
    #[param(value_type = Option<bool>)]
    pub visual: String,
    /// Only activities suited to people with cognitive disabilities. `true`
    /// or `1`; `false`, `0` or absent: no filter.
    #[param(value_type = Option<bool>)]
    pub cognitive: String,
    /// The page of the programme pages (the API pages with `cursor`).
    #[param(ignore)]
    pub page: Option<String>,
    /// Where to continue: the `next` of the previous page.
    #[param(value_type = Option<vocab::Cursor>)]
    pub cursor: Option<String>,
    /// The slug of a published project.
    pub project: String,
}

impl ProgrammeQuery {
    pub fn parse(raw: Option<&str>) -> Result<ProgrammeQuery, AppError> {
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| AppError::BadRequest(None))
    }

    /// The filter state without the page, for links and feeds.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("commune", self.commune.clone()),
            ("epci", self.epci.clone()),
            ("audience", self.audience.clone()),
            ("level", self.level.clone()),
            ("format", self.format.clone()),
            ("theme", self.theme.clone()),
            ("free", self.free.clone()),
            ("registration", self.registration.clone()),
            ("wheelchair", self.wheelchair.clone()),
            ("hearing_loop", self.hearing_loop.clone()),
            ("visual", self.visual.clone()),
            ("cognitive", self.cognitive.clone()),
        ]
    }

    /// The storage filter; field errors for values that cannot be read.
    pub fn filter(
        &self,
        m: &Messages,
        project: Option<i64>,
    ) -> (Filter, FieldErrors, Option<String>) {
        let mut e = FieldErrors::new();
        let mut commune_error = None;
        let communes = match dir::commune_filter(m, &self.commune, &self.epci) {
            Ok(c) => c,
            Err(msg) => {
                e.add("commune", FieldError::UnknownCommune);
                commune_error = Some(msg);
                Some(Vec::new())
            }
        };
        let audience = vocab(&mut e, "audience", &self.audience, Audience::parse);
        let level = vocab(&mut e, "level", &self.level, SchoolLevel::parse);
        let format = vocab(&mut e, "format", &self.format, Format::parse);
        let theme = vocab(&mut e, "theme", &self.theme, Theme::parse);
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            e.add("to", FieldError::EndBeforeStart);
        }
        let on = |v: &str| !v.is_empty() && v != "0";
        (
            Filter {
                project_id: project,
                query: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
                communes,
                audience,
                level,
                format,
                theme,
                free: on(&self.free),
                registration: on(&self.registration),
                wheelchair: on(&self.wheelchair),
                hearing_loop: on(&self.hearing_loop),
                visual: on(&self.visual),
                cognitive: on(&self.cognitive),
                from,
                to,
                public_only: true,
                status: None,
            },
            e,
            commune_error,
        )
    }
}

fn vocab<T>(
    e: &mut FieldErrors,
    field: &str,
    v: &str,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<T> {
    if v.trim().is_empty() {
        None
    } else {
        e.check(field, parse(v))
    }
}

fn date(e: &mut FieldErrors, field: &str, v: &str) -> Option<NaiveDate> {
    if v.trim().is_empty() {
        return None;
    }
    e.check(
        field,
        NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| FieldError::InvalidDate),
    )
}

/// A session as the pages show it.
pub struct SessionView {
    pub id: i64,
    pub when: String,
    pub cancelled: bool,
    pub full: bool,
    /// The booking form, when the session is booked here.
    pub book: Option<String>,
    /// Classes book it (the link says so).
    pub for_classes: bool,
}

/// "samedi 11 octobre 2025, 10:00–11:30" / "Saturday 11 October 2025, 10:00–11:30".
pub fn when(locale: Locale, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let s = start.with_timezone(&Paris);
    let e = end.with_timezone(&Paris);
    let day = time::long_date(locale, s.date_naive());
    if s.date_naive() == e.date_naive() {
        format!("{day}, {}–{}", s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!(
            "{day} {} → {} {}",
            s.format("%H:%M"),
            time::long_date(locale, e.date_naive()),
            e.format("%H:%M")
        )
    }
}

pub struct Card {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub format: &'static str,
    pub audiences: Vec<&'static str>,
    pub place: String,
    pub sessions: Vec<SessionView>,
    pub more_sessions: usize,
    pub free: bool,
    pub registration: &'static str,
    pub cancelled: bool,
    pub full: bool,
    /// A thumbnail, set by the pages that show one.
    pub thumb: Option<ImageView>,
}

pub fn audience_labels(locale: Locale, a: &Activity) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = a
        .data
        .audiences
        .iter()
        .filter(|x| **x != Audience::School || a.data.levels.is_empty())
        .map(|x| x.label(locale))
        .collect();
    v.extend(a.data.levels.iter().map(|l| l.label(locale)));
    v
}

pub fn place(a: &Activity) -> String {
    match &a.venue {
        Some(v) => {
            let commune = dir::commune_label(v.commune_insee.as_deref());
            if commune.is_empty() {
                v.name.clone()
            } else {
                format!("{} — {commune}", v.name)
            }
        }
        None => String::new(),
    }
}

fn session_views(locale: Locale, project: &str, a: &Activity) -> Vec<SessionView> {
    let now = Utc::now();
    a.sessions
        .iter()
        .map(|s| {
            let mode = s.mode.unwrap_or(a.registration);
            let bookable = matches!(mode, RegistrationMode::Booking | RegistrationMode::Groups)
                && s.data.status == SessionStatus::Scheduled
                && a.status == ActivityStatus::Published
                && s.data.starts_at > now;
            SessionView {
                id: s.id,
                when: when(locale, s.data.starts_at, s.data.ends_at),
                cancelled: s.data.status == SessionStatus::Cancelled,
                full: s.data.status == SessionStatus::Full,
                book: bookable
                    .then(|| format!("/p/{project}/a/{}/s/{}/reserver", a.data.slug, s.id)),
                for_classes: mode == RegistrationMode::Groups,
            }
        })
        .collect()
}

pub fn card(ctx: &Ctx, project: &Project, a: &Activity) -> Card {
    let mut sessions = session_views(ctx.locale, &project.data.slug, a);
    let more = sessions.len().saturating_sub(3);
    sessions.truncate(3);
    Card {
        url: format!("/p/{}/a/{}", project.data.slug, a.data.slug),
        title: a.data.title.clone(),
        summary: a.data.summary.clone().unwrap_or_default(),
        format: a.format.label(ctx.locale),
        audiences: audience_labels(ctx.locale, a),
        place: place(a),
        sessions,
        more_sessions: more,
        free: a.data.free,
        registration: if a.registration == RegistrationMode::None {
            ""
        } else {
            a.registration.label(ctx.locale)
        },
        cancelled: a.status == ActivityStatus::Cancelled,
        full: a.status == ActivityStatus::Full,
        thumb: None,
    }
}

/// Serves from the page cache for anonymous visitors, or renders and keeps.
pub async fn cached(
    st: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    key: String,
    render: impl Future<Output = Result<(StatusCode, Cached), AppError>>,
) -> Result<Response, AppError> {
    let version = counters::get(st.db.conn(), counters::PROGRAMME).await?;
    // The language is part of the page: a French copy must not validate an
    // English request.
    let key = format!("{}|{key}", ctx.locale.as_str());
    let etag = format!("W/\"p{version}-{:x}\"", fxhash(&key));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
        && ctx.user.is_none()
    {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        res.headers_mut().insert(
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("")),
        );
        return Ok(res);
    }
    let cacheable = ctx.user.is_none() && ctx.flash.is_none();
    let (status, value) = match cacheable.then(|| st.pages.get(&key, version)).flatten() {
        Some(v) => (StatusCode::OK, v),
        None => {
            let (status, v) = render.await?;
            if cacheable && status == StatusCode::OK {
                st.pages.put(key, version, v.clone());
            }
            (status, v)
        }
    };
    let mut res = (status, value.body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(value.content_type),
    );
    if cacheable && status == StatusCode::OK {
        if let Ok(v) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=0, must-revalidate"),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    Ok(res)
}

/// A small stable hash for cache validators (not for security).
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn html_cached(t: impl Template) -> Result<(StatusCode, Cached), AppError> {
    let body = t.render().map_err(AppError::internal)?;
    Ok((
        StatusCode::OK,
        Cached {
            content_type: "text/html; charset=utf-8",
            body: Bytes::from(body),
        },
    ))
}

async fn published_project(st: &AppState, ctx: &Ctx, slug: &str) -> Result<Project, AppError> {
    let p = projects::find_by_slug(st.db.conn(), slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let team = ctx.can(maillage_domain::Action::TeamSpace);
    if p.data.status != ProjectStatus::Published && !team {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

pub fn project_dates(locale: Locale, p: &Project) -> String {
    let a = time::long_date(locale, p.data.starts_on);
    if p.data.starts_on == p.data.ends_on {
        a
    } else {
        format!("{a} → {}", time::long_date(locale, p.data.ends_on))
    }
}

struct ProjectCard {
    slug: String,
    name: String,
    kind: &'static str,
    dates: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct Home {
    l: Layout,
    signed_in: bool,
    upcoming: Vec<ProjectCard>,
    past: Vec<ProjectCard>,
}

/// `GET /`: the projects, upcoming first.
pub async fn home(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let render = async {
        let today = Utc::now().with_timezone(&Paris).date_naive();
        let list = projects::list(st.db.conn(), true).await?;
        let to_card = |p: &Project| ProjectCard {
            slug: p.data.slug.clone(),
            name: p.data.name.clone(),
            kind: p.data.kind.label(ctx.locale),
            dates: project_dates(ctx.locale, p),
            summary: p
                .data
                .description
                .as_deref()
                .map(crate::markdown::to_text)
                .map(|t| truncate(&t, 220))
                .unwrap_or_default(),
        };
        let mut upcoming: Vec<ProjectCard> = list
            .iter()
            .filter(|p| p.data.ends_on >= today)
            .map(to_card)
            .collect();
        upcoming.reverse();
        let past = list
            .iter()
            .filter(|p| p.data.ends_on < today)
            .map(to_card)
            .collect();
        html_cached(Home {
            l: ctx.layout(ctx.m.home_title),
            signed_in: ctx.user.is_some(),
            upcoming,
            past,
        })
    };
    let key = format!("home|{}", Utc::now().with_timezone(&Paris).date_naive());
    cached(&st, &ctx, &headers, key, render).await
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[derive(Template)]
#[template(path = "programme/list.html")]
struct ProgrammePage {
    l: Layout,
    p: Project,
    kind: &'static str,
    dates: String,
    description: String,
    q: ProgrammeQuery,
    commune_error: Option<String>,
    errors: crate::forms::FormErrors,
    audiences: Vec<Choice>,
    levels: Vec<Choice>,
    formats: Vec<Choice>,
    themes: Vec<Choice>,
    epcis: Vec<Choice>,
    cards: Vec<Card>,
    pager: Pager,
    ics: String,
    has_filters: bool,
}

fn choices<T: Copy + PartialEq>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|x| Choice::new(code(*x), label(*x), code(*x) == selected))
        .collect()
}

/// `GET /p/{slug}`: a project's programme with its filters.
pub async fn programme(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q = ProgrammeQuery::parse(raw.as_deref())?;
    let key = format!("p|{slug}|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let (filter, errors, commune_error) = q.filter(ctx.m, Some(p.id));
        let page = if errors.is_empty() || errors.iter().all(|(f, _)| f == "commune") {
            activities::list(
                st.db.conn(),
                &filter,
                PageRequest::new(page_number(q.page.as_deref()), PER_PAGE),
            )
            .await?
        } else {
            maillage_db::Page {
                items: Vec::new(),
                total: 0,
                request: PageRequest::new(1, PER_PAGE),
            }
        };
        let base = format!("/p/{slug}");
        let params = q.params();
        let pager = Pager::new(&page, &base, &params);
        let qs = query_string(&params);
        let loc = ctx.locale;
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page_html = ProgrammePage {
            l: ctx.layout(p.data.name.clone()),
            kind: p.data.kind.label(loc),
            dates: project_dates(loc, &p),
            description: p
                .data
                .description
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default(),
            audiences: choices(
                maillage_domain::programme::Audience::ALL,
                Audience::code,
                |a| a.label(loc),
                &q.audience,
            ),
            levels: choices(
                SchoolLevel::ALL,
                SchoolLevel::code,
                |a| a.label(loc),
                &q.level,
            ),
            formats: choices(Format::ALL, Format::code, |a| a.label(loc), &q.format),
            themes: choices(Theme::ALL, Theme::code, |a| a.label(loc), &q.theme),
            epcis: dir::epci_choices(&[], &q.epci),
            cards: {
                let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
                let images = media::of_activities(st.db.conn(), &ids).await?;
                page.items
                    .iter()
                    .map(|a| Card {
                        thumb: images
                            .get(&a.id)
                            .and_then(|i| ImageView::new(i, ctx.locale, &st.config.base_url, 320)),
                        ..card(&ctx, &p, a)
                    })
                    .collect()
            },
            pager,
            ics: if qs.is_empty() {
                format!("/p/{slug}/programme.ics")
            } else {
                format!("/p/{slug}/programme.ics?{qs}")
            },
            has_filters: !qs.is_empty(),
            errors: crate::forms::FormErrors::from_fields(ctx.m, &errors),
            commune_error,
            q: q.clone(),
            p,
        };
        let (_, cached) = html_cached(page_html)?;
        Ok((status, cached))
    };
    cached(&st, &ctx, &headers, key, render).await
}

#[derive(Template)]
#[template(path = "programme/activity.html")]
struct ActivityPage {
    l: Layout,
    p: Project,
    a: Activity,
    format: &'static str,
    audiences: Vec<&'static str>,
    themes: Vec<&'static str>,
    description: String,
    meta_description: String,
    commune: String,
    access: Vec<&'static str>,
    sessions: Vec<SessionView>,
    registration: &'static str,
    json_ld: String,
    canonical: String,
    ics: String,
    parent: Option<(String, String)>,
    children: Vec<(String, String)>,
    image: Option<ImageView>,
}

fn access_labels(m: &Messages, a: &Activity) -> Vec<&'static str> {
    let x = a.data.access;
    [
        (x.wheelchair, m.access_wheelchair),
        (x.hearing_loop, m.access_hearing_loop),
        (x.visual, m.access_visual),
        (x.cognitive, m.access_cognitive),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, l)| l)
    .collect()
}

/// schema.org `Event`s of an activity, one per session, as JSON-LD.
pub fn json_ld(base: &str, p: &Project, a: &Activity) -> serde_json::Value {
    use serde_json::json;
    let url = format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug);
    let location = a.venue.as_ref().map(|v| {
        let commune = v.commune_insee.as_deref().and_then(maillage_geo::commune);
        let mut place = json!({
            "@type": "Place",
            "name": v.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": v.address,
                "postalCode": v.postcode,
                "addressLocality": commune.map(|c| c.name),
                "addressCountry": "FR",
            },
        });
        if let (Some(lat), Some(lon)) = (v.lat, v.lon) {
            place["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
        }
        place
    });
    let organizer: Vec<serde_json::Value> = a
        .organisers
        .iter()
        .map(|(_, n)| json!({"@type": "Organization", "name": n}))
        .collect();
    let performer: Vec<serde_json::Value> = a
        .speakers
        .iter()
        .map(|(_, n)| json!({"@type": "Person", "name": n}))
        .collect();
    let description = a
        .data
        .summary
        .clone()
        .or_else(|| a.data.description.as_deref().map(crate::markdown::to_text))
        .unwrap_or_else(|| a.data.title.clone());
    let events: Vec<serde_json::Value> = a
        .sessions
        .iter()
        .map(|s| {
            let cancelled = a.status == ActivityStatus::Cancelled || s.data.status == SessionStatus::Cancelled;
            let mut e = json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": a.data.title,
                "description": description,
                "url": url,
                "startDate": s.data.starts_at.with_timezone(&Paris).to_rfc3339(),
                "endDate": s.data.ends_at.with_timezone(&Paris).to_rfc3339(),
                "eventStatus": if cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
                "eventAttendanceMode": if a.venue.is_none() && a.data.online_url.is_some() { "https://schema.org/OnlineEventAttendanceMode" } else { "https://schema.org/OfflineEventAttendanceMode" },
                "isAccessibleForFree": a.data.free,
                "inLanguage": "fr",
                "superEvent": {"@type": "EventSeries", "name": p.data.name, "url": format!("{base}/p/{}", p.data.slug)},
            });
            match &location {
                Some(l) => e["location"] = l.clone(),
                None => {
                    if let Some(u) = &a.data.online_url {
                        e["location"] = json!({"@type": "VirtualLocation", "url": u});
                    }
                }
            }
            if !organizer.is_empty() {
                e["organizer"] = json!(organizer);
            }
            if !performer.is_empty() {
                e["performer"] = json!(performer);
            }
            if a.data.free {
                e["offers"] = json!({
                    "@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url,
                    "availability": if s.data.status == SessionStatus::Full || a.status == ActivityStatus::Full { "https://schema.org/SoldOut" } else { "https://schema.org/InStock" },
                });
            }
            if let Some(age) = a.data.min_age {
                e["typicalAgeRange"] = json!(format!("{age}-"));
            }
            e
        })
        .collect();
    match events.len() {
        1 => events.into_iter().next().unwrap_or_default(),
        _ => serde_json::Value::Array(events),
    }
}

/// `GET /p/{slug}/a/{activity}`.
pub async fn activity(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, activity_slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let key = format!("a|{slug}|{activity_slug}");
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let a = activities::find_by_slug(st.db.conn(), p.id, &activity_slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !a.status.is_public() && !ctx.can(maillage_domain::Action::TeamSpace) {
            return Err(AppError::NotFound);
        }
        let base = st.config.base_url.clone();
        let image = media::find(st.db.conn(), Owner::Activity(a.id))
            .await?
            .and_then(|i| ImageView::new(&i, ctx.locale, &base, 640));
        let mut ld = json_ld(&base, &p, &a);
        if let Some(img) = &image {
            match &mut ld {
                serde_json::Value::Array(events) => {
                    for e in events {
                        e["image"] = img.json_ld();
                    }
                }
                e @ serde_json::Value::Object(_) => e["image"] = img.json_ld(),
                _ => {}
            }
        }
        // "</" would end the script element: write it as "<\/" inside the JSON.
        let json_ld = serde_json::to_string(&ld)
            .map_err(AppError::internal)?
            .replace("</", "<\\/");
        let parent = match a.data.parent_id {
            Some(id) => activities::find(st.db.conn(), id)
                .await?
                .filter(|x| x.status.is_public())
                .map(|x| (format!("/p/{slug}/a/{}", x.data.slug), x.data.title)),
            None => None,
        };
        let children = children(&st, &p, a.id).await?;
        let page = ActivityPage {
            l: ctx.layout(a.data.title.clone()),
            format: a.format.label(ctx.locale),
            audiences: audience_labels(ctx.locale, &a),
            themes: a.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
            description: a
                .data
                .description
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default(),
            meta_description: truncate(
                &a.data
                    .summary
                    .clone()
                    .or_else(|| a.data.description.as_deref().map(crate::markdown::to_text))
                    .unwrap_or_default(),
                200,
            ),
            commune: a
                .venue
                .as_ref()
                .map(|v| dir::commune_label(v.commune_insee.as_deref()))
                .unwrap_or_default(),
            access: access_labels(ctx.m, &a),
            sessions: session_views(ctx.locale, &slug, &a),
            registration: a.registration.label(ctx.locale),
            canonical: format!("{base}/p/{slug}/a/{activity_slug}"),
            ics: format!("/p/{slug}/a/{activity_slug}/activity.ics"),
            json_ld,
            parent,
            children,
            image,
            a,
            p,
        };
        html_cached(page)
    };
    cached(&st, &ctx, &headers, key, render).await
}

async fn children(st: &AppState, p: &Project, id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(activities::public_children(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|(slug, title)| (format!("/p/{}/a/{slug}", p.data.slug), title))
        .collect())
}

pub(crate) fn ics_event(
    base: &str,
    p: &Project,
    a: &Activity,
    s: &maillage_db::programme::sessions::Session,
) -> maillage_ical::Event {
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("maillage")
        .split('/')
        .next()
        .unwrap_or("maillage");
    let cancelled =
        a.status == ActivityStatus::Cancelled || s.data.status == SessionStatus::Cancelled;
    maillage_ical::Event {
        uid: format!("session-{}@{host}", s.id),
        starts_at: s.data.starts_at,
        ends_at: s.data.ends_at,
        summary: a.data.title.clone(),
        description: a
            .data
            .summary
            .clone()
            .or_else(|| a.data.description.as_deref().map(crate::markdown::to_text)),
        location: a.venue.as_ref().map(|v| {
            let commune = dir::commune_label(v.commune_insee.as_deref());
            [
                Some(v.name.clone()),
                v.address.clone(),
                (!commune.is_empty()).then_some(commune),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        }),
        geo: a.venue.as_ref().and_then(|v| v.lat.zip(v.lon)),
        url: Some(format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug)),
        status: if cancelled {
            maillage_ical::EventStatus::Cancelled
        } else {
            maillage_ical::EventStatus::Confirmed
        },
        categories: vec![a.format.label(Locale::Fr).to_owned()],
        last_modified: a.updated_at,
        sequence: 0,
    }
}

fn calendar_response(body: String) -> (StatusCode, Cached) {
    (
        StatusCode::OK,
        Cached {
            content_type: "text/calendar; charset=utf-8",
            body: Bytes::from(body),
        },
    )
}

/// `GET /p/{slug}/programme.ics?filters`: the programme (or its filtered
/// part) as a calendar, up to 2,000 activities.
pub async fn programme_ics(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q = ProgrammeQuery::parse(raw.as_deref())?;
    let key = format!("ics|{slug}|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let (filter, errors, _) = q.filter(ctx.m, Some(p.id));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let list = activities::list(st.db.conn(), &filter, PageRequest::new(1, 2000)).await?;
        let base = &st.config.base_url;
        let cal = maillage_ical::Calendar {
            name: p.data.name.clone(),
            description: None,
            url: Some(format!("{base}/p/{slug}")),
            events: list
                .items
                .iter()
                .flat_map(|a| {
                    a.sessions
                        .iter()
                        .map(|s| ics_event(base, &p, a, s))
                        .collect::<Vec<_>>()
                })
                .collect(),
        };
        Ok(calendar_response(maillage_ical::render(&cal, Utc::now())))
    };
    cached(&st, &ctx, &headers, key, render).await
}

/// `GET /p/{slug}/a/{activity}/activity.ics`.
pub async fn activity_ics(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, activity_slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let key = format!("aics|{slug}|{activity_slug}");
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let a = activities::find_by_slug(st.db.conn(), p.id, &activity_slug)
            .await?
            .filter(|a| a.status.is_public())
            .ok_or(AppError::NotFound)?;
        let base = &st.config.base_url;
        let cal = maillage_ical::Calendar {
            name: a.data.title.clone(),
            description: None,
            url: Some(format!("{base}/p/{slug}/a/{activity_slug}")),
            events: a
                .sessions
                .iter()
                .map(|s| ics_event(base, &p, &a, s))
                .collect(),
        };
        Ok(calendar_response(maillage_ical::render(&cal, Utc::now())))
    };
    cached(&st, &ctx, &headers, key, render).await
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /p/{slug}/feed.atom`: the programme's activities, latest changes first.
pub async fn atom(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let key = format!("atom|{slug}");
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let mut list: Vec<Activity> = activities::of_project(st.db.conn(), p.id)
            .await?
            .into_iter()
            .filter(|a| a.status.is_public())
            .collect();
        list.sort_by_key(|a| std::cmp::Reverse(a.created_at));
        list.truncate(50);
        let base = &st.config.base_url;
        let updated = list
            .iter()
            .map(|a| a.updated_at)
            .max()
            .unwrap_or(p.updated_at);
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n",
        );
        out.push_str(&format!(
            "<title>{}</title>\n<id>{base}/p/{slug}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}/p/{slug}\"/>\n<link rel=\"self\" href=\"{base}/p/{slug}/feed.atom\"/>\n<updated>{}</updated>\n",
            xml(&p.data.name),
            updated.to_rfc3339()
        ));
        for a in &list {
            let url = format!("{base}/p/{slug}/a/{}", a.data.slug);
            let first = a
                .sessions
                .first()
                .map(|s| when(Locale::Fr, s.data.starts_at, s.data.ends_at))
                .unwrap_or_default();
            let summary = [first, place(a), a.data.summary.clone().unwrap_or_default()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            out.push_str(&format!(
                "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
                xml(&a.data.title),
                a.created_at.to_rfc3339(),
                a.updated_at.to_rfc3339(),
                xml(&summary)
            ));
        }
        out.push_str("</feed>\n");
        Ok((
            StatusCode::OK,
            Cached {
                content_type: "application/atom+xml; charset=utf-8",
                body: Bytes::from(out),
            },
        ))
    };
    cached(&st, &ctx, &headers, key, render).await
}
