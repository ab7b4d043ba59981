//! A bilan in the formats it is downloaded in, shared by the web server
//! and `maillage report`.

use crate::bilan::Bilan;
use maillage_domain::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The bilan as a file of `format`, its texts in `locale`.
pub fn render(bilan: &Bilan, format: Format, locale: Locale) -> Result<Vec<u8>, Error> {
    match format {
        Format::Json => {
            let mut out =
                serde_json::to_vec_pretty(&bilan.json()).map_err(|e| Error(e.to_string()))?;
            out.push(b'\n');
            Ok(out)
        }
        Format::Xlsx => crate::xlsx::workbook(bilan, locale).map_err(|e| Error(e.to_string())),
        Format::Pdf => crate::pdf::render(bilan, locale).map_err(|e| Error(e.to_string())),
    }
}

/// The file name of a bilan download: "bilan-fete-de-la-science-2025.pdf".
pub fn file_name(bilan: &Bilan, format: Format) -> String {
    format!("bilan-{}.{}", bilan.project.data.slug, format.extension())
}
