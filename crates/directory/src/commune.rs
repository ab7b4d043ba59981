//! Turning what people type ("Pont-de-Claix", "38800", "38317",
//! "St Egrève") into one commune of the official list.

use maillage_geo::Commune;

pub use maillage_geo::resolve;

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
    use maillage_domain::FieldError;

    fn insee(input: &str, pc: Option<&str>) -> Result<&'static str, FieldError> {
        resolve(input, pc).map(|c| c.insee)
    }

    #[test]
    fn a_name_with_its_postcode_in_one_field() {
        assert_eq!(insee("Fontaine", None), Err(FieldError::AmbiguousCommune));
        assert_eq!(insee("Fontaine (38600)", None), Ok("38169"));
        assert_eq!(insee("Fontaine 38600", None), Ok("38169"));
        assert_eq!(insee("38600", None), Ok("38169"));
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
