//! The frame around every request: language, identity (session cookie or
//! API token), CSRF check of state-changing forms, flash messages, and the
//! rendering of errors in the user's language (HTML page or problem+json).

use crate::cookies;
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::{AppError, ErrorInfo};
use crate::i18n::{Messages, field_error, messages};
use crate::state::AppState;
use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maillage_db::{api_tokens, sessions};
use maillage_domain::{Locale, token};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Name of the hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header alternative for scripts (`X-CSRF-Token`).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The longest a request may take, its body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest the body of a form may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Form bodies larger than [`crate::BODY_LIMIT`] held in memory at once:
/// a few uploads at a time, the others wait their turn.
static LARGE_BODIES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

pub async fn frame(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let api = path == "/api" || path.starts_with("/api/");
    let locale = cookies::get(&parts.headers, cookies::LANG, st.config.secure_cookies())
        .and_then(Locale::parse)
        .unwrap_or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Locale::from_accept_language)
                .unwrap_or_default()
        });
    let mut ctx = Ctx::new(locale);
    ctx.api = api;
    ctx.path = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    ctx.ip = client_ip(
        &parts.headers,
        parts.extensions.get::<ConnectInfo<SocketAddr>>(),
        st.config.trust_proxy,
    );

    // A body larger than any route accepts is refused before anything.
    if declared_length(&parts.headers).is_some_and(|n| n > crate::UPLOAD_LIMIT) {
        return render_error(
            &ctx,
            StatusCode::PAYLOAD_TOO_LARGE,
            &AppError::PayloadTooLarge,
        );
    }

    // Identity (not for the operational and static paths, which must
    // answer even when the database does not).
    let mut session_token = None;
    if !is_static(&path) {
        match identify(&st, &parts.headers, &mut ctx).await {
            Ok(token) => session_token = token,
            Err(e) => return render_error(&ctx, e.status(), &e),
        }
    }
    // A token that only reads changes nothing.
    if ctx.read_only && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return render_error(&ctx, StatusCode::FORBIDDEN, &AppError::Forbidden);
    }

    // CSRF token: one per browser, in an HttpOnly cookie, echoed by forms.
    let existing = cookies::get(&parts.headers, cookies::CSRF, st.config.secure_cookies())
        .filter(|t| token::is_well_formed(t));
    // Signed in with a session, the token is the session's own (derived
    // from its secret): a token planted in the browser, or one from before
    // signing in, does not pass.
    let bound = session_token.map(|s| csrf_of_session(&s));
    let new_csrf = match (&bound, existing) {
        (Some(b), Some(e)) => b.as_str() != e,
        (_, e) => e.is_none(),
    };
    ctx.csrf = bound
        .clone()
        .or_else(|| existing.map(str::to_owned))
        .unwrap_or_else(token::generate);
    let flash_cookie =
        cookies::get(&parts.headers, cookies::FLASH, st.config.secure_cookies()).map(str::to_owned);
    ctx.flash = flash_cookie.as_deref().and_then(Flash::parse);

    ctx.csrf_sent = !new_csrf || bound.is_some();
    // The body is read (and its CSRF token checked) only once the route is
    // known, by the route's own layer ([`csrf`]), with the route's limit.
    parts.extensions.insert(ctx.clone());
    let res =
        match tokio::time::timeout(REQUEST_TIMEOUT, next.run(Request::from_parts(parts, body)))
            .await
        {
            Ok(res) => res,
            Err(_) => AppError::Timeout.into_response(),
        };
    let mut res = finish(&ctx, res);
    let secure = st.config.secure_cookies();
    // A response shared caches may keep (public pages, images) must not set
    // a cookie: caches refuse it or hand one visitor's token to the next.
    // Such pages hold no form that posts; the token comes with the first
    // page that does.
    if new_csrf && !publicly_cacheable(&res) {
        set_csrf_cookie(&mut res, &ctx.csrf, secure);
    }
    if flash_cookie.is_some() && !sets_cookie(&res, &cookies::full_name(cookies::FLASH, secure)) {
        res.headers_mut()
            .append(header::SET_COOKIE, cookies::clear(cookies::FLASH, secure));
    }
    if secure {
        // Served over HTTPS: browsers keep to it for a year.
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

/// The CSRF token of a signed-in browser: derived from its session's
/// secret, set as its CSRF cookie when it signs in.
pub fn csrf_of_session(session: &str) -> String {
    token::derive("csrf", session)
}

/// Resolves who is asking: an API token on `/api`, else the session cookie
/// (whose secret it returns).
async fn identify(
    st: &AppState,
    headers: &HeaderMap,
    ctx: &mut Ctx,
) -> Result<Option<String>, AppError> {
    let now = maillage_db::now();
    if ctx.api {
        let Some(auth) = headers.get(header::AUTHORIZATION) else {
            return Ok(None);
        };
        let secret = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        let (tok, user) = api_tokens::authenticate(st.db.conn(), secret, now)
            .await
            .map_err(AppError::internal)?
            .ok_or(AppError::Unauthenticated)?;
        if api_tokens::needs_touch(&tok, now)
            && let Err(e) = api_tokens::touch(st.db.conn(), tok.id, now).await
        {
            tracing::warn!(error = %e, "cannot record token use");
        }
        ctx.user = Some(Arc::new(user));
        ctx.read_only = tok.read_only;
    } else if let Some(token) = cookies::get(headers, cookies::SESSION, st.config.secure_cookies())
    {
        let found = sessions::lookup(st.db.conn(), token, now)
            .await
            .map_err(AppError::internal)?;
        if let Some((session, user)) = found {
            if sessions::needs_touch(&session, now)
                && let Err(e) = sessions::touch(st.db.conn(), &session, now).await
            {
                tracing::warn!(error = %e, "cannot record session activity");
            }
            ctx.session_id = Some(session.id);
            ctx.user = Some(Arc::new(user));
            return Ok(Some(token.to_owned()));
        }
    }
    Ok(None)
}

fn publicly_cacheable(res: &Response) -> bool {
    res.headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "public"))
}

fn is_static(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/metrics" | "/favicon.ico" | "/robots.txt"
    ) || path.starts_with("/assets/")
}

fn set_csrf_cookie(res: &mut Response, value: &str, secure: bool) {
    if !sets_cookie(res, &cookies::full_name(cookies::CSRF, secure)) {
        res.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(cookies::CSRF, value, None, secure),
        );
    }
}

fn sets_cookie(res: &Response, name: &str) -> bool {
    let prefix = format!("{name}=");
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(prefix.as_bytes()))
}

/// The client address: the socket's, or behind `hops` trusted proxies the
/// `X-Forwarded-For` entry that many places from the right (each proxy
/// appends the address it received the request from; the entries on the
/// left are whatever the client wrote). An entry that is not an IP address
/// is not believed.
fn client_ip(
    headers: &HeaderMap,
    socket: Option<&ConnectInfo<SocketAddr>>,
    hops: u8,
) -> Option<String> {
    if hops > 0 {
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        // With fewer entries than proxies, the left-most was written by
        // the first trusted proxy.
        let at = entries.len().saturating_sub(usize::from(hops));
        if let Some(ip) = entries
            .get(at)
            .and_then(|e| e.parse::<std::net::IpAddr>().ok())
        {
            return Some(ip.to_string());
        }
    }
    socket.map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// The body a route accepts.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The layer of every route (added by [`crate::authz::Routes`], after the
/// route's guard): a state-changing browser request has its body read, up
/// to the route's limit, and its CSRF token checked against the cookie.
/// A body declared larger than the limit is refused before it is read;
/// bodies over [`crate::BODY_LIMIT`] wait for one of a few places, so that
/// uploads cannot fill the memory; a body that does not arrive in
/// [`BODY_TIMEOUT`] is dropped.
pub async fn csrf(
    State(BodyLimit(limit)): State<BodyLimit>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let ctx = parts
        .extensions
        .get::<Ctx>()
        .ok_or_else(|| AppError::internal("request context missing"))?;
    if !unsafe_method || ctx.api {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    if declared_length(&parts.headers).is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge);
    }
    let cookie = ctx.csrf_sent.then(|| ctx.csrf.clone());
    let _permit = if limit > crate::BODY_LIMIT {
        Some(LARGE_BODIES.acquire().await.map_err(AppError::internal)?)
    } else {
        None
    };
    let body = tokio::time::timeout(
        BODY_TIMEOUT,
        check_csrf(&parts.headers, body, cookie.as_deref(), limit),
    )
    .await
    .map_err(|_| AppError::Timeout)??;
    Ok(next.run(Request::from_parts(parts, body)).await)
}

/// The length a request declares for its body.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Reads the body of a state-changing request and checks its CSRF token
/// against the cookie; gives the body back for the handler.
async fn check_csrf(
    headers: &HeaderMap,
    body: Body,
    cookie: Option<&str>,
    limit: usize,
) -> Result<Body, AppError> {
    let Some(cookie) = cookie else {
        return Err(AppError::Csrf);
    };
    if let Some(h) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if token::constant_time_eq(h, cookie) {
            Ok(body)
        } else {
            Err(AppError::Csrf)
        };
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let multipart = content_type.starts_with("multipart/form-data");
    if !form && !multipart {
        return Err(AppError::Csrf);
    }
    let limit = if multipart {
        limit
    } else {
        limit.min(crate::BODY_LIMIT)
    };
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    let sent = if form {
        form_urlencoded_value(&bytes, CSRF_FIELD)
    } else {
        multipart_value(content_type, &bytes, CSRF_FIELD)
    };
    match sent {
        Some(t) if token::constant_time_eq(&t, cookie) => Ok(Body::from(bytes)),
        _ => Err(AppError::Csrf),
    }
}

fn form_urlencoded_value(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Finds a small text field in a multipart body (the CSRF token is sent as
/// an ordinary field of the form).
fn multipart_value(content_type: &str, bytes: &[u8], name: &str) -> Option<String> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(bytes);
    let wanted = format!("name=\"{name}\"");
    for part in text.split(delimiter.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        if head.contains(&wanted) && !head.contains("filename=") {
            return Some(
                value
                    .trim_end_matches("\r\n")
                    .trim_end_matches("--")
                    .to_owned(),
            );
        }
    }
    None
}

/// Renders error responses that carry no page of their own.
fn finish(ctx: &Ctx, res: Response) -> Response {
    if let Some(ErrorInfo(err)) = res.extensions().get::<ErrorInfo>().cloned() {
        let status = res.status();
        let mut out = render_error(ctx, status, &err);
        for v in res.headers().get_all(header::SET_COOKIE) {
            out.headers_mut().append(header::SET_COOKIE, v.clone());
        }
        if let Some(v) = res.headers().get(header::RETRY_AFTER) {
            out.headers_mut().insert(header::RETRY_AFTER, v.clone());
        }
        if let Some(v) = res.headers().get(header::ALLOW) {
            out.headers_mut().insert(header::ALLOW, v.clone());
        }
        return out;
    }
    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let ct = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let rendered = ct.starts_with("text/html") || ct.contains("json");
        if !rendered {
            // axum's own rejections (bad form, wrong method, body too large…).
            let err = match status {
                StatusCode::NOT_FOUND => AppError::NotFound,
                StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
                StatusCode::REQUEST_TIMEOUT => AppError::Timeout,
                StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
                StatusCode::FORBIDDEN => AppError::Forbidden,
                StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
                s if s.is_server_error() => AppError::Internal,
                _ => AppError::BadRequest(None),
            };
            let mut out = render_error(ctx, status, &err);
            if let Some(v) = res.headers().get(header::ALLOW) {
                out.headers_mut().insert(header::ALLOW, v.clone());
            }
            return out;
        }
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
    details: Vec<String>,
    show_login: bool,
}

fn texts(m: &Messages, status: StatusCode, err: &AppError) -> (&'static str, String) {
    if status == StatusCode::METHOD_NOT_ALLOWED {
        return (m.error_method_title, m.error_method.into());
    }
    match err {
        AppError::BadRequest(detail) => (
            m.error_bad_request_title,
            detail
                .clone()
                .unwrap_or_else(|| m.error_bad_request.to_owned()),
        ),
        AppError::Unauthenticated => (
            m.error_unauthenticated_title,
            m.error_unauthenticated.into(),
        ),
        AppError::Forbidden => (m.error_forbidden_title, m.error_forbidden.into()),
        AppError::Csrf => (m.error_csrf_title, m.error_csrf.into()),
        AppError::NotFound => (m.error_not_found_title, m.error_not_found.into()),
        AppError::PayloadTooLarge => (m.error_too_large_title, m.error_too_large.into()),
        AppError::UnsupportedMediaType => (m.error_media_type_title, m.error_media_type.into()),
        AppError::Invalid(_) => (m.error_invalid_title, m.error_invalid.into()),
        AppError::TooManyRequests { .. } => (m.error_too_many_title, m.error_too_many.into()),
        AppError::Unavailable => (m.error_unavailable_title, m.error_unavailable.into()),
        AppError::Timeout => (m.error_timeout_title, m.error_timeout.into()),
        AppError::Internal => (m.error_internal_title, m.error_internal.into()),
    }
}

/// An error as the client expects it: problem+json on the API, else a page.
pub fn render_error(ctx: &Ctx, status: StatusCode, err: &AppError) -> Response {
    let m = messages(ctx.locale);
    let (title, message) = texts(m, status, err);
    let field_errors: Vec<(String, String, String)> = match err {
        AppError::Invalid(fe) => fe
            .iter()
            .map(|(f, e)| (f.to_owned(), e.code().to_owned(), field_error(m, e)))
            .collect(),
        _ => Vec::new(),
    };
    if ctx.api {
        let mut problem = crate::error::Problem::new(status, title, message);
        problem.errors = field_errors
            .into_iter()
            .map(|(field, code, message)| crate::error::FieldProblem {
                field,
                code,
                message,
            })
            .collect();
        let mut res = problem.into_response();
        if matches!(err, AppError::Unauthenticated) {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return res;
    }
    if matches!(err, AppError::Unauthenticated) {
        return Redirect::to(&format!("/login?next={}", crate::ctx::urlencode(&ctx.path)))
            .into_response();
    }
    let page = ErrorPage {
        l: ctx.layout(title),
        status: status.as_u16(),
        message,
        details: field_errors.into_iter().map(|(_, _, msg)| msg).collect(),
        show_login: matches!(err, AppError::Forbidden) && ctx.user.is_none(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            (status, title).into_response()
        }
    }
}

/// Headers that harden every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    // The JSON API may be called from other sites (partners' pages book
    // places with it): it carries no cookie identity, so any origin may.
    let api = req.uri().path().starts_with("/api/");
    if api && req.method() == axum::http::Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Content-Type, Authorization, If-None-Match"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return res;
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if api {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Location, Retry-After, ETag"),
        );
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key(header::REFERRER_POLICY) {
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_csrf_in_bodies() {
        assert_eq!(
            form_urlencoded_value(b"a=1&_csrf=tok%2Bx&b=2", "_csrf").as_deref(),
            Some("tok+x")
        );
        assert_eq!(form_urlencoded_value(b"a=1", "_csrf"), None);
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--XX--\r\n";
        assert_eq!(
            multipart_value("multipart/form-data; boundary=XX", body, "_csrf").as_deref(),
            Some("abc")
        );
        assert_eq!(
            multipart_value("multipart/form-data; boundary=XX", body, "zz"),
            None
        );
    }

    #[test]
    fn the_client_is_counted_from_the_right() {
        let socket = ConnectInfo("192.0.2.9:4000".parse::<SocketAddr>().unwrap());
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-for", v.parse().unwrap());
            h
        };
        let h = with("6.6.6.6, 198.51.100.23");
        // Without trust the header is ignored.
        assert_eq!(
            client_ip(&h, Some(&socket), 0).as_deref(),
            Some("192.0.2.9")
        );
        // One proxy: the entry it appended, not what the client wrote.
        assert_eq!(
            client_ip(&h, Some(&socket), 1).as_deref(),
            Some("198.51.100.23")
        );
        // Two proxies: the one before.
        assert_eq!(client_ip(&h, Some(&socket), 2).as_deref(), Some("6.6.6.6"));
        // Fewer entries than proxies: the left-most.
        assert_eq!(client_ip(&h, Some(&socket), 5).as_deref(), Some("6.6.6.6"));
        // An entry that is not an address is not believed.
        let h = with("1.1.1.1, not-an-address");
        assert_eq!(
            client_ip(&h, Some(&socket), 1).as_deref(),
            Some("192.0.2.9")
        );
        let h = with(" 2001:db8::1 ");
        assert_eq!(
            client_ip(&h, Some(&socket), 1).as_deref(),
            Some("2001:db8::1")
        );
    }
}
