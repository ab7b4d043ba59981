//! The bilan as a PDF (A4, typeset in-process by `maillage_pdf`): the key
//! figures, then each table with its chart, as on the HTML page. The long
//! list of communes never reached is cut to the most populated ones (the
//! workbook has them all).

use crate::bilan::Bilan;
use crate::text;
use maillage_domain::Locale;
use maillage_pdf::{Block, Document, KeyFigure, Lang};

/// What the team wrote about a section: its paragraphs, then its
/// highlights as a list.
fn note(bilan: &Bilan, anchor: &str, highlights: &str, blocks: &mut Vec<Block>) {
    let Some(n) = bilan.note(anchor) else {
        return;
    };
    blocks.extend(n.paragraphs().map(|p| Block::Paragraph(p.to_owned())));
    if !n.highlights.is_empty() {
        blocks.push(Block::Paragraph(format!("{highlights} :")));
        blocks.push(Block::List(n.highlights.clone()));
    }
}

/// Rows of a table printed in full; longer tables are cut, with a note.
const MAX_ROWS: usize = 120;

pub fn document(bilan: &Bilan, locale: Locale) -> Document {
    let l = text::labels(locale);
    let mut blocks = Vec::new();
    blocks.push(Block::Heading {
        level: 1,
        text: l.key_figures.to_owned(),
    });
    blocks.push(Block::KeyFigures(
        bilan
            .key_figures(locale)
            .into_iter()
            .map(|k| KeyFigure {
                label: k.label.to_owned(),
                value: k.value,
                note: k.change.map(|c| match locale {
                    Locale::Fr => format!("{c} par rapport à l'édition précédente"),
                    Locale::En => format!("{c} compared with the previous edition"),
                }),
            })
            .collect(),
    ));
    note(bilan, "key_figures", l.highlights, &mut blocks);
    let mut charts = bilan.charts(locale);
    for (anchor, t) in bilan.sections(locale) {
        if t.key == "key_figures" {
            continue;
        }
        blocks.push(Block::Heading {
            level: 1,
            text: t.title.clone(),
        });
        note(bilan, &anchor, l.highlights, &mut blocks);
        let chart_key = if t.key == "coverage" { "map" } else { t.key };
        if let Some(i) = charts.iter().position(|c| c.key == chart_key) {
            let c = charts.remove(i);
            blocks.push(Block::Chart {
                caption: c.caption,
                svg: c.svg,
                alt: c.alt,
            });
        }
        let total = t.rows.len();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .take(MAX_ROWS)
            .map(|r| r.iter().map(|c| c.display(locale)).collect())
            .collect();
        if rows.is_empty() {
            blocks.push(Block::Paragraph(l.none.to_owned()));
            continue;
        }
        blocks.push(Block::Table {
            caption: t.title,
            header: t.header,
            rows,
            numeric: t.numeric,
        });
        if total > MAX_ROWS {
            blocks.push(Block::Paragraph(match locale {
                Locale::Fr => format!(
                    "… et {} autres lignes, dans le classeur XLSX du bilan.",
                    text::int(locale, (total - MAX_ROWS) as i64)
                ),
                Locale::En => format!(
                    "… and {} more rows, in the report's XLSX workbook.",
                    text::int(locale, (total - MAX_ROWS) as i64)
                ),
            }));
        }
    }
    Document {
        lang: match locale {
            Locale::Fr => Lang::Fr,
            Locale::En => Lang::En,
        },
        title: bilan.title(locale),
        subtitle: Some(bilan.subtitle(locale)),
        organisation: bilan.organisation(),
        // The template says "Document généré le" / "Generated on".
        generated: text::date(
            locale,
            bilan
                .generated_at
                .with_timezone(&chrono_tz::Europe::Paris)
                .date_naive(),
        ),
        blocks,
    }
}

pub fn render(bilan: &Bilan, locale: Locale) -> Result<Vec<u8>, maillage_pdf::Error> {
    maillage_pdf::render(&document(bilan, locale))
}
