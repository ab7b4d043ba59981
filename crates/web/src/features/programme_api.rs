//! The public JSON API of the programme: projects, activities (with the
//! programme's filters and cursor pagination), sessions, venues. Answers
//! carry an ETag of the programme version and are cached like pages.

use super::programme::{ProgrammeQuery, cached};
use crate::cache::Cached;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use maillage_db::PageRequest;
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::sessions;
use maillage_domain::programme::ProjectStatus;
use maillage_domain::{FieldError, FieldErrors};
use serde::Serialize;

fn json(value: &impl Serialize) -> Result<(StatusCode, Cached), AppError> {
    let body = serde_json::to_vec(value).map_err(AppError::internal)?;
    Ok((
        StatusCode::OK,
        Cached {
            content_type: "application/json",
            body: Bytes::from(body),
        },
    ))
}

#[derive(Serialize)]
struct ProjectView {
    slug: String,
    name: String,
    kind: &'static str,
    starts_on: String,
    ends_on: String,
    url: String,
    partners: Vec<PartnerView>,
}

#[derive(Serialize)]
struct PartnerView {
    organisation: String,
    role: &'static str,
}

fn project_view(base: &str, p: &Project) -> ProjectView {
    ProjectView {
        slug: p.data.slug.clone(),
        name: p.data.name.clone(),
        kind: p.data.kind.code(),
        starts_on: p.data.starts_on.to_string(),
        ends_on: p.data.ends_on.to_string(),
        url: format!("{base}/p/{}", p.data.slug),
        partners: p
            .partners
            .iter()
            .map(|x| PartnerView {
                organisation: x.organisation_name.clone(),
                role: x.role.code(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
    next: Option<String>,
}

/// `GET /api/v1/projects`: the published projects.
pub async fn projects_list(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let render = async {
        let list = projects::list(st.db.conn(), true).await?;
        let mut items = Vec::new();
        for p in &list {
            let full = projects::find(st.db.conn(), p.id)
                .await?
                .unwrap_or_else(|| p.clone());
            items.push(project_view(&st.config.base_url, &full));
        }
        json(&Items { items, next: None })
    };
    cached(&st, &ctx, &headers, "api|projects".into(), render).await
}

#[derive(Serialize)]
struct CommuneRef {
    insee: String,
    name: Option<&'static str>,
}

#[derive(Serialize)]
struct VenueView {
    id: i64,
    name: String,
    address: Option<String>,
    postcode: Option<String>,
    commune: Option<CommuneRef>,
    lat: Option<f64>,
    lon: Option<f64>,
    space: Option<String>,
}

#[derive(Serialize)]
struct SessionView {
    id: i64,
    starts_at: String,
    ends_at: String,
    capacity: Option<i32>,
    status: &'static str,
}

#[derive(Serialize)]
struct ActivityView {
    id: i64,
    slug: String,
    project: String,
    title: String,
    summary: Option<String>,
    url: String,
    format: &'static str,
    audiences: Vec<&'static str>,
    levels: Vec<&'static str>,
    min_age: Option<i32>,
    themes: Vec<&'static str>,
    free: bool,
    registration: &'static str,
    registration_url: Option<String>,
    status: &'static str,
    organisers: Vec<String>,
    speakers: Vec<String>,
    venue: Option<VenueView>,
    accessibility: Vec<&'static str>,
    sessions: Vec<SessionView>,
}

fn activity_view(base: &str, p: &Project, a: &Activity) -> ActivityView {
    let x = a.data.access;
    ActivityView {
        id: a.id,
        slug: a.data.slug.clone(),
        project: p.data.slug.clone(),
        title: a.data.title.clone(),
        summary: a.data.summary.clone(),
        url: format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug),
        format: a.format.code(),
        audiences: a.data.audiences.iter().map(|x| x.code()).collect(),
        levels: a.data.levels.iter().map(|x| x.code()).collect(),
        min_age: a.data.min_age,
        themes: a.data.themes.iter().map(|t| t.code()).collect(),
        free: a.data.free,
        registration: a.registration.code(),
        registration_url: a.data.registration_url.clone(),
        status: a.status.code(),
        organisers: a.organisers.iter().map(|(_, n)| n.clone()).collect(),
        speakers: a.speakers.iter().map(|(_, n)| n.clone()).collect(),
        venue: a.venue.as_ref().map(|v| VenueView {
            id: v.id,
            name: v.name.clone(),
            address: v.address.clone(),
            postcode: v.postcode.clone(),
            commune: v.commune_insee.as_ref().map(|i| CommuneRef {
                insee: i.clone(),
                name: maillage_geo::commune(i).map(|c| c.name),
            }),
            lat: v.lat,
            lon: v.lon,
            space: v.space.clone(),
        }),
        accessibility: [
            (x.wheelchair, "wheelchair"),
            (x.hearing_loop, "hearing_loop"),
            (x.visual, "visual"),
            (x.cognitive, "cognitive"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| c)
        .collect(),
        sessions: a
            .sessions
            .iter()
            .map(|s| SessionView {
                id: s.id,
                starts_at: s.data.starts_at.to_rfc3339(),
                ends_at: s.data.ends_at.to_rfc3339(),
                capacity: s.data.capacity,
                status: s.data.status.code(),
            })
            .collect(),
    }
}

/// Page size of the API.
const LIMIT: u64 = 50;

fn decode_cursor(c: &str) -> Option<u64> {
    let bytes = URL_SAFE_NO_PAD.decode(c).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("o:")?
        .parse()
        .ok()
}

/// `GET /api/v1/activities?project=…&q=…&commune=…&audience=…&level=…&from=…&to=…&cursor=…`.
pub async fn activities_list(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q = ProgrammeQuery::parse(raw.as_deref())?;
    let key = format!("api|activities|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let mut errors = FieldErrors::new();
        let project = if q.project.trim().is_empty() {
            None
        } else {
            match projects::find_by_slug(st.db.conn(), q.project.trim()).await? {
                Some(p) if p.data.status == ProjectStatus::Published => Some(p),
                _ => {
                    errors.add("project", FieldError::NotFound);
                    None
                }
            }
        };
        let (filter, more, _) = q.filter(ctx.m, project.as_ref().map(|p| p.id));
        for (f, e) in more.iter() {
            errors.add(f, e.clone());
        }
        let offset = match &q.cursor {
            None => 0,
            Some(c) => match decode_cursor(c) {
                Some(o) => o,
                None => {
                    errors.add("cursor", FieldError::InvalidChoice);
                    0
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let page = activities::list(
            st.db.conn(),
            &filter,
            PageRequest {
                page: offset / LIMIT + 1,
                per_page: LIMIT,
            },
        )
        .await?;
        // The pages of the cursor are aligned on the page size.
        let next = (offset + LIMIT < page.total)
            .then(|| URL_SAFE_NO_PAD.encode(format!("o:{}", offset + LIMIT)));
        let mut projects_by_id = std::collections::BTreeMap::new();
        let mut items = Vec::new();
        for a in &page.items {
            if !projects_by_id.contains_key(&a.data.project_id)
                && let Some(p) = projects::find(st.db.conn(), a.data.project_id).await?
            {
                projects_by_id.insert(p.id, p);
            }
            if let Some(p) = projects_by_id.get(&a.data.project_id) {
                items.push(activity_view(&st.config.base_url, p, a));
            }
        }
        json(&Items { items, next })
    };
    cached(&st, &ctx, &headers, key, render).await
}

#[derive(Serialize)]
struct SessionDetail {
    id: i64,
    starts_at: String,
    ends_at: String,
    capacity: Option<i32>,
    status: &'static str,
    activity: ActivityRef,
}

#[derive(Serialize)]
struct ActivityRef {
    id: i64,
    slug: String,
    title: String,
    url: String,
}

/// `GET /api/v1/sessions/{id}`.
pub async fn session(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let key = format!("api|session|{id}");
    let render = async {
        let s = sessions::find(st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let a = activities::find(st.db.conn(), s.activity_id)
            .await?
            .filter(|a| a.status.is_public())
            .ok_or(AppError::NotFound)?;
        let p = projects::find(st.db.conn(), a.data.project_id)
            .await?
            .filter(|p| p.data.status == ProjectStatus::Published)
            .ok_or(AppError::NotFound)?;
        json(&SessionDetail {
            id: s.id,
            starts_at: s.data.starts_at.to_rfc3339(),
            ends_at: s.data.ends_at.to_rfc3339(),
            capacity: s.data.capacity,
            status: s.data.status.code(),
            activity: ActivityRef {
                id: a.id,
                url: format!("{}/p/{}/a/{}", st.config.base_url, p.data.slug, a.data.slug),
                slug: a.data.slug,
                title: a.data.title,
            },
        })
    };
    cached(&st, &ctx, &headers, key, render).await
}
