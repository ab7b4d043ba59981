//! Turning what people type ("Pont-de-Claix", "38800", "38317",
//! "St Egrève") into one commune of the official list.

use crate::Commune;
use maillage_domain::FieldError;
use maillage_domain::text::fold;

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
    // "Fontaine (38600)", "Fontaine 38600": a name and its postcode in one.
    if postcode.is_none()
        && let Some((name, code)) = name_and_postcode(input)
    {
        return resolve(name, Some(code));
    }
    let postcode = postcode.map(str::trim).filter(|p| !p.is_empty());
    if input.is_empty() {
        return match postcode {
            Some(p) => only(crate::by_postcode(p)),
            None => Err(FieldError::Required),
        };
    }
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() == 5 && compact.is_ascii() {
        // Five digits are read as a postcode first (people type postcodes;
        // 38100 is Grenoble's postcode and another commune's INSEE code),
        // then as an INSEE code (2A004 in Corsica).
        if compact.bytes().all(|b| b.is_ascii_digit()) {
            let by_postcode = crate::by_postcode(&compact);
            if !by_postcode.is_empty() {
                return only(by_postcode);
            }
        }
        if let Some(c) = crate::commune(&compact.to_ascii_uppercase()) {
            return Ok(c);
        }
    }
    let wanted = expand_saint(without_article(&fold(input)));
    if wanted.is_empty() {
        return Err(FieldError::UnknownCommune);
    }
    let candidates: Vec<&'static Commune> = crate::search(input, 200)
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

/// A name followed by a five-digit postcode, in brackets or not.
fn name_and_postcode(input: &str) -> Option<(&str, &str)> {
    let rest = input.trim_end_matches(')').trim_end();
    let code = rest.get(rest.len().checked_sub(5)?..)?;
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let name = rest[..rest.len() - 5]
        .trim_end()
        .trim_end_matches('(')
        .trim_end();
    (!name.is_empty() && name.chars().any(char::is_alphabetic)).then_some((name, code))
}
