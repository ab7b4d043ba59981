//! The public home page and the language switch.

use crate::cookies;
use crate::ctx::safe_next;
use crate::error::AppError;
use crate::shared::redirect;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maillage_domain::Locale;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/en?next=/team`: remembers the language in a cookie for a year.
pub async fn switch_language(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    let next = q.next.as_deref().and_then(safe_next).unwrap_or("/");
    Ok(redirect(
        next,
        [cookies::set(
            cookies::LANG,
            locale.as_str(),
            Some(365 * 24 * 3600),
            st.config.secure_cookies(),
        )],
    ))
}

pub async fn robots() -> Response {
    "User-agent: *\nDisallow: /team\nDisallow: /partner\nDisallow: /account\nDisallow: /api/\n"
        .into_response()
}
