//! The JSON API's entry points: the index, the token's account, and the
//! directory (communes, organisations). Responses are built from dedicated
//! view types, never from database models; the handlers and the types carry
//! their part of the OpenAPI document ([`ApiDoc`]).

use super::openapi;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::api::vocab;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(index, me))]
pub(crate) struct ApiDoc;

/// Where to start.
#[derive(Serialize, ToSchema)]
struct Index {
    /// Name of the API.
    name: &'static str,
    #[schema(schema_with = v1)]
    version: &'static str,
    #[schema(schema_with = openapi_path)]
    openapi: &'static str,
    /// Every route of the API by name (URI templates for single resources).
    #[schema(value_type = Object)]
    links: &'static BTreeMap<String, String>,
}

fn v1() -> utoipa::openapi::schema::Object {
    crate::shared::api::constant("v1", "The version of the API.")
}

fn openapi_path() -> utoipa::openapi::schema::Object {
    crate::shared::api::constant(openapi::PATH, "This document.")
}

/// Where to start
///
/// The routes of the API by name, and where this document is.
#[utoipa::path(
    get,
    path = "/api/v1",
    operation_id = "getIndex",
    tag = "meta",
    responses((status = 200, description = "The index.", body = Index))
)]
pub async fn index() -> Response {
    Json(Index {
        name: "Maillage API",
        version: "v1",
        openapi: openapi::PATH,
        links: openapi::links(),
    })
    .into_response()
}

/// The account of the token.
#[derive(Serialize, ToSchema)]
struct Me {
    /// Identifier of the account.
    #[schema(minimum = 1)]
    id: i64,
    /// E-mail address.
    #[schema(format = Email)]
    email: String,
    /// Name.
    name: String,
    #[schema(value_type = vocab::Role)]
    role: &'static str,
    /// The partner's organisation.
    organisation_id: Option<i64>,
    #[schema(value_type = vocab::Locale)]
    locale: &'static str,
}

/// The token's account
///
/// Who the bearer token belongs to.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "getMe",
    tag = "account",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The account.", body = Me),
        (status = 401, response = crate::shared::api::Unauthorized),
    ),
    extensions(("x-link" = json!("me")))
)]
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
