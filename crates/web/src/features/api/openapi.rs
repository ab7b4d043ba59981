//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`.
//!
//! It is made from what the API itself is made of, so that the two cannot
//! drift apart: the paths from [`PUBLIC_API`] (each route names its
//! operation here) and from the guarded API routes, every enumeration from
//! the domain vocabularies (`maillage_domain::programme`, `::directory`),
//! and the accessibility codes, yes/no filters, page size and cache policy
//! from [`super::programme_api`]. The tests check every answer of the API
//! against the schemas below, every documented value of every parameter,
//! and that every route is here.

use crate::features::programme::api::{ACCESSIBILITY, CACHE_CONTROL, FLAGS, LIMIT};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use maillage_domain::directory::{OrgKind, SpaceKind, Theme};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, PartnerRole, ProjectKind, RegistrationMode, SchoolLevel,
    SessionStatus,
};
use maillage_domain::{Locale, Role};
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

/// Where the document is served.
pub const PATH: &str = "/api/openapi.json";

// ---------------------------------------------------------------------------
// Schema helpers.

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn param(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

fn response(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn string_or_null(description: &str) -> Value {
    json!({ "type": ["string", "null"], "description": description })
}

fn formatted(format: &str, description: &str) -> Value {
    json!({ "type": "string", "format": format, "description": description })
}

fn id(description: &str) -> Value {
    json!({ "type": "integer", "format": "int64", "minimum": 1, "description": description })
}

fn or_null(v: Value) -> Value {
    json!({ "anyOf": [v, { "type": "null" }] })
}

fn array(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}

fn coordinate(description: &str) -> Value {
    json!({ "type": ["number", "null"], "description": description })
}

/// An object whose properties are all present (`null` when unknown), and
/// nothing else.
fn object(description: &str, props: Vec<(&str, Value)>) -> Value {
    object_with_optional(description, props, &[])
}

fn object_with_optional(description: &str, props: Vec<(&str, Value)>, optional: &[&str]) -> Value {
    let required: Vec<&str> = props
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !optional.contains(k))
        .collect();
    let mut properties = Map::new();
    for (k, v) in props {
        properties.insert(k.to_owned(), v);
    }
    json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The codes of a vocabulary, as a string enumeration.
fn codes<T: Copy>(description: &str, all: &[T], code: impl Fn(T) -> &'static str) -> Value {
    let values: Vec<&str> = all.iter().map(|v| code(*v)).collect();
    json!({ "type": "string", "enum": values, "description": description })
}

// ---------------------------------------------------------------------------
// Components.

fn vocabularies() -> Vec<(&'static str, Value)> {
    vec![
        (
            "ProjectKind",
            codes("What a project is.", ProjectKind::ALL, ProjectKind::code),
        ),
        (
            "PartnerRole",
            codes(
                "The role of a partner organisation in a project.",
                PartnerRole::ALL,
                PartnerRole::code,
            ),
        ),
        (
            "Format",
            codes("The format of an activity.", Format::ALL, Format::code),
        ),
        (
            "Audience",
            codes("Who an activity is for.", Audience::ALL, Audience::code),
        ),
        (
            "SchoolLevel",
            codes(
                "School levels of the classes an activity welcomes.",
                SchoolLevel::ALL,
                SchoolLevel::code,
            ),
        ),
        ("Theme", codes("Science themes.", Theme::ALL, Theme::code)),
        (
            "ActivityStatus",
            codes(
                "The status of an activity the public sees (a cancelled one stays listed, marked).",
                &ActivityStatus::ALL
                    .iter()
                    .copied()
                    .filter(|s| s.is_public())
                    .collect::<Vec<_>>(),
                ActivityStatus::code,
            ),
        ),
        (
            "RegistrationMode",
            codes(
                "How to register: not needed (`none`), seats booked on Maillage (`booking`), classes and groups booked on Maillage (`groups`), or elsewhere (`external`, see `registration_url`).",
                RegistrationMode::ALL,
                RegistrationMode::code,
            ),
        ),
        (
            "ClassLevel",
            codes(
                "The level of a class, from nursery school (`ps`) to higher education (`sup`).",
                maillage_domain::booking::ClassLevel::ALL,
                maillage_domain::booking::ClassLevel::code,
            ),
        ),
        (
            "SessionStatus",
            codes(
                "The status of a session.",
                SessionStatus::ALL,
                SessionStatus::code,
            ),
        ),
        (
            "SpaceKind",
            codes(
                "Kinds of spaces inside a venue.",
                SpaceKind::ALL,
                SpaceKind::code,
            ),
        ),
        (
            "OrganisationType",
            codes("What an organisation is.", OrgKind::ALL, OrgKind::code),
        ),
        (
            "Accessibility",
            codes(
                "Accessibility of an activity or venue: wheelchair access, hearing loop, \
                 for visually impaired people, for people with cognitive disabilities.",
                &ACCESSIBILITY,
                |c| c,
            ),
        ),
        (
            "Role",
            codes("The role of an account.", &Role::ALL, Role::as_str),
        ),
        (
            "Locale",
            codes("A language of the interface.", &Locale::ALL, Locale::as_str),
        ),
    ]
}

fn project_props() -> Vec<(&'static str, Value)> {
    vec![
        ("slug", string("Identifier of the project in URLs.")),
        ("name", string("Name of the project.")),
        ("kind", schema("ProjectKind")),
        ("starts_on", formatted("date", "First day.")),
        ("ends_on", formatted("date", "Last day.")),
        ("url", formatted("uri", "The project's programme page.")),
        (
            "partners",
            array(object(
                "A partner organisation.",
                vec![
                    ("organisation", string("Name of the organisation.")),
                    ("role", schema("PartnerRole")),
                ],
            )),
        ),
    ]
}

fn session_props() -> Vec<(&'static str, Value)> {
    vec![
        ("id", id("Identifier of the session.")),
        (
            "starts_at",
            formatted(
                "date-time",
                "Start, with the offset of Europe/Paris at that date.",
            ),
        ),
        (
            "ends_at",
            formatted(
                "date-time",
                "End, with the offset of Europe/Paris at that date.",
            ),
        ),
        (
            "capacity",
            json!({
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Places: the session's own capacity, else that of the activity's space; null when unknown or unlimited.",
            }),
        ),
        ("status", schema("SessionStatus")),
    ]
}

fn activity_props() -> Vec<(&'static str, Value)> {
    vec![
        ("id", id("Identifier of the activity.")),
        (
            "slug",
            string("Identifier of the activity in its project's URLs."),
        ),
        ("project", string("Slug of the activity's project.")),
        ("title", string("Title.")),
        ("summary", string_or_null("Short description (plain text).")),
        ("url", formatted("uri", "The activity's page.")),
        ("format", schema("Format")),
        ("audiences", array(schema("Audience"))),
        (
            "levels",
            json!({
                "type": "array",
                "items": schema("SchoolLevel"),
                "description": "School levels welcomed, for activities open to classes.",
            }),
        ),
        (
            "min_age",
            json!({ "type": ["integer", "null"], "description": "Minimum age, in years." }),
        ),
        ("themes", array(schema("Theme"))),
        (
            "free",
            json!({ "type": "boolean", "description": "Free of charge." }),
        ),
        (
            "price",
            string_or_null("Price, as written by the organisers."),
        ),
        ("registration", schema("RegistrationMode")),
        (
            "registration_url",
            string_or_null("Where to register, for an external registration."),
        ),
        ("online_url", string_or_null("Where to follow it online.")),
        ("status", schema("ActivityStatus")),
        (
            "organisers",
            json!({ "type": "array", "items": { "type": "string" }, "description": "Names of the organising organisations." }),
        ),
        (
            "speakers",
            json!({ "type": "array", "items": { "type": "string" }, "description": "Names of the speakers." }),
        ),
        ("venue", or_null(schema("Place"))),
        ("accessibility", array(schema("Accessibility"))),
        (
            "sessions",
            json!({ "type": "array", "items": schema("Session"), "description": "Sessions, in time order." }),
        ),
        ("image", or_null(schema("Image"))),
    ]
}

fn activity_ref() -> Value {
    object(
        "An activity, in short.",
        vec![
            ("id", id("Identifier of the activity.")),
            (
                "slug",
                string("Identifier of the activity in its project's URLs."),
            ),
            ("project", string("Slug of the activity's project.")),
            ("title", string("Title.")),
            ("url", formatted("uri", "The activity's page.")),
        ],
    )
}

fn with(
    mut props: Vec<(&'static str, Value)>,
    more: Vec<(&'static str, Value)>,
) -> Vec<(&'static str, Value)> {
    props.extend(more);
    props
}

fn list(description: &str, item: &str, next: Value) -> Value {
    object(
        description,
        vec![("items", array(schema(item))), ("next", next)],
    )
}

fn next_cursor() -> Value {
    json!({
        "anyOf": [schema("Cursor"), { "type": "null" }],
        "description": "The cursor of the next page, to pass as `cursor`; null on the last page.",
    })
}

fn schemas() -> Map<String, Value> {
    let mut s = Map::new();
    for (name, v) in vocabularies() {
        s.insert(name.into(), v);
    }
    let commune_ref = object(
        "A commune.",
        vec![
            (
                "insee",
                json!({ "type": "string", "pattern": "^[0-9][0-9AB][0-9]{3}$", "description": "INSEE code." }),
            ),
            (
                "name",
                json!({ "type": ["string", "null"], "description": "Name (null for a code no longer in use)." }),
            ),
        ],
    );
    let epci = object(
        "An EPCI (intercommunality).",
        vec![
            (
                "siren",
                json!({ "type": "string", "pattern": "^[0-9]{9}$", "description": "SIREN number." }),
            ),
            ("name", string("Name.")),
        ],
    );
    let place = object(
        "Where an activity takes place.",
        vec![
            ("id", id("Identifier of the venue (`/api/v1/venues/{id}`).")),
            ("name", string("Name of the venue.")),
            ("address", string_or_null("Street address.")),
            ("postcode", string_or_null("Postcode.")),
            ("commune", or_null(schema("CommuneRef"))),
            ("lat", coordinate("Latitude (WGS 84).")),
            ("lon", coordinate("Longitude (WGS 84).")),
            (
                "public_transport",
                string_or_null("How to get there by public transport."),
            ),
            (
                "space",
                string_or_null("The room or space inside the venue."),
            ),
        ],
    );
    let venue = object(
        "A venue of the public programme.",
        vec![
            ("id", id("Identifier of the venue.")),
            ("name", string("Name.")),
            ("address", string_or_null("Street address.")),
            ("postcode", string_or_null("Postcode.")),
            ("commune", or_null(schema("CommuneRef"))),
            ("epci", or_null(schema("Epci"))),
            ("lat", coordinate("Latitude (WGS 84).")),
            ("lon", coordinate("Longitude (WGS 84).")),
            (
                "public_transport",
                string_or_null("How to get there by public transport."),
            ),
            ("parking", string_or_null("Parking.")),
            ("accessibility", array(schema("Accessibility"))),
            (
                "accessibility_notes",
                string_or_null("More about accessibility."),
            ),
            ("description", string_or_null("Description.")),
            (
                "spaces",
                json!({ "type": "array", "items": schema("Space"), "description": "Rooms and spaces, by name." }),
            ),
        ],
    );
    let space = object(
        "A room or space inside a venue.",
        vec![
            ("id", id("Identifier of the space.")),
            ("name", string("Name.")),
            ("kind", schema("SpaceKind")),
            (
                "capacity",
                json!({ "type": ["integer", "null"], "minimum": 0, "description": "Places." }),
            ),
        ],
    );
    let commune = object(
        "A French commune.",
        vec![
            (
                "insee",
                json!({ "type": "string", "pattern": "^[0-9][0-9AB][0-9]{3}$", "description": "INSEE code." }),
            ),
            ("name", string("Name.")),
            (
                "postcodes",
                json!({ "type": "array", "items": { "type": "string", "pattern": "^[0-9]{5}$" } }),
            ),
            ("departement", string("Code of the département.")),
            (
                "population",
                json!({ "type": ["integer", "null"], "minimum": 0 }),
            ),
            ("epci", or_null(schema("Epci"))),
            ("lat", coordinate("Latitude of the town hall (WGS 84).")),
            ("lon", coordinate("Longitude of the town hall (WGS 84).")),
        ],
    );
    let organisation = object_with_optional(
        "An organisation of the directory.",
        vec![
            ("id", id("Identifier of the organisation.")),
            ("name", string("Name.")),
            ("type", schema("OrganisationType")),
            ("commune", or_null(schema("CommuneRef"))),
            ("epci", or_null(schema("Epci"))),
            ("website", string_or_null("Website.")),
            ("themes", array(schema("Theme"))),
            ("description", string_or_null("Description.")),
            (
                "private",
                object(
                    "Contact details and identifiers: only with a token of the team.",
                    vec![
                        ("email", string_or_null("E-mail address.")),
                        ("phone", string_or_null("Phone number.")),
                        ("address", string_or_null("Street address.")),
                        ("postcode", string_or_null("Postcode.")),
                        ("siret", string_or_null("SIRET number.")),
                        ("uai", string_or_null("UAI number (schools).")),
                        (
                            "public_listing",
                            json!({ "type": "boolean", "description": "Shown in the public directory." }),
                        ),
                    ],
                ),
            ),
        ],
        &["private"],
    );
    let links: Map<String, Value> = super::index::links()
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!({ "const": v })))
        .collect();
    let link_names: Vec<&str> = super::index::links().keys().copied().collect();
    let entries = vec![
        ("CommuneRef", commune_ref),
        ("Epci", epci),
        ("Place", place),
        (
            "Cursor",
            json!({
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]+$",
                "description": "An opaque page cursor: pass the `next` of a page back as `cursor`, with the same filters.",
            }),
        ),
        (
            "Project",
            object(
                "A published project: an edition of an event or programme.",
                project_props(),
            ),
        ),
        (
            "ProjectDetail",
            object(
                "A published project with its description.",
                with(
                    project_props(),
                    vec![
                        ("description", string_or_null("Description (Markdown).")),
                        (
                            "description_html",
                            string_or_null(
                                "Description as safe HTML (raw HTML in the source is escaped).",
                            ),
                        ),
                        (
                            "activities_url",
                            formatted("uri", "The project's activities in this API."),
                        ),
                    ],
                ),
            ),
        ),
        (
            "ProjectList",
            object(
                "The published projects, most recent first, all on one page.",
                vec![
                    ("items", array(schema("Project"))),
                    (
                        "next",
                        json!({ "type": "null", "description": "Always null: one page." }),
                    ),
                ],
            ),
        ),
        (
            "Session",
            object("A session (séance) of an activity.", session_props()),
        ),
        (
            "SessionDetail",
            object(
                "A session with its activity and its live booking figures.",
                with(
                    session_props(),
                    vec![
                        ("activity", schema("ActivityRef")),
                        (
                            "booked",
                            json!({ "type": "integer", "minimum": 0, "description": "Persons holding places: confirmed, awaiting approval or their address's confirmation, or with an offer of freed places." }),
                        ),
                        (
                            "available",
                            json!({ "type": ["integer", "null"], "minimum": 0, "description": "Free places; null when the capacity is unlimited." }),
                        ),
                        (
                            "waitlisted",
                            json!({ "type": "integer", "minimum": 0, "description": "Persons on the waiting list." }),
                        ),
                        ("booking", schema("BookingRules")),
                    ],
                ),
            ),
        ),
        (
            "BookingRules",
            object(
                "How the session is booked.",
                vec![
                    ("mode", schema("RegistrationMode")),
                    (
                        "open",
                        json!({ "type": "boolean", "description": "Bookings are taken now." }),
                    ),
                    (
                        "opens_at",
                        json!({ "type": ["string", "null"], "format": "date-time", "description": "When bookings open (null: already open)." }),
                    ),
                    (
                        "closes_at",
                        json!({ "type": ["string", "null"], "format": "date-time", "description": "When bookings close: the closing time, at the latest the start of the session (null when not booked here)." }),
                    ),
                    (
                        "max_seats",
                        json!({ "type": ["integer", "null"], "minimum": 1, "description": "Most seats of one individual booking (null for classes)." }),
                    ),
                    (
                        "waitlist",
                        json!({ "type": "boolean", "description": "A full session takes names on a waiting list." }),
                    ),
                    (
                        "waitlisted_entries",
                        json!({ "type": "integer", "minimum": 0, "description": "Bookings on the waiting list." }),
                    ),
                    (
                        "url",
                        json!({ "type": ["string", "null"], "format": "uri", "description": "Where to POST a booking (null when not booked here)." }),
                    ),
                ],
            ),
        ),
        (
            "BookingRequest",
            object_with_optional(
                "A booking. Individual seats: `name`, `email`, `seats`. A class: `name` (the teacher), \
                 `email`, `phone`, `pupils`, `adults`, `school`, `class_level`.",
                vec![
                    ("name", string("Full name (the teacher's, for a class).")),
                    (
                        "email",
                        formatted("email", "Where the confirmation and the personal link go."),
                    ),
                    ("phone", string("Phone number (required for classes).")),
                    (
                        "seats",
                        json!({ "type": "integer", "minimum": 1, "description": "Number of seats (individual bookings)." }),
                    ),
                    (
                        "pupils",
                        json!({ "type": "integer", "minimum": 1, "description": "Pupils (classes)." }),
                    ),
                    (
                        "adults",
                        json!({ "type": "integer", "minimum": 0, "description": "Accompanying adults (classes)." }),
                    ),
                    ("school", string("The school's name (classes).")),
                    ("school_commune", string("The school's commune (classes).")),
                    ("class_level", schema("ClassLevel")),
                    ("needs", string("Particular needs (classes).")),
                    (
                        "locale",
                        json!({ "type": "string", "enum": ["fr", "en"], "description": "Language of the e-mails (default: that of the request)." }),
                    ),
                ],
                &[
                    "phone",
                    "seats",
                    "pupils",
                    "adults",
                    "school",
                    "school_commune",
                    "class_level",
                    "needs",
                    "locale",
                ],
            ),
        ),
        (
            "BookingCreated",
            object_with_optional(
                "A booking recorded.",
                vec![
                    ("id", id("Identifier of the booking.")),
                    ("session", id("The session booked.")),
                    (
                        "status",
                        json!({ "type": "string", "enum": ["confirmed", "waitlisted", "pending", "unconfirmed"], "description": "`confirmed` (201); `waitlisted`, `pending` (awaiting approval) or `unconfirmed` (awaiting the address's confirmation, places held 30 minutes) (202)." }),
                    ),
                    (
                        "persons",
                        json!({ "type": "integer", "minimum": 1, "description": "Persons counted against the capacity." }),
                    ),
                    (
                        "position",
                        json!({ "type": "integer", "minimum": 1, "description": "Position on the waiting list." }),
                    ),
                    (
                        "manage_url",
                        formatted(
                            "uri",
                            "The booker's personal page (see, change, cancel); also sent by e-mail.",
                        ),
                    ),
                ],
                &["position"],
            ),
        ),
        ("ActivityRef", activity_ref()),
        (
            "Image",
            object(
                "An activity's image, in its widest copy (JPEG, at most 1280 pixels wide; \
                 320 and 640 pixels wide copies are at the same URL with the width changed).",
                vec![
                    (
                        "url",
                        formatted("uri", "The JPEG file; it changes when the image does."),
                    ),
                    (
                        "width",
                        json!({ "type": "integer", "minimum": 1, "description": "Width in pixels." }),
                    ),
                    (
                        "height",
                        json!({ "type": "integer", "minimum": 1, "description": "Height in pixels." }),
                    ),
                    ("alt", string("Alternative text, in French.")),
                    ("alt_en", string_or_null("Alternative text in English.")),
                    ("credit", string_or_null("Credit (photographer, rights).")),
                ],
            ),
        ),
        (
            "Activity",
            object("An activity of the public programme.", activity_props()),
        ),
        (
            "ActivityDetail",
            object(
                "An activity with its description.",
                with(
                    activity_props(),
                    vec![
                        (
                            "description",
                            string_or_null("Long description (Markdown)."),
                        ),
                        (
                            "description_html",
                            string_or_null(
                                "Long description as safe HTML (raw HTML in the source is escaped).",
                            ),
                        ),
                        (
                            "parent",
                            json!({
                                "anyOf": [schema("ActivityRef"), { "type": "null" }],
                                "description": "The multi-activity event (a village des sciences) it belongs to.",
                            }),
                        ),
                    ],
                ),
            ),
        ),
        (
            "ActivityList",
            list(
                &format!(
                    "A page of activities (at most {LIMIT}), by first session then title. Without `project`, \
                     a page may hold fewer: follow `next` until it is null."
                ),
                "Activity",
                next_cursor(),
            ),
        ),
        ("Space", space),
        ("Venue", venue),
        (
            "VenueList",
            list(
                &format!("A page of venues (at most {LIMIT}), by name."),
                "Venue",
                next_cursor(),
            ),
        ),
        ("Commune", commune),
        (
            "CommuneList",
            object(
                "Communes, best match first.",
                vec![("items", array(schema("Commune")))],
            ),
        ),
        ("Organisation", organisation),
        (
            "OrganisationList",
            object_with_optional(
                "A page of organisations (at most 100), by name.",
                vec![
                    ("items", array(schema("Organisation"))),
                    (
                        "total",
                        json!({ "type": "integer", "minimum": 0, "description": "Matching organisations." }),
                    ),
                    (
                        "next",
                        formatted("uri-reference", "The next page; absent on the last page."),
                    ),
                ],
                &["next"],
            ),
        ),
        (
            "Me",
            object(
                "The account of the token.",
                vec![
                    ("id", id("Identifier of the account.")),
                    ("email", formatted("email", "E-mail address.")),
                    ("name", string("Name.")),
                    ("role", schema("Role")),
                    (
                        "organisation_id",
                        json!({ "type": ["integer", "null"], "format": "int64", "description": "The partner's organisation." }),
                    ),
                    ("locale", schema("Locale")),
                ],
            ),
        ),
        (
            "Index",
            object(
                "Where to start.",
                vec![
                    ("name", string("Name of the API.")),
                    ("version", json!({ "const": "v1" })),
                    (
                        "openapi",
                        json!({ "const": PATH, "description": "This document." }),
                    ),
                    (
                        "links",
                        json!({
                            "type": "object",
                            "description": "Every route of the API by name (URI templates for single resources).",
                            "properties": links,
                            "required": link_names,
                            "additionalProperties": false,
                        }),
                    ),
                ],
            ),
        ),
        (
            "Problem",
            object_with_optional(
                "An error (RFC 9457), in the language of the request.",
                vec![
                    ("type", json!({ "const": "about:blank" })),
                    ("title", string("Short summary of the problem.")),
                    (
                        "status",
                        json!({ "type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status." }),
                    ),
                    ("detail", string("What happened.")),
                    (
                        "code",
                        string(
                            "Stable code of the problem, on booking requests: `closed`, \
                             `not_yet_open`, `full`, `too_many_seats`, `larger_than_session`, \
                             `not_bookable`, `wrong_kind`, `invalid`, `invalid_json`, \
                             `rate_limited`, `not_found`.",
                        ),
                    ),
                    (
                        "errors",
                        json!({
                            "type": "array",
                            "description": "The refused parameters, one entry each.",
                            "items": object(
                                "A refused parameter.",
                                vec![
                                    ("field", string("Name of the parameter.")),
                                    ("code", string("Stable code of the reason (`invalid_choice`, `invalid_date`, `unknown_commune`, `not_found`…).")),
                                    ("message", string("The reason, in the language of the request.")),
                                ],
                            ),
                        }),
                    ),
                ],
                &["errors", "code"],
            ),
        ),
    ];
    for (name, v) in entries {
        s.insert(name.into(), v);
    }
    s
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn parameters() -> Map<String, Value> {
    let mut p = Map::new();
    let mut add = |key: &str, v: Value| {
        p.insert(key.to_owned(), v);
    };
    add(
        "q",
        query(
            "q",
            json!({ "type": "string" }),
            "Words to look for (accents and case ignored; each word matches the start of a word).",
        ),
    );
    add(
        "commune",
        query(
            "commune",
            json!({ "type": "string" }),
            "A commune: its INSEE code, else a postcode or a name that designates one commune.",
        ),
    );
    add(
        "epci",
        query(
            "epci",
            json!({ "type": "string", "pattern": "^[0-9]{9}$" }),
            "The SIREN of an EPCI: its communes. With `commune`, both apply.",
        ),
    );
    add(
        "project",
        query(
            "project",
            json!({ "type": "string" }),
            "The slug of a published project.",
        ),
    );
    add(
        "audience",
        query("audience", schema("Audience"), "Who the activity is for."),
    );
    add(
        "level",
        query(
            "level",
            schema("SchoolLevel"),
            "A school level the activity welcomes.",
        ),
    );
    add("format", query("format", schema("Format"), "The format."));
    add("theme", query("theme", schema("Theme"), "A theme."));
    add(
        "from",
        query(
            "from",
            json!({ "type": "string", "format": "date" }),
            "Activities with a session on a day from this one (Europe/Paris). With only one of \
             `from` and `to`, that single day. At most 400 days.",
        ),
    );
    add(
        "to",
        query(
            "to",
            json!({ "type": "string", "format": "date" }),
            "Activities with a session on a day up to this one (Europe/Paris), not before `from`.",
        ),
    );
    for flag in FLAGS {
        let what = match flag {
            "free" => "Only free activities.",
            "registration" => "Only activities that need a registration.",
            "wheelchair" => "Only activities accessible in a wheelchair.",
            "hearing_loop" => "Only activities with a hearing loop.",
            "visual" => "Only activities suited to visually impaired people.",
            _ => "Only activities suited to people with cognitive disabilities.",
        };
        add(
            flag,
            query(
                flag,
                json!({ "type": "boolean" }),
                &format!("{what} `true` or `1`; `false`, `0` or absent: no filter."),
            ),
        );
    }
    add(
        "cursor",
        query(
            "cursor",
            schema("Cursor"),
            "Where to continue: the `next` of the previous page.",
        ),
    );
    add(
        "id",
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }),
    );
    add(
        "slug",
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }),
    );
    add(
        "If-None-Match",
        json!({
            "name": "If-None-Match", "in": "header", "required": false,
            "schema": { "type": "string" },
            "description": "Entity tags of copies the client holds (or `*`): `304` when one is current.",
        }),
    );
    add(
        "If-Modified-Since",
        json!({
            "name": "If-Modified-Since", "in": "header", "required": false,
            "schema": { "type": "string" },
            "description": "An HTTP date: `304` when nothing changed since. Ignored with `If-None-Match`.",
        }),
    );
    p
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": schema("Problem") } },
    })
}

fn responses() -> Map<String, Value> {
    let mut r = Map::new();
    r.insert(
        "NotModified".into(),
        json!({
            "description": "The client's copy is current (`If-None-Match` or `If-Modified-Since`).",
            "headers": {
                "ETag": { "$ref": "#/components/headers/ETag" },
                "Cache-Control": { "$ref": "#/components/headers/Cache-Control" },
            },
        }),
    );
    r.insert(
        "BadRequest".into(),
        problem("A parameter was refused: `errors` names each one with the reason."),
    );
    r.insert(
        "NotFound".into(),
        problem("No such resource in the public programme."),
    );
    r.insert(
        "Unprocessable".into(),
        problem("A parameter was refused: `errors` names each one with the reason."),
    );
    r.insert(
        "Unauthorized".into(),
        problem("No valid token (`Authorization: Bearer …`)."),
    );
    r.insert(
        "Forbidden".into(),
        problem("The token's account may not do this (its role)."),
    );
    r
}

fn headers() -> Value {
    json!({
        "ETag": {
            "description": "A weak validator of this answer: the programme version and the request.",
            "schema": { "type": "string" },
        },
        "Last-Modified": {
            "description": "When the programme last changed, as far as this server knows.",
            "schema": { "type": "string" },
        },
        "Cache-Control": {
            "description": format!("`{CACHE_CONTROL}`: reusable for a minute, then revalidated."),
            "schema": { "type": "string" },
        },
    })
}

// ---------------------------------------------------------------------------
// Operations, one per route (named by `PUBLIC_API`).

fn ok(description: &str, body: &str, validators: bool) -> Value {
    let mut r = json!({
        "description": description,
        "content": { "application/json": { "schema": schema(body) } },
    });
    if validators {
        r["headers"] = json!({
            "ETag": { "$ref": "#/components/headers/ETag" },
            "Last-Modified": { "$ref": "#/components/headers/Last-Modified" },
            "Cache-Control": { "$ref": "#/components/headers/Cache-Control" },
        });
    }
    r
}

/// An operation of the programme: validators, `304`, and the errors given.
fn programme(
    operation_id: &str,
    summary: &str,
    description: &str,
    params: &[&str],
    body: &str,
    errors: &[(&str, &str)],
) -> Value {
    let mut parameters: Vec<Value> = params.iter().map(|p| param(p)).collect();
    parameters.push(param("If-None-Match"));
    parameters.push(param("If-Modified-Since"));
    let mut responses = Map::new();
    responses.insert("200".into(), ok(summary, body, true));
    responses.insert("304".into(), response("NotModified"));
    for (status, name) in errors {
        responses.insert((*status).into(), response(name));
    }
    json!({
        "operationId": operation_id,
        "tags": ["programme"],
        "summary": summary,
        "description": description,
        "parameters": parameters,
        "responses": responses,
    })
}

pub fn projects_list() -> Value {
    programme(
        "listProjects",
        "The published projects",
        "Every published project, most recent first, with its partners.",
        &[],
        "ProjectList",
        &[],
    )
}

pub fn project() -> Value {
    programme(
        "getProject",
        "A published project",
        "A published project with its description.",
        &["slug"],
        "ProjectDetail",
        &[("404", "NotFound")],
    )
}

pub fn activities_list() -> Value {
    let mut params = vec![
        "project", "q", "commune", "epci", "audience", "level", "format", "theme", "from", "to",
    ];
    params.extend(FLAGS);
    params.push("cursor");
    programme(
        "listActivities",
        "Activities of the public programme",
        "The public activities (published, full or cancelled) of published projects matching \
         every filter given, by first session then title, with their sessions and venue. \
         Filters are those of the programme pages (`/p/{slug}`), which take the same parameters.",
        &params,
        "ActivityList",
        &[("400", "BadRequest")],
    )
}

pub fn activity() -> Value {
    programme(
        "getActivity",
        "An activity",
        "A public activity of a published project, with its long description.",
        &["id"],
        "ActivityDetail",
        &[("400", "BadRequest"), ("404", "NotFound")],
    )
}

pub fn session() -> Value {
    // Live figures: no validators, no 304.
    json!({
        "operationId": "getSession",
        "tags": ["programme", "bookings"],
        "summary": "A session",
        "description": "A session of a public activity, with its capacity and its live booking \
             figures: places booked, places available, persons on the waiting list. Never cached.",
        "parameters": [param("id")],
        "responses": {
            "200": ok("A session", "SessionDetail", false),
            "400": response("BadRequest"),
            "404": response("NotFound"),
        },
    })
}

/// `POST /api/v1/sessions/{id}/bookings`.
pub fn booking_create() -> Value {
    let mut responses = Map::new();
    let created = |d: &str| {
        json!({
            "description": d,
            "content": { "application/json": { "schema": schema("BookingCreated") } },
        })
    };
    responses.insert("201".into(), created("Booked: the places are confirmed."));
    responses.insert(
        "202".into(),
        created("Recorded on the waiting list (with its position), awaiting approval, or awaiting the address's confirmation."),
    );
    responses.insert(
        "400".into(),
        problem("The body is not valid JSON for this operation."),
    );
    responses.insert("404".into(), response("NotFound"));
    responses.insert(
        "409".into(),
        problem("Not booked now: `closed`, `not_yet_open`, `full` (no waiting list), `not_bookable`, `wrong_kind`."),
    );
    responses.insert(
        "422".into(),
        problem("Refused: `too_many_seats`, `larger_than_session`, or `invalid` with one entry per field in `errors`."),
    );
    responses.insert(
        "429".into(),
        problem("Too many booking requests from this address (see `Retry-After`)."),
    );
    json!({
        "operationId": "createBooking",
        "tags": ["bookings"],
        "summary": "Book places",
        "description": "Books places on a session with the same rules as the booking form, for partners' \
             own websites. No token is needed. When the session is full the booking goes on the waiting \
             list, in order of arrival. The booker receives an e-mail with a personal link to see, \
             change or cancel the booking.",
        "parameters": [param("id")],
        "requestBody": {
            "required": true,
            "content": { "application/json": { "schema": schema("BookingRequest") } },
        },
        "responses": responses,
    })
}

pub fn venues_list() -> Value {
    programme(
        "listVenues",
        "Venues of the public programme",
        "The venues where at least one public activity of a published project takes place \
         (with `project`, of that project), by name, with their spaces. Other venues of the \
         directory are not public.",
        &["q", "commune", "epci", "project", "cursor"],
        "VenueList",
        &[("400", "BadRequest")],
    )
}

pub fn venue() -> Value {
    programme(
        "getVenue",
        "A venue",
        "A venue of the public programme, with its spaces.",
        &["id"],
        "Venue",
        &[("400", "BadRequest"), ("404", "NotFound")],
    )
}

pub fn index() -> Value {
    json!({
        "operationId": "getIndex",
        "tags": ["meta"],
        "summary": "Where to start",
        "description": "The routes of the API by name, and where this document is.",
        "responses": { "200": ok("The index.", "Index", false) },
    })
}

pub fn communes() -> Value {
    json!({
        "operationId": "searchCommunes",
        "tags": ["directory"],
        "summary": "French communes",
        "description": "Communes by name, postcode or INSEE code.",
        "parameters": [
            query("q", json!({ "type": "string" }), "A name, postcode or INSEE code."),
            query("departement", json!({ "type": "string" }), "Only in this département (`38`, `2A`, `971`)."),
            query("limit", json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 20 }), "How many at most."),
        ],
        "responses": {
            "200": ok("Communes, best match first.", "CommuneList", false),
            "422": response("Unprocessable"),
        },
    })
}

pub fn organisations() -> Value {
    json!({
        "operationId": "listOrganisations",
        "tags": ["directory"],
        "summary": "Organisations of the directory",
        "description": "The organisations listed in the public directory; with a token of the \
                        team, every organisation with its contact details (`private`).",
        "security": [{}, { "bearerAuth": [] }],
        "parameters": [
            param("q"),
            query("type", schema("OrganisationType"), "What the organisation is."),
            param("commune"),
            param("epci"),
            query("theme", schema("Theme"), "A theme."),
            query("page", json!({ "type": "integer", "minimum": 1 }), "The page (1 first)."),
        ],
        "responses": {
            "200": ok("A page of organisations.", "OrganisationList", false),
            "422": response("Unprocessable"),
        },
    })
}

fn me() -> Value {
    json!({
        "operationId": "getMe",
        "tags": ["account"],
        "summary": "The token's account",
        "description": "Who the bearer token belongs to.",
        "security": [{ "bearerAuth": [] }],
        "responses": {
            "200": ok("The account.", "Me", false),
            "401": response("Unauthorized"),
        },
    })
}

/// `GET /api/v1/projects/{slug}/report[.pdf|.xlsx]`: the bilan of a
/// project (staff token).
fn report(format: &str) -> Value {
    let (id, summary, content) = match format {
        "pdf" => (
            "getProjectReportPdf",
            "The bilan of a project as PDF",
            json!({ "application/pdf": { "schema": { "type": "string", "format": "binary" } } }),
        ),
        "xlsx" => (
            "getProjectReportXlsx",
            "The bilan of a project as an XLSX workbook",
            json!({ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                { "schema": { "type": "string", "format": "binary" } } }),
        ),
        _ => (
            "getProjectReport",
            "The bilan of a project",
            json!({ "application/json": { "schema": {
                "type": "object",
                "required": ["project", "figures", "coverage", "previous"],
                "properties": {
                    "project": { "type": "object" },
                    "generated_at": { "type": "string", "format": "date-time" },
                    "figures": {
                        "type": "object",
                        "description": "Activities and sessions (by format, audience, theme), partners by type, speakers by gender, bookings and attendance from check-in.",
                    },
                    "coverage": {
                        "type": "object",
                        "required": ["communes_reached", "population_reached", "communes_never_reached"],
                        "properties": {
                            "communes_reached": { "type": "integer", "description": "Communes of the département with at least one activity." },
                            "population_reached": { "type": "integer", "description": "People living in them." },
                            "communes_never_reached": {
                                "type": "array",
                                "description": "Communes of the département without any activity, most populated first.",
                                "items": { "type": "object", "properties": {
                                    "insee": { "type": "string" }, "name": { "type": "string" },
                                    "population": { "type": "integer" },
                                } },
                            },
                        },
                    },
                    "previous": {
                        "type": ["object", "null"],
                        "description": "The edition before (the latest project of the same kind that ended before this one started), its figures and coverage.",
                    },
                },
            } } }),
        ),
    };
    let mut params = vec![json!({
        "name": "slug", "in": "path", "required": true, "schema": { "type": "string" },
        "description": "The project's slug.",
    })];
    if format != "json" {
        params.push(json!({
            "name": "lang", "in": "query", "required": false,
            "schema": { "type": "string", "enum": ["fr", "en"] },
            "description": "Language of the texts (default: the request's).",
        }));
    }
    json!({
        "operationId": id,
        "tags": ["reports"],
        "summary": summary,
        "description": "Figures of the project compared with the previous edition, and its coverage of the territory. Needs a token of a staff member (admin, staff or intern).",
        "security": [{ "bearerAuth": [] }],
        "parameters": params,
        "responses": {
            "200": { "description": "The bilan.", "content": content },
            "401": response("Unauthorized"),
            "403": response("Forbidden"),
            "404": response("NotFound"),
        },
    })
}

/// `GET /api/v1/calls`: the open calls.
pub fn calls_list() -> Value {
    let call = object(
        "A call open now: for participation (proposals of activities) or for applications.",
        vec![
            ("id", id("The call's identifier.")),
            ("slug", string("Its address on the site.")),
            ("title", string("Its title.")),
            (
                "kind",
                json!({ "type": "string", "enum": ["participation", "application"],
                        "description": "What the call asks for." }),
            ),
            ("project", string("The name of the project it is for.")),
            (
                "opens_at",
                formatted("date-time", "When it opened (Europe/Paris offset)."),
            ),
            (
                "closes_at",
                formatted(
                    "date-time",
                    "When it closes; later submissions are refused.",
                ),
            ),
            ("url", formatted("uri", "Its public page.")),
        ],
    );
    json!({
        "operationId": "listCalls",
        "tags": ["forms"],
        "summary": "Open calls",
        "description": "The calls for participation and for applications open now, closing soonest first.",
        "security": [{}],
        "responses": {
            "200": {
                "description": "The open calls.",
                "content": { "application/json": { "schema":
                    object("The open calls.", vec![("items", array(call))]) } },
            },
        },
    })
}

fn questionnaire_id() -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "schema": { "type": "integer", "minimum": 1 },
        "description": "The questionnaire's identifier.",
    })
}

fn questionnaire_filters() -> Vec<Value> {
    let q = |name: &str, schema: Value, description: &str| {
        json!({ "name": name, "in": "query", "required": false, "schema": schema,
                "description": description })
    };
    vec![
        questionnaire_id(),
        q(
            "activity",
            json!({ "type": "integer", "minimum": 1 }),
            "Responses about this activity.",
        ),
        q(
            "session",
            json!({ "type": "integer", "minimum": 1 }),
            "Responses about this session.",
        ),
        q(
            "commune",
            json!({ "type": "string" }),
            "Responses from this commune (INSEE code).",
        ),
        q(
            "from",
            json!({ "type": "string", "format": "date" }),
            "From this day (included).",
        ),
        q(
            "to",
            json!({ "type": "string", "format": "date" }),
            "To this day (included).",
        ),
    ]
}

fn questionnaires_list() -> Value {
    let item = object(
        "A questionnaire.",
        vec![
            ("id", id("The questionnaire's identifier.")),
            ("title", string("Its title.")),
            (
                "responses",
                json!({ "type": "integer", "minimum": 0, "description": "Responses received." }),
            ),
        ],
    );
    json!({
        "operationId": "listQuestionnaires",
        "tags": ["forms"],
        "summary": "Questionnaires",
        "description": "Every questionnaire with its number of responses, newest first. Needs a token of the team.",
        "security": [{ "bearerAuth": [] }],
        "responses": {
            "200": {
                "description": "The questionnaires.",
                "content": { "application/json": { "schema":
                    object("The questionnaires.", vec![("items", array(item))]) } },
            },
            "401": response("Unauthorized"),
            "403": response("Forbidden"),
        },
    })
}

fn questionnaire_results() -> Value {
    let number = |d: &str| json!({ "type": ["number", "null"], "description": d });
    let option = object(
        "One option (or value of a scale).",
        vec![
            ("key", string("Its key.")),
            ("label", string("Its label.")),
            ("count", json!({ "type": "integer", "minimum": 0 })),
            (
                "percent",
                json!({ "type": "number", "description": "Of the responses that answered the question." }),
            ),
        ],
    );
    let question = object(
        "The results of one question, all versions of the form together (by key).",
        vec![
            ("key", string("The question's key.")),
            ("label", string("Its label.")),
            (
                "kind",
                string("Its kind (short_text, single_choice, scale, nps, yes_no…)."),
            ),
            (
                "current",
                json!({ "type": "boolean", "description": "Still in the current version." }),
            ),
            ("answered", json!({ "type": "integer", "minimum": 0 })),
            ("options", array(option)),
            ("mean", number("Mean of numbers, scales and NPS.")),
            ("median", number("Median of numbers, scales and NPS.")),
            (
                "nps",
                number("Net promoter score: % of promoters minus % of detractors."),
            ),
            ("texts", array(json!({ "type": "string" }))),
            ("texts_total", json!({ "type": "integer", "minimum": 0 })),
        ],
    );
    json!({
        "operationId": "getQuestionnaireResults",
        "tags": ["forms"],
        "summary": "Results of a questionnaire",
        "description": "Per question counts, percentages, means, medians, NPS and free texts of the responses matching the filters. Needs a token of the team.",
        "security": [{ "bearerAuth": [] }],
        "parameters": questionnaire_filters(),
        "responses": {
            "200": {
                "description": "The results.",
                "content": { "application/json": { "schema": object(
                    "The results of a questionnaire.",
                    vec![
                        ("id", id("The questionnaire.")),
                        ("title", string("Its title.")),
                        ("responses", json!({ "type": "integer", "minimum": 0 })),
                        ("questions", array(question)),
                    ],
                ) } },
            },
            "401": response("Unauthorized"),
            "403": response("Forbidden"),
            "404": response("NotFound"),
            "422": response("Unprocessable"),
        },
    })
}

fn questionnaire_responses(format: &str) -> Value {
    let (op, media) = if format == "csv" {
        ("getQuestionnaireResponsesCsv", "text/csv; charset=utf-8")
    } else {
        (
            "getQuestionnaireResponsesXlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    json!({
        "operationId": op,
        "tags": ["forms"],
        "summary": format!("Responses of a questionnaire ({})", format.to_uppercase()),
        "description": "One row per response matching the filters: its number, day, activity, session, commune, then one column per question. Sent as an attachment. Needs a token of the team.",
        "security": [{ "bearerAuth": [] }],
        "parameters": questionnaire_filters(),
        "responses": {
            "200": {
                "description": "The responses.",
                "content": { media: { "schema": { "type": "string", "format": "binary" } } },
            },
            "401": response("Unauthorized"),
            "403": response("Forbidden"),
            "404": response("NotFound"),
            "422": response("Unprocessable"),
        },
    })
}

/// The operations of the API routes that need a token (guarded routes).
fn guarded_operation(path: &str) -> Option<Value> {
    match path {
        "/api/v1/me" => Some(me()),
        "/api/v1/questionnaires" => Some(questionnaires_list()),
        "/api/v1/questionnaires/{id}/results" => Some(questionnaire_results()),
        "/api/v1/questionnaires/{id}/responses.csv" => Some(questionnaire_responses("csv")),
        "/api/v1/questionnaires/{id}/responses.xlsx" => Some(questionnaire_responses("xlsx")),
        "/api/v1/projects/{slug}/report" => Some(report("json")),
        "/api/v1/projects/{slug}/report.pdf" => Some(report("pdf")),
        "/api/v1/projects/{slug}/report.xlsx" => Some(report("xlsx")),
        _ => None,
    }
}

const DESCRIPTION: &str = "\
The public programme of Maillage (projects, activities, sessions, venues) and its directory \
(communes, organisations), read-only, in JSON.

* **Errors** are `application/problem+json` (RFC 9457). A refused query parameter gives `400` \
  (`422` on the directory routes) with one entry per parameter in `errors`.
* **Pages**: lists return `items` and `next`, an opaque cursor to pass back as `cursor` with the \
  same filters; `next` is null on the last page.
* **Caching**: programme answers carry `ETag` and `Last-Modified`; send `If-None-Match` or \
  `If-Modified-Since` to get `304 Not Modified` while the programme has not changed.
* **Times** are RFC 3339 with the offset of Europe/Paris; dates are Europe/Paris days.
* **Codes** (formats, audiences, levels, themes…) are stable; French or English labels are also \
  accepted in parameters.";

fn build() -> Value {
    let mut paths = Map::new();
    for r in PUBLIC_API {
        paths.insert(r.path.to_owned(), json!({ "get": (r.doc)() }));
    }
    paths.insert(
        "/api/v1/sessions/{id}/bookings".to_owned(),
        json!({ "post": booking_create() }),
    );
    for r in crate::authz::route_table() {
        if r.method == axum::http::Method::GET
            && r.path.starts_with("/api/")
            && let Some(op) = guarded_operation(r.path)
        {
            paths.insert(r.path.to_owned(), json!({ "get": op }));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Maillage API",
            "version": format!("v1 ({})", env!("CARGO_PKG_VERSION")),
            "description": DESCRIPTION,
            "license": { "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" },
        },
        "tags": [
            { "name": "programme", "description": "Projects, activities, sessions and venues." },
            { "name": "directory", "description": "Communes and organisations." },
            { "name": "bookings", "description": "Booking places on sessions." },
            { "name": "account", "description": "The token's account." },
            { "name": "reports", "description": "Bilans of projects and coverage (staff)." },
            { "name": "forms", "description": "Open calls; questionnaires and their results (staff)." },
            { "name": "meta", "description": "About the API." },
        ],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "parameters": parameters(),
            "responses": responses(),
            "headers": headers(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token made in the team space (`/team/tokens`).",
                },
            },
        },
    })
}

/// The document and its validator, made once.
fn served() -> &'static (Bytes, String) {
    static DOC: OnceLock<(Bytes, String)> = OnceLock::new();
    DOC.get_or_init(|| {
        let body = serde_json::to_vec(&build()).unwrap_or_default();
        let hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        (Bytes::from(body), format!("\"oas-{hash:x}\""))
    })
}

/// `GET /api/openapi.json`.
pub async fn serve(headers: HeaderMap) -> Response {
    let (body, etag) = served();
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag);
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = (StatusCode::OK, body.clone()).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// The documentation of one route of the JSON API that needs no account
/// (GET only); the route itself is declared by its feature.
pub(crate) struct ApiRoute {
    /// Its key in the links of the `/api/v1` index.
    pub name: &'static str,
    pub path: &'static str,
    /// Its operation in the OpenAPI document.
    pub doc: fn() -> serde_json::Value,
}

/// The public, read-only JSON API: the links of the `/api/v1` index and
/// the OpenAPI document are made from this list; a test checks that it
/// names every open API route of the router.
pub(crate) const PUBLIC_API: &[ApiRoute] = &[
    ApiRoute {
        name: "index",
        path: "/api/v1",
        doc: index,
    },
    ApiRoute {
        name: "communes",
        path: "/api/v1/communes",
        doc: communes,
    },
    ApiRoute {
        name: "organisations",
        path: "/api/v1/organisations",
        doc: organisations,
    },
    ApiRoute {
        name: "projects",
        path: "/api/v1/projects",
        doc: projects_list,
    },
    ApiRoute {
        name: "project",
        path: "/api/v1/projects/{slug}",
        doc: project,
    },
    ApiRoute {
        name: "activities",
        path: "/api/v1/activities",
        doc: activities_list,
    },
    ApiRoute {
        name: "activity",
        path: "/api/v1/activities/{id}",
        doc: activity,
    },
    ApiRoute {
        name: "session",
        path: "/api/v1/sessions/{id}",
        doc: session,
    },
    ApiRoute {
        name: "venues",
        path: "/api/v1/venues",
        doc: venues_list,
    },
    ApiRoute {
        name: "venue",
        path: "/api/v1/venues/{id}",
        doc: venue,
    },
    ApiRoute {
        name: "calls",
        path: "/api/v1/calls",
        doc: calls_list,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref"
                        && let Some(s) = x.as_str()
                    {
                        out.push(s.to_owned());
                    }
                    refs(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = build();
        let mut all = Vec::new();
        refs(&doc, &mut all);
        assert!(all.len() > 50);
        for r in all {
            let pointer = r.strip_prefix('#').expect("local reference");
            assert!(doc.pointer(pointer).is_some(), "dangling {r}");
        }
    }

    #[test]
    fn every_api_route_is_documented() {
        let doc = build();
        let paths = doc["paths"].as_object().unwrap();
        for r in super::PUBLIC_API {
            assert!(paths.contains_key(r.path), "{}", r.path);
        }
        for r in crate::authz::open_route_table() {
            if r.path.starts_with("/api/") && r.path != PATH {
                assert!(paths.contains_key(r.path), "{} is not documented", r.path);
            }
        }
        for r in crate::authz::route_table() {
            if r.path.starts_with("/api/") {
                assert_eq!(r.method, axum::http::Method::GET, "{}", r.path);
                assert!(paths.contains_key(r.path), "{} is not documented", r.path);
            }
        }
        assert_eq!(
            paths.len(),
            super::super::index::links().len() + 1,
            "the index links every documented route but itself"
        );
    }

    #[test]
    fn operation_ids_are_unique() {
        let doc = build();
        let mut ids: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|p| p.as_object().unwrap().values())
            .map(|op| op["operationId"].as_str().unwrap())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
