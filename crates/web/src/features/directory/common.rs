//! What the directory's pages share: labels of communes and EPCIs, choice
//! lists of the vocabularies, the commune and EPCI filters, exports.

use crate::forms::Choice;
use maillage_domain::Locale;
use maillage_domain::directory::{Gender, OrgKind, PersonRole, SpaceKind, Theme};

/// The name of the commune `insee`, as typed in forms ("" for none).
pub fn commune_name(insee: Option<&str>) -> String {
    insee
        .and_then(maillage_geo::commune)
        .map(|c| c.name.to_owned())
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
