//! Reports (bilans) of projects and the coverage of the territory: this
//! crate turns the figures the database counts ([`maillage_db::reports`])
//! into coverage against the reference data of every French commune
//! ([`maillage_geo`]), and a bilan compared with the previous edition,
//! laid out as key figures, tables and SVG charts for the HTML page, the
//! PDF and the workbook, and as JSON for the API.

pub mod bilan;
pub mod coverage;
pub mod output;
pub mod pdf;
pub mod svg;
pub mod text;
pub mod xlsx;
