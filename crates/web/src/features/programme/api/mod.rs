//! The public JSON API of the programme: projects, activities (with the
//! programme's filters and cursor pagination), sessions and venues. It shows
//! what the public programme shows: published projects, their activities
//! that are published, full or cancelled, the sessions of those, and the
//! venues where at least one of them takes place.
//!
//! Answers do not depend on who asks, and carry validators made from the
//! programme version (`counters::PROGRAMME`, bumped in the transaction of
//! every change): an `ETag` of the version and the request, and a
//! `Last-Modified` of when this instance first saw that version.
//! `If-None-Match` and `If-Modified-Since` are answered `304 Not Modified`
//! as RFC 9110 §13.2.2 says. Answers are kept in the page cache until the
//! version changes. Bad query parameters are `400` problem+json with one
//! entry per parameter in `errors`. The handlers and view types carry their
//! part of the OpenAPI document ([`ApiDoc`]); the tests hold the two
//! together.

mod conditional;
mod handlers;
mod views;

use conditional::*;
pub(crate) use handlers::{
    activities_list, activity, project, projects_list, session, venue, venues_list,
};
use views::*;

use super::public::ProgrammeQuery;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::timestamp;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::public_venues::After;
use maillage_db::venues::Access;
use maillage_domain::programme::ProjectStatus;
use maillage_domain::{FieldError, FieldErrors};
use serde::Serialize;
use utoipa::OpenApi;

/// The operations of this file, for the OpenAPI document.
pub(crate) struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        Live::openapi().merge_from(Conditional::openapi())
    }
}

/// The operations answered as they are (live figures).
#[derive(OpenApi)]
#[openapi(paths(handlers::session))]
struct Live;

/// Items per page of the lists.
pub(crate) const LIMIT: u64 = 50;

/// How long clients and shared caches may reuse an answer without asking
/// again; after that they revalidate with the `ETag`.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=60";

/// The accessibility codes, in the order of [`access_codes`].
use crate::shared::api::ACCESSIBILITY;

/// The yes/no filters of the activities (`true`, `false`, `1` or `0`).
pub(crate) const FLAGS: [&str; 6] = [
    "free",
    "registration",
    "wheelchair",
    "hearing_loop",
    "visual",
    "cognitive",
];

fn access_codes(a: Access) -> Vec<&'static str> {
    [a.wheelchair, a.hearing_loop, a.visual, a.cognitive]
        .into_iter()
        .zip(ACCESSIBILITY)
        .filter(|(on, _)| *on)
        .map(|(_, code)| code)
        .collect()
}

fn json(value: &impl Serialize) -> Result<Bytes, AppError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(AppError::internal)
}

// ---------------------------------------------------------------------------
// Parameters.

fn decode_cursor(c: &str, prefix: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(c.trim()).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix(prefix)
        .map(str::to_owned)
}

fn encode_cursor(prefix: &str, value: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{prefix}{value}"))
}

/// The offset of an activities cursor (a multiple of the page size).
fn activities_offset(c: &str) -> Option<u64> {
    decode_cursor(c, "o:")?
        .parse::<u64>()
        .ok()
        .filter(|o| o % LIMIT == 0)
}

fn venues_after(c: &str) -> Option<After> {
    let rest = decode_cursor(c, "v:")?;
    let (id, name_folded) = rest.split_once(':')?;
    Some(After {
        id: id.parse().ok()?,
        name_folded: name_folded.to_owned(),
    })
}

/// A raw query string read into `T`; a malformed one is a plain `400`.
fn parse_query<T: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<T, AppError> {
    serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| AppError::BadRequest(None))
}

/// Reads the yes/no filters strictly (`false` must not mean yes).
fn check_flags(q: &mut ProgrammeQuery, errors: &mut FieldErrors) {
    for name in FLAGS {
        let v = match name {
            "free" => &mut q.free,
            "registration" => &mut q.registration,
            "wheelchair" => &mut q.wheelchair,
            "hearing_loop" => &mut q.hearing_loop,
            "visual" => &mut q.visual,
            _ => &mut q.cognitive,
        };
        match v.trim() {
            "" | "0" | "false" => v.clear(),
            "1" | "true" => *v = "1".into(),
            _ => errors.add(name, FieldError::InvalidChoice),
        }
    }
}

/// The communes of the `commune` and `epci` parameters (both narrow the
/// list). `commune` is an INSEE code first (the API's identifier of a
/// commune), else a postcode or a name of one commune; `epci` a SIREN.
fn communes_param(commune: &str, epci: &str, errors: &mut FieldErrors) -> Option<Vec<String>> {
    let mut set: Option<Vec<String>> = None;
    let commune = commune.trim();
    if !commune.is_empty() {
        let found = maillage_geo::commune(&commune.to_ascii_uppercase())
            .map(Ok)
            .unwrap_or_else(|| maillage_directory::resolve_commune(commune, None));
        match found {
            Ok(c) => set = Some(vec![c.insee.to_owned()]),
            Err(e) => errors.add("commune", e),
        }
    }
    let epci = epci.trim();
    if !epci.is_empty() {
        if maillage_geo::epci(epci).is_none() {
            errors.add("epci", FieldError::InvalidChoice);
        }
        let members: Vec<String> = maillage_geo::communes_of_epci(epci)
            .into_iter()
            .map(|c| c.insee.to_owned())
            .collect();
        set = Some(match set {
            Some(one) => one.into_iter().filter(|i| members.contains(i)).collect(),
            None => members,
        });
    }
    set
}

/// The published project of a `project` parameter.
async fn project_param(st: &AppState, slug: &str) -> Result<Option<Project>, AppError> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(None);
    }
    match projects::find_by_slug(st.db.conn(), slug).await? {
        Some(p) if p.data.status == ProjectStatus::Published => Ok(Some(p)),
        _ => Err(AppError::invalid("project", FieldError::NotFound)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header};
    use chrono::DateTime;

    fn headers(name: header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(name.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_if_none_match() {
        let tags = |v: &[&str]| if_none_match(&headers(header::IF_NONE_MATCH, v));
        assert_eq!(tags(&[]), None);
        assert_eq!(tags(&["*"]), Some(IfNoneMatch::Any));
        assert_eq!(
            tags(&["W/\"p1-a\", \"x,y\"", "\"z\""]),
            Some(IfNoneMatch::Tags(vec![
                "\"p1-a\"".into(),
                "\"x,y\"".into(),
                "\"z\"".into()
            ]))
        );
        assert_eq!(tags(&["junk"]), Some(IfNoneMatch::Tags(vec![])));
    }

    #[test]
    fn reads_the_three_http_date_forms() {
        let t = DateTime::from_timestamp(784_111_777, 0).unwrap();
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                if_modified_since(&headers(header::IF_MODIFIED_SINCE, &[v])),
                Some(t),
                "{v}"
            );
        }
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            if_modified_since(&headers(header::IF_MODIFIED_SINCE, &["yesterday"])),
            None
        );
        assert_eq!(
            if_modified_since(&headers(
                header::IF_MODIFIED_SINCE,
                &[
                    "Sun, 06 Nov 1994 08:49:37 GMT",
                    "Sun, 06 Nov 1994 08:49:37 GMT"
                ]
            )),
            None,
            "a repeated field is ignored"
        );
    }

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        assert_eq!(activities_offset(&encode_cursor("o:", "100")), Some(100));
        assert_eq!(activities_offset(&encode_cursor("o:", "7")), None);
        assert_eq!(activities_offset("!!"), None);
        assert_eq!(
            venues_after(&encode_cursor("v:", "12:salle: des fetes")),
            Some(After {
                id: 12,
                name_folded: "salle: des fetes".into()
            })
        );
        assert_eq!(venues_after(&encode_cursor("o:", "12:x")), None);
    }
}
