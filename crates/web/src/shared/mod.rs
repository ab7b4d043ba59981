//! Helpers every feature may use: rendering a page, redirecting with a
//! flash message, list paging and query strings; dates typed in forms
//! (`dates`), downloads (`download`), the audit entry of a change
//! (`audit`), places (`places`). Nothing here belongs to one feature: a
//! helper that two features need moves here instead of being borrowed.

pub mod api;
pub mod audit;
pub mod bookings;
pub mod dates;
pub mod download;
pub mod hashing;
pub mod limits;
pub mod personal;
pub mod places;
pub mod programme;
pub mod records;
pub mod team_mail;

use crate::cookies;
use crate::ctx::Flash;
use crate::error::AppError;
use crate::forms::Choice;
use crate::state::AppState;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A rendered page with status 200.
pub fn html(t: impl Template) -> Result<Response, AppError> {
    html_status(StatusCode::OK, t)
}

pub fn html_status(status: StatusCode, t: impl Template) -> Result<Response, AppError> {
    let body = t.render().map_err(AppError::internal)?;
    Ok((status, Html(body)).into_response())
}

/// A `303 See Other` to `to`, with cookies to set.
pub fn redirect(to: &str, cookies: impl IntoIterator<Item = HeaderValue>) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// A redirect that shows `flash` on the next page.
pub fn redirect_flash(st: &AppState, to: &str, flash: Flash) -> Response {
    redirect(
        to,
        [cookies::set(
            cookies::FLASH,
            flash.code(),
            Some(60),
            st.config.secure_cookies(),
        )],
    )
}

/// Paging links of a list: the current query string with another page.
pub fn page_href(base: &str, params: &[(&str, String)], page: u64) -> String {
    let q = query_string(params);
    if q.is_empty() {
        format!("{base}?page={page}")
    } else {
        format!("{base}?{q}&page={page}")
    }
}

/// `a=1&b=x%20y` from the non-empty parameters (for shareable list URLs,
/// export links and API `next` links).
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    params
        .iter()
        .filter(|(_, v)| !v.as_ref().is_empty())
        .map(|(k, v)| format!("{}={}", k.as_ref(), crate::ctx::urlencode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Pagination as the templates show it.
pub(crate) struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(p: &maillage_db::Page<T>, base: &str, params: &[(&str, String)]) -> Pager {
        Pager {
            page: p.request.page,
            pages: p.pages(),
            total: p.total,
            prev: p
                .has_prev()
                .then(|| page_href(base, params, p.request.page - 1)),
            next: p
                .has_next()
                .then(|| page_href(base, params, p.request.page + 1)),
        }
    }
}

/// Parses a `page` query parameter leniently (junk means page 1).
pub fn page_number(s: Option<&str>) -> u64 {
    s.and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n >= 1 && *n <= 1_000_000)
        .unwrap_or(1)
}

/// Choices of a vocabulary (`T::ALL`), with the selected ones marked.
pub fn vocab_choices<T: Copy + PartialEq>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: &[T],
) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice::new(code(*t), label(*t), selected.contains(t)))
        .collect()
}
