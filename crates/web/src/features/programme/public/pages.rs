//! The home page (projects), a project's programme with its filters, and
//! the activity page with schema.org Event data and OpenGraph tags.

use super::super::images::ImageView;
use super::*;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::i18n::Messages;
use crate::shared::programme::project_dates;
use crate::shared::{Pager, page_number, query_string};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use chrono_tz::Europe::Paris;
use maillage_db::PageRequest;
use maillage_db::bookings;
use maillage_db::media::{self, Owner};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_domain::directory::Theme;
use maillage_domain::programme::{ActivityStatus, Audience, Format, SchoolLevel, SessionStatus};

struct ProjectCard {
    slug: String,
    name: String,
    kind: &'static str,
    dates: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "programme/public/home.html")]
struct Home {
    l: Layout,
    signed_in: bool,
    /// The next sessions across projects, day by day.
    next: Vec<super::agenda::Day>,
    upcoming: Vec<ProjectCard>,
    past: Vec<ProjectCard>,
}

/// Sessions the home page lists as "what's on next".
const HOME_NEXT: usize = 8;

/// `GET /`: what's on next, the projects (upcoming first), a search near
/// a commune.
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
        let next = super::agenda::next_sessions(&st, &ctx, HOME_NEXT).await?;
        html_cached(Home {
            l: ctx.layout(ctx.m.home_title),
            signed_in: ctx.user.is_some(),
            next,
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
#[template(path = "programme/public/list.html")]
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
            epcis: crate::shared::places::epci_choices(&[], &q.epci),
            cards: {
                let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
                let images = media::of_activities(st.db.conn(), &ids).await?;
                let shown: Vec<&Activity> = page.items.iter().collect();
                let places = bookings::places_of(st.db.conn(), &shown).await?;
                page.items
                    .iter()
                    .map(|a| Card {
                        distance: super::agenda::distance(ctx.m, &filter, a),
                        thumb: images
                            .get(&a.id)
                            .and_then(|i| ImageView::new(i, ctx.locale, &st.config.base_url, 320)),
                        ..card(&ctx, &p, a, &places)
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
#[template(path = "programme/public/activity.html")]
struct ActivityPage {
    l: Layout,
    /// The summary, unless the description opens with it.
    lead: Option<String>,
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
pub fn json_ld(
    base: &str,
    p: &Project,
    a: &Activity,
    places: &BTreeMap<i64, Places>,
) -> serde_json::Value {
    use serde_json::json;
    let url = format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug);
    let location = |v: &maillage_db::programme::activities::VenueRef| {
        let commune = v.data.commune();
        let mut place = json!({
            "@type": "Place",
            "name": v.data.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": v.data.address,
                "postalCode": v.data.postcode,
                "addressLocality": commune.map(|c| c.name),
                "addressCountry": "FR",
            },
        });
        if let (Some(lat), Some(lon)) = (v.data.lat, v.data.lon) {
            place["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
        }
        place
    };
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
            match a.venue_of(s).map(location) {
                Some(l) => e["location"] = l,
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
                    "availability": if s.data.status == SessionStatus::Full || a.status == ActivityStatus::Full || places.get(&s.id).is_some_and(Places::is_full) { "https://schema.org/SoldOut" } else { "https://schema.org/InStock" },
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
        let places = bookings::places_of(st.db.conn(), &[&a]).await?;
        let mut ld = json_ld(&base, &p, &a, &places);
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
            lead: crate::shared::programme::lead(&a),
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
                .map(|v| crate::shared::places::commune_label(v.data.commune_insee.as_deref()))
                .unwrap_or_default(),
            access: access_labels(ctx.m, &a),
            sessions: session_views(ctx.locale, &slug, &a, &places),
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
