//! The files of submissions (`/team/uploads/{id}`), served to the roles
//! that review and to the submission's reviewers, always as attachments.

use super::may_see;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_db::forms::uploads;

/// `filename*` of RFC 6266 / 5987: UTF-8, percent-encoded.
fn ext_value(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The header `Content-Disposition: attachment` for `name`, with an ASCII
/// fallback for old clients.
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*={}",
        ext_value(name)
    )
}

/// `GET /team/uploads/{id}`: a file of a submission, to the roles that
/// review and to the submission's reviewers, always as an attachment.
pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (u, bytes) = uploads::read(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(&st, &ctx, u.submission_id).await? {
        return Err(AppError::Forbidden);
    }
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(u.kind.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&attachment(&u.filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names() {
        assert_eq!(
            attachment("CV Ada.pdf"),
            "attachment; filename=\"CV Ada.pdf\"; filename*=UTF-8''CV%20Ada.pdf"
        );
        assert_eq!(
            attachment("Lettre Inès.pdf"),
            "attachment; filename=\"Lettre In_s.pdf\"; filename*=UTF-8''Lettre%20In%C3%A8s.pdf"
        );
    }
}
