//! Column widths of a table from its content, measured with the embedded
//! font's advance widths, as a browser lays out an automatic table: each
//! column gets at least its longest unbreakable piece (a word, a number, a
//! whole figure), and the room left is shared in proportion to how much
//! more each column's longest line would take. A table that does not fit the
//! portrait text width goes on a landscape page, in a smaller type if
//! needed; one still too wide is split into several tables that each repeat
//! the first column.

use std::sync::LazyLock;

/// Liberation Sans regular and bold (the cells and the header row).
static FACES: LazyLock<[ttf_parser::Face<'static>; 2]> = LazyLock::new(|| {
    [crate::world::FONTS[0], crate::world::FONTS[1]]
        .map(|data| ttf_parser::Face::parse(data, 0).unwrap_or_else(|_| unreachable!()))
});

/// Text width of A4 with 2 cm margins, in points: portrait, landscape.
const PORTRAIT: f64 = 481.9;
const LANDSCAPE: f64 = 728.5;
/// A cell's horizontal padding, both sides (the template's `inset.x` × 2).
const INSET: f64 = 12.0;
/// Type sizes tried in turn, in points.
const SIZES: [f64; 3] = [9.0, 8.0, 7.0];
/// Measured widths are widened by this much: kerning, rounding, and typst's
/// own measure may differ from the sum of advances by a fraction of a point.
const SAFETY: f64 = 1.04;

/// Width of `text` in ems, with the regular or bold face.
pub(crate) fn em_width(text: &str, bold: bool) -> f64 {
    let face = &FACES[usize::from(bold)];
    let per_em = f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.55, |a| f64::from(a) / per_em)
        })
        .sum()
}

/// The pieces of `text` that a line is never broken within: text between
/// spaces, a hyphen ending its piece. No-break spaces (U+00A0, U+202F) join.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\n', '\t'])
        .flat_map(|word| word.split_inclusive('-'))
        .filter(|p| !p.is_empty())
}

/// How one table is set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// One entry per column group: the columns it shows (the first column
    /// of the table is repeated in each group after the first) and their
    /// widths in points, cell padding included.
    pub parts: Vec<Part>,
    /// On a landscape page.
    pub landscape: bool,
    /// Type size of the cells, in points.
    pub size: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    pub columns: Vec<usize>,
    pub widths: Vec<f64>,
}

/// Each column's narrowest and widest content, in ems.
struct Extent {
    min: f64,
    max: f64,
    numeric: bool,
}

fn extents(header: &[&str], rows: &[Vec<&str>], numeric: &[bool]) -> Vec<Extent> {
    let columns = numeric.len();
    (0..columns)
        .map(|x| {
            let numeric = numeric[x];
            let mut e = Extent {
                min: 0.0,
                max: 0.0,
                numeric,
            };
            let head = header.get(x).copied().unwrap_or("");
            for p in pieces(head) {
                e.min = e.min.max(em_width(p, true));
            }
            e.max = e.max.max(em_width(head, true));
            for row in rows {
                let cell = row.get(x).copied().unwrap_or("");
                let whole = em_width(cell, false);
                e.max = e.max.max(whole);
                if numeric {
                    e.min = e.min.max(whole);
                } else {
                    for p in pieces(cell) {
                        e.min = e.min.max(em_width(p, false));
                    }
                }
            }
            e
        })
        .collect()
}

/// Widths in points (padding included) of `columns` in `room` points of
/// text width at `size`, or None when their narrowest content does not fit.
fn fit(extents: &[&Extent], room: f64, size: f64) -> Option<Vec<f64>> {
    let scale = size * SAFETY;
    let min: Vec<f64> = extents.iter().map(|e| e.min * scale + 1.0).collect();
    let max: Vec<f64> = extents
        .iter()
        .zip(&min)
        .map(|(e, m)| (e.max * scale + 1.0).max(*m))
        .collect();
    let room = room - INSET * extents.len() as f64;
    let (sum_min, sum_max) = (min.iter().sum::<f64>(), max.iter().sum::<f64>());
    if sum_min > room {
        return None;
    }
    let widths: Vec<f64> = if sum_max <= room {
        // Everything on one line: the room left goes to the text columns.
        let text: f64 = extents
            .iter()
            .zip(&max)
            .filter(|(e, _)| !e.numeric)
            .map(|(_, m)| m)
            .sum();
        let spare = room - sum_max;
        extents
            .iter()
            .zip(&max)
            .map(|(e, m)| {
                if text > 0.0 {
                    m + if e.numeric { 0.0 } else { spare * m / text }
                } else {
                    m + spare / extents.len() as f64
                }
            })
            .collect()
    } else {
        let spare = room - sum_min;
        let wish = sum_max - sum_min;
        min.iter()
            .zip(&max)
            .map(|(lo, hi)| lo + (hi - lo) * spare / wish)
            .collect()
    };
    Some(widths.into_iter().map(|w| w + INSET).collect())
}

/// The layout of a table whose cells are `rows` under `header`.
pub(crate) fn layout(header: &[&str], rows: &[Vec<&str>], numeric: &[bool]) -> Layout {
    let extents = extents(header, rows, numeric);
    let all: Vec<&Extent> = extents.iter().collect();
    let columns: Vec<usize> = (0..extents.len()).collect();
    for (landscape, room) in [(false, PORTRAIT), (true, LANDSCAPE)] {
        for size in SIZES {
            if !landscape && size < SIZES[0] {
                // A smaller type in portrait reads worse than a landscape page.
                continue;
            }
            if let Some(widths) = fit(&all, room, size) {
                return Layout {
                    parts: vec![Part {
                        columns: columns.clone(),
                        widths,
                    }],
                    landscape,
                    size,
                };
            }
        }
    }
    // Too wide even in landscape at the smallest size: columns in groups,
    // each led by the first column.
    let size = SIZES[SIZES.len() - 1];
    let mut parts = Vec::new();
    let mut current: Vec<usize> = vec![0];
    for x in 1..extents.len() {
        let mut tried = current.clone();
        tried.push(x);
        let set: Vec<&Extent> = tried.iter().map(|&i| &extents[i]).collect();
        if current.len() > 1 && fit(&set, LANDSCAPE, size).is_none() {
            parts.push(current);
            current = vec![0, x];
        } else {
            current = tried;
        }
    }
    parts.push(current);
    Layout {
        parts: parts
            .into_iter()
            .map(|columns| {
                let set: Vec<&Extent> = columns.iter().map(|&i| &extents[i]).collect();
                // A group of one column beside the first may still be too
                // wide: its widths then follow the content and typst wraps.
                let widths = fit(&set, LANDSCAPE, size).unwrap_or_else(|| {
                    let total: f64 = set.iter().map(|e| e.min.max(0.1)).sum();
                    set.iter()
                        .map(|e| LANDSCAPE * e.min.max(0.1) / total)
                        .collect()
                });
                Part { columns, widths }
            })
            .collect(),
        landscape: true,
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &[&[&str]]) -> Vec<Vec<&'static str>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|s| &*Box::leak(s.to_string().into_boxed_str()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn widths_come_from_the_font() {
        // "i" is narrower than "m" in any proportional face.
        assert!(em_width("iiii", false) < em_width("mmmm", false));
        assert!(em_width("Commune", true) > em_width("Commune", false));
        assert!(em_width("", false) == 0.0);
    }

    #[test]
    fn a_narrow_table_stays_in_portrait_and_fills_the_width() {
        let rows = cells(&[&["Grenoble", "38185", "12"], &["Voiron", "38563", "3"]]);
        let l = layout(
            &["Commune", "Code INSEE", "Activités"],
            &rows,
            &[false, true, true],
        );
        assert!(!l.landscape);
        assert_eq!(l.size, 9.0);
        let w = &l.parts[0].widths;
        assert!((w.iter().sum::<f64>() - PORTRAIT).abs() < 0.5, "{w:?}");
        // The text column takes the room left.
        assert!(w[0] > w[1] && w[0] > w[2], "{w:?}");
        // The code's column is at least the code's width.
        assert!(w[1] >= em_width("Code", true) * 9.0 + INSET);
    }

    #[test]
    fn long_texts_share_the_room_and_short_columns_keep_their_words() {
        let long = "Atelier 20,0 % · Conférence ou rencontre 20,0 % · Exposition 20,0 % · Visite de laboratoire 20,0 %";
        let rows = cells(&[&[
            "Quel type d'animation avez-vous préféré ?",
            "320",
            long,
            long,
        ]]);
        let l = layout(
            &["Question", "Réponses", "Résultats", "Édition précédente"],
            &rows,
            &[false, true, false, false],
        );
        assert!(!l.landscape);
        let w = &l.parts[0].widths;
        // No column narrower than its longest word ("d'animation", "Réponses").
        assert!(
            w[0] >= em_width("d'animation", false) * 9.0 + INSET,
            "{w:?}"
        );
        assert!(w[1] >= em_width("Réponses", true) * 9.0 + INSET, "{w:?}");
        assert!((w.iter().sum::<f64>() - PORTRAIT).abs() < 0.5, "{w:?}");
    }

    #[test]
    fn a_wide_table_turns_landscape_then_splits() {
        let header: Vec<String> = (0..9).map(|i| format!("Accompagnateurs{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = cells(&[&["Saint-Martin-d'Hères"; 9]]);
        let l = layout(&header, &rows, &[false; 9]);
        assert!(l.landscape);
        assert_eq!(l.parts.len(), 1);

        let header: Vec<String> = (0..30).map(|i| format!("Accompagnateurs{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = cells(&[&["1234567890"; 30]]);
        let l = layout(&header, &rows, &[true; 30]);
        assert!(l.landscape);
        assert!(l.parts.len() > 1);
        // Every column is shown once, the first in every part.
        let mut seen: Vec<usize> = l
            .parts
            .iter()
            .flat_map(|p| p.columns[1..].to_vec())
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (1..30).collect::<Vec<_>>());
        assert!(l.parts.iter().all(|p| p.columns[0] == 0));
        for p in &l.parts {
            assert!(p.widths.iter().sum::<f64>() <= LANDSCAPE + 0.5);
        }
    }
}
