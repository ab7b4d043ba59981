//! One error type for every handler. It becomes a status code and a marker;
//! the [`crate::frame`] middleware, which knows the user's language, renders
//! it as an HTML page in the layout or as RFC 9457 problem+json on `/api`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maillage_db::DbErr;
use maillage_domain::{FieldError, FieldErrors};

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
    Internal,
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
