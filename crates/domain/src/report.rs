//! What the team writes in a bilan: for each of its sections (the key
//! figures, formats, coverage, each questionnaire…), a commentary and a few
//! highlights, kept with the edition and printed in every form of the bilan.

use crate::field::{self, FieldError, FieldErrors};

/// Longest commentary of a section, in characters.
pub const COMMENTARY_MAX: usize = 4000;
/// Most highlights of a section, and longest one, in characters.
pub const HIGHLIGHTS_MAX: usize = 8;
pub const HIGHLIGHT_MAX: usize = 200;
/// Longest section key.
const KEY_MAX: usize = 40;

/// A section's commentary and highlights, as checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SectionNote {
    /// Paragraphs separated by line breaks; empty when none.
    pub commentary: String,
    pub highlights: Vec<String>,
}

impl SectionNote {
    /// Checks what was typed in the two fields, `commentary` and
    /// `highlights` (one a line); both empty means no note.
    pub fn parse(commentary: &str, highlights: &str) -> Result<SectionNote, FieldErrors> {
        let mut errors = FieldErrors::new();
        let commentary = errors.check("commentary", field::text_block(commentary, COMMENTARY_MAX));
        let highlights = errors.check(
            "highlights",
            field::lines(highlights, HIGHLIGHTS_MAX, HIGHLIGHT_MAX),
        );
        errors.into_result()?;
        Ok(SectionNote {
            commentary: commentary.flatten().unwrap_or_default(),
            highlights: highlights.unwrap_or_default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.commentary.is_empty() && self.highlights.is_empty()
    }

    /// The commentary's paragraphs (split at blank lines and line breaks),
    /// without empty ones.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.commentary
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

/// A section of a bilan as the page names it: its table's key
/// (`formats`), numbered when several tables share one (`questionnaire-2`).
/// Lower-case letters and `_`, then optionally `-` and a number.
pub fn section_key(input: &str) -> Result<String, FieldError> {
    let (name, number) = match input.split_once('-') {
        Some((name, n)) => (name, Some(n)),
        None => (input, None),
    };
    let name_ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    let number_ok = number
        .is_none_or(|n| !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()));
    if name_ok && number_ok && input.len() <= KEY_MAX {
        Ok(input.to_owned())
    } else {
        Err(FieldError::InvalidChoice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_checked_field_by_field() {
        let n = SectionNote::parse(
            " Une édition record.\r\n\r\nLes collèges ont suivi. ",
            "- 62 communes\n- 13 952 visiteurs\n",
        )
        .unwrap();
        assert_eq!(
            n.commentary,
            "Une édition record.\n\nLes collèges ont suivi."
        );
        assert_eq!(
            n.paragraphs().collect::<Vec<_>>(),
            ["Une édition record.", "Les collèges ont suivi."]
        );
        assert_eq!(n.highlights, ["62 communes", "13 952 visiteurs"]);
        assert!(SectionNote::parse("", " \n ").unwrap().is_empty());

        let long = "x".repeat(COMMENTARY_MAX + 1);
        let many = "a\n".repeat(HIGHLIGHTS_MAX + 1);
        let e = SectionNote::parse(&long, &many).unwrap_err();
        assert_eq!(
            e.get("commentary"),
            Some(&FieldError::TooLong {
                max: COMMENTARY_MAX
            })
        );
        assert_eq!(
            e.get("highlights"),
            Some(&FieldError::TooManyLines {
                max: HIGHLIGHTS_MAX
            })
        );
    }

    #[test]
    fn section_keys_are_table_keys_maybe_numbered() {
        for ok in ["formats", "key_figures", "questionnaire-2"] {
            assert_eq!(section_key(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "Formats", "a-", "-2", "a-b", "a-1234", "../x", "a b"] {
            assert_eq!(section_key(bad), Err(FieldError::InvalidChoice), "{bad}");
        }
    }
}
