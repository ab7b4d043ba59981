//! Operations: health check and Prometheus metrics.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_db::{migrate, outbox};
use maillage_domain::token::constant_time_eq as token_eq;
use serde_json::json;

/// `GET /healthz`: 200 when the database answers and the schema is current.
pub async fn healthz(State(st): State<AppState>) -> Response {
    let backend = st.db.backend().name();
    match (st.db.ping().await, migrate::pending(&st.db).await) {
        (Ok(()), Ok(0)) => Json(json!({"status": "ok", "database": backend})).into_response(),
        (Ok(()), Ok(n)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "migrations pending", "database": backend, "pending": n})),
        )
            .into_response(),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "database unavailable", "database": backend})),
            )
                .into_response()
        }
    }
}

/// `GET /metrics` in the Prometheus text format: with the bearer token when
/// one is configured, otherwise only to a client on this machine.
pub async fn metrics(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(expected) = &st.config.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !token_eq(sent, expected) {
            return Err(AppError::Forbidden);
        }
    } else if !ctx
        .ip
        .as_deref()
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .is_some_and(|ip| ip.is_loopback())
    {
        return Err(AppError::Forbidden);
    }
    let pool = st.db.pool_stats();
    let pending = outbox::counts(st.db.conn())
        .await?
        .into_iter()
        .find(|(s, _)| *s == outbox::Status::Pending)
        .map_or(0, |(_, n)| n);
    #[allow(clippy::cast_precision_loss)]
    let gauges = [
        (
            "maillage_db_pool_connections",
            "Open database connections.",
            f64::from(pool.size),
        ),
        (
            "maillage_db_pool_idle",
            "Idle database connections.",
            f64::from(pool.idle),
        ),
        (
            "maillage_db_pool_max",
            "Maximum database connections.",
            f64::from(pool.max),
        ),
        (
            "maillage_outbox_pending",
            "E-mails waiting to be sent.",
            pending as f64,
        ),
    ];
    let mut res = st.metrics.render(&gauges).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(res)
}
