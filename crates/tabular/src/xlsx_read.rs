//! Reading the first visible worksheet of an `.xlsx` workbook.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use quick_xml::events::Event;

use crate::builder::{Builder, too_long};
use crate::{
    CFB_MAGIC, MAX_CELLS, MAX_COLUMNS, MAX_DATA_ROWS, MAX_XLSX_BYTES, MAX_XLSX_UNCOMPRESSED_BYTES,
    ReadError, Table,
};

/// Most parts a workbook archive may hold.
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Reads an `.xlsx` workbook: its first visible worksheet (the first
/// worksheet when all are hidden), with each row's spreadsheet row number as
/// its line.
///
/// Numbers that are integers come out without a decimal part (38000 reads
/// "38000"); other numbers as Excel shows them, to 15 significant digits.
/// Dates read `YYYY-MM-DD` (with ` HH:MM` or ` HH:MM:SS` when they have a
/// time), times `HH:MM`, booleans `TRUE`/`FALSE`, formula errors as Excel
/// shows them (`#N/A`). Formulas give their last computed value.
///
/// The file must be at most [`MAX_XLSX_BYTES`]; its parts must decompress to
/// at most [`MAX_XLSX_UNCOMPRESSED_BYTES`] in all (declared sizes are summed
/// before anything is decompressed, and the ZIP reader fails on any part that
/// grows past its declared size); the count of shared strings a workbook
/// announces is checked before calamine allocates room for them (see
/// `check_shared_strings`).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_XLSX_BYTES {
        return Err(ReadError::FileTooLarge { size: bytes.len() });
    }
    if bytes.starts_with(CFB_MAGIC) {
        // Excel keeps encrypted workbooks in an OLE container with an
        // "EncryptedPackage" stream; any other OLE file is a legacy workbook.
        let stream_name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(stream_name.len()).any(|w| w == stream_name) {
            return Err(ReadError::PasswordProtected);
        }
        return Err(ReadError::LegacyXls);
    }
    check_archive(bytes, MAX_XLSX_UNCOMPRESSED_BYTES)?;

    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let name = worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or(ReadError::NoWorksheet)?;
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(xlsx_error)?;

    // Rows by row index (the XML keeps them in order, but nothing forces it),
    // each with its non-empty cells by column index.
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut cell_count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(xlsx_error)? {
        let (row, col) = cell.get_position();
        let text = cell_text(cell.get_value());
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let line = row as usize + 1;
        if col as usize >= MAX_COLUMNS {
            return Err(ReadError::TooManyColumns { line });
        }
        if too_long(text) {
            return Err(ReadError::CellTooLong {
                line,
                column: col as usize + 1,
            });
        }
        cell_count += 1;
        if cell_count > MAX_CELLS {
            return Err(ReadError::TooManyCells { line });
        }
        if !rows.contains_key(&row) && rows.len() > MAX_DATA_ROWS {
            // The header and MAX_DATA_ROWS data rows are already there.
            return Err(ReadError::TooManyRows { line });
        }
        rows.entry(row).or_default().push((col, text.to_string()));
    }
    drop(cells);

    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let mut builder = Builder::default();
    for (row, cells) in rows {
        let width = cells
            .iter()
            .map(|(col, _)| *col as usize + 1)
            .max()
            .unwrap_or(0);
        let mut dense = vec![String::new(); width];
        for (col, text) in cells {
            dense[col as usize] = text;
        }
        builder.push(row as usize + 1, dense)?;
    }
    builder.finish()
}

/// Checks, before anything is decompressed, that `bytes` is a ZIP archive of
/// an Office document whose parts declare at most `limit` bytes in all.
fn check_archive(bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::InvalidXlsx {
        detail: format!("damaged or not a ZIP archive: {e}"),
    })?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ReadError::InvalidXlsx {
            detail: format!("the archive has more than {MAX_ZIP_ENTRIES} parts"),
        });
    }
    let mut total: u64 = 0;
    let mut content_types = false;
    let mut open_document = false;
    let mut shared_strings = Vec::new();
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(damaged)?;
        total = total.saturating_add(part.size());
        let name = part.name().unwrap_or_default();
        if name.eq_ignore_ascii_case("[Content_Types].xml") {
            content_types = true;
        } else if name == "mimetype" || name == "content.xml" {
            open_document = true;
        } else if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            shared_strings.push(i);
        }
    }
    if total > limit {
        return Err(ReadError::UncompressedTooLarge);
    }
    for i in shared_strings {
        check_shared_strings(zip.by_index(i).map_err(damaged)?)?;
    }
    if !content_types {
        if open_document {
            return Err(ReadError::OpenDocument);
        }
        return Err(ReadError::InvalidXlsx {
            detail: "a ZIP archive that is not an Office document".to_string(),
        });
    }
    Ok(())
}

fn damaged(error: zip::result::ZipError) -> ReadError {
    ReadError::InvalidXlsx {
        detail: format!("damaged ZIP archive: {error}"),
    }
}

/// calamine reserves room for as many strings as the `uniqueCount` of the
/// shared strings part says, before reading any: a few bytes saying
/// "100000000000" make it ask for terabytes, and a failed allocation aborts
/// the whole process. So the `sst` tag, read the way calamine reads it, must
/// not hold a number above [`MAX_CELLS`] (checked on every run of digits in
/// the tag, so that no attribute syntax can slip through).
fn check_shared_strings(part: impl std::io::Read) -> Result<(), ReadError> {
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(tag)) if tag.local_name().as_ref() == "sst" => {
                let mut number: u64 = 0;
                for byte in tag.as_bytes().iter().chain(std::iter::once(&b' ')) {
                    if byte.is_ascii_digit() {
                        number = number
                            .saturating_mul(10)
                            .saturating_add(u64::from(byte - b'0'));
                    } else if number > MAX_CELLS as u64 {
                        return Err(ReadError::InvalidXlsx {
                            detail: format!("the shared strings part announces {number} strings"),
                        });
                    } else {
                        number = 0;
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) => return Ok(()),
            Err(error) => {
                return Err(ReadError::InvalidXlsx {
                    detail: format!("shared strings: {error}"),
                });
            }
            Ok(_) => {}
        }
    }
}

fn xlsx_error(error: XlsxError) -> ReadError {
    match error {
        XlsxError::Password => ReadError::PasswordProtected,
        error => ReadError::InvalidXlsx {
            detail: error.to_string(),
        },
    }
}

fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => format_number(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(true) => "TRUE".to_string(),
        DataRef::Bool(false) => "FALSE".to_string(),
        DataRef::DateTime(dt) => format_datetime(dt),
        DataRef::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Integers without a decimal part; other numbers rounded to the 15
/// significant digits Excel keeps, in their shortest form.
pub(crate) fn format_number(f: f64) -> String {
    fn integer(f: f64) -> Option<String> {
        // Exact: |f| < 1e15 fits an i64 and has no fractional part.
        (f.fract() == 0.0 && f.abs() < 1e15).then(|| (f as i64).to_string())
    }
    if !f.is_finite() {
        return f.to_string();
    }
    if let Some(s) = integer(f) {
        return s;
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    integer(rounded).unwrap_or_else(|| rounded.to_string())
}

fn format_datetime(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() {
        let seconds = (serial * 86_400.0).round();
        let sign = if seconds < 0.0 { "-" } else { "" };
        let seconds = seconds.abs().min(1e15) as u64;
        return format!(
            "{sign}{}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
    }
    let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
    let time = if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    };
    if (0.0..1.0).contains(&serial) {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {time}")
    }
}

#[cfg(test)]
mod tests {
    use super::{check_archive, format_number};
    use crate::ReadError;

    #[test]
    fn numbers() {
        assert_eq!(format_number(38000.0), "38000");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_number(-2.75), "-2.75");
        assert_eq!(format_number(12_345_678_901_234.0), "12345678901234");
        assert_eq!(format_number(1e20), "100000000000000000000");
    }

    #[test]
    fn declared_sizes_are_bounded() {
        let xlsx = crate::write_xlsx("T", &["a"], &[vec!["b".to_string()]]).unwrap();
        assert_eq!(check_archive(&xlsx, u64::MAX), Ok(()));
        assert_eq!(
            check_archive(&xlsx, 1000),
            Err(ReadError::UncompressedTooLarge)
        );
    }
}
