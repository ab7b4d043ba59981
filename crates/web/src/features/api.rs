//! The JSON API's entry points. Responses are built from dedicated view
//! types, never from database models.

use crate::ctx::Ctx;
use crate::error::AppError;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize)]
struct Index {
    name: &'static str,
    version: &'static str,
    links: Links,
}

#[derive(Serialize)]
struct Links {
    me: &'static str,
}

pub async fn index() -> Response {
    Json(Index {
        name: "Maillage API",
        version: "v1",
        links: Links { me: "/api/v1/me" },
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
