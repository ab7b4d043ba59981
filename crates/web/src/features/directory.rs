//! What the directory's pages share: labels of communes and EPCIs, choice
//! lists of the vocabularies, the commune and EPCI filters, exports.

use crate::forms::Choice;
use crate::i18n::Messages;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maillage_domain::Locale;
use maillage_domain::directory::{Gender, OrgKind, PersonRole, SpaceKind, Theme};

pub fn commune_label(insee: Option<&str>) -> String {
    insee
        .map(maillage_directory::commune::label_of)
        .unwrap_or_default()
}

/// "Grenoble-Alpes-Métropole" for a commune's INSEE code.
pub fn epci_label(insee: Option<&str>) -> String {
    insee
        .and_then(maillage_geo::commune)
        .and_then(|c| c.epci)
        .and_then(maillage_geo::epci)
        .map(|e| e.name.to_owned())
        .unwrap_or_default()
}

pub fn kind_choices(locale: Locale, selected: Option<OrgKind>) -> Vec<Choice> {
    OrgKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(locale), Some(*k) == selected))
        .collect()
}

pub fn theme_choices(locale: Locale, selected: &[Theme]) -> Vec<Choice> {
    Theme::ALL
        .iter()
        .map(|t| Choice::new(t.code(), t.label(locale), selected.contains(t)))
        .collect()
}

pub fn role_choices(locale: Locale, selected: &[PersonRole]) -> Vec<Choice> {
    PersonRole::ALL
        .iter()
        .map(|r| Choice::new(r.code(), r.label(locale), selected.contains(r)))
        .collect()
}

pub fn gender_choices(locale: Locale, selected: Option<Gender>) -> Vec<Choice> {
    Gender::ALL
        .iter()
        .map(|g| Choice::new(g.code(), g.label(locale), Some(*g) == selected))
        .collect()
}

pub fn space_kind_choices(locale: Locale, selected: Option<SpaceKind>) -> Vec<Choice> {
    SpaceKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(locale), Some(*k) == selected))
        .collect()
}

/// The EPCIs of Isère first (the territory of the reference user), then
/// the others present in `insees`, for the EPCI filter.
pub fn epci_choices(insees: &[String], selected: &str) -> Vec<Choice> {
    let mut sirens: Vec<&'static str> = maillage_geo::communes_of_departement("38")
        .into_iter()
        .filter_map(|c| c.epci)
        .collect();
    sirens.extend(
        insees
            .iter()
            .filter_map(|i| maillage_geo::commune(i))
            .filter_map(|c| c.epci),
    );
    sirens.sort_unstable();
    sirens.dedup();
    let mut out: Vec<Choice> = sirens
        .into_iter()
        .filter_map(maillage_geo::epci)
        .map(|e| Choice::new(e.siren, e.name, e.siren == selected))
        .collect();
    out.sort_by(|a, b| {
        maillage_domain::text::fold(&a.label).cmp(&maillage_domain::text::fold(&b.label))
    });
    out
}

/// The communes a commune or EPCI filter stands for. `Err` carries the
/// message to show beside the commune filter.
pub fn commune_filter(
    m: &Messages,
    commune: &str,
    epci: &str,
) -> Result<Option<Vec<String>>, String> {
    let mut set: Option<Vec<String>> = None;
    if !commune.trim().is_empty() {
        match maillage_directory::resolve_commune(commune, None) {
            Ok(c) => set = Some(vec![c.insee.to_owned()]),
            Err(e) => return Err(crate::i18n::field_error(m, &e)),
        }
    }
    if !epci.trim().is_empty() {
        let of_epci: Vec<String> = maillage_geo::communes_of_epci(epci.trim())
            .into_iter()
            .map(|c| c.insee.to_owned())
            .collect();
        set = Some(match set {
            Some(one) => one.into_iter().filter(|i| of_epci.contains(i)).collect(),
            None => of_epci,
        });
    }
    Ok(set)
}

/// A file download.
pub fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A list as a CSV or XLSX download (`format` is "csv" or "xlsx").
pub fn export_table(
    format: &str,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Response, crate::error::AppError> {
    let date = chrono::Utc::now().format("%Y-%m-%d");
    match format {
        "csv" => Ok(download(
            maillage_tabular::write_csv(headers, rows),
            "text/csv; charset=utf-8",
            &format!("{name}-{date}.csv"),
        )),
        "xlsx" => {
            let bytes = maillage_tabular::write_xlsx(name, headers, rows)
                .map_err(crate::error::AppError::internal)?;
            Ok(download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{name}-{date}.xlsx"),
            ))
        }
        _ => Err(crate::error::AppError::NotFound),
    }
}
