//! Where the text of a laid-out report lands, to check that no text prints
//! over another (tests of the reports use it on every table they make).

use typst::layout::{Frame, FrameItem, Point, Transform};

/// A run of text as laid out: its page (from 1), its characters and the
/// box its glyphs' ink covers, in points from the page's top left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The page, from 1.
    pub page: usize,
    /// The run's text.
    pub text: String,
    /// Left, top, right, bottom, in points.
    pub rect: [f64; 4],
}

impl TextBox {
    /// The area, in square points, that this box and `other` both cover
    /// (zero when they are on different pages or do not meet).
    pub fn overlap(&self, other: &TextBox) -> f64 {
        if self.page != other.page {
            return 0.0;
        }
        let [a0, a1, a2, a3] = self.rect;
        let [b0, b1, b2, b3] = other.rect;
        let w = a2.min(b2) - a0.max(b0);
        let h = a3.min(b3) - a1.max(b1);
        if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
    }
}

pub(crate) fn text_boxes(pages: &[typst_layout::Page]) -> Vec<TextBox> {
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        collect(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn collect(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<TextBox>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                collect(&group.frame, inner, page, out);
            }
            FrameItem::Text(text) => {
                let b = text.bbox();
                if !b.min.x.to_pt().is_finite() || !b.max.x.to_pt().is_finite() {
                    // Spaces only: no ink.
                    continue;
                }
                let corners = [
                    Point::new(b.min.x, b.min.y),
                    Point::new(b.max.x, b.max.y),
                    Point::new(b.min.x, b.max.y),
                    Point::new(b.max.x, b.min.y),
                ]
                .map(|c| (*pos + c).transform(ts));
                let xs = corners.map(|c| c.x.to_pt());
                let ys = corners.map(|c| c.y.to_pt());
                let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
                let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
                out.push(TextBox {
                    page,
                    text: text.text.to_string(),
                    rect: [min(xs), min(ys), max(xs), max(ys)],
                });
            }
            _ => {}
        }
    }
}
