//! What a bilan is laid out as: its key figures, title and subtitle, and
//! the cells, tables and charts that the HTML page, the PDF and the
//! workbook show; the rows of a figure compared with the edition before.

use super::Bilan;
use crate::text::{self, Labels};
use maillage_domain::Locale;

/// A headline figure.
pub struct KeyFigure {
    pub label: &'static str,
    pub value: String,
    pub previous: Option<String>,
    pub change: Option<String>,
}

/// A cell of a table: text, or a figure that the page and the PDF write
/// in the reader's language and the workbook keeps as a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A share from 0 to 1.
    Share(f64),
    /// The change from the second figure to the first.
    Change(i64, i64),
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    /// The text of a text cell ("" for figures).
    pub fn as_text(&self) -> &str {
        match self {
            Cell::Text(s) => s,
            _ => "",
        }
    }

    /// The cell as the reader sees it.
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => text::int(locale, *n),
            Cell::Share(x) => text::percent(locale, *x),
            Cell::Change(now, before) => text::change(locale, *now, *before),
        }
    }

    /// The cell for a spreadsheet: plain numbers ("12345", "0.4523", the
    /// difference for a change), text otherwise.
    pub fn raw(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Share(x) => {
                let s = format!("{:.4}", x);
                let s = s.trim_end_matches('0').trim_end_matches('.');
                if s.is_empty() || s == "-" {
                    "0".into()
                } else {
                    s.to_owned()
                }
            }
            Cell::Change(now, before) => (now - before).to_string(),
        }
    }
}

/// A table of the bilan: the HTML page shows it, the PDF prints it, the
/// workbook gives it a sheet.
pub struct Table {
    /// Stable short name (sheet names, anchors).
    pub key: &'static str,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
}

/// An SVG chart with its text alternative; the table of the same key
/// carries its figures.
pub struct Chart {
    pub key: &'static str,
    pub caption: String,
    pub svg: String,
    pub alt: String,
}

/// The label of a vocabulary's `code` in `locale`: `none` for no code, the
/// code itself for one the vocabulary does not know.
pub(super) fn label_of<T: Copy>(
    parse: fn(&str) -> Result<T, maillage_domain::FieldError>,
    label: fn(T, Locale) -> &'static str,
    code: &str,
    locale: Locale,
    none: &str,
) -> String {
    if code.is_empty() {
        return none.to_owned();
    }
    parse(code).map_or_else(|_| code.to_owned(), |v| label(v, locale).to_owned())
}

/// The label of an audience code of the figures: an audience, or a school
/// level ("level:college" → "Collège").
pub(super) fn audience_label(code: &str, locale: Locale, none: &str) -> String {
    match code.strip_prefix("level:") {
        Some(level) => label_of(
            maillage_domain::programme::SchoolLevel::parse,
            maillage_domain::programme::SchoolLevel::label,
            level,
            locale,
            none,
        ),
        None => label_of(
            maillage_domain::programme::Audience::parse,
            maillage_domain::programme::Audience::label,
            code,
            locale,
            none,
        ),
    }
}

impl Bilan {
    pub fn key_figures(&self, locale: Locale) -> Vec<KeyFigure> {
        let l = text::labels(locale);
        let mut out: Vec<KeyFigure> = self
            .indicators(l)
            .into_iter()
            .map(|(label, now, before)| KeyFigure {
                label,
                value: text::int(locale, now),
                previous: before.map(|b| text::int(locale, b)),
                change: before.map(|b| text::change(locale, now, b)),
            })
            .collect();
        if let Some(rate) = self.now.bookings.fill_rate() {
            out.push(KeyFigure {
                label: l.fill_rate,
                value: text::percent(locale, rate),
                previous: self
                    .before
                    .as_ref()
                    .and_then(|b| b.bookings.fill_rate())
                    .map(|r| text::percent(locale, r)),
                change: None,
            });
        }
        out
    }

    /// The organisation the bilan is from: the project's organiser (else
    /// its first co-organiser).
    pub fn organisation(&self) -> String {
        use maillage_domain::programme::PartnerRole;
        let partners = &self.project.partners;
        partners
            .iter()
            .find(|p| p.role == PartnerRole::Organiser)
            .or_else(|| partners.iter().find(|p| p.role == PartnerRole::CoOrganiser))
            .map_or_else(|| "Maillage".to_owned(), |p| p.organisation_name.clone())
    }

    /// The title: "Bilan — Fête de la science 2025".
    pub fn title(&self, locale: Locale) -> String {
        format!(
            "{} — {}",
            text::labels(locale).bilan,
            self.project.data.name
        )
    }

    /// "4 – 13 octobre 2025, compared with …".
    pub fn subtitle(&self, locale: Locale) -> String {
        let d = &self.project.data;
        let dates = format!(
            "{} – {}",
            text::date(locale, d.starts_on),
            text::date(locale, d.ends_on)
        );
        match (&self.previous, locale) {
            (Some(p), Locale::Fr) => format!("{dates} · comparé à {}", p.data.name),
            (Some(p), Locale::En) => format!("{dates} · compared with {}", p.data.name),
            (None, _) => dates,
        }
    }

    /// The header "first | value | previous edition | change" (the last
    /// two with an edition before), and which columns are figures.
    pub(super) fn header(&self, l: &Labels, first: &str, value: &str) -> (Vec<String>, Vec<bool>) {
        let mut h = vec![first.to_owned(), value.to_owned()];
        let mut n = vec![false, true];
        if self.compared() {
            h.push(l.previous_edition.to_owned());
            h.push(l.change.to_owned());
            n.extend([true, true]);
        }
        (h, n)
    }

    /// A row "label | now | before | change" under [`Bilan::header`].
    pub(super) fn compared_row(&self, label: &str, now: i64, before: Option<i64>) -> Vec<Cell> {
        let mut r = vec![Cell::text(label), Cell::Int(now)];
        if self.compared() {
            r.push(before.map_or(Cell::Empty, Cell::Int));
            r.push(before.map_or(Cell::Empty, |b| Cell::Change(now, b)));
        }
        r
    }

    /// A row "label | share now | share before |" under [`Bilan::header`]
    /// (no change between two shares).
    pub(super) fn share_row(
        &self,
        label: &str,
        now: Option<f64>,
        before: Option<f64>,
    ) -> Vec<Cell> {
        let share = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Share);
        let mut r = vec![Cell::text(label), share(now)];
        if self.compared() {
            r.push(share(before));
            r.push(Cell::Empty);
        }
        r
    }
}
