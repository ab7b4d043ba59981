//! What the features serving the JSON API share for its OpenAPI document:
//! the schemas of the domain's vocabularies and identifiers ([`vocab`]),
//! constant strings, and the problem answers (RFC 9457).

use crate::error::Problem;
use serde::Serialize;
use utoipa::ToResponse;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Type};

/// The accessibility flags of an activity, by their names in the API.
pub const ACCESSIBILITY: [&str; 4] = ["wheelchair", "hearing_loop", "visual", "cognitive"];

/// A string enumeration of `codes`.
fn codes(codes: impl IntoIterator<Item = &'static str>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
}

/// A string matching `pattern`.
fn pattern(pattern: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
}

/// A constant string (for `schema_with`).
pub fn constant(value: &'static str, description: &str) -> utoipa::openapi::schema::Object {
    codes([value]).description(Some(description)).build()
}

/// Types that only name a schema of their own (`#[schema(value_type = …)]`
/// on the view fields that hold the code as a string); the doc comment is
/// the schema's description.
macro_rules! named_strings {
    ($($(#[doc = $doc:literal])+ $name:ident: $schema:expr;)+) => {$(
        $(#[doc = $doc])+
        #[allow(dead_code)] // A type for the document only.
        pub struct $name;
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema.description(Some(concat!($($doc),+).trim())).into()
            }
        }
        impl utoipa::ToSchema for $name {}
    )+};
}

/// The strings of the API with a schema of their own: the closed
/// vocabularies of the domain, each the enumeration of its codes, and the
/// identifiers with a pattern.
pub mod vocab {
    use super::ACCESSIBILITY;
    use super::{codes, pattern};
    use maillage_domain::{booking, directory, programme};
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};

    named_strings! {
        /// What a project is.
        ProjectKind: codes(programme::ProjectKind::ALL.iter().map(|v| v.code()));
        /// The role of a partner organisation in a project.
        PartnerRole: codes(programme::PartnerRole::ALL.iter().map(|v| v.code()));
        /// The format of an activity.
        Format: codes(programme::Format::ALL.iter().map(|v| v.code()));
        /// Who an activity is for.
        Audience: codes(programme::Audience::ALL.iter().map(|v| v.code()));
        /// School levels of the classes an activity welcomes.
        SchoolLevel: codes(programme::SchoolLevel::ALL.iter().map(|v| v.code()));
        /// Science themes.
        Theme: codes(directory::Theme::ALL.iter().map(|v| v.code()));
        /// The status of an activity the public sees (a cancelled one stays
        /// listed, marked).
        ActivityStatus: codes(
            programme::ActivityStatus::ALL.iter().filter(|s| s.is_public()).map(|v| v.code()),
        );
        /// How to register: not needed (`none`), seats booked on Maillage
        /// (`booking`), classes and groups booked on Maillage (`groups`), or
        /// elsewhere (`external`, see `registration_url`).
        RegistrationMode: codes(programme::RegistrationMode::ALL.iter().map(|v| v.code()));
        /// The level of a class, from nursery school (`ps`) to higher
        /// education (`sup`).
        ClassLevel: codes(booking::ClassLevel::ALL.iter().map(|v| v.code()));
        /// The status of a session.
        SessionStatus: codes(programme::SessionStatus::ALL.iter().map(|v| v.code()));
        /// Kinds of spaces inside a venue.
        SpaceKind: codes(directory::SpaceKind::ALL.iter().map(|v| v.code()));
        /// What an organisation is.
        OrganisationType: codes(directory::OrgKind::ALL.iter().map(|v| v.code()));
        /// Accessibility of an activity or venue: wheelchair access, hearing
        /// loop, for visually impaired people, for people with cognitive
        /// disabilities.
        Accessibility: codes(ACCESSIBILITY);
        /// The role of an account.
        Role: codes(maillage_domain::Role::ALL.map(|r| r.as_str()));
        /// A language of the interface.
        Locale: codes(maillage_domain::Locale::ALL.map(|l| l.as_str()));
        /// A French postcode.
        Postcode: pattern("^[0-9]{5}$");
        /// An INSEE code of a commune.
        Insee: pattern("^[0-9][0-9AB][0-9]{3}$");
        /// A SIREN number (of an EPCI).
        Siren: pattern("^[0-9]{9}$");
        /// A file, as sent.
        File: ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)));
        /// An opaque page cursor: pass the `next` of a page back as
        /// `cursor`, with the same filters.
        Cursor: pattern("^[A-Za-z0-9_-]+$");
    }
}

/// The answers of problems shared by the operations (`response = …`).
macro_rules! problems {
    ($($(#[doc = $doc:literal])+ $name:ident;)+) => {$(
        $(#[doc = $doc])+
        #[derive(ToResponse)]
        #[response(content_type = "application/problem+json")]
        #[allow(dead_code)] // A type for the document only.
        pub struct $name(Problem);
    )+};
}

problems! {
    /// A parameter was refused: `errors` names each one with the reason.
    BadRequest;
    /// A parameter was refused: `errors` names each one with the reason.
    Unprocessable;
    /// No such resource (or not public).
    NotFound;
    /// No valid token (`Authorization: Bearer …`).
    Unauthorized;
    /// The token's account may not do this (its role).
    Forbidden;
}

/// An EPCI (intercommunality).
#[derive(Serialize, ToSchema)]
#[schema(as = Epci)]
pub struct EpciRef {
    #[schema(value_type = vocab::Siren)]
    siren: &'static str,
    /// Name.
    name: &'static str,
}

impl EpciRef {
    /// The EPCI of a commune, if it has one.
    pub fn of_commune(c: &maillage_geo::Commune) -> Option<EpciRef> {
        c.epci.and_then(maillage_geo::epci).map(|e| EpciRef {
            siren: e.siren,
            name: e.name,
        })
    }
}

/// A commune.
#[derive(Serialize, ToSchema)]
pub struct CommuneRef {
    #[schema(value_type = vocab::Insee)]
    insee: String,
    /// Name (null for a code no longer in use).
    name: Option<&'static str>,
}

impl CommuneRef {
    pub fn of(insee: &str) -> CommuneRef {
        CommuneRef {
            insee: insee.to_owned(),
            name: maillage_geo::commune(insee).map(|c| c.name),
        }
    }
}
