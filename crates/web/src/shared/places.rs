//! Communes and intercommunalities (EPCI) as pages show and filter them.

use crate::forms::Choice;
use crate::i18n::Messages;

pub fn commune_label(insee: Option<&str>) -> String {
    insee
        .map(maillage_directory::commune::label_of)
        .unwrap_or_default()
}

/// "Cosmocité — Le Pont-de-Claix": a venue and its commune.
pub fn venue_label(v: &maillage_db::venues::VenueData) -> String {
    let commune = commune_label(v.commune_insee.as_deref());
    if commune.is_empty() {
        v.name.clone()
    } else {
        format!("{} — {commune}", v.name)
    }
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
