//! Writing tables as CSV for French Excel, or as `.xlsx`.

use rust_xlsxwriter::{Format, Workbook};

use crate::WriteError;

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Excel's limits.
const XLSX_MAX_ROWS: usize = 1_048_576;
const XLSX_MAX_COLUMNS: usize = 16_384;
const XLSX_MAX_CELL_CHARS: usize = 32_767;

/// Writes a CSV that opens correctly in French Excel: UTF-8 with a BOM, `;`
/// between cells, CRLF between rows, and quotes around cells holding `;`,
/// `"` or a line break (quotes doubled inside).
///
/// A cell that a spreadsheet would run as a formula (starting with `=`, `@`,
/// or `+`/`-` followed by more than a number such as "+33 4 76 00 00 00" or
/// "-12,5") gets a leading `'`, so an exported name like `=HYPERLINK(…)`
/// stays text; [`crate::read_csv`] removes that `'` again.
///
/// Beware that Excel still turns a cell like "01000" into the number 1000
/// when it opens a CSV: prefer [`write_xlsx`] for postcodes and identifiers.
pub fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let size: usize = rows.iter().flatten().map(|c| c.len() + 1).sum();
    let mut out = Vec::with_capacity(BOM.len() + size + rows.len() * 2 + 256);
    out.extend_from_slice(BOM);
    write_line(&mut out, headers.iter().copied());
    for row in rows {
        write_line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn write_line<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b';');
        }
        let guard = looks_like_formula(cell);
        if cell.contains([';', '"', '\n', '\r']) {
            out.push(b'"');
            if guard {
                out.push(b'\'');
            }
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            if guard {
                out.push(b'\'');
            }
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Whether a spreadsheet opening the CSV would take the cell for a formula.
fn looks_like_formula(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    match first {
        '=' | '@' | '\t' | '\r' => true,
        '+' | '-' => {
            let rest = &cell[1..];
            // A number or a phone number is harmless and stays as it is.
            !rest.is_empty()
                && !rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '(' | ')'))
        }
        _ => false,
    }
}

/// Writes an `.xlsx` workbook with one worksheet named `sheet_name` (made
/// valid for Excel: at most 31 characters, none of `[]:*?/\`): a bold header
/// row, frozen and with filter buttons, columns sized to their content
/// (between 8 and 60 characters wide).
///
/// Every cell is text, except cells that are plainly a decimal number
/// written the way a spreadsheet would show it: an optional `-`, no leading
/// zero, at most 11 digits before an optional `.` and no trailing zero after
/// it, 15 significant digits at most ("38000", "-2.5"). So postcodes
/// ("01000"), phone numbers, SIRETs (14 digits) and "12.50" stay text and
/// read back exactly as they were written.
pub fn write_xlsx(
    sheet_name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    add_sheet(
        &mut workbook,
        &sheet_name_for_excel(sheet_name),
        headers,
        rows,
    )?;
    Ok(workbook.save_to_buffer()?)
}

/// One worksheet of [`write_xlsx_sheets`].
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Writes an `.xlsx` workbook of several worksheets, each laid out as
/// [`write_xlsx`] lays out its one. Names are made valid for Excel and
/// unique ("Communes", "Communes (2)", cut to 31 characters).
pub fn write_xlsx_sheets(sheets: &[Sheet]) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    let mut used: Vec<String> = Vec::new();
    for sheet in sheets {
        let base = sheet_name_for_excel(&sheet.name);
        let mut name = base.clone();
        let mut n = 1;
        while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
            n += 1;
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.len();
            let mut cut = String::new();
            for c in base.chars() {
                if cut.encode_utf16().count() + c.len_utf16() > keep {
                    break;
                }
                cut.push(c);
            }
            name = format!("{}{suffix}", cut.trim_end());
        }
        let headers: Vec<&str> = sheet.headers.iter().map(String::as_str).collect();
        add_sheet(&mut workbook, &name, &headers, &sheet.rows)?;
        used.push(name);
    }
    Ok(workbook.save_to_buffer()?)
}

fn add_sheet(
    workbook: &mut Workbook,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<(), WriteError> {
    if rows.len() >= XLSX_MAX_ROWS {
        return Err(WriteError::TooManyRows { rows: rows.len() });
    }
    let columns = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(headers.len());
    if columns > XLSX_MAX_COLUMNS {
        return Err(WriteError::TooManyColumns { columns });
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    let mut widths = vec![0usize; columns];

    for (col, header) in headers.iter().enumerate() {
        let chars = header.chars().count();
        if chars > XLSX_MAX_CELL_CHARS {
            return Err(WriteError::CellTooLong {
                line: 1,
                column: col + 1,
            });
        }
        // Bold text is a little wider.
        widths[col] = widths[col].max(display_width(header) + 1);
        sheet.write_string_with_format(0, col_num(col), *header, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let row_num =
            u32::try_from(r + 1).map_err(|_| WriteError::TooManyRows { rows: rows.len() })?;
        for (col, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            if cell.chars().count() > XLSX_MAX_CELL_CHARS {
                return Err(WriteError::CellTooLong {
                    line: r + 2,
                    column: col + 1,
                });
            }
            widths[col] = widths[col].max(display_width(cell));
            match plain_number(cell) {
                Some(number) => sheet.write_number(row_num, col_num(col), number)?,
                None => sheet.write_string(row_num, col_num(col), cell)?,
            };
        }
    }
    for (col, width) in widths.iter().enumerate() {
        let width = (*width + 2).clamp(8, 60);
        sheet.set_column_width(col_num(col), width as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, col_num(headers.len() - 1))?;
    }
    Ok(())
}

/// Column numbers are checked against Excel's 16,384 before use.
fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// The width of the longest line of a cell, in characters.
fn display_width(cell: &str) -> usize {
    cell.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The number a cell holds, when it is plainly one (see [`write_xlsx`]).
fn plain_number(cell: &str) -> Option<f64> {
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || int.len() > 11 || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if frac.is_some_and(|frac| !digits(frac) || frac.ends_with('0')) {
        return None;
    }
    if cell == "-0" {
        return None;
    }
    let significant = int.trim_start_matches('0').len() + frac.map_or(0, str::len);
    if significant > 15 {
        return None;
    }
    cell.parse().ok()
}

/// A worksheet name Excel accepts.
fn sheet_name_for_excel(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut out = String::new();
    let mut units = 0;
    for c in cleaned.trim().trim_matches('\'').chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        out.push(c);
    }
    let out = out.trim().trim_matches('\'').trim();
    if out.is_empty() || out.eq_ignore_ascii_case("history") {
        "Feuille1".to_string()
    } else {
        out.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{looks_like_formula, plain_number, sheet_name_for_excel};

    #[test]
    fn plain_numbers() {
        assert_eq!(plain_number("38000"), Some(38000.0));
        assert_eq!(plain_number("0"), Some(0.0));
        assert_eq!(plain_number("-2.5"), Some(-2.5));
        assert_eq!(plain_number("0.25"), Some(0.25));
        for text in [
            "01000",
            "0476000000",
            "12345678901234",
            "12.50",
            "1.",
            ".5",
            "1e5",
            "+3",
            "-0",
            "1 000",
            "12,5",
            "",
            "-",
            "abc",
            "3.0",
            "123456789012",
        ] {
            assert_eq!(plain_number(text), None, "{text}");
        }
    }

    #[test]
    fn formula_guard() {
        for cell in [
            "=1+1",
            "@SUM(A1)",
            "+A1",
            "-A1",
            "- item",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(looks_like_formula(cell), "{cell}");
        }
        for cell in [
            "+33 4 76 00 00 00",
            "-12,5",
            "-3",
            "-",
            "+",
            "a=b",
            "",
            "Nom",
        ] {
            assert!(!looks_like_formula(cell), "{cell}");
        }
    }

    #[test]
    fn sheet_names() {
        assert_eq!(sheet_name_for_excel("Organisations"), "Organisations");
        assert_eq!(sheet_name_for_excel("a/b:c"), "a-b-c");
        assert_eq!(sheet_name_for_excel("'x'"), "x");
        assert_eq!(sheet_name_for_excel(""), "Feuille1");
        assert_eq!(sheet_name_for_excel("History"), "Feuille1");
        assert_eq!(sheet_name_for_excel(&"é".repeat(40)).chars().count(), 31);
    }
}
