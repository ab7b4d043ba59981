//! One error type for every handler. It becomes a status code and a marker;
//! the [`crate::frame`] middleware, which knows the user's language, renders
//! it as an HTML page in the layout or as RFC 9457 problem+json on `/api`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_db::DbErr;
use maillage_domain::{FieldError, FieldErrors};
use serde::Serialize;

#[derive(Debug, Clone)]
pub enum AppError {
    BadRequest(Option<String>),
    /// No session (HTML: redirect to the login page) or no valid token (API).
    Unauthenticated,
    Forbidden,
    /// A state-changing form arrived without its CSRF token.
    Csrf,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// Input refused field by field (API; HTML forms re-render themselves).
    Invalid(FieldErrors),
    TooManyRequests {
        retry_after_secs: u64,
    },
    Unavailable,
    /// The request (or its body) took longer than allowed.
    Timeout,
    Internal,
}

/// An error (RFC 9457), in the language of the request: the body of every
/// `application/problem+json` answer of the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(schema_with = about_blank)]
    pub kind: &'static str,
    /// Short summary of the problem.
    pub title: String,
    /// The HTTP status.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What happened.
    pub detail: String,
    /// Stable code of the problem, on booking requests: `closed`,
    /// `not_yet_open`, `full`, `too_many_seats`, `larger_than_session`,
    /// `not_bookable`, `wrong_kind`, `invalid`, `invalid_json`,
    /// `rate_limited`, `not_found`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub code: Option<String>,
    /// The refused parameters, one entry each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// A refused parameter.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Name of the parameter.
    pub field: String,
    /// Stable code of the reason (`invalid_choice`, `invalid_date`,
    /// `unknown_commune`, `not_found`…).
    pub code: String,
    /// The reason, in the language of the request.
    pub message: String,
}

fn about_blank() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["about:blank"]))
        .build()
}

impl Problem {
    pub fn new(status: StatusCode, title: &str, detail: String) -> Problem {
        Problem {
            kind: "about:blank",
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code: None,
            errors: Vec::new(),
        }
    }
}

/// The problem with its status, as `application/problem+json`.
impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        res
    }
}

/// Marker put on error responses for the frame to render.
#[derive(Debug, Clone)]
pub struct ErrorInfo(pub AppError);

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// An error for unexpected failures: logged here, shown as a plain 500.
    pub fn internal(err: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %err, "internal error");
        AppError::Internal
    }

    pub fn invalid(field: &str, error: FieldError) -> AppError {
        AppError::Invalid(FieldErrors::from((field, error)))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        if let AppError::TooManyRequests { retry_after_secs } = &self
            && let Ok(v) = retry_after_secs.to_string().parse()
        {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(ErrorInfo(self));
        res
    }
}

/// A taken unique value becomes a field error on that column; any other
/// database failure is an internal error.
impl From<DbErr> for AppError {
    fn from(err: DbErr) -> AppError {
        if let Some(columns) = maillage_db::unique_violation(&err) {
            let mut errors = FieldErrors::new();
            for c in &columns {
                errors.add(c.as_str(), FieldError::AlreadyTaken);
            }
            if columns.is_empty() {
                errors.add("", FieldError::AlreadyTaken);
            }
            return AppError::Invalid(errors);
        }
        AppError::internal(err)
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
