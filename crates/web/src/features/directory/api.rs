//! The directory's read-only JSON API: French communes, and the
//! organisations of the public directory (with their contact details for
//! a token of the team).

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::api::{self as openapi, CommuneRef, EpciRef, vocab};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maillage_db::PageRequest;
use maillage_db::organisations::{self, Filter, Organisation};
use maillage_domain::directory::{OrgKind, Theme};
use maillage_domain::{Action, FieldError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(communes, organisations))]
pub(crate) struct ApiDoc;

/// A French commune.
#[derive(Serialize, ToSchema)]
#[schema(as = Commune)]
struct CommuneView {
    #[schema(value_type = vocab::Insee)]
    insee: &'static str,
    /// Name.
    name: &'static str,
    #[schema(value_type = Vec<vocab::Postcode>)]
    postcodes: Vec<&'static str>,
    /// Code of the département.
    departement: &'static str,
    /// Population.
    population: Option<u32>,
    epci: Option<EpciRef>,
    /// Latitude of the town hall (WGS 84).
    lat: Option<f64>,
    /// Longitude of the town hall (WGS 84).
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
            epci: EpciRef::of_commune(c),
            lat: c.lat,
            lon: c.lon,
        }
    }
}

/// Communes, best match first.
#[derive(Serialize, ToSchema)]
struct CommuneList {
    items: Vec<CommuneView>,
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CommunesQuery {
    /// A name, postcode or INSEE code.
    q: String,
    /// Only in this département (`38`, `2A`, `971`).
    departement: String,
    /// How many at most.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
}

/// French communes
///
/// Communes by name, postcode or INSEE code.
#[utoipa::path(
    get,
    path = "/api/v1/communes",
    operation_id = "searchCommunes",
    tag = "directory",
    params(CommunesQuery),
    responses(
        (status = 200, description = "Communes, best match first.", body = CommuneList),
        (status = 422, response = openapi::Unprocessable),
    ),
    extensions(("x-link" = json!("communes")))
)]
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
    Ok(Json(CommuneList {
        items: found.into_iter().map(CommuneView::of).collect(),
    })
    .into_response())
}

/// An organisation of the directory.
#[derive(Serialize, ToSchema)]
#[schema(as = Organisation)]
struct OrganisationView {
    /// Identifier of the organisation.
    #[schema(minimum = 1)]
    id: i64,
    /// Name.
    name: String,
    #[serde(rename = "type")]
    #[schema(value_type = vocab::OrganisationType)]
    kind: &'static str,
    commune: Option<CommuneRef>,
    epci: Option<EpciRef>,
    /// Website.
    website: Option<String>,
    #[schema(value_type = Vec<vocab::Theme>)]
    themes: Vec<&'static str>,
    /// Description.
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = PrivateView)]
    private: Option<PrivateView>,
}

/// Contact details and identifiers: only with a token of the team.
#[derive(Serialize, ToSchema)]
#[schema(as = OrganisationPrivate)]
struct PrivateView {
    /// E-mail address.
    email: Option<String>,
    /// Phone number.
    phone: Option<String>,
    /// Street address.
    address: Option<String>,
    /// Postcode.
    postcode: Option<String>,
    /// SIRET number.
    siret: Option<String>,
    /// UAI number (schools).
    uai: Option<String>,
    /// Shown in the public directory.
    public_listing: bool,
}

/// A page of organisations (at most 100), by name.
#[derive(Serialize, ToSchema)]
struct OrganisationList {
    items: Vec<OrganisationView>,
    /// Matching organisations.
    total: u64,
    /// The next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, format = "uri-reference")]
    next: Option<String>,
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
        commune: commune.map(|c| CommuneRef::of(c.insee)),
        epci: commune.and_then(EpciRef::of_commune),
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

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct OrganisationsQuery {
    /// Words to look for (accents and case ignored; each word matches the
    /// start of a word).
    q: String,
    /// What the organisation is.
    #[serde(rename = "type")]
    #[param(value_type = Option<vocab::OrganisationType>)]
    kind: String,
    /// A commune: its INSEE code, else a postcode or a name that designates
    /// one commune.
    commune: String,
    /// The SIREN of an EPCI: its communes. With `commune`, both apply.
    #[param(value_type = Option<vocab::Siren>)]
    epci: String,
    /// A theme.
    #[param(value_type = Option<vocab::Theme>)]
    theme: String,
    /// The page (1 first).
    #[param(value_type = Option<u64>, minimum = 1)]
    page: Option<String>,
}

/// Organisations of the directory
///
/// The organisations listed in the public directory; with a token of the
/// team, every organisation with its contact details (`private`).
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    operation_id = "listOrganisations",
    tag = "directory",
    params(OrganisationsQuery),
    security((), ("bearerAuth" = [])),
    responses(
        (status = 200, description = "A page of organisations.", body = OrganisationList),
        (status = 422, response = openapi::Unprocessable),
    ),
    extensions(("x-link" = json!("organisations")))
)]
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
    Ok(Json(OrganisationList {
        total: result.total,
        next,
        items: result
            .items
            .into_iter()
            .map(|o| organisation_view(o, team))
            .collect(),
    })
    .into_response())
}
