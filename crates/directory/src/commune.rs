//! Turning what people type ("Pont-de-Claix", "38800", "38317",
//! "St Egrève") into one commune of the official list.

use maillage_domain::FieldError;
use maillage_domain::text::fold;
use maillage_geo::Commune;

/// Articles a commune name may start with ("Le Pont-de-Claix").
fn without_article(folded: &str) -> &str {
    for a in ["le ", "la ", "les ", "l "] {
        if let Some(rest) = folded.strip_prefix(a) {
            return rest;
        }
    }
    folded
}

fn expand_saint(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            "sts" => "saints",
            "stes" => "saintes",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves a commune from its INSEE code, a postcode or a name (with an
/// optional postcode to tell homonyms apart). Errors: `Required` (empty),
/// `UnknownCommune`, `AmbiguousCommune`.
pub fn resolve(input: &str, postcode: Option<&str>) -> Result<&'static Commune, FieldError> {
    let input = input.trim();
    let postcode = postcode.map(str::trim).filter(|p| !p.is_empty());
    if input.is_empty() {
        return match postcode {
            Some(p) => only(maillage_geo::by_postcode(p)),
            None => Err(FieldError::Required),
        };
    }
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == 5 && compact.is_ascii() {
        // Five digits are read as a postcode first (people type postcodes;
        // 38100 is Grenoble's postcode and another commune's INSEE code),
        // then as an INSEE code (2A004 in Corsica).
        if compact.bytes().all(|b| b.is_ascii_digit()) {
            let by_postcode = maillage_geo::by_postcode(&compact);
            if !by_postcode.is_empty() {
                return only(by_postcode);
            }
        }
        if let Some(c) = maillage_geo::commune(&compact.to_ascii_uppercase()) {
            return Ok(c);
        }
    }
    let wanted = expand_saint(without_article(&fold(input)));
    if wanted.is_empty() {
        return Err(FieldError::UnknownCommune);
    }
    let candidates: Vec<&'static Commune> = maillage_geo::search(input, 200)
        .into_iter()
        .filter(|c| expand_saint(without_article(&fold(c.name))) == wanted)
        .collect();
    let candidates = match postcode {
        Some(p) if candidates.len() > 1 => candidates
            .into_iter()
            .filter(|c| c.postcodes.contains(&p) || c.departement == p.get(..2).unwrap_or(""))
            .collect(),
        Some(p) if candidates.len() == 1 && !candidates[0].postcodes.contains(&p) => {
            // A name and a postcode that disagree: trust neither.
            if candidates[0].departement == p.get(..2).unwrap_or("") {
                candidates
            } else {
                return Err(FieldError::UnknownCommune);
            }
        }
        _ => candidates,
    };
    only(candidates)
}

fn only(mut list: Vec<&'static Commune>) -> Result<&'static Commune, FieldError> {
    match list.len() {
        0 => Err(FieldError::UnknownCommune),
        1 => Ok(list.remove(0)),
        _ => Err(FieldError::AmbiguousCommune),
    }
}

/// How a commune is shown: "Le Pont-de-Claix (38800)".
pub fn label(c: &Commune) -> String {
    match c.postcodes.first() {
        Some(p) => format!("{} ({p})", c.name),
        None => c.name.to_owned(),
    }
}

/// The label of an INSEE code, or the code itself when unknown.
pub fn label_of(insee: &str) -> String {
    maillage_geo::commune(insee).map_or_else(|| insee.to_owned(), label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insee(input: &str, pc: Option<&str>) -> Result<&'static str, FieldError> {
        resolve(input, pc).map(|c| c.insee)
    }

    #[test]
    fn names_codes_and_postcodes() {
        assert_eq!(insee("Le Pont-de-Claix", None), Ok("38317"));
        assert_eq!(insee("pont de claix", None), Ok("38317"));
        assert_eq!(insee("St Égrève", None), Ok("38382"));
        assert_eq!(
            insee("38317", None),
            Ok("38317"),
            "an INSEE code that is no postcode"
        );
        assert_eq!(
            insee("38100", None),
            Ok("38185"),
            "a postcode before an INSEE code"
        );
        assert_eq!(insee("38 000", None), Ok("38185"));
        assert_eq!(insee("Grenoble", Some("38000")), Ok("38185"));
        assert_eq!(insee("", Some("38000")), Ok("38185"));
        assert_eq!(insee("", None), Err(FieldError::Required));
        assert_eq!(
            insee("Nowhere-sur-Mer", None),
            Err(FieldError::UnknownCommune)
        );
        assert_eq!(
            insee("38800", None),
            Err(FieldError::AmbiguousCommune),
            "two communes share 38800"
        );
        // Homonyms: a postcode or the département tells them apart.
        assert_eq!(insee("Saint-Paul", None), Err(FieldError::AmbiguousCommune));
        assert!(insee("Vienne", Some("38200")).is_ok());
        assert_eq!(insee("2A004", None), Ok("2A004"), "Corsican INSEE codes");
    }
}
