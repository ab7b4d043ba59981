//! The bilan as an `.xlsx` workbook: one sheet per table, figures as
//! numbers.

use crate::bilan::Bilan;
use maillage_domain::Locale;
use maillage_tabular::{Sheet, WriteError, write_xlsx_sheets};

pub fn workbook(bilan: &Bilan, locale: Locale) -> Result<Vec<u8>, WriteError> {
    let tables = bilan.tables(locale);
    let sheets: Vec<Sheet> = tables
        .iter()
        .map(|t| Sheet {
            name: t.title.clone(),
            headers: t.header.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.raw()).collect())
                .collect(),
        })
        .collect();
    let mut sheets = sheets;
    // What the team wrote, one row a section, when it wrote anything.
    let l = crate::text::labels(locale);
    let notes: Vec<Vec<String>> =
        std::iter::once(("key_figures".to_owned(), l.key_figures.to_owned()))
            .chain(
                bilan
                    .sections(locale)
                    .into_iter()
                    .map(|(a, t)| (a, t.title)),
            )
            .filter_map(|(anchor, title)| {
                bilan
                    .note(&anchor)
                    .map(|n| vec![title, n.commentary.clone(), n.highlights.join("\n")])
            })
            .collect();
    if !notes.is_empty() {
        sheets.insert(
            0,
            Sheet {
                name: l.commentary.to_owned(),
                headers: vec![
                    l.section.to_owned(),
                    l.commentary.to_owned(),
                    l.highlights.to_owned(),
                ],
                rows: notes,
            },
        );
    }
    write_xlsx_sheets(&sheets)
}
