//! The typst world of one report: the embedded template, fonts and standard
//! library (built once per process), the document's JSON and its charts.
//! Nothing else exists in it: any other path is "not found".

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::Error;

/// The layout of every report.
const TEMPLATE: &str = include_str!("report.typ");

/// Liberation Sans (SIL OFL 1.1, `fonts/OFL.txt`).
pub(crate) const FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
];

/// How many generations of typst's memoised results to keep between reports.
/// None: each report differs from the last in its figures, and measured with
/// the benchmark, a warm cache made the next report slower, not faster (the
/// cost of hashing and looking up outweighs what it saves), besides growing
/// in a server that makes reports all day. The fonts, the template's syntax
/// tree and the standard library are kept by this module, not by the cache.
const CACHE_GENERATIONS: usize = 0;

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONT_SET: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("{path} is a valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/report.typ"));
static DATA: LazyLock<FileId> = LazyLock::new(|| file_id("/data.json"));
static MAIN_SOURCE: LazyLock<Source> = LazyLock::new(|| Source::new(*MAIN, TEMPLATE.to_owned()));

/// The virtual path of the `index`th chart of a document.
pub(crate) fn chart_path(index: usize) -> String {
    format!("/chart-{index}.svg")
}

struct ReportWorld {
    data: Bytes,
    /// Each chart's file id and SVG.
    charts: Vec<(FileId, Bytes)>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONT_SET.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(MAIN_SOURCE.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA {
            return Ok(self.data.clone());
        }
        if id == *MAIN {
            return Ok(Bytes::new(TEMPLATE.as_bytes()));
        }
        self.charts
            .iter()
            .find(|(chart, _)| *chart == id)
            .map(|(_, svg)| svg.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONT_SET.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Reports carry the date their caller formatted; the template never
        // asks, and a PDF that depends on the clock would not be reproducible.
        None
    }
}

/// Lays the document out, then hands typst's pages to `then` (which writes
/// the PDF, or reads where the text landed).
fn compiled<T>(
    data: Vec<u8>,
    charts: Vec<Vec<u8>>,
    then: impl FnOnce(&ReportWorld, &PagedDocument) -> Result<T, Error>,
) -> Result<T, Error> {
    let world = ReportWorld {
        data: Bytes::new(data),
        charts: charts
            .into_iter()
            .enumerate()
            .map(|(i, svg)| (file_id(&chart_path(i)), Bytes::new(svg)))
            .collect(),
    };
    let result = match typst::compile::<PagedDocument>(&world).output {
        Err(diagnostics) => Err(Error::Layout(describe(&world, &diagnostics))),
        Ok(document) => then(&world, &document),
    };
    typst::comemo::evict(CACHE_GENERATIONS);
    result
}

pub(crate) fn render(data: Vec<u8>, charts: Vec<Vec<u8>>) -> Result<Vec<u8>, Error> {
    compiled(data, charts, |world, document| {
        let options = PdfOptions {
            creator: Smart::Custom(Some("Maillage".into())),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(document, &options)
            .map_err(|diagnostics| Error::Export(describe(world, &diagnostics)))
    })
}

pub(crate) fn text_boxes(
    data: Vec<u8>,
    charts: Vec<Vec<u8>>,
) -> Result<Vec<crate::inspect::TextBox>, Error> {
    compiled(data, charts, |_, document| {
        Ok(crate::inspect::text_boxes(document.pages()))
    })
}

/// typst's errors as text: "report.typ:12: message (hint: …)", one a line.
fn describe(world: &ReportWorld, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let mut line = String::new();
            match d.span.id() {
                Some(id) if id == *MAIN => {
                    if let Some(range) = world.range(d.span) {
                        let number = TEMPLATE
                            .get(..range.start)
                            .map_or(0, |before| before.matches('\n').count() + 1);
                        line.push_str(&format!("report.typ:{number}: "));
                    }
                }
                Some(id) => line.push_str(&format!("{}: ", id.vpath().get_with_slash())),
                None => {}
            }
            line.push_str(&d.message);
            for hint in &d.hints {
                line.push_str(&format!(" (hint: {})", hint.v));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}
