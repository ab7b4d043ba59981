//! Lists of the directory as tables (for CSV and XLSX downloads and the
//! `maillage export` command): one row per record, columns named as the
//! import accepts them, so an export can be edited and imported elsewhere.

use maillage_db::organisations::Organisation;
use maillage_db::people::Person;
use maillage_db::venues::Venue;
use maillage_domain::Locale;

pub type Table = (Vec<&'static str>, Vec<Vec<String>>);

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn yes_no(locale: Locale, v: bool) -> String {
    match (locale, v) {
        (Locale::Fr, true) => "oui",
        (Locale::Fr, false) => "non",
        (Locale::En, true) => "yes",
        (Locale::En, false) => "no",
    }
    .to_owned()
}

fn commune_name(insee: &Option<String>) -> String {
    insee
        .as_deref()
        .and_then(maillage_geo::commune)
        .map(|c| c.name.to_owned())
        .unwrap_or_default()
}

fn epci_name(insee: &Option<String>) -> String {
    insee
        .as_deref()
        .and_then(maillage_geo::commune)
        .and_then(|c| c.epci)
        .and_then(maillage_geo::epci)
        .map(|e| e.name.to_owned())
        .unwrap_or_default()
}

pub fn organisations(list: &[Organisation], locale: Locale) -> Table {
    let headers = vec![
        "id",
        "nom",
        "type",
        "siret",
        "uai",
        "adresse",
        "code_postal",
        "commune",
        "code_insee",
        "epci",
        "site_web",
        "email",
        "telephone",
        "themes",
        "public",
        "description",
    ];
    let rows = list
        .iter()
        .map(|o| {
            let d = &o.data;
            vec![
                o.id.to_string(),
                d.name.clone(),
                o.kind.label(locale).to_owned(),
                s(&d.siret),
                s(&d.uai),
                s(&d.address),
                s(&d.postcode),
                commune_name(&d.commune_insee),
                s(&d.commune_insee),
                epci_name(&d.commune_insee),
                s(&d.website),
                s(&d.email),
                s(&d.phone),
                d.themes
                    .iter()
                    .map(|t| t.label(locale))
                    .collect::<Vec<_>>()
                    .join("; "),
                yes_no(locale, d.public_listing),
                s(&d.description),
            ]
        })
        .collect();
    (headers, rows)
}

pub fn people(list: &[Person], locale: Locale) -> Table {
    let headers = vec![
        "id",
        "prenom",
        "nom",
        "email",
        "telephone",
        "genre",
        "roles",
        "organisation",
        "fonction",
        "notes",
    ];
    let rows = list
        .iter()
        .map(|p| {
            let first = p.memberships.first();
            vec![
                p.id.to_string(),
                s(&p.data.first_name),
                p.data.last_name.clone(),
                s(&p.data.email),
                s(&p.data.phone),
                p.data.gender.map_or("", |g| g.label(locale)).to_owned(),
                p.data
                    .roles
                    .iter()
                    .map(|r| r.label(locale))
                    .collect::<Vec<_>>()
                    .join("; "),
                first
                    .map(|m| m.organisation_name.clone())
                    .unwrap_or_default(),
                first.and_then(|m| m.function.clone()).unwrap_or_default(),
                s(&p.data.notes),
            ]
        })
        .collect();
    (headers, rows)
}

pub fn venues(list: &[Venue], locale: Locale) -> Table {
    let headers = vec![
        "id",
        "nom",
        "adresse",
        "code_postal",
        "commune",
        "code_insee",
        "latitude",
        "longitude",
        "transports",
        "stationnement",
        "fauteuil",
        "boucle_magnetique",
        "visuel",
        "cognitif",
        "espaces",
    ];
    let rows = list
        .iter()
        .map(|v| {
            let d = &v.data;
            vec![
                v.id.to_string(),
                d.name.clone(),
                s(&d.address),
                s(&d.postcode),
                commune_name(&d.commune_insee),
                s(&d.commune_insee),
                d.lat.map(|x| x.to_string()).unwrap_or_default(),
                d.lon.map(|x| x.to_string()).unwrap_or_default(),
                s(&d.public_transport),
                s(&d.parking),
                yes_no(locale, d.access.wheelchair),
                yes_no(locale, d.access.hearing_loop),
                yes_no(locale, d.access.visual),
                yes_no(locale, d.access.cognitive),
                v.spaces
                    .iter()
                    .map(|sp| match sp.data.capacity {
                        Some(c) => format!("{} ({c})", sp.data.name),
                        None => sp.data.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    (headers, rows)
}
