//! The JSON API's entry points. Responses are built from dedicated view
//! types, never from database models.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use maillage_db::PageRequest;
use maillage_db::organisations::{self, Filter, Organisation};
use maillage_domain::directory::{OrgKind, Theme};
use maillage_domain::{Action, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Serialize)]
struct Index {
    name: &'static str,
    version: &'static str,
    /// The OpenAPI 3.1 document describing every route below.
    openapi: &'static str,
    /// Every route of the API by name (URI templates for single resources).
    links: &'static BTreeMap<&'static str, &'static str>,
}

/// The routes of the API by name: the public ones and those that need a
/// token (`me`), named by their last path segment.
pub(crate) fn links() -> &'static BTreeMap<&'static str, &'static str> {
    static LINKS: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    LINKS.get_or_init(|| {
        let mut links: BTreeMap<&'static str, &'static str> = super::openapi::PUBLIC_API
            .iter()
            .filter(|r| r.path != "/api/v1")
            .map(|r| (r.name, r.path))
            .collect();
        links.insert("session_bookings", "/api/v1/sessions/{id}/bookings");
        for r in crate::authz::route_table() {
            if r.method == Method::GET
                && let Some(rest) = r.path.strip_prefix("/api/v1/")
            {
                links.insert(rest.rsplit('/').next().unwrap_or(rest), r.path);
            }
        }
        links
    })
}

/// `GET /api/v1`: where to start.
pub async fn index() -> Response {
    Json(Index {
        name: "Maillage API",
        version: "v1",
        openapi: super::openapi::PATH,
        links: links(),
    })
    .into_response()
}

#[derive(Serialize)]
struct Me {
    id: i64,
    email: String,
    name: String,
    role: &'static str,
    organisation_id: Option<i64>,
    locale: &'static str,
}

/// `GET /api/v1/me`: who the bearer token belongs to.
pub async fn me(ctx: Ctx) -> Result<Response, AppError> {
    let u = ctx.user()?;
    Ok(Json(Me {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.as_str(),
        organisation_id: u.organisation_id,
        locale: u.locale.as_str(),
    })
    .into_response())
}

#[derive(Serialize)]
struct EpciView {
    siren: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct CommuneView {
    insee: &'static str,
    name: &'static str,
    postcodes: Vec<&'static str>,
    departement: &'static str,
    population: Option<u32>,
    epci: Option<EpciView>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl CommuneView {
    fn of(c: &'static maillage_geo::Commune) -> CommuneView {
        CommuneView {
            insee: c.insee,
            name: c.name,
            postcodes: c.postcodes.clone(),
            departement: c.departement,
            population: c.population,
            epci: c.epci.and_then(maillage_geo::epci).map(|e| EpciView {
                siren: e.siren,
                name: e.name,
            }),
            lat: c.lat,
            lon: c.lon,
        }
    }
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommunesQuery {
    q: String,
    departement: String,
    limit: Option<String>,
}

/// `GET /api/v1/communes?q=pont de claix` (name, postcode or INSEE code).
pub async fn communes(Query(q): Query<CommunesQuery>) -> Result<Response, AppError> {
    let limit = match &q.limit {
        None => 20,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                AppError::invalid("limit", FieldError::OutOfRange { min: 1, max: 100 })
            })?,
    };
    let found = if q.departement.trim().is_empty() {
        maillage_geo::search(&q.q, limit)
    } else {
        maillage_geo::search_in(q.departement.trim(), &q.q, limit)
    };
    Ok(Json(Items {
        items: found.into_iter().map(CommuneView::of).collect(),
        total: None,
        next: None,
    })
    .into_response())
}

#[derive(Serialize)]
struct CommuneRef {
    insee: String,
    name: String,
}

#[derive(Serialize)]
struct OrganisationView {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    commune: Option<CommuneRef>,
    epci: Option<EpciView>,
    website: Option<String>,
    themes: Vec<&'static str>,
    description: Option<String>,
    /// Contact details and identifiers, for the team only.
    #[serde(skip_serializing_if = "Option::is_none")]
    private: Option<PrivateView>,
}

#[derive(Serialize)]
struct PrivateView {
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    siret: Option<String>,
    uai: Option<String>,
    public_listing: bool,
}

fn organisation_view(o: Organisation, team: bool) -> OrganisationView {
    let commune = o
        .data
        .commune_insee
        .as_deref()
        .and_then(maillage_geo::commune);
    OrganisationView {
        id: o.id,
        kind: o.kind.code(),
        commune: commune.map(|c| CommuneRef {
            insee: c.insee.to_owned(),
            name: c.name.to_owned(),
        }),
        epci: commune
            .and_then(|c| c.epci)
            .and_then(maillage_geo::epci)
            .map(|e| EpciView {
                siren: e.siren,
                name: e.name,
            }),
        themes: o.data.themes.iter().map(|t| t.code()).collect(),
        private: team.then(|| PrivateView {
            email: o.data.email.clone(),
            phone: o.data.phone.clone(),
            address: o.data.address.clone(),
            postcode: o.data.postcode.clone(),
            siret: o.data.siret.clone(),
            uai: o.data.uai.clone(),
            public_listing: o.data.public_listing,
        }),
        name: o.data.name,
        website: o.data.website,
        description: o.data.description,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrganisationsQuery {
    q: String,
    #[serde(rename = "type")]
    kind: String,
    commune: String,
    epci: String,
    theme: String,
    page: Option<String>,
}

/// `GET /api/v1/organisations`: the public directory; with a team token,
/// every organisation and its contact details.
pub async fn organisations(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<OrganisationsQuery>,
) -> Result<Response, AppError> {
    let team = ctx.can(Action::ReadDirectory);
    let kind = match q.kind.trim() {
        "" => None,
        k => Some(OrgKind::parse(k).map_err(|e| AppError::invalid("type", e))?),
    };
    let theme = match q.theme.trim() {
        "" => None,
        t => Some(Theme::parse(t).map_err(|e| AppError::invalid("theme", e))?),
    };
    if !q.epci.trim().is_empty() && maillage_geo::epci(q.epci.trim()).is_none() {
        return Err(AppError::invalid("epci", FieldError::InvalidChoice));
    }
    let communes = crate::shared::places::commune_filter(ctx.m, &q.commune, &q.epci)
        .map_err(|_| AppError::invalid("commune", FieldError::UnknownCommune))?;
    let page = match &q.page {
        None => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| AppError::invalid("page", FieldError::InvalidNumber))?,
    };
    let filter = Filter {
        query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        kind,
        communes,
        theme,
        public_only: !team,
        sort: organisations::Sort::Name,
    };
    let result = organisations::list(st.db.conn(), &filter, PageRequest::new(page, 100)).await?;
    let next = result.has_next().then(|| {
        let page = (page + 1).to_string();
        let params = [
            ("q", q.q.as_str()),
            ("type", q.kind.as_str()),
            ("commune", q.commune.as_str()),
            ("epci", q.epci.as_str()),
            ("theme", q.theme.as_str()),
            ("page", page.as_str()),
        ];
        format!(
            "/api/v1/organisations?{}",
            crate::shared::query_string(&params)
        )
    });
    Ok(Json(Items {
        total: Some(result.total),
        next,
        items: result
            .items
            .into_iter()
            .map(|o| organisation_view(o, team))
            .collect(),
    })
    .into_response())
}
