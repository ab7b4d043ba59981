//! Header comparison: "Code postal", "code_postal", "CODE-POSTAL" and
//! "codepostal" all fold to the same key.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case, accents removed, ligatures spelt out, and everything that is
/// not a letter or a digit (spaces, `_`, `-`, `.`, `'`, `°`…) dropped.
pub(crate) fn header_key(header: &str) -> String {
    let mut key = String::with_capacity(header.len());
    for c in header.nfkd() {
        match c {
            'œ' | 'Œ' => key.push_str("oe"),
            'æ' | 'Æ' => key.push_str("ae"),
            'ß' => key.push_str("ss"),
            c if is_combining_mark(c) => {}
            c if c.is_alphanumeric() => key.extend(c.to_lowercase()),
            _ => {}
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::header_key;

    #[test]
    fn folds_headers() {
        assert_eq!(header_key("Code postal"), "codepostal");
        assert_eq!(header_key(" CODE-POSTAL "), "codepostal");
        assert_eq!(header_key("code_postal"), "codepostal");
        assert_eq!(header_key("Dénomination"), "denomination");
        assert_eq!(header_key("Nœud"), "noeud");
        assert_eq!(header_key("Tél."), "tel");
        assert_eq!(header_key("N° SIRET"), "nsiret");
        assert_eq!(header_key(""), "");
    }
}
