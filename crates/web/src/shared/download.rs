//! Files sent to the browser: CSV and XLSX exports, PDFs, uploads.

use crate::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A file download.
pub fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The content type of a workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A list as a CSV or XLSX download (`format` is "csv" or "xlsx").
pub fn export_table(
    format: &str,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Response, AppError> {
    let date = chrono::Utc::now().format("%Y-%m-%d");
    match format {
        "csv" => Ok(download(
            maillage_tabular::write_csv(headers, rows),
            "text/csv; charset=utf-8",
            &format!("{name}-{date}.csv"),
        )),
        "xlsx" => {
            let bytes =
                maillage_tabular::write_xlsx(name, headers, rows).map_err(AppError::internal)?;
            Ok(download(bytes, XLSX, &format!("{name}-{date}.xlsx")))
        }
        _ => Err(AppError::NotFound),
    }
}
