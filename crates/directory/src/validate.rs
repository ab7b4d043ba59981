//! What people type about organisations, people, venues and spaces, checked
//! field by field and turned into the data the storage keeps. Used by the
//! web forms and by the imports, so both accept and refuse the same things.

use crate::commune;
use maillage_db::organisations::OrganisationData;
use maillage_db::people::PersonData;
use maillage_db::venues::{Access, SpaceData, VenueData};
use maillage_domain::directory::{
    Gender, OrgKind, PersonRole, Siret, SpaceKind, Theme, Uai, phone, postcode, website,
};
use maillage_domain::field::single_line;
use maillage_domain::{Email, FieldError, FieldErrors};

/// `None` for a blank value, else the result of `parse`.
fn optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Option<T> {
    if value.trim().is_empty() {
        None
    } else {
        errors.check(field, parse(value))
    }
}

/// Text on several lines (descriptions, notes): tabs and line breaks
/// allowed, other control characters refused, at most `max` characters.
pub fn multiline(input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.trim().replace("\r\n", "\n");
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::ControlCharacters);
    }
    if s.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(s)
}

/// Splits a list typed in one cell or field: `;`, `|` or line breaks (not
/// commas: some labels contain commas).
pub fn split_list(input: &str) -> Vec<&str> {
    input
        .split([';', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Input of an organisation, as typed.
#[derive(Debug, Clone, Default)]
pub struct OrganisationInput<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub siret: &'a str,
    pub uai: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub commune: &'a str,
    pub website: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub description: &'a str,
    pub themes: Vec<&'a str>,
    pub public_listing: bool,
}

pub fn organisation(i: &OrganisationInput) -> Result<OrganisationData, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = e.check("name", single_line(i.name, 1, 200));
    let kind = if i.kind.trim().is_empty() {
        Some(OrgKind::Other)
    } else {
        e.check("kind", OrgKind::parse(i.kind))
    };
    let siret = optional(&mut e, "siret", i.siret, |s| {
        Siret::parse(s).map(|s| s.as_str().to_owned())
    });
    let uai = optional(&mut e, "uai", i.uai, |s| {
        Uai::parse(s).map(|u| u.as_str().to_owned())
    });
    let address = optional(&mut e, "address", i.address, |s| single_line(s, 1, 300));
    let postcode_value = optional(&mut e, "postcode", i.postcode, postcode);
    let commune = if i.commune.trim().is_empty() && i.postcode.trim().is_empty() {
        None
    } else {
        e.check(
            "commune",
            commune::resolve(i.commune, postcode_value.as_deref()),
        )
    };
    let website = optional(&mut e, "website", i.website, website);
    let email = optional(&mut e, "email", i.email, |s| {
        Email::parse(s).map(Email::into_inner)
    });
    let phone = optional(&mut e, "phone", i.phone, phone);
    let description = optional(&mut e, "description", i.description, |s| multiline(s, 5000));
    let mut themes = Vec::new();
    for t in &i.themes {
        if let Some(t) = e.check("themes", Theme::parse(t)) {
            themes.push(t);
        }
    }
    e.into_result()?;
    Ok(OrganisationData {
        name: name.unwrap_or_default(),
        kind,
        siret,
        uai,
        address,
        postcode: postcode_value
            .or_else(|| commune.and_then(|c| c.postcodes.first().map(|p| (*p).to_owned()))),
        commune_insee: commune.map(|c| c.insee.to_owned()),
        website,
        email,
        phone,
        description,
        public_listing: i.public_listing,
        themes,
    })
}

#[derive(Debug, Clone, Default)]
pub struct PersonInput<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub gender: &'a str,
    pub notes: &'a str,
    pub roles: Vec<&'a str>,
}

pub fn person(i: &PersonInput) -> Result<PersonData, FieldErrors> {
    let mut e = FieldErrors::new();
    let first_name = optional(&mut e, "first_name", i.first_name, |s| {
        single_line(s, 1, 100)
    });
    let last_name = e.check("last_name", single_line(i.last_name, 1, 100));
    let email = optional(&mut e, "email", i.email, |s| {
        Email::parse(s).map(Email::into_inner)
    });
    let phone = optional(&mut e, "phone", i.phone, phone);
    let gender = optional(&mut e, "gender", i.gender, Gender::parse);
    let notes = optional(&mut e, "notes", i.notes, |s| multiline(s, 5000));
    let mut roles = Vec::new();
    for r in &i.roles {
        if let Some(r) = e.check("roles", PersonRole::parse(r)) {
            roles.push(r);
        }
    }
    e.into_result()?;
    Ok(PersonData {
        first_name,
        last_name: last_name.unwrap_or_default(),
        email,
        phone,
        gender,
        notes,
        roles,
    })
}

#[derive(Debug, Clone, Default)]
pub struct VenueInput<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
    pub commune: &'a str,
    pub lat: &'a str,
    pub lon: &'a str,
    pub public_transport: &'a str,
    pub parking: &'a str,
    pub access: Access,
    pub accessibility_notes: &'a str,
    pub description: &'a str,
}

/// A decimal number with a comma or a dot, within bounds.
pub fn decimal(input: &str, min: f64, max: f64) -> Result<f64, FieldError> {
    let v: f64 = input
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| FieldError::InvalidNumber)?;
    if !v.is_finite() || v < min || v > max {
        #[allow(clippy::cast_possible_truncation)]
        return Err(FieldError::OutOfRange {
            min: min as i64,
            max: max as i64,
        });
    }
    Ok(v)
}

pub fn venue(i: &VenueInput, organisation_id: Option<i64>) -> Result<VenueData, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = e.check("name", single_line(i.name, 1, 200));
    let address = optional(&mut e, "address", i.address, |s| single_line(s, 1, 300));
    let postcode_value = optional(&mut e, "postcode", i.postcode, postcode);
    let commune = if i.commune.trim().is_empty() && i.postcode.trim().is_empty() {
        None
    } else {
        e.check(
            "commune",
            commune::resolve(i.commune, postcode_value.as_deref()),
        )
    };
    let lat = optional(&mut e, "lat", i.lat, |s| decimal(s, -90.0, 90.0));
    let lon = optional(&mut e, "lon", i.lon, |s| decimal(s, -180.0, 180.0));
    match (i.lat.trim().is_empty(), i.lon.trim().is_empty()) {
        (false, true) => e.add("lon", FieldError::Required),
        (true, false) => e.add("lat", FieldError::Required),
        _ => {}
    }
    let public_transport = optional(&mut e, "public_transport", i.public_transport, |s| {
        multiline(s, 1000)
    });
    let parking = optional(&mut e, "parking", i.parking, |s| multiline(s, 1000));
    let accessibility_notes = optional(&mut e, "accessibility_notes", i.accessibility_notes, |s| {
        multiline(s, 2000)
    });
    let description = optional(&mut e, "description", i.description, |s| multiline(s, 5000));
    e.into_result()?;
    // Without coordinates of its own, a venue is placed at its commune.
    let (lat, lon) = match (lat, lon) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (commune.and_then(|c| c.lat), commune.and_then(|c| c.lon)),
    };
    Ok(VenueData {
        name: name.unwrap_or_default(),
        organisation_id,
        address,
        postcode: postcode_value
            .or_else(|| commune.and_then(|c| c.postcodes.first().map(|p| (*p).to_owned()))),
        commune_insee: commune.map(|c| c.insee.to_owned()),
        lat,
        lon,
        public_transport,
        parking,
        access: i.access,
        accessibility_notes,
        description,
    })
}

#[derive(Debug, Clone, Default)]
pub struct SpaceInput<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub capacity: &'a str,
    pub notes: &'a str,
}

pub fn space(i: &SpaceInput) -> Result<SpaceData, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = e.check("name", single_line(i.name, 1, 120));
    let kind = e.check("kind", SpaceKind::parse(i.kind));
    let capacity = optional(&mut e, "capacity", i.capacity, |s| {
        let n: i64 = s.trim().parse().map_err(|_| FieldError::InvalidNumber)?;
        if (0..=100_000).contains(&n) {
            i32::try_from(n).map_err(|_| FieldError::InvalidNumber)
        } else {
            Err(FieldError::OutOfRange {
                min: 0,
                max: 100_000,
            })
        }
    });
    let notes = optional(&mut e, "notes", i.notes, |s| multiline(s, 2000));
    e.into_result()?;
    Ok(SpaceData {
        name: name.unwrap_or_default(),
        kind: kind.unwrap_or(SpaceKind::Other),
        capacity,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_fields() {
        let ok = organisation(&OrganisationInput {
            name: "  La Casemate ",
            kind: "musée, centre de sciences",
            siret: "",
            address: "2 place Saint-Laurent",
            commune: "Grenoble",
            website: "www.lacasemate.fr",
            themes: vec!["making", "Numérique, informatique"],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.name, "La Casemate");
        assert_eq!(ok.kind, Some(OrgKind::Museum));
        assert_eq!(ok.commune_insee.as_deref(), Some("38185"));
        assert_eq!(ok.postcode.as_deref(), Some("38000"));
        assert_eq!(ok.website.as_deref(), Some("https://www.lacasemate.fr"));
        assert_eq!(ok.themes, vec![Theme::Making, Theme::Digital]);

        let bad = organisation(&OrganisationInput {
            name: "",
            kind: "banque",
            siret: "123",
            commune: "Atlantis",
            email: "nope",
            themes: vec!["cuisine"],
            ..Default::default()
        })
        .unwrap_err();
        for f in ["name", "kind", "siret", "commune", "email", "themes"] {
            assert!(bad.get(f).is_some(), "{f}: {bad:?}");
        }
    }

    #[test]
    fn people_venues_spaces() {
        let p = person(&PersonInput {
            first_name: "Ada",
            last_name: "Lovelace",
            gender: "Femme",
            roles: vec!["chercheur·se", "speaker"],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.roles, vec![PersonRole::Researcher, PersonRole::Speaker]);
        assert!(
            person(&PersonInput::default())
                .unwrap_err()
                .get("last_name")
                .is_some()
        );

        let v = venue(
            &VenueInput {
                name: "Cosmocité",
                commune: "38800",
                ..Default::default()
            },
            None,
        );
        assert_eq!(
            v.unwrap_err().get("commune"),
            Some(&FieldError::AmbiguousCommune)
        );
        let v = venue(
            &VenueInput {
                name: "Cosmocité",
                commune: "Le Pont-de-Claix",
                postcode: "38800",
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(v.commune_insee.as_deref(), Some("38317"));
        assert!(v.lat.is_some(), "placed at its commune");
        let v = venue(
            &VenueInput {
                name: "X",
                lat: "45,19",
                lon: "5.72",
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((v.lat, v.lon), (Some(45.19), Some(5.72)));
        assert!(
            venue(
                &VenueInput {
                    name: "X",
                    lat: "95",
                    lon: "5",
                    ..Default::default()
                },
                None
            )
            .is_err()
        );

        let s = space(&SpaceInput {
            name: "Planétarium",
            kind: "planetarium",
            capacity: "80",
            notes: "",
        })
        .unwrap();
        assert_eq!(s.capacity, Some(80));
        let e = space(&SpaceInput {
            name: "",
            kind: "piscine",
            capacity: "-3",
            notes: "",
        })
        .unwrap_err();
        assert!(e.get("name").is_some() && e.get("kind").is_some() && e.get("capacity").is_some());
        assert_eq!(multiline("a\u{7}b", 10), Err(FieldError::ControlCharacters));
        assert_eq!(
            split_list("astronomy; physics | Environnement, climat, biodiversité"),
            vec![
                "astronomy",
                "physics",
                "Environnement, climat, biodiversité"
            ]
        );
    }
}
