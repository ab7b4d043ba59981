//! The view types of the programme API (the answers' schemas) and how
//! they are made from the storage's records.

use super::*;
use crate::error::AppError;
use crate::shared::api::vocab;
use crate::shared::api::{CommuneRef, EpciRef};
use crate::state::AppState;
use maillage_db::media::Image;
use maillage_db::programme::activities::Activity;
use maillage_db::programme::projects::Project;
use maillage_db::programme::sessions::Session;
use maillage_db::venues::{self, Venue};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Type};

// ---------------------------------------------------------------------------
// Views.

/// The published projects, most recent first, all on one page.
#[derive(Serialize, ToSchema)]
pub(super) struct ProjectList {
    pub(super) items: Vec<ProjectView>,
    #[schema(schema_with = one_page)]
    pub(super) next: (),
}

pub(super) fn one_page() -> utoipa::openapi::schema::Object {
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
pub(super) struct ActivityList {
    pub(super) items: Vec<ActivityView>,
    /// The cursor of the next page, to pass as `cursor`; null on the last
    /// page.
    #[schema(value_type = Option<vocab::Cursor>)]
    pub(super) next: Option<String>,
}

/// A page of venues (at most 50), by name.
#[derive(Serialize, ToSchema)]
pub(super) struct VenueList {
    pub(super) items: Vec<VenueView>,
    /// The cursor of the next page, to pass as `cursor`; null on the last
    /// page.
    #[schema(value_type = Option<vocab::Cursor>)]
    pub(super) next: Option<String>,
}

/// A published project: an edition of an event or programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Project)]
pub(super) struct ProjectView {
    /// Identifier of the project in URLs.
    pub(super) slug: String,
    /// Name of the project.
    pub(super) name: String,
    #[schema(value_type = vocab::ProjectKind)]
    pub(super) kind: &'static str,
    /// First day.
    #[schema(format = Date)]
    pub(super) starts_on: String,
    /// Last day.
    #[schema(format = Date)]
    pub(super) ends_on: String,
    /// The project's programme page.
    #[schema(format = "uri")]
    pub(super) url: String,
    pub(super) partners: Vec<PartnerView>,
}

/// A partner organisation.
#[derive(Serialize, ToSchema)]
#[schema(as = Partner)]
pub(super) struct PartnerView {
    /// Name of the organisation.
    pub(super) organisation: String,
    #[schema(value_type = vocab::PartnerRole)]
    pub(super) role: &'static str,
}

/// A published project with its description.
#[derive(Serialize, ToSchema)]
pub(super) struct ProjectDetail {
    #[serde(flatten)]
    pub(super) project: ProjectView,
    /// Description (Markdown).
    pub(super) description: Option<String>,
    /// Description as safe HTML (raw HTML in the source is escaped).
    pub(super) description_html: Option<String>,
    /// The project's activities in this API.
    #[schema(format = "uri")]
    pub(super) activities_url: String,
}

pub(super) fn project_view(base: &str, p: &Project) -> ProjectView {
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

pub(super) fn commune_ref(insee: &Option<String>) -> Option<CommuneRef> {
    insee.as_deref().map(CommuneRef::of)
}

/// Where an activity takes place.
#[derive(Serialize, ToSchema)]
#[schema(as = Place)]
pub(super) struct PlaceView {
    /// Identifier of the venue (`/api/v1/venues/{id}`).
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Name of the venue.
    pub(super) name: String,
    /// Street address.
    pub(super) address: Option<String>,
    /// Postcode.
    pub(super) postcode: Option<String>,
    pub(super) commune: Option<CommuneRef>,
    /// Latitude (WGS 84).
    pub(super) lat: Option<f64>,
    /// Longitude (WGS 84).
    pub(super) lon: Option<f64>,
    /// How to get there by public transport.
    pub(super) public_transport: Option<String>,
    /// The room or space inside the venue.
    pub(super) space: Option<String>,
}

/// A session (séance) of an activity.
#[derive(Serialize, ToSchema)]
#[schema(as = Session)]
pub(super) struct SessionView {
    /// Identifier of the session.
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Start, with the offset of Europe/Paris at that date.
    #[schema(format = DateTime)]
    pub(super) starts_at: String,
    /// End, with the offset of Europe/Paris at that date.
    #[schema(format = DateTime)]
    pub(super) ends_at: String,
    /// Places: the session's own capacity, else that of the activity's
    /// space; null when unknown or unlimited.
    #[schema(minimum = 0)]
    pub(super) capacity: Option<i32>,
    #[schema(value_type = vocab::SessionStatus)]
    pub(super) status: &'static str,
    /// Where the session takes place when not at its activity's venue (a
    /// touring exhibition); null: at the activity's `venue`.
    pub(super) venue: Option<PlaceView>,
}

/// An activity of the public programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Activity)]
pub(super) struct ActivityView {
    /// Identifier of the activity.
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Identifier of the activity in its project's URLs.
    pub(super) slug: String,
    /// Slug of the activity's project.
    pub(super) project: String,
    /// Title.
    pub(super) title: String,
    /// Short description (plain text).
    pub(super) summary: Option<String>,
    /// The activity's page.
    #[schema(format = "uri")]
    pub(super) url: String,
    #[schema(value_type = vocab::Format)]
    pub(super) format: &'static str,
    #[schema(value_type = Vec<vocab::Audience>)]
    pub(super) audiences: Vec<&'static str>,
    /// School levels welcomed, for activities open to classes.
    #[schema(value_type = Vec<vocab::SchoolLevel>)]
    pub(super) levels: Vec<&'static str>,
    /// Minimum age, in years.
    pub(super) min_age: Option<i32>,
    #[schema(value_type = Vec<vocab::Theme>)]
    pub(super) themes: Vec<&'static str>,
    /// Free of charge.
    pub(super) free: bool,
    /// Price, as written by the organisers.
    pub(super) price: Option<String>,
    #[schema(value_type = vocab::RegistrationMode)]
    pub(super) registration: &'static str,
    /// Where to register, for an external registration.
    pub(super) registration_url: Option<String>,
    /// Where to follow it online.
    pub(super) online_url: Option<String>,
    #[schema(value_type = vocab::ActivityStatus)]
    pub(super) status: &'static str,
    /// Names of the organising organisations.
    pub(super) organisers: Vec<String>,
    /// Names of the speakers.
    pub(super) speakers: Vec<String>,
    pub(super) venue: Option<PlaceView>,
    #[schema(value_type = Vec<vocab::Accessibility>)]
    pub(super) accessibility: Vec<&'static str>,
    /// Sessions, in time order.
    pub(super) sessions: Vec<SessionView>,
    pub(super) image: Option<ImageRef>,
}

/// An activity's image, in its widest copy (JPEG, at most 1280 pixels wide;
/// 320 and 640 pixels wide copies are at the same URL with the width
/// changed).
#[derive(Serialize, ToSchema)]
#[schema(as = Image)]
pub(super) struct ImageRef {
    /// The JPEG file; it changes when the image does.
    #[schema(format = "uri")]
    pub(super) url: String,
    /// Width in pixels.
    #[schema(minimum = 1)]
    pub(super) width: u32,
    /// Height in pixels.
    #[schema(minimum = 1)]
    pub(super) height: u32,
    /// Alternative text, in French.
    pub(super) alt: String,
    /// Alternative text in English.
    pub(super) alt_en: Option<String>,
    /// Credit (photographer, rights).
    pub(super) credit: Option<String>,
}

pub(super) fn image_ref(base: &str, img: &Image) -> Option<ImageRef> {
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
pub(super) struct ActivityRef {
    /// Identifier of the activity.
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Identifier of the activity in its project's URLs.
    pub(super) slug: String,
    /// Slug of the activity's project.
    pub(super) project: String,
    /// Title.
    pub(super) title: String,
    /// The activity's page.
    #[schema(format = "uri")]
    pub(super) url: String,
}

/// An activity with its description.
#[derive(Serialize, ToSchema)]
pub(super) struct ActivityDetail {
    #[serde(flatten)]
    pub(super) activity: ActivityView,
    /// Long description (Markdown).
    pub(super) description: Option<String>,
    /// Long description as safe HTML (raw HTML in the source is escaped).
    pub(super) description_html: Option<String>,
    /// The multi-activity event (a village des sciences) it belongs to.
    pub(super) parent: Option<ActivityRef>,
}

/// The capacity of each space, for the sessions without their own.
pub(super) type Capacities = BTreeMap<i64, Option<i32>>;

pub(super) async fn space_capacities(
    st: &AppState,
    list: &[&Activity],
) -> Result<Capacities, AppError> {
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
pub(super) fn capacity(s: &Session, a: &Activity, spaces: &Capacities) -> Option<i32> {
    s.data.capacity.or_else(|| {
        a.space_for(s)
            .and_then(|id| spaces.get(&id).copied().flatten())
    })
}

pub(super) fn session_view(s: &Session, a: &Activity, spaces: &Capacities) -> SessionView {
    SessionView {
        id: s.id,
        starts_at: timestamp(s.data.starts_at),
        ends_at: timestamp(s.data.ends_at),
        capacity: capacity(s, a, spaces),
        status: s.data.status.code(),
        venue: match a.venue_of(s) {
            Some(v) if a.venue.as_ref().is_none_or(|own| own.id != v.id) => Some(place_view(v)),
            _ => None,
        },
    }
}

pub(super) fn activity_url(base: &str, project: &str, a: &Activity) -> String {
    format!("{base}/p/{project}/a/{}", a.data.slug)
}

pub(super) fn activity_ref(base: &str, project: &str, a: &Activity) -> ActivityRef {
    ActivityRef {
        id: a.id,
        slug: a.data.slug.clone(),
        project: project.to_owned(),
        title: a.data.title.clone(),
        url: activity_url(base, project, a),
    }
}

pub(super) fn activity_view(
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
        venue: a.venue.as_ref().map(place_view),
        accessibility: access_codes(a.data.access),
        sessions: a
            .sessions
            .iter()
            .map(|s| session_view(s, a, spaces))
            .collect(),
        image: image.and_then(|i| image_ref(base, i)),
    }
}

fn place_view(v: &maillage_db::programme::activities::VenueRef) -> PlaceView {
    PlaceView {
        id: v.id,
        name: v.data.name.clone(),
        address: v.data.address.clone(),
        postcode: v.data.postcode.clone(),
        commune: commune_ref(&v.data.commune_insee),
        lat: v.data.lat,
        lon: v.data.lon,
        public_transport: v.data.public_transport.clone(),
        space: v.space.clone(),
    }
}

/// A room or space inside a venue.
#[derive(Serialize, ToSchema)]
#[schema(as = Space)]
pub(super) struct SpaceView {
    /// Identifier of the space.
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Name.
    pub(super) name: String,
    #[schema(value_type = vocab::SpaceKind)]
    pub(super) kind: &'static str,
    /// Places.
    #[schema(minimum = 0)]
    pub(super) capacity: Option<i32>,
}

/// A venue of the public programme.
#[derive(Serialize, ToSchema)]
#[schema(as = Venue)]
pub(super) struct VenueView {
    /// Identifier of the venue.
    #[schema(minimum = 1)]
    pub(super) id: i64,
    /// Name.
    pub(super) name: String,
    /// Street address.
    pub(super) address: Option<String>,
    /// Postcode.
    pub(super) postcode: Option<String>,
    pub(super) commune: Option<CommuneRef>,
    pub(super) epci: Option<EpciRef>,
    /// Latitude (WGS 84).
    pub(super) lat: Option<f64>,
    /// Longitude (WGS 84).
    pub(super) lon: Option<f64>,
    /// How to get there by public transport.
    pub(super) public_transport: Option<String>,
    /// Parking.
    pub(super) parking: Option<String>,
    #[schema(value_type = Vec<vocab::Accessibility>)]
    pub(super) accessibility: Vec<&'static str>,
    /// More about accessibility.
    pub(super) accessibility_notes: Option<String>,
    /// Description.
    pub(super) description: Option<String>,
    /// Rooms and spaces, by name.
    pub(super) spaces: Vec<SpaceView>,
}

pub(super) fn venue_view(v: &Venue) -> VenueView {
    let d = &v.data;
    VenueView {
        id: v.id,
        name: d.name.clone(),
        address: d.address.clone(),
        postcode: d.postcode.clone(),
        commune: commune_ref(&d.commune_insee),
        epci: d.commune().and_then(EpciRef::of_commune),
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
