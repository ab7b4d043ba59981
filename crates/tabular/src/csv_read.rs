//! Reading CSV as saved by Excel, LibreOffice and Google Sheets.

use std::borrow::Cow;

use encoding_rs::{UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::builder::Builder;
use crate::{ReadError, Table};

/// Reads a CSV file.
///
/// - Encoding: a UTF-8 BOM is stripped; a UTF-16 BOM (Excel's "Unicode
///   text") selects UTF-16; otherwise UTF-8 when the bytes are valid UTF-8,
///   Windows-1252 (French Excel's default) when they are not.
/// - Delimiter: `;`, `,` or tab, whichever appears most often outside quotes
///   in the header line (`;` wins ties). A one-column header takes a
///   delimiter that the file uses least, so its cells are not split.
/// - Quoted fields may hold delimiters, doubled quotes and line breaks (which
///   come out as `\n`, whatever the file used); a row's line is the line
///   where its record starts.
/// - Blank rows are skipped (lines are still counted), cells are trimmed,
///   short rows padded to the header's width.
/// - A leading `'` put before `=`, `+`, `-` or `@` by [`crate::write_csv`]
///   (to keep spreadsheets from running the cell as a formula) is removed.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if text.contains('\0') {
        return Err(ReadError::NotText);
    }
    // One kind of line break, so that lines are counted right: CRLF
    // (Windows), and lone CR (Excel for Mac's "CSV (Macintosh)") become LF,
    // in cells too.
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    let delimiter = detect_delimiter(&text);

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut builder = Builder::default();
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
                let cells = record.iter().map(unguard).collect();
                builder.push(line, cells)?;
            }
            Err(error) => {
                let line = lines.line_at(error.position().map_or(0, |p| p.byte()));
                let message = match error.kind() {
                    csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                    _ => error.to_string(),
                };
                return Err(ReadError::InvalidCsv { line, message });
            }
        }
    }
    builder.finish()
}

/// Line numbers from the byte positions the csv reader gives. Its own line
/// numbers are those of the end of the previous record: they miss the blank
/// lines it skips before a record.
struct LineCounter<'a> {
    text: &'a [u8],
    counted_to: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            counted_to: 0,
            line: 1,
        }
    }

    /// The line of the record whose reading started at `byte` (positions
    /// only move forward).
    fn line_at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self.text.get(start) == Some(&b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.line += self.text[self.counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.counted_to = start;
        }
        self.line
    }
}

fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return UTF_8.decode_without_bom_handling(rest).0;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

const DELIMITERS: [char; 3] = [';', '\t', ','];

/// Counts `;`, tab and `,` outside quotes in the first non-blank record.
fn detect_delimiter(text: &str) -> u8 {
    let mut whole = [0usize; 3];
    let mut header: Option<[usize; 3]> = None;
    let mut counts = [0usize; 3];
    let mut content = false;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            in_quotes = !in_quotes;
            content = true;
            continue;
        }
        if in_quotes {
            continue;
        }
        if let Some(i) = DELIMITERS.iter().position(|d| *d == c) {
            counts[i] += 1;
            continue;
        }
        if c == '\n' || c == '\r' || chars.peek().is_none() {
            if !c.is_whitespace() {
                content = true;
            }
            if header.is_none() && content {
                header = Some(counts);
            }
            for (w, n) in whole.iter_mut().zip(counts) {
                *w += n;
            }
            counts = [0; 3];
            content = false;
            continue;
        }
        if !c.is_whitespace() {
            content = true;
        }
    }
    for (w, n) in whole.iter_mut().zip(counts) {
        *w += n;
    }
    // No line with content: the most used delimiter makes every row blank.
    let header = header.unwrap_or(whole);
    // `max_by_key` keeps the last maximum and `min_by_key` the first minimum:
    // iterate so that `;`, then tab, then `,` wins ties.
    let index = if header.iter().any(|n| *n > 0) {
        (0..3).rev().max_by_key(|i| header[*i]).unwrap_or(0)
    } else {
        // One column: avoid splitting its cells.
        [1, 0, 2].into_iter().min_by_key(|i| whole[*i]).unwrap_or(0)
    };
    DELIMITERS[index] as u8
}

/// Removes the `'` that [`crate::write_csv`] puts before a formula-like cell.
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::detect_delimiter;

    #[test]
    fn delimiter_from_the_header_line() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1;2;3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(detect_delimiter("\n\n  \na;b,c;d\n"), b';');
        assert_eq!(detect_delimiter("a,b;c\n"), b';');
        assert_eq!(detect_delimiter("a;b"), b';');
        // Multi-line quoted header cell.
        assert_eq!(detect_delimiter("\"x\ny,z\";w\n1;2\n"), b';');
        // One column: the delimiter the file does not use.
        assert_eq!(detect_delimiter("Nom\nDupont, Jean\nMartin; Paul\n"), b'\t');
        assert_eq!(detect_delimiter("Nom\nA\tB\nC;D\n"), b',');
        assert_eq!(detect_delimiter("Nom\n"), b'\t');
        // Nothing but delimiters.
        assert_eq!(detect_delimiter(";;;\n , \n"), b';');
    }
}
