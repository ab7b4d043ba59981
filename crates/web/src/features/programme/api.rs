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

use super::public::ProgrammeQuery;
use crate::cache::Cached;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::api::{self as openapi, vocab};
use crate::shared::api::{CommuneRef, EpciRef};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::PageRequest;
use maillage_db::counters;
use maillage_db::media::{self, Image, Owner};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::public_venues::{self, After};
use maillage_db::programme::sessions::{self, Session};
use maillage_db::venues::{self, Access, Venue};
use maillage_domain::programme::ProjectStatus;
use maillage_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Required, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
pub(crate) struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        Live::openapi().merge_from(Conditional::openapi())
    }
}

/// The operations answered as they are (live figures).
#[derive(OpenApi)]
#[openapi(paths(session))]
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

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&Paris)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn json(value: &impl Serialize) -> Result<Bytes, AppError> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(AppError::internal)
}

// ---------------------------------------------------------------------------
// Conditional requests.

/// A small stable hash for validators (not for security).
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What `If-None-Match` holds: `*`, or entity tags (opaque part, quotes
/// included, without the weakness prefix). `None` when absent.
#[derive(Debug, PartialEq)]
enum IfNoneMatch {
    Any,
    Tags(Vec<String>),
}

fn if_none_match(headers: &HeaderMap) -> Option<IfNoneMatch> {
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
fn if_modified_since(headers: &HeaderMap) -> Option<DateTime<Utc>> {
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

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// When this instance first saw the programme at `version` (kept in the
/// page cache, so per instance; a forgotten entry only makes it later).
fn first_seen(st: &AppState, version: i64) -> DateTime<Utc> {
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

fn not_modified(etag: &str) -> Response {
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
fn bad_request(errors: FieldErrors) -> Response {
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
async fn conditional(
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
    paths(projects_list, project, activities_list, activity, venues_list, venue),
    modifiers(&Conditional)
)]
struct Conditional;

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

// ---------------------------------------------------------------------------
// Views.

/// The published projects, most recent first, all on one page.
#[derive(Serialize, ToSchema)]
struct ProjectList {
    items: Vec<ProjectView>,
    #[schema(schema_with = one_page)]
    next: (),
}

fn one_page() -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(Type::Null)
        .description(Some("Always null: one page."))
        .build()
}

// The lists' descriptions say how many items a page holds at most.
const _: () = assert!(LIMIT == 50);

/// A page of activities (at most 50), by first session then title. Without
/// `project`, a page may hold fewer: follow `next` until it is null.
#[derive(Serialize, ToSchema)]
struct ActivityList {
    items: Vec<ActivityView>,
    /// The cursor of the next page, to pass as `cursor`; null on the last
    /// page.
    #[schema(value_type = Option<vocab::Cursor>)]
    next: Option<String>,
}

/// A page of venues (at most 50), by name.
#[derive(Serialize, ToSchema)]
struct VenueList {
    items: Vec<VenueView>,
    /// The cursor of the next page, to pass as `cursor`; null on the last
    /// page.
    #[schema(value_type = Option<vocab::Cursor>)]
    next: Option<String>,
}

/// A published project: an edition of an event or programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Project)]
struct ProjectView {
    /// Identifier of the project in URLs.
    slug: String,
    /// Name of the project.
    name: String,
    #[schema(value_type = vocab::ProjectKind)]
    kind: &'static str,
    /// First day.
    #[schema(format = Date)]
    starts_on: String,
    /// Last day.
    #[schema(format = Date)]
    ends_on: String,
    /// The project's programme page.
    #[schema(format = "uri")]
    url: String,
    partners: Vec<PartnerView>,
}

/// A partner organisation.
#[derive(Serialize, ToSchema)]
#[schema(as = Partner)]
struct PartnerView {
    /// Name of the organisation.
    organisation: String,
    #[schema(value_type = vocab::PartnerRole)]
    role: &'static str,
}

/// A published project with its description.
#[derive(Serialize, ToSchema)]
struct ProjectDetail {
    #[serde(flatten)]
    project: ProjectView,
    /// Description (Markdown).
    description: Option<String>,
    /// Description as safe HTML (raw HTML in the source is escaped).
    description_html: Option<String>,
    /// The project's activities in this API.
    #[schema(format = "uri")]
    activities_url: String,
}

fn project_view(base: &str, p: &Project) -> ProjectView {
    ProjectView {
        slug: p.data.slug.clone(),
        name: p.data.name.clone(),
        kind: p.data.kind.code(),
        starts_on: p.data.starts_on.to_string(),
        ends_on: p.data.ends_on.to_string(),
        url: format!("{base}/p/{}", p.data.slug),
        partners: p
            .partners
            .iter()
            .map(|x| PartnerView {
                organisation: x.organisation_name.clone(),
                role: x.role.code(),
            })
            .collect(),
    }
}

fn commune_ref(insee: &Option<String>) -> Option<CommuneRef> {
    insee.as_deref().map(CommuneRef::of)
}

/// Where an activity takes place.
#[derive(Serialize, ToSchema)]
#[schema(as = Place)]
struct PlaceView {
    /// Identifier of the venue (`/api/v1/venues/{id}`).
    #[schema(minimum = 1)]
    id: i64,
    /// Name of the venue.
    name: String,
    /// Street address.
    address: Option<String>,
    /// Postcode.
    postcode: Option<String>,
    commune: Option<CommuneRef>,
    /// Latitude (WGS 84).
    lat: Option<f64>,
    /// Longitude (WGS 84).
    lon: Option<f64>,
    /// How to get there by public transport.
    public_transport: Option<String>,
    /// The room or space inside the venue.
    space: Option<String>,
}

/// A session (séance) of an activity.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
struct SessionView {
    /// Identifier of the session.
    #[schema(minimum = 1)]
    id: i64,
    /// Start, with the offset of Europe/Paris at that date.
    #[schema(format = DateTime)]
    starts_at: String,
    /// End, with the offset of Europe/Paris at that date.
    #[schema(format = DateTime)]
    ends_at: String,
    /// Places: the session's own capacity, else that of the activity's
    /// space; null when unknown or unlimited.
    #[schema(minimum = 0)]
    capacity: Option<i32>,
    #[schema(value_type = vocab::SessionStatus)]
    status: &'static str,
}

/// An activity of the public programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Activity)]
struct ActivityView {
    /// Identifier of the activity.
    #[schema(minimum = 1)]
    id: i64,
    /// Identifier of the activity in its project's URLs.
    slug: String,
    /// Slug of the activity's project.
    project: String,
    /// Title.
    title: String,
    /// Short description (plain text).
    summary: Option<String>,
    /// The activity's page.
    #[schema(format = "uri")]
    url: String,
    #[schema(value_type = vocab::Format)]
    format: &'static str,
    #[schema(value_type = Vec<vocab::Audience>)]
    audiences: Vec<&'static str>,
    /// School levels welcomed, for activities open to classes.
    #[schema(value_type = Vec<vocab::SchoolLevel>)]
    levels: Vec<&'static str>,
    /// Minimum age, in years.
    min_age: Option<i32>,
    #[schema(value_type = Vec<vocab::Theme>)]
    themes: Vec<&'static str>,
    /// Free of charge.
    free: bool,
    /// Price, as written by the organisers.
    price: Option<String>,
    #[schema(value_type = vocab::RegistrationMode)]
    registration: &'static str,
    /// Where to register, for an external registration.
    registration_url: Option<String>,
    /// Where to follow it online.
    online_url: Option<String>,
    #[schema(value_type = vocab::ActivityStatus)]
    status: &'static str,
    /// Names of the organising organisations.
    organisers: Vec<String>,
    /// Names of the speakers.
    speakers: Vec<String>,
    venue: Option<PlaceView>,
    #[schema(value_type = Vec<vocab::Accessibility>)]
    accessibility: Vec<&'static str>,
    /// Sessions, in time order.
    sessions: Vec<SessionView>,
    image: Option<ImageRef>,
}

/// An activity's image, in its widest copy (JPEG, at most 1280 pixels wide;
/// 320 and 640 pixels wide copies are at the same URL with the width
/// changed).
#[derive(Serialize, ToSchema)]
#[schema(as = Image)]
struct ImageRef {
    /// The JPEG file; it changes when the image does.
    #[schema(format = "uri")]
    url: String,
    /// Width in pixels.
    #[schema(minimum = 1)]
    width: u32,
    /// Height in pixels.
    #[schema(minimum = 1)]
    height: u32,
    /// Alternative text, in French.
    alt: String,
    /// Alternative text in English.
    alt_en: Option<String>,
    /// Credit (photographer, rights).
    credit: Option<String>,
}

fn image_ref(base: &str, img: &Image) -> Option<ImageRef> {
    let large = img.largest()?;
    Some(ImageRef {
        url: format!("{base}{}", img.path(large.width)),
        width: large.width,
        height: large.height,
        alt: img.text.alt_fr.clone(),
        alt_en: img.text.alt_en.clone(),
        credit: img.text.credit.clone(),
    })
}

/// An activity, in short.
#[derive(Serialize, ToSchema)]
struct ActivityRef {
    /// Identifier of the activity.
    #[schema(minimum = 1)]
    id: i64,
    /// Identifier of the activity in its project's URLs.
    slug: String,
    /// Slug of the activity's project.
    project: String,
    /// Title.
    title: String,
    /// The activity's page.
    #[schema(format = "uri")]
    url: String,
}

/// An activity with its description.
#[derive(Serialize, ToSchema)]
struct ActivityDetail {
    #[serde(flatten)]
    activity: ActivityView,
    /// Long description (Markdown).
    description: Option<String>,
    /// Long description as safe HTML (raw HTML in the source is escaped).
    description_html: Option<String>,
    /// The multi-activity event (a village des sciences) it belongs to.
    parent: Option<ActivityRef>,
}

/// The capacity of each space, for the sessions without their own.
type Capacities = BTreeMap<i64, Option<i32>>;

async fn space_capacities(st: &AppState, list: &[&Activity]) -> Result<Capacities, AppError> {
    let ids: Vec<i64> = list
        .iter()
        .filter(|a| a.data.space_id.is_some())
        .filter_map(|a| a.data.venue_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(venues::list_by_ids(st.db.conn(), &ids)
        .await?
        .iter()
        .flat_map(|v| v.spaces.iter().map(|s| (s.id, s.data.capacity)))
        .collect())
}

/// A session's capacity: its own, else its activity's space's.
fn capacity(s: &Session, a: &Activity, spaces: &Capacities) -> Option<i32> {
    s.data.capacity.or_else(|| {
        a.data
            .space_id
            .and_then(|id| spaces.get(&id).copied().flatten())
    })
}

fn session_view(s: &Session, a: &Activity, spaces: &Capacities) -> SessionView {
    SessionView {
        id: s.id,
        starts_at: timestamp(s.data.starts_at),
        ends_at: timestamp(s.data.ends_at),
        capacity: capacity(s, a, spaces),
        status: s.data.status.code(),
    }
}

fn activity_url(base: &str, project: &str, a: &Activity) -> String {
    format!("{base}/p/{project}/a/{}", a.data.slug)
}

fn activity_ref(base: &str, project: &str, a: &Activity) -> ActivityRef {
    ActivityRef {
        id: a.id,
        slug: a.data.slug.clone(),
        project: project.to_owned(),
        title: a.data.title.clone(),
        url: activity_url(base, project, a),
    }
}

fn activity_view(
    base: &str,
    project: &str,
    a: &Activity,
    spaces: &Capacities,
    image: Option<&Image>,
) -> ActivityView {
    ActivityView {
        id: a.id,
        slug: a.data.slug.clone(),
        project: project.to_owned(),
        title: a.data.title.clone(),
        summary: a.data.summary.clone(),
        url: activity_url(base, project, a),
        format: a.format.code(),
        audiences: a.data.audiences.iter().map(|x| x.code()).collect(),
        levels: a.data.levels.iter().map(|x| x.code()).collect(),
        min_age: a.data.min_age,
        themes: a.data.themes.iter().map(|t| t.code()).collect(),
        free: a.data.free,
        price: a.data.price.clone(),
        registration: a.registration.code(),
        registration_url: a.data.registration_url.clone(),
        online_url: a.data.online_url.clone(),
        status: a.status.code(),
        organisers: a.organisers.iter().map(|(_, n)| n.clone()).collect(),
        speakers: a.speakers.iter().map(|(_, n)| n.clone()).collect(),
        venue: a.venue.as_ref().map(|v| PlaceView {
            id: v.id,
            name: v.name.clone(),
            address: v.address.clone(),
            postcode: v.postcode.clone(),
            commune: commune_ref(&v.commune_insee),
            lat: v.lat,
            lon: v.lon,
            public_transport: v.public_transport.clone(),
            space: v.space.clone(),
        }),
        accessibility: access_codes(a.data.access),
        sessions: a
            .sessions
            .iter()
            .map(|s| session_view(s, a, spaces))
            .collect(),
        image: image.and_then(|i| image_ref(base, i)),
    }
}

/// A room or space inside a venue.
#[derive(Serialize, ToSchema)]
#[schema(as = Space)]
struct SpaceView {
    /// Identifier of the space.
    #[schema(minimum = 1)]
    id: i64,
    /// Name.
    name: String,
    #[schema(value_type = vocab::SpaceKind)]
    kind: &'static str,
    /// Places.
    #[schema(minimum = 0)]
    capacity: Option<i32>,
}

/// A venue of the public programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Venue)]
struct VenueView {
    /// Identifier of the venue.
    #[schema(minimum = 1)]
    id: i64,
    /// Name.
    name: String,
    /// Street address.
    address: Option<String>,
    /// Postcode.
    postcode: Option<String>,
    commune: Option<CommuneRef>,
    epci: Option<EpciRef>,
    /// Latitude (WGS 84).
    lat: Option<f64>,
    /// Longitude (WGS 84).
    lon: Option<f64>,
    /// How to get there by public transport.
    public_transport: Option<String>,
    /// Parking.
    parking: Option<String>,
    #[schema(value_type = Vec<vocab::Accessibility>)]
    accessibility: Vec<&'static str>,
    /// More about accessibility.
    accessibility_notes: Option<String>,
    /// Description.
    description: Option<String>,
    /// Rooms and spaces, by name.
    spaces: Vec<SpaceView>,
}

fn venue_view(v: &Venue) -> VenueView {
    let d = &v.data;
    VenueView {
        id: v.id,
        name: d.name.clone(),
        address: d.address.clone(),
        postcode: d.postcode.clone(),
        commune: commune_ref(&d.commune_insee),
        epci: d
            .commune_insee
            .as_deref()
            .and_then(maillage_geo::commune)
            .and_then(EpciRef::of_commune),
        lat: d.lat,
        lon: d.lon,
        public_transport: d.public_transport.clone(),
        parking: d.parking.clone(),
        accessibility: access_codes(d.access),
        accessibility_notes: d.accessibility_notes.clone(),
        description: d.description.clone(),
        spaces: v
            .spaces
            .iter()
            .map(|s| SpaceView {
                id: s.id,
                name: s.data.name.clone(),
                kind: s.data.kind.code(),
                capacity: s.data.capacity,
            })
            .collect(),
    }
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

// ---------------------------------------------------------------------------
// Handlers.

/// The published projects
///
/// Every published project, most recent first, with its partners.
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    operation_id = "listProjects",
    tag = "programme",
    responses((status = 200, description = "The published projects.", body = ProjectList)),
    extensions(("x-link" = json!("projects")))
)]
pub async fn projects_list(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let render = async {
        let list = projects::list(st.db.conn(), true).await?;
        let mut items = Vec::new();
        for p in &list {
            let full = projects::find(st.db.conn(), p.id)
                .await?
                .unwrap_or_else(|| p.clone());
            items.push(project_view(&st.config.base_url, &full));
        }
        json(&ProjectList { items, next: () })
    };
    conditional(&st, &headers, "projects".into(), render).await
}

/// A published project
///
/// A published project with its description.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{slug}",
    operation_id = "getProject",
    tag = "programme",
    params(("slug" = String, Path, description = "The project's slug.")),
    responses(
        (status = 200, description = "A published project.", body = ProjectDetail),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("project")))
)]
pub async fn project(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let key = format!("project|{slug}");
    let render = async {
        let p = projects::find_by_slug(st.db.conn(), &slug)
            .await?
            .filter(|p| p.data.status == ProjectStatus::Published)
            .ok_or(AppError::NotFound)?;
        let base = &st.config.base_url;
        json(&ProjectDetail {
            project: project_view(base, &p),
            description_html: p.data.description.as_deref().map(crate::markdown::to_html),
            description: p.data.description.clone(),
            activities_url: format!(
                "{base}/api/v1/activities?project={}",
                crate::ctx::urlencode(&p.data.slug)
            ),
        })
    };
    conditional(&st, &headers, key, render).await
}

/// Raw pages of activities read at most per request while looking for one
/// with an activity of a published project.
const MAX_SKIPPED_PAGES: u32 = 20;

// The cursor is the offset in the filtered list, a multiple of the page
// size. Without `project`, the activities of unpublished projects are left
// out of each page after reading it, so a page may hold fewer than
// [`LIMIT`] items: clients follow `next` until it is null.
/// Activities of the public programme
///
/// The public activities (published, full or cancelled) of published
/// projects matching every filter given, by first session then title, with
/// their sessions and venue. Filters are those of the programme pages
/// (`/p/{slug}`), which take the same parameters.
#[utoipa::path(
    get,
    path = "/api/v1/activities",
    operation_id = "listActivities",
    tag = "programme",
    params(ProgrammeQuery),
    responses(
        (status = 200, description = "A page of activities.", body = ActivityList),
        (status = 400, response = openapi::BadRequest),
    ),
    extensions(("x-link" = json!("activities")))
)]
pub async fn activities_list(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let mut q: ProgrammeQuery = parse_query(raw.as_deref())?;
    let mut errors = FieldErrors::new();
    check_flags(&mut q, &mut errors);
    let communes = communes_param(&q.commune, &q.epci, &mut errors);
    q.commune.clear();
    q.epci.clear();
    let (mut filter, more, _) = q.filter(ctx.m, None);
    filter.communes = communes;
    for (f, e) in more.iter() {
        errors.add(f, e.clone());
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && (to - from).num_days() >= activities::MAX_DAYS
    {
        errors.add(
            "to",
            FieldError::OutOfRange {
                min: 0,
                max: activities::MAX_DAYS - 1,
            },
        );
    }
    let start = match q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        None => 0,
        Some(c) => activities_offset(c).unwrap_or_else(|| {
            errors.add("cursor", FieldError::InvalidChoice);
            0
        }),
    };
    if !errors.is_empty() {
        return Ok(bad_request(errors));
    }
    let key = format!("activities|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let only = project_param(&st, &q.project).await?;
        filter.project_id = only.as_ref().map(|p| p.id);
        let published: BTreeMap<i64, String> = projects::list(st.db.conn(), true)
            .await?
            .into_iter()
            .map(|p| (p.id, p.data.slug))
            .collect();
        let mut offset = start;
        let mut found = Vec::new();
        let mut total;
        let mut rounds = 0;
        loop {
            let page = activities::list(
                st.db.conn(),
                &filter,
                PageRequest {
                    page: offset / LIMIT + 1,
                    per_page: LIMIT,
                },
            )
            .await?;
            total = page.total;
            offset += LIMIT;
            rounds += 1;
            found.extend(
                page.items
                    .into_iter()
                    .filter(|a| published.contains_key(&a.data.project_id)),
            );
            if !found.is_empty() || offset >= total || rounds >= MAX_SKIPPED_PAGES {
                break;
            }
        }
        let next = (offset < total).then(|| encode_cursor("o:", &offset.to_string()));
        let refs: Vec<&Activity> = found.iter().collect();
        let spaces = space_capacities(&st, &refs).await?;
        let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
        let images = media::of_activities(st.db.conn(), &ids).await?;
        let items = found
            .iter()
            .filter_map(|a| {
                let slug = published.get(&a.data.project_id)?;
                Some(activity_view(
                    &st.config.base_url,
                    slug,
                    a,
                    &spaces,
                    images.get(&a.id),
                ))
            })
            .collect();
        json(&ActivityList { items, next })
    };
    conditional(&st, &headers, key, render).await
}

/// A public activity of a published project, with its project.
async fn public_activity(st: &AppState, id: i64) -> Result<(Activity, Project), AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .filter(|a| a.status.is_public())
        .ok_or(AppError::NotFound)?;
    let p = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .filter(|p| p.data.status == ProjectStatus::Published)
        .ok_or(AppError::NotFound)?;
    Ok((a, p))
}

/// An activity
///
/// A public activity of a published project, with its long description.
#[utoipa::path(
    get,
    path = "/api/v1/activities/{id}",
    operation_id = "getActivity",
    tag = "programme",
    params(("id" = i64, Path, description = "The activity's identifier.")),
    responses(
        (status = 200, description = "An activity.", body = ActivityDetail),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("activity")))
)]
pub async fn activity(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let render = async {
        let (a, p) = public_activity(&st, id).await?;
        let base = &st.config.base_url;
        let parent = match a.data.parent_id {
            Some(parent) => match public_activity(&st, parent).await {
                Ok((pa, pp)) => Some(activity_ref(base, &pp.data.slug, &pa)),
                Err(AppError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let spaces = space_capacities(&st, &[&a]).await?;
        let image = media::find(st.db.conn(), Owner::Activity(a.id)).await?;
        json(&ActivityDetail {
            activity: activity_view(base, &p.data.slug, &a, &spaces, image.as_ref()),
            description_html: a.data.description.as_deref().map(crate::markdown::to_html),
            description: a.data.description.clone(),
            parent,
        })
    };
    conditional(&st, &headers, format!("activity|{id}"), render).await
}

/// A session with its activity and its live booking figures.
#[derive(Serialize, ToSchema)]
struct SessionDetail {
    #[serde(flatten)]
    session: SessionView,
    activity: ActivityRef,
    #[serde(flatten)]
    #[schema(inline)]
    availability: crate::shared::bookings::Availability,
}

// Never cached: places change with every booking.
/// A session
///
/// A session of a public activity, with its capacity and its live booking
/// figures: places booked, places available, persons on the waiting list.
/// Never cached.
#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}",
    operation_id = "getSession",
    tags = ["programme", "bookings"],
    params(("id" = i64, Path, description = "The session's identifier.")),
    responses(
        (status = 200, description = "A session.", body = SessionDetail),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("session")))
)]
pub async fn session(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = sessions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (a, p) = public_activity(&st, s.activity_id).await?;
    let spaces = space_capacities(&st, &[&a]).await?;
    let body = json(&SessionDetail {
        session: session_view(&s, &a, &spaces),
        activity: activity_ref(&st.config.base_url, &p.data.slug, &a),
        availability: crate::shared::bookings::availability(&st, id).await?,
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct VenuesQuery {
    /// Words to look for (accents and case ignored; each word matches the
    /// start of a word).
    q: String,
    /// A commune: its INSEE code, else a postcode or a name that designates
    /// one commune.
    commune: String,
    /// The SIREN of an EPCI: its communes. With `commune`, both apply.
    #[param(value_type = Option<vocab::Siren>)]
    epci: String,
    /// The slug of a published project.
    project: String,
    /// Where to continue: the `next` of the previous page.
    #[param(value_type = Option<vocab::Cursor>)]
    cursor: Option<String>,
}

/// Venues of the public programme
///
/// The venues where at least one public activity of a published project
/// takes place (with `project`, of that project), by name, with their
/// spaces. Other venues of the directory are not public.
#[utoipa::path(
    get,
    path = "/api/v1/venues",
    operation_id = "listVenues",
    tag = "programme",
    params(VenuesQuery),
    responses(
        (status = 200, description = "A page of venues.", body = VenueList),
        (status = 400, response = openapi::BadRequest),
    ),
    extensions(("x-link" = json!("venues")))
)]
pub async fn venues_list(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: VenuesQuery = parse_query(raw.as_deref())?;
    let mut errors = FieldErrors::new();
    let communes = communes_param(&q.commune, &q.epci, &mut errors);
    let after = match q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        None => None,
        Some(c) => {
            let a = venues_after(c);
            if a.is_none() {
                errors.add("cursor", FieldError::InvalidChoice);
            }
            a
        }
    };
    if !errors.is_empty() {
        return Ok(bad_request(errors));
    }
    let key = format!("venues|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let project = project_param(&st, &q.project).await?;
        let filter = public_venues::Filter {
            query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            communes,
            project_id: project.map(|p| p.id),
        };
        let page = public_venues::list(st.db.conn(), &filter, after.as_ref(), LIMIT).await?;
        json(&VenueList {
            items: page.items.iter().map(venue_view).collect(),
            next: page
                .next
                .map(|a| encode_cursor("v:", &format!("{}:{}", a.id, a.name_folded))),
        })
    };
    conditional(&st, &headers, key, render).await
}

/// A venue
///
/// A venue of the public programme, with its spaces.
#[utoipa::path(
    get,
    path = "/api/v1/venues/{id}",
    operation_id = "getVenue",
    tag = "programme",
    params(("id" = i64, Path, description = "The venue's identifier.")),
    responses(
        (status = 200, description = "A venue.", body = VenueView),
        (status = 400, response = openapi::BadRequest),
        (status = 404, response = openapi::NotFound),
    ),
    extensions(("x-link" = json!("venue")))
)]
pub async fn venue(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let render = async {
        let v = public_venues::find(st.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        json(&venue_view(&v))
    };
    conditional(&st, &headers, format!("venue|{id}"), render).await
}

#[cfg(test)]
mod tests {
    use super::*;

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
