//! Errors of reading and writing, each with a stable code for the interface
//! to translate and for the tests to match.

use crate::{
    MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_DATA_ROWS, MAX_XLSX_BYTES,
    MAX_XLSX_UNCOMPRESSED_BYTES,
};

/// Why a file could not be read as a table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row: every line is blank")]
    NoHeader,
    #[error("the file is not text: it is neither a CSV file nor an XLSX workbook")]
    NotText,
    #[error("line {line}: the CSV file is malformed ({message})")]
    InvalidCsv { line: usize, message: String },
    #[error("line {line}: too many rows, at most {MAX_DATA_ROWS} data rows are accepted")]
    TooManyRows { line: usize },
    #[error("line {line}, column {column}: a cell is longer than {MAX_CELL_CHARS} characters")]
    CellTooLong { line: usize, column: usize },
    #[error("line {line}: too many columns, at most {MAX_COLUMNS} are accepted")]
    TooManyColumns { line: usize },
    #[error("line {line}: the table is too large, at most {MAX_CELLS} cells are accepted")]
    TooManyCells { line: usize },
    #[error(
        "the file is too large ({size} bytes): XLSX files of at most {} MB are accepted",
        MAX_XLSX_BYTES / (1024 * 1024)
    )]
    FileTooLarge { size: usize },
    #[error(
        "the workbook decompresses to more than {} MB, which is refused",
        MAX_XLSX_UNCOMPRESSED_BYTES / (1024 * 1024)
    )]
    UncompressedTooLarge,
    #[error("the file is not a valid XLSX workbook ({detail})")]
    InvalidXlsx { detail: String },
    #[error("the workbook is protected by a password: remove the password and try again")]
    PasswordProtected,
    #[error(
        "legacy Excel 97-2003 workbooks (.xls) are not supported: save the file as .xlsx or CSV"
    )]
    LegacyXls,
    #[error("OpenDocument spreadsheets (.ods) are not supported: save the file as .xlsx or CSV")]
    OpenDocument,
    #[error("the workbook has no worksheet")]
    NoWorksheet,
}

impl ReadError {
    /// A stable identifier of the kind of error, independent of its wording.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Empty => "empty",
            ReadError::NoHeader => "no_header",
            ReadError::NotText => "not_text",
            ReadError::InvalidCsv { .. } => "invalid_csv",
            ReadError::TooManyRows { .. } => "too_many_rows",
            ReadError::CellTooLong { .. } => "cell_too_long",
            ReadError::TooManyColumns { .. } => "too_many_columns",
            ReadError::TooManyCells { .. } => "too_many_cells",
            ReadError::FileTooLarge { .. } => "file_too_large",
            ReadError::UncompressedTooLarge => "uncompressed_too_large",
            ReadError::InvalidXlsx { .. } => "invalid_xlsx",
            ReadError::PasswordProtected => "password_protected",
            ReadError::LegacyXls => "legacy_xls",
            ReadError::OpenDocument => "open_document",
            ReadError::NoWorksheet => "no_worksheet",
        }
    }

    /// The line the error is about, when it is about one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ReadError::InvalidCsv { line, .. }
            | ReadError::TooManyRows { line }
            | ReadError::CellTooLong { line, .. }
            | ReadError::TooManyColumns { line }
            | ReadError::TooManyCells { line } => Some(*line),
            _ => None,
        }
    }
}

/// Why a table could not be written as XLSX.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("too many rows for a worksheet ({rows}; Excel allows 1,048,575 besides the header)")]
    TooManyRows { rows: usize },
    #[error("too many columns for a worksheet ({columns}; Excel allows 16,384)")]
    TooManyColumns { columns: usize },
    #[error(
        "line {line}, column {column}: a cell is longer than the 32,767 characters Excel allows"
    )]
    CellTooLong { line: usize, column: usize },
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

impl WriteError {
    /// A stable identifier of the kind of error, independent of its wording.
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::TooManyRows { .. } => "too_many_rows",
            WriteError::TooManyColumns { .. } => "too_many_columns",
            WriteError::CellTooLong { .. } => "cell_too_long",
            WriteError::Xlsx(_) => "xlsx",
        }
    }
}
