//! Conditional requests: validators from the programme version, `304 Not
//! Modified`, and their part of the OpenAPI document.

use super::*;
use crate::cache::Cached;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, NaiveDateTime, Utc};
use maillage_db::counters;
use maillage_domain::FieldErrors;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

// ---------------------------------------------------------------------------
// Conditional requests.

/// A small stable hash for validators (not for security).
pub(super) fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What `If-None-Match` holds: `*`, or entity tags (opaque part, quotes
/// included, without the weakness prefix). `None` when absent.
#[derive(Debug, PartialEq)]
pub(super) enum IfNoneMatch {
    Any,
    Tags(Vec<String>),
}

pub(super) fn if_none_match(headers: &HeaderMap) -> Option<IfNoneMatch> {
    let mut tags = Vec::new();
    let mut present = false;
    for v in headers.get_all(header::IF_NONE_MATCH) {
        present = true;
        let Ok(s) = v.to_str() else { continue };
        let mut rest = s.trim();
        while !rest.is_empty() {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.starts_with('*') {
                return Some(IfNoneMatch::Any);
            }
            let r = rest.strip_prefix("W/").unwrap_or(rest);
            let Some(body) = r.strip_prefix('"') else {
                break;
            };
            let Some(end) = body.find('"') else { break };
            tags.push(format!("\"{}\"", &body[..end]));
            rest = &body[end + 1..];
        }
    }
    present.then_some(IfNoneMatch::Tags(tags))
}

/// The date of `If-Modified-Since`, in any of the three HTTP date forms;
/// `None` when absent, repeated or unreadable (it is then ignored).
pub(super) fn if_modified_since(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let mut values = headers.get_all(header::IF_MODIFIED_SINCE).iter();
    let v = values.next()?.to_str().ok()?.trim();
    if values.next().is_some() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(v) {
        return Some(t.with_timezone(&Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .map(|t| t.and_utc())
}

pub(super) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// When this instance first saw the programme at `version` (kept in the
/// page cache, so per instance; a forgotten entry only makes it later).
pub(super) fn first_seen(st: &AppState, version: i64) -> DateTime<Utc> {
    const KEY: &str = "api|first-seen";
    let kept = st
        .pages
        .get(KEY, version)
        .and_then(|c| std::str::from_utf8(&c.body).ok()?.parse::<i64>().ok())
        .and_then(DateTime::from_timestamp_micros);
    if let Some(t) = kept {
        return t;
    }
    let now = Utc::now();
    st.pages.put(
        KEY.into(),
        version,
        Cached {
            content_type: "text/plain",
            body: Bytes::from(now.timestamp_micros().to_string()),
        },
    );
    now
}

pub(super) fn not_modified(etag: &str) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    res
}

/// Refused query parameters: `400` problem+json naming each of them.
pub(super) fn bad_request(errors: FieldErrors) -> Response {
    let mut res = AppError::Invalid(errors).into_response();
    *res.status_mut() = StatusCode::BAD_REQUEST;
    res
}

/// Answers a GET from the page cache or `render`, with validators, or with
/// `304` when the client's copy is current.
///
/// `Last-Modified` is when this instance first saw the version (`seen`),
/// rounded up to the second but never after now. A date sent for an older
/// version is earlier than the change that made the current one, and so
/// earlier than `seen`: `If-Modified-Since` gets `304` only from `seen` on.
pub(super) async fn conditional(
    st: &AppState,
    headers: &HeaderMap,
    key: String,
    render: impl Future<Output = Result<Bytes, AppError>>,
) -> Result<Response, AppError> {
    let version = counters::get(st.db.conn(), counters::PROGRAMME).await?;
    let etag = format!("W/\"p{version}-{:x}\"", fxhash(&key));
    let opaque = &etag[2..];
    let inm = if_none_match(headers);
    // A validator made for this very request at this version: the answer
    // is the one the client holds, no need to make it again.
    if let Some(IfNoneMatch::Tags(tags)) = &inm
        && tags.iter().any(|t| t == opaque)
    {
        return Ok(not_modified(&etag));
    }
    let key = format!("api|{key}");
    let body = match st.pages.get(&key, version) {
        Some(c) => c.body,
        None => match render.await {
            Ok(body) => {
                st.pages.put(
                    key,
                    version,
                    Cached {
                        content_type: "application/json",
                        body: body.clone(),
                    },
                );
                body
            }
            Err(AppError::Invalid(errors)) => return Ok(bad_request(errors)),
            Err(e) => return Err(e),
        },
    };
    let seen = first_seen(st, version);
    let now = Utc::now();
    let fresh = match &inm {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Tags(_)) => false,
        None => if_modified_since(headers).is_some_and(|t| t <= now && t >= seen),
    };
    if fresh {
        return Ok(not_modified(&etag));
    }
    let rounded_up = seen.timestamp() + i64::from(seen.timestamp_subsec_nanos() > 0);
    let last_modified = DateTime::from_timestamp(rounded_up.min(now.timestamp()), 0).unwrap_or(now);
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&http_date(last_modified)) {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    Ok(res)
}

/// The operations answered through [`conditional`].
#[derive(OpenApi)]
#[openapi(
    paths(
        super::handlers::projects_list,
        super::handlers::project,
        super::handlers::activities_list,
        super::handlers::activity,
        super::handlers::venues_list,
        super::handlers::venue
    ),
    modifiers(&Conditional)
)]
pub(super) struct Conditional;

/// Documents what [`conditional`] does: validators on `200`, the
/// conditional request headers, and `304`.
impl Modify for Conditional {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let string = || ObjectBuilder::new().schema_type(Type::String);
        let header = |description: String| {
            HeaderBuilder::new()
                .schema(string())
                .description(Some(description))
                .build()
        };
        let etag = || {
            header("A weak validator of this answer: the programme version and the request.".into())
        };
        let cache = || {
            header(format!(
                "`{CACHE_CONTROL}`: reusable for a minute, then revalidated."
            ))
        };
        let condition = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .schema(Some(string()))
                .description(Some(description))
                .build()
        };
        let not_modified = ResponseBuilder::new()
            .description("The client's copy is current (`If-None-Match` or `If-Modified-Since`).")
            .header("ETag", etag())
            .header("Cache-Control", cache())
            .build();
        for op in doc
            .paths
            .paths
            .values_mut()
            .filter_map(|item| item.get.as_mut())
        {
            op.parameters.get_or_insert_with(Vec::new).extend([
                condition(
                    "If-None-Match",
                    "Entity tags of copies the client holds (or `*`): `304` when one is current.",
                ),
                condition(
                    "If-Modified-Since",
                    "An HTTP date: `304` when nothing changed since. Ignored with `If-None-Match`.",
                ),
            ]);
            let responses = &mut op.responses.responses;
            if let Some(utoipa::openapi::RefOr::T(ok)) = responses.get_mut("200") {
                ok.headers.insert("ETag".into(), etag());
                ok.headers.insert(
                    "Last-Modified".into(),
                    header("When the programme last changed, as far as this server knows.".into()),
                );
                ok.headers.insert("Cache-Control".into(), cache());
            }
            responses.insert("304".into(), not_modified.clone().into());
        }
    }
}
