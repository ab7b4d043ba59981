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
    write_xlsx_sheets(&sheets)
}
