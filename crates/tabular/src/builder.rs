//! Turns raw records into a [`Table`]: trimming, blank rows, the header row,
//! padding, and the limits on untrusted input. Shared by both readers.

use crate::{MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_DATA_ROWS, ReadError, Row, Table};

#[derive(Default)]
pub(crate) struct Builder {
    headers: Option<Vec<String>>,
    rows: Vec<Row>,
    cells: usize,
}

impl Builder {
    /// Adds the record found at `line` (cells not yet trimmed). Blank records
    /// are skipped; the first non-blank one is the header row.
    pub(crate) fn push(&mut self, line: usize, cells: Vec<String>) -> Result<(), ReadError> {
        let mut cells: Vec<String> = cells.into_iter().map(trim).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns { line });
        }
        if let Some(i) = cells.iter().position(|c| too_long(c)) {
            return Err(ReadError::CellTooLong {
                line,
                column: i + 1,
            });
        }
        let Some(headers) = &self.headers else {
            self.cells = cells.len();
            self.headers = Some(cells);
            return Ok(());
        };
        if self.rows.len() >= MAX_DATA_ROWS {
            return Err(ReadError::TooManyRows { line });
        }
        if cells.len() < headers.len() {
            cells.resize(headers.len(), String::new());
        }
        self.cells += cells.len();
        if self.cells > MAX_CELLS {
            return Err(ReadError::TooManyCells { line });
        }
        self.rows.push(Row { line, cells });
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<Table, ReadError> {
        let headers = self.headers.ok_or(ReadError::NoHeader)?;
        Ok(Table {
            headers,
            rows: self.rows,
        })
    }
}

/// Whether a (trimmed) cell is longer than [`MAX_CELL_CHARS`] characters.
pub(crate) fn too_long(cell: &str) -> bool {
    // A character takes at least one byte: count only when it could matter.
    cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS
}

fn trim(cell: String) -> String {
    let trimmed = cell.trim();
    if trimmed.len() == cell.len() {
        cell
    } else {
        trimmed.to_string()
    }
}
