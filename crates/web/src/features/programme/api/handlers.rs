//! The handlers of the programme API.

use super::super::public::ProgrammeQuery;
use super::*;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::api::{self as openapi, vocab};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use maillage_db::PageRequest;
use maillage_db::media::{self, Owner};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::public_venues::{self};
use maillage_db::programme::sessions::{self};
use maillage_domain::programme::ProjectStatus;
use maillage_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

// ---------------------------------------------------------------------------
// Handlers.

/// The published projects
///
/// Every published project, most recent first, with its partners.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    operation_id = "listProjects",
    tag = "programme",
    responses((status = 200, description = "The published projects.", body = ProjectList)),
    extensions(("x-link" = json!("projects")))
)]
pub async fn projects_list(
    State(st): State<AppState>,
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
        json(&ProjectList { items, next: () })
    };
    conditional(&st, &headers, "projects".into(), render).await
}

/// A published project
///
/// A published project with its description.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}",
    operation_id = "getProject",
    tag = "programme",
    params(("slug" = String, Path, description = "The project's slug.")),
    responses(
        (status = 200, description = "A published project.", body = ProjectDetail),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("project")))
)]
pub async fn project(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let key = format!("project|{slug}");
    let render = async {
        let p = projects::find_by_slug(st.db.conn(), &slug)
            .await?
            .filter(|p| p.data.status == ProjectStatus::Published)
            .ok_or(AppError::NotFound)?;
        let base = &st.config.base_url;
        json(&ProjectDetail {
            project: project_view(base, &p),
            description_html: p.data.description.as_deref().map(crate::markdown::to_html),
            description: p.data.description.clone(),
            activities_url: format!(
                "{base}/api/v1/activities?project={}",
                crate::ctx::urlencode(&p.data.slug)
            ),
        })
    };
    conditional(&st, &headers, key, render).await
}

/// Raw pages of activities read at most per request while looking for one
/// with an activity of a published project.
pub(super) const MAX_SKIPPED_PAGES: u32 = 20;

// The cursor is the offset in the filtered list, a multiple of the page
// size. Without `project`, the activities of unpublished projects are left
// out of each page after reading it, so a page may hold fewer than
// [`LIMIT`] items: clients follow `next` until it is null.
/// Activities of the public programme
///
/// The public activities (published, full or cancelled) of published
/// projects matching every filter given, by first session then title, with
/// their sessions and venue. Filters are those of the programme pages
/// (`/p/{slug}`), which take the same parameters.
#[utoipa::path(
    get,
    path = "/api/v1/activities",
    operation_id = "listActivities",
    tag = "programme",
    params(ProgrammeQuery),
    responses(
        (status = 200, description = "A page of activities.", body = ActivityList),
        (status = 400, response = openapi::BadRequest),
    ),
    extensions(("x-link" = json!("activities")))
)]
pub async fn activities_list(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let mut q: ProgrammeQuery = parse_query(raw.as_deref())?;
    let mut errors = FieldErrors::new();
    check_flags(&mut q, &mut errors);
    let communes = communes_param(&q.commune, &q.epci, &mut errors);
    q.commune.clear();
    q.epci.clear();
    let (mut filter, more, _) = q.filter(ctx.m, None);
    filter.communes = communes;
    // "Near": within the communes asked, if any.
    let near = filter.near.take();
    let mut filter = crate::features::programme::public::around(filter, near);
    for (f, e) in more.iter() {
        errors.add(f, e.clone());
    }
    let start = match q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        None => 0,
        Some(c) => activities_offset(c).unwrap_or_else(|| {
            errors.add("cursor", FieldError::InvalidChoice);
            0
        }),
    };
    if !errors.is_empty() {
        return Ok(bad_request(errors));
    }
    let key = format!("activities|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let only = project_param(&st, &q.project).await?;
        filter.project_id = only.as_ref().map(|p| p.id);
        let published: BTreeMap<i64, String> = projects::list(st.db.conn(), true)
            .await?
            .into_iter()
            .map(|p| (p.id, p.data.slug))
            .collect();
        let mut offset = start;
        let mut found = Vec::new();
        let mut total;
        let mut rounds = 0;
        loop {
            let page = activities::list(
                st.db.conn(),
                &filter,
                PageRequest {
                    page: offset / LIMIT + 1,
                    per_page: LIMIT,
                },
            )
            .await?;
            total = page.total;
            offset += LIMIT;
            rounds += 1;
            found.extend(
                page.items
                    .into_iter()
                    .filter(|a| published.contains_key(&a.data.project_id)),
            );
            if !found.is_empty() || offset >= total || rounds >= MAX_SKIPPED_PAGES {
                break;
            }
        }
        let next = (offset < total).then(|| encode_cursor("o:", &offset.to_string()));
        let refs: Vec<&Activity> = found.iter().collect();
        let spaces = space_capacities(&st, &refs).await?;
        let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
        let images = media::of_activities(st.db.conn(), &ids).await?;
        let items = found
            .iter()
            .filter_map(|a| {
                let slug = published.get(&a.data.project_id)?;
                Some(activity_view(
                    &st.config.base_url,
                    slug,
                    a,
                    &spaces,
                    images.get(&a.id),
                ))
            })
            .collect();
        json(&ActivityList { items, next })
    };
    conditional(&st, &headers, key, render).await
}

/// A public activity of a published project, with its project.
pub(super) async fn public_activity(
    st: &AppState,
    id: i64,
) -> Result<(Activity, Project), AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .filter(|a| a.status.is_public())
        .ok_or(AppError::NotFound)?;
    let p = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .filter(|p| p.data.status == ProjectStatus::Published)
        .ok_or(AppError::NotFound)?;
    Ok((a, p))
}

/// An activity
///
/// A public activity of a published project, with its long description.
#[utoipa::path(
    get,
    path = "/api/v1/activities/{id}",
    operation_id = "getActivity",
    tag = "programme",
    params(("id" = i64, Path, description = "The activity's identifier.")),
    responses(
        (status = 200, description = "An activity.", body = ActivityDetail),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("activity")))
)]
pub async fn activity(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let render = async {
        let (a, p) = public_activity(&st, id).await?;
        let base = &st.config.base_url;
        let parent = match a.data.parent_id {
            Some(parent) => match public_activity(&st, parent).await {
                Ok((pa, pp)) => Some(activity_ref(base, &pp.data.slug, &pa)),
                Err(AppError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let spaces = space_capacities(&st, &[&a]).await?;
        let image = media::find(st.db.conn(), Owner::Activity(a.id)).await?;
        json(&ActivityDetail {
            activity: activity_view(base, &p.data.slug, &a, &spaces, image.as_ref()),
            description_html: a.data.description.as_deref().map(crate::markdown::to_html),
            description: a.data.description.clone(),
            parent,
        })
    };
    conditional(&st, &headers, format!("activity|{id}"), render).await
}

/// A session with its activity and its live booking figures.
#[derive(Serialize, ToSchema)]
pub(super) struct SessionDetail {
    #[serde(flatten)]
    pub(super) session: SessionView,
    pub(super) activity: ActivityRef,
    #[serde(flatten)]
    #[schema(inline)]
    pub(super) availability: crate::shared::bookings::Availability,
}

// Never cached: places change with every booking.
/// A session
///
/// A session of a public activity, with its capacity and its live booking
/// figures: places booked, places available, persons on the waiting list.
/// Never cached.
#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}",
    operation_id = "getSession",
    tags = ["programme", "bookings"],
    params(("id" = i64, Path, description = "The session's identifier.")),
    responses(
        (status = 200, description = "A session.", body = SessionDetail),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("session")))
)]
pub async fn session(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = sessions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (a, p) = public_activity(&st, s.activity_id).await?;
    let spaces = space_capacities(&st, &[&a]).await?;
    let body = json(&SessionDetail {
        session: session_view(&s, &a, &spaces),
        activity: activity_ref(&st.config.base_url, &p.data.slug, &a),
        availability: crate::shared::bookings::availability(&st, id).await?,
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub(super) struct VenuesQuery {
    /// Words to look for (accents and case ignored; each word matches the
    /// start of a word).
    pub(super) q: String,
    /// A commune: its INSEE code, else a postcode or a name that designates
    /// one commune.
    pub(super) commune: String,
    /// The SIREN of an EPCI: its communes. With `commune`, both apply.
    #[param(value_type = Option<vocab::Siren>)]
    pub(super) epci: String,
    /// The slug of a published project.
    pub(super) project: String,
    /// Where to continue: the `next` of the previous page.
    #[param(value_type = Option<vocab::Cursor>)]
    pub(super) cursor: Option<String>,
}

/// Venues of the public programme
///
/// The venues where at least one public activity of a published project
/// takes place (with `project`, of that project), by name, with their
/// spaces. Other venues of the directory are not public.
#[utoipa::path(
    get,
    path = "/api/v1/venues",
    operation_id = "listVenues",
    tag = "programme",
    params(VenuesQuery),
    responses(
        (status = 200, description = "A page of venues.", body = VenueList),
        (status = 400, response = openapi::BadRequest),
    ),
    extensions(("x-link" = json!("venues")))
)]
pub async fn venues_list(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: VenuesQuery = parse_query(raw.as_deref())?;
    let mut errors = FieldErrors::new();
    let communes = communes_param(&q.commune, &q.epci, &mut errors);
    let after = match q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(c) => {
            let a = venues_after(c);
            if a.is_none() {
                errors.add("cursor", FieldError::InvalidChoice);
            }
            a
        }
    };
    if !errors.is_empty() {
        return Ok(bad_request(errors));
    }
    let key = format!("venues|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let project = project_param(&st, &q.project).await?;
        let filter = public_venues::Filter {
            query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            communes,
            project_id: project.map(|p| p.id),
        };
        let page = public_venues::list(st.db.conn(), &filter, after.as_ref(), LIMIT).await?;
        json(&VenueList {
            items: page.items.iter().map(venue_view).collect(),
            next: page
                .next
                .map(|a| encode_cursor("v:", &format!("{}:{}", a.id, a.name_folded))),
        })
    };
    conditional(&st, &headers, key, render).await
}

/// A venue
///
/// A venue of the public programme, with its spaces.
#[utoipa::path(
    get,
    path = "/api/v1/venues/{id}",
    operation_id = "getVenue",
    tag = "programme",
    params(("id" = i64, Path, description = "The venue's identifier.")),
    responses(
        (status = 200, description = "A venue.", body = VenueView),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("venue")))
)]
pub async fn venue(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let render = async {
        let v = public_venues::find(st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        json(&venue_view(&v))
    };
    conditional(&st, &headers, format!("venue|{id}"), render).await
}
