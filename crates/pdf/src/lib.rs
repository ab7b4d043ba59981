//! Reports as PDF.
//!
//! The caller fills a plain [`Document`] (headings, paragraphs, key figures,
//! tables, SVG charts, lists) and [`render`] lays it out as an A4 PDF with
//! [typst](https://typst.app), in-process: no external program, no file
//! system, no network.
//!
//! # Text is never markup
//!
//! The document is serialised to JSON and handed to an embedded template
//! (`src/report.typ`) as the virtual file `/data.json`, which the template
//! reads with `json(..)`; charts are the virtual files `/chart-0.svg`,
//! `/chart-1.svg`… read with `image(..)`. User text (titles, commune and
//! organisation names) therefore only ever reaches typst as string values and
//! is set literally: `#panic("x")`, `*bold*`, `$x$` or `]` are printed as
//! typed.
//!
//! # Fonts
//!
//! Liberation Sans 2.1.5 (regular, bold, italic; SIL Open Font Licence 1.1,
//! see `fonts/OFL.txt`) is embedded in the crate and parsed once per process.
//! It covers French and English text and the signs reports use: `€ ≥ ≤ → « »`,
//! the narrow no-break space (U+202F), `œ`, accented capitals.

#![forbid(unsafe_code)]

mod inspect;
mod table;
mod world;

pub use inspect::TextBox;

use serde::Serialize;

/// The language of a document: its fixed words ("Page 3 sur 8"), hyphenation
/// and the PDF's declared language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The ISO 639-1 code, as typst and the PDF want it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }
}

/// A report to lay out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Language of the fixed words, of hyphenation and of the PDF metadata.
    pub lang: Lang,
    /// The title, on the first page, in the running header and in the PDF's
    /// metadata.
    pub title: String,
    /// A line under the title (the project's season, a territory…).
    pub subtitle: Option<String>,
    /// Who publishes the report; on the first page, in the running header and
    /// as the PDF's author.
    pub organisation: String,
    /// When the report was made, already formatted for the reader
    /// ("3 décembre 2026"); shown after "Document généré le" / "Generated on".
    pub generated: String,
    /// The body, in order.
    pub blocks: Vec<Block>,
}

/// A big number of a report: "Communes touchées: 412 (+12 % vs 2025)".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyFigure {
    /// What is counted ("Communes touchées").
    pub label: String,
    /// The figure, already formatted ("412", "38,5 %").
    pub value: String,
    /// A short comment in small type ("+12 % vs 2025").
    pub note: Option<String>,
}

/// One piece of a report's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section title; `level` 1 is the largest (levels above 3 are shown
    /// as 3, 0 as 1).
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// The heading's text.
        text: String,
    },
    /// A paragraph of plain text (line breaks are kept).
    Paragraph(String),
    /// Big numbers shown as a grid of cards.
    KeyFigures(Vec<KeyFigure>),
    /// A table with a header row repeated on each page it spans and zebra
    /// rows. Short rows are padded with empty cells.
    Table {
        /// Shown above the table, numbered ("Tableau 2 : …").
        caption: String,
        /// The column titles.
        header: Vec<String>,
        /// The cells, row by row, already formatted.
        rows: Vec<Vec<String>>,
        /// Which columns hold numbers and are right-aligned (missing entries
        /// mean `false`).
        numeric: Vec<bool>,
    },
    /// A chart drawn by the caller as SVG text, scaled to the text width,
    /// its caption below.
    Chart {
        /// Shown below the chart, numbered ("Figure 1 : …").
        caption: String,
        /// The whole SVG document (`<svg xmlns="http://www.w3.org/2000/svg" …>`).
        svg: String,
        /// A description of the chart for readers who cannot see it (the
        /// PDF's alternative text).
        alt: String,
    },
    /// A bulleted list.
    List(Vec<String>),
    /// Start a new page (nothing happens at the top of a page).
    PageBreak,
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Typst refused the document, for instance a chart whose SVG does not
    /// parse. Carries typst's messages and hints, one per line.
    #[error("the report could not be laid out: {0}")]
    Layout(String),
    /// The laid-out document could not be written as PDF.
    #[error("the report could not be written as PDF: {0}")]
    Export(String),
}

/// Lays out `doc` and returns the PDF's bytes.
///
/// The fonts, the template and typst's standard library are set up on the
/// first call only; typst's memoised results are dropped after each document,
/// so a long-running server does not grow. Safe to call from several threads
/// at once. It blocks while it works (in release builds about 10 ms for three
/// pages of text, figures and charts, plus about 0.5 ms per table row; seconds
/// in debug builds): from async code, call it in `spawn_blocking`.
///
/// # Errors
///
/// [`Error::Layout`] when typst refuses the document (a malformed SVG chart,
/// for instance), [`Error::Export`] when the PDF cannot be written.
pub fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    let (data, charts) = serialise(doc);
    world::render(data, charts)
}

/// Lays `doc` out as [`render`] does and tells where each run of text
/// lands, page by page, for tests that check that no text prints over
/// another: see [`overprinted`].
///
/// # Errors
///
/// As [`render`].
pub fn text_boxes(doc: &Document) -> Result<Vec<TextBox>, Error> {
    let (data, charts) = serialise(doc);
    world::text_boxes(data, charts)
}

/// The pairs of runs of text of `doc` whose ink meets over more than a
/// hair (a quarter of a square point), with their page: empty when nothing
/// prints over anything.
///
/// # Errors
///
/// As [`render`].
pub fn overprinted(doc: &Document) -> Result<Vec<(TextBox, TextBox)>, Error> {
    let boxes = text_boxes(doc)?;
    let mut found = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if b.page > a.page {
                break;
            }
            if a.overlap(b) > 0.25 {
                found.push((a.clone(), b.clone()));
            }
        }
    }
    Ok(found)
}

/// What the template reads from `/data.json`.
#[derive(Serialize)]
struct Data<'a> {
    lang: &'static str,
    title: &'a str,
    subtitle: Option<&'a str>,
    organisation: &'a str,
    generated: &'a str,
    blocks: Vec<BlockData<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BlockData<'a> {
    Heading {
        level: u8,
        text: &'a str,
    },
    Paragraph {
        text: &'a str,
    },
    KeyFigures {
        figures: Vec<FigureData<'a>>,
    },
    Table {
        caption: &'a str,
        /// Set after the first part of a table split by columns.
        continued: bool,
        header: Vec<&'a str>,
        rows: Vec<Vec<&'a str>>,
        numeric: Vec<bool>,
        /// Each column's width in points, padding included.
        widths: Vec<f64>,
        /// Type size in points.
        size: f64,
    },
    /// Blocks set on landscape pages: a wide table with the headings just
    /// before it and the notes just after.
    Landscape {
        blocks: Vec<BlockData<'a>>,
    },
    Chart {
        caption: &'a str,
        path: String,
        alt: &'a str,
    },
    List {
        items: Vec<&'a str>,
    },
    PageBreak,
}

#[derive(Serialize)]
struct FigureData<'a> {
    label: &'a str,
    value: &'a str,
    note: Option<&'a str>,
}

/// `cells` with empty ones added up to `columns`.
fn padded(cells: &[String], columns: usize) -> Vec<&str> {
    let mut cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    cells.resize(columns.max(cells.len()), "");
    cells
}

/// The body as the template reads it: blocks in order, with wide tables and
/// what belongs to them (the headings just before, the notes just after)
/// gathered on landscape pages.
#[derive(Default)]
struct Body<'a> {
    blocks: Vec<BlockData<'a>>,
    /// The last block is a landscape group still taking notes.
    open: bool,
}

impl<'a> Body<'a> {
    fn push(&mut self, block: BlockData<'a>) {
        match (&block, self.open, self.blocks.last_mut()) {
            (
                BlockData::Paragraph { .. } | BlockData::List { .. },
                true,
                Some(BlockData::Landscape { blocks }),
            ) => blocks.push(block),
            _ => {
                self.open = false;
                self.blocks.push(block);
            }
        }
    }

    fn tables(&mut self, tables: Vec<BlockData<'a>>, landscape: bool) {
        if !landscape {
            for t in tables {
                self.push(t);
            }
            return;
        }
        let mut headings = Vec::new();
        while let Some(BlockData::Heading { .. }) = self.blocks.last() {
            headings.extend(self.blocks.pop());
        }
        headings.reverse();
        headings.extend(tables);
        match self.blocks.last_mut() {
            // Two wide tables with only headings between share their
            // landscape pages.
            Some(BlockData::Landscape { blocks }) => blocks.extend(headings),
            _ => self.blocks.push(BlockData::Landscape { blocks: headings }),
        }
        self.open = true;
    }
}

/// The JSON the template reads and the SVG files of the charts, in order
/// (chart `i` is `/chart-{i}.svg`).
fn serialise(doc: &Document) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut charts = Vec::new();
    let mut body = Body::default();
    for block in &doc.blocks {
        let data = match block {
            Block::Heading { level, text } => BlockData::Heading {
                level: (*level).clamp(1, 3),
                text,
            },
            Block::Paragraph(text) => BlockData::Paragraph { text },
            Block::KeyFigures(figures) => BlockData::KeyFigures {
                figures: figures
                    .iter()
                    .map(|f| FigureData {
                        label: &f.label,
                        value: &f.value,
                        note: f.note.as_deref(),
                    })
                    .collect(),
            },
            Block::Table {
                caption,
                header,
                rows,
                numeric,
            } => {
                let (tables, landscape) = tables(caption, header, rows, numeric);
                body.tables(tables, landscape);
                continue;
            }
            Block::Chart { caption, svg, alt } => {
                let path = world::chart_path(charts.len());
                charts.push(svg.clone().into_bytes());
                BlockData::Chart { caption, path, alt }
            }
            Block::List(items) => BlockData::List {
                items: items.iter().map(String::as_str).collect(),
            },
            Block::PageBreak => BlockData::PageBreak,
        };
        body.push(data);
    }
    let data = Data {
        lang: doc.lang.code(),
        title: &doc.title,
        subtitle: doc.subtitle.as_deref(),
        organisation: &doc.organisation,
        generated: &doc.generated,
        blocks: body.blocks,
    };
    // Serialising borrowed strings, bools and integers cannot fail.
    let json = serde_json::to_vec(&data).unwrap_or_default();
    (json, charts)
}

/// A table padded to its widest row and laid out by its content: one table,
/// or several when split by columns; whether they go on landscape pages.
fn tables<'a>(
    caption: &'a str,
    header: &'a [String],
    rows: &'a [Vec<String>],
    numeric: &[bool],
) -> (Vec<BlockData<'a>>, bool) {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0)
        .max(1);
    let mut numeric = numeric.to_vec();
    numeric.resize(columns, false);
    let header = if header.is_empty() {
        Vec::new()
    } else {
        padded(header, columns)
    };
    let rows: Vec<Vec<&str>> = rows.iter().map(|row| padded(row, columns)).collect();
    let layout = table::layout(&header, &rows, &numeric);
    let pick = |cells: &[&'a str], part: &table::Part| -> Vec<&'a str> {
        part.columns.iter().map(|&x| cells[x]).collect()
    };
    let tables = layout
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| BlockData::Table {
            caption,
            continued: i > 0,
            header: if header.is_empty() {
                Vec::new()
            } else {
                pick(&header, part)
            },
            rows: rows.iter().map(|row| pick(row, part)).collect(),
            numeric: part.columns.iter().map(|&x| numeric[x]).collect(),
            widths: part.widths.clone(),
            size: layout.size,
        })
        .collect();
    (tables, layout.landscape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(doc: &Document) -> (serde_json::Value, Vec<Vec<u8>>) {
        let (data, charts) = serialise(doc);
        (serde_json::from_slice(&data).expect("valid JSON"), charts)
    }

    #[test]
    fn tables_are_padded_to_their_widest_row() {
        let doc = Document {
            blocks: vec![Block::Table {
                caption: "c".into(),
                header: vec!["a".into(), "b".into()],
                rows: vec![vec!["1".into()], vec!["1".into(), "2".into(), "3".into()]],
                numeric: vec![true],
            }],
            ..Document::default()
        };
        let (data, _) = json(&doc);
        let table = &data["blocks"][0];
        assert_eq!(table["kind"], "table");
        assert_eq!(table["header"], serde_json::json!(["a", "b", ""]));
        assert_eq!(
            table["rows"],
            serde_json::json!([["1", "", ""], ["1", "2", "3"]])
        );
        assert_eq!(table["numeric"], serde_json::json!([true, false, false]));
    }

    #[test]
    fn charts_become_numbered_files_and_levels_are_bounded() {
        let chart = |svg: &str| Block::Chart {
            caption: "c".into(),
            svg: svg.into(),
            alt: "a".into(),
        };
        let doc = Document {
            lang: Lang::En,
            blocks: vec![
                chart("<svg>0</svg>"),
                Block::Heading {
                    level: 7,
                    text: "h".into(),
                },
                chart("<svg>1</svg>"),
                Block::PageBreak,
            ],
            ..Document::default()
        };
        let (data, charts) = json(&doc);
        assert_eq!(data["lang"], "en");
        assert_eq!(data["blocks"][0]["path"], "/chart-0.svg");
        assert_eq!(data["blocks"][1]["level"], 3);
        assert_eq!(data["blocks"][2]["path"], "/chart-1.svg");
        assert_eq!(data["blocks"][3]["kind"], "page_break");
        assert_eq!(charts, [b"<svg>0</svg>".to_vec(), b"<svg>1</svg>".to_vec()]);
        // The SVG text itself is not in the JSON.
        assert!(!data.to_string().contains("<svg>"));
    }
}
