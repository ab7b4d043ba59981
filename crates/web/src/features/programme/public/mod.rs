//! The public programme: the projects on the home page, a project's
//! programme with its filters (shareable URLs), activity pages with
//! schema.org Event data and OpenGraph tags, iCalendar and Atom feeds.
//! Anonymous visitors get pages from the page cache while the programme
//! does not change.

//!
//! `mod.rs` has the filters of a programme page and what pages share
//! (cards, cache); `pages.rs` the home, programme and activity pages;
//! `feeds.rs` the iCalendar and Atom feeds.

mod agenda;
mod feeds;
mod pages;

pub(crate) use agenda::agenda;
pub(crate) use feeds::{activity_ics, atom, programme_ics};
pub(crate) use pages::{activity, home, programme};

use super::images::ImageView;
use crate::cache::Cached;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::api::vocab;
use crate::state::AppState;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{NaiveDate, Utc};
use maillage_db::bookings::Places;
use maillage_db::counters;
use maillage_db::programme::activities::{Activity, Filter};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::Locale;
use maillage_domain::directory::Theme;
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, ProjectStatus, RegistrationMode, SchoolLevel, SessionStatus,
};
use maillage_domain::{FieldError, FieldErrors};
use serde::Deserialize;
use std::collections::BTreeMap;

/// How far the clocks of several instances may disagree, for the cache's
/// question "did a booking change since this page was made?".
const CLOCK_MARGIN: std::time::Duration = std::time::Duration::from_secs(2);

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
    /// Activities with a session on this day (Europe/Paris) or later. Alone,
    /// from this day on; with `to`, the days between both, included.
    #[param(value_type = Option<String>, format = Date)]
    pub from: String,
    /// Activities with a session on this day (Europe/Paris) or earlier. Alone,
    /// up to this day (past days included); with `from`, not before `from`.
    #[param(value_type = Option<String>, format = Date)]
    pub to: String,
    /// A commune: its INSEE code, else a postcode or a name that designates
    /// one commune.
    pub commune: String,
    /// The SIREN of an EPCI: its communes. With `commune`, both apply.
    #[param(value_type = Option<vocab::Siren>)]
    pub epci: String,
    /// Near a commune (its INSEE code, else a postcode or a name that
    /// designates one commune): activities in the communes within `km` of
    /// it, nearest first (then by date).
    pub near: String,
    /// The radius around `near`, in km (10 when not given).
    #[param(value_type = Option<i32>, minimum = 1, maximum = 100)]
    pub km: String,
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
            ("near", self.near.clone()),
            ("km", self.km.clone()),
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
        let communes = match crate::shared::places::commune_filter(m, &self.commune, &self.epci) {
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
        let near = self.near(&mut e);
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            e.add("to", FieldError::EndBeforeStart);
        }
        let on = |v: &str| !v.is_empty() && v != "0";
        (
            around(
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
                    near: None,
                },
                near,
            ),
            e,
            commune_error,
        )
    }

    /// "Near me": the communes within the radius of `near`, with their
    /// distance in km; errors on `near` and `km`.
    fn near(&self, e: &mut FieldErrors) -> Option<BTreeMap<String, f64>> {
        let km = match self.km.trim() {
            "" => Some(DEFAULT_KM),
            v => match v.parse::<i32>() {
                Ok(n) if (1..=MAX_KM).contains(&n) => Some(n),
                _ => {
                    e.add(
                        "km",
                        FieldError::OutOfRange {
                            min: 1,
                            max: i64::from(MAX_KM),
                        },
                    );
                    None
                }
            },
        };
        let text = self.near.trim();
        if text.is_empty() {
            return None;
        }
        let centre = e.check("near", maillage_directory::commune::resolve(text, None))?;
        let (Some(lat), Some(lon)) = (centre.lat, centre.lon) else {
            e.add("near", FieldError::UnknownCommune);
            return None;
        };
        let radius = f64::from(km?);
        Some(
            maillage_geo::communes()
                .iter()
                .filter_map(|c| {
                    let d = km_between((lat, lon), (c.lat?, c.lon?));
                    (d <= radius).then(|| (c.insee.to_owned(), d))
                })
                .collect(),
        )
    }
}

/// The default radius of "near me", and the widest.
pub const DEFAULT_KM: i32 = 10;
pub const MAX_KM: i32 = 100;

/// The great-circle distance between two points (latitude, longitude), in km.
pub fn km_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// `f` narrowed to the communes around a point (within those it already
/// names, if any), to be listed nearest first.
pub(crate) fn around(mut f: Filter, near: Option<BTreeMap<String, f64>>) -> Filter {
    if let Some(near) = near {
        let around: Vec<String> = match &f.communes {
            Some(chosen) => chosen
                .iter()
                .filter(|c| near.contains_key(*c))
                .cloned()
                .collect(),
            None => near.keys().cloned().collect(),
        };
        f.communes = Some(around);
        f.near = Some(near);
    }
    f
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
    /// Places left in words ("12 places", "Complet — liste d'attente"),
    /// where the session is booked here and has not started.
    pub places: String,
    /// The booking form, when the session takes bookings (or names on its
    /// waiting list).
    pub book: Option<String>,
    /// Classes book it (the link says so).
    pub for_classes: bool,
    /// Full: the link puts names on the waiting list.
    pub waitlist: bool,
    /// Where it takes place, when not at the activity's venue.
    pub place: String,
}

pub use crate::shared::programme::when;

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
    /// How far it is ("à 4 km"), on a "near me" search.
    pub distance: String,
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

/// Where an activity takes place: its venue, or its sessions' venues when
/// they differ ("Médiathèque de Vif — Vif · Médiathèque de Voiron — Voiron").
pub fn place(a: &Activity) -> String {
    a.venues()
        .iter()
        .map(|v| crate::shared::places::venue_label(&v.data))
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn session_views(
    locale: Locale,
    project: &str,
    a: &Activity,
    places: &BTreeMap<i64, Places>,
) -> Vec<SessionView> {
    let now = Utc::now();
    let m = crate::i18n::messages(locale);
    a.sessions
        .iter()
        .map(|s| {
            let mode = s.mode.unwrap_or(a.registration);
            let for_classes = mode == RegistrationMode::Groups;
            let open = matches!(mode, RegistrationMode::Booking | RegistrationMode::Groups)
                && s.data.status == SessionStatus::Scheduled
                && a.status == ActivityStatus::Published
                && s.data.starts_at > now;
            let left = places.get(&s.id).filter(|_| open);
            let full = s.data.status == SessionStatus::Full || left.is_some_and(Places::is_full);
            let waitlist = full && left.is_some_and(|p| p.waitlist);
            let places = match left {
                None => String::new(),
                Some(_) if waitlist => m.programme_full_waitlist.to_owned(),
                Some(p) => match p.free() {
                    Some(0) => m.programme_full.to_owned(),
                    Some(_) if p.one_group => m.programme_slot_free.to_owned(),
                    Some(n) => {
                        crate::i18n::count(locale, n, m.programme_places_one, m.programme_places_n)
                    }
                    None => m.programme_places_open.to_owned(),
                },
            };
            SessionView {
                id: s.id,
                when: when(locale, s.data.starts_at, s.data.ends_at),
                cancelled: s.data.status == SessionStatus::Cancelled,
                full,
                places,
                book: (open && (!full || waitlist))
                    .then(|| format!("/p/{project}/a/{}/s/{}/reserver", a.data.slug, s.id)),
                for_classes,
                waitlist,
                place: match a.venue_of(s) {
                    Some(v) if a.venue.as_ref().is_none_or(|own| own.id != v.id) => {
                        crate::shared::places::venue_label(&v.data)
                    }
                    _ => String::new(),
                },
            }
        })
        .collect()
}

pub fn card(ctx: &Ctx, project: &Project, a: &Activity, places: &BTreeMap<i64, Places>) -> Card {
    let mut sessions = session_views(ctx.locale, &project.data.slug, a, places);
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
        distance: String::new(),
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
    let hash = fxhash(&key);
    // Places left change without a new version: a page is kept a few
    // seconds, and its validator names the copy it was made from.
    let etag = |stamp: u64| format!("W/\"p{version}-{stamp:x}-{hash:x}\"");
    let cacheable = ctx.user.is_none() && ctx.flash.is_none();
    let mut hit = cacheable
        .then(|| st.pages.get_aged(&key, version))
        .flatten();
    // Older than the places' delay: still right if no booking changed since
    // it was made (a few seconds' margin for the clocks of other instances).
    if let Some((_, stamp, age)) = &hit
        && *age >= st.config.places_ttl
    {
        let made = Utc::now()
            - chrono::TimeDelta::from_std(*age + CLOCK_MARGIN).unwrap_or(chrono::TimeDelta::MAX);
        match maillage_db::bookings::last_change(st.db.conn()).await? {
            Some(changed) if changed >= made => hit = None,
            _ => st.pages.touch(&key, *stamp),
        }
    }
    let hit = hit.map(|(v, stamp, _)| (v, stamp));
    if let Some((_, stamp)) = &hit
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag(*stamp).as_str())
    {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag(*stamp)) {
            res.headers_mut().insert(header::ETAG, v);
        }
        return Ok(res);
    }
    let (status, value, stamp) = match hit {
        Some((v, stamp)) => (StatusCode::OK, v, Some(stamp)),
        None => {
            let (status, v) = render.await?;
            let stamp = (cacheable && status == StatusCode::OK)
                .then(|| st.pages.put(key, version, v.clone()));
            (status, v, stamp)
        }
    };
    let mut res = (status, value.body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(value.content_type),
    );
    if let Some(stamp) = stamp {
        if let Ok(v) = HeaderValue::from_str(&etag(stamp)) {
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
