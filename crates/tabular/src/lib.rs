//! Spreadsheet tables for the directory's imports and exports.
//!
//! Reading accepts what staff actually have on their desks: CSV saved by
//! French Excel (`;`, Windows-1252), Excel's "CSV UTF-8" (with a BOM),
//! LibreOffice and Google Sheets (`,` or `;`, UTF-8), Excel's "Unicode text"
//! (UTF-16, tab-separated), and `.xlsx` workbooks (first visible worksheet).
//! Every cell comes out as a trimmed string and every row keeps the line
//! number a person sees in the file, so import errors can point at it.
//!
//! Writing produces a CSV that opens correctly in French Excel (UTF-8 with a
//! BOM, `;`, CRLF) or an `.xlsx` with a bold, frozen header row.
//!
//! Untrusted input is bounded: at most [`MAX_DATA_ROWS`] data rows,
//! [`MAX_COLUMNS`] columns, [`MAX_CELLS`] cells in all, cells of at most
//! [`MAX_CELL_CHARS`] characters; XLSX files of at most [`MAX_XLSX_BYTES`]
//! whose parts decompress to at most [`MAX_XLSX_UNCOMPRESSED_BYTES`].

mod builder;
mod csv_read;
mod error;
mod fold;
mod write;
mod xlsx_read;

pub use crate::csv_read::read_csv;
pub use crate::error::{ReadError, WriteError};
pub use crate::write::{Sheet, write_csv, write_xlsx, write_xlsx_sheets};
pub use crate::xlsx_read::read_xlsx;

/// Most data rows (the header excluded) a file may have.
pub const MAX_DATA_ROWS: usize = 100_000;
/// Longest cell accepted, in characters (after trimming).
pub const MAX_CELL_CHARS: usize = 10_000;
/// Most columns a row may have (counting up to its last non-empty cell).
pub const MAX_COLUMNS: usize = 1_000;
/// Most cells in a whole table, padding included (rows × columns).
pub const MAX_CELLS: usize = 10_000_000;
/// Largest `.xlsx` file accepted.
pub const MAX_XLSX_BYTES: usize = 20 * 1024 * 1024;
/// Most bytes the parts of an `.xlsx` may decompress to, all together
/// (protects against ZIP bombs; the ZIP reader enforces each declared size).
pub const MAX_XLSX_UNCOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;

/// A table read from a file: the header row and the data rows, all cells as trimmed strings.
///
/// The header row is the first non-blank row. Trailing empty header cells are
/// dropped (Excel often exports a few `;;;` past the last column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// A data row with its line number in the file as a person sees it (1-based,
/// the header is line 1, so the first data row is line 2; for CSV with quoted
/// multi-line cells, the line where the record starts; for XLSX the
/// spreadsheet row number).
///
/// A row has at least as many cells as there are headers (shorter rows are
/// padded with ""); a longer row keeps its extra cells up to its last
/// non-empty one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// The two formats a table can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
/// Compound File Binary: legacy `.xls`, and also password-protected `.xlsx`.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells which reader a file is for: a ZIP archive (or an OLE container, as
/// Excel stores legacy and encrypted workbooks) goes to the XLSX reader,
/// anything else is read as CSV. The XLSX reader then checks that the archive
/// has the parts of a workbook and says clearly what it is when it is not
/// (OpenDocument, legacy `.xls`, password-protected, damaged).
pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(ZIP_MAGIC)
        || bytes.starts_with(ZIP_EMPTY_MAGIC)
        || bytes.starts_with(CFB_MAGIC)
    {
        Format::Xlsx
    } else {
        Format::Csv
    }
}

/// Detects the format from the content (see [`detect`]) and reads the table
/// (for XLSX, the first visible worksheet).
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    match detect(bytes) {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }
}

impl Table {
    /// Index of the column whose header matches one of `names`, comparing
    /// headers case-, accent-, space-, underscore- and hyphen-insensitively
    /// ("Code postal", "code_postal", "CODE-POSTAL", "codepostal" are equal).
    /// Other punctuation is ignored too ("Tél." matches "tel", "N° SIRET"
    /// matches "n siret"), and "œ"/"æ" match "oe"/"ae".
    ///
    /// `names` are tried in order, so the first name wins when several
    /// columns would match; within one name, the leftmost column wins.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let keys: Vec<String> = self.headers.iter().map(|h| fold::header_key(h)).collect();
        names.iter().find_map(|name| {
            let wanted = fold::header_key(name);
            if wanted.is_empty() {
                return None;
            }
            keys.iter().position(|k| *k == wanted)
        })
    }
}

impl Row {
    /// The cell in column `col`, or "" when the column is missing (`None`) or
    /// the row has no such cell.
    pub fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map_or("", String::as_str)
    }
}
