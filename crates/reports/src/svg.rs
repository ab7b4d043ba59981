//! Charts of a bilan as SVG text: horizontal bars and the map of the
//! communes of a département. Every chart has a title and a description
//! (`role="img"`, `aria-labelledby`), and is always shown beside a table of
//! the same figures; colours pass WCAG AA contrast on white.

use std::fmt::Write;

mod map;

pub use map::{MapLegend, map};

/// Accent colour of bars and communes reached (contrast 7.4:1 on white).
const ACCENT: &str = "#1d4f91";
/// Second series (previous edition), contrast 4.6:1 on white.
const SECOND: &str = "#767676";
const TEXT: &str = "#1a1a1a";

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One bar: its label, value, the value of the previous edition when
/// compared, and the value written beside it.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub previous: Option<i64>,
    pub text: String,
}

/// A horizontal bar chart, one row per bar (two thin bars a row when a
/// previous edition is given). `id` makes the title/description ids unique
/// in a page.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[Bar],
    legend: Option<(&str, &str)>,
) -> String {
    let width = 640.0;
    let label_w = 220.0;
    let value_w = 90.0;
    let plot_w = width - label_w - value_w - 10.0;
    let compared = bars.iter().any(|b| b.previous.is_some());
    let row_h = if compared { 34.0 } else { 24.0 };
    let top = if legend.is_some() && compared {
        46.0
    } else {
        6.0
    };
    let height = top + row_h * bars.len() as f64 + 6.0;
    let max = bars
        .iter()
        .flat_map(|b| [b.value, b.previous.unwrap_or(0)])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-t {id}-d" font-family="sans-serif" font-size="13"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    // The legend, one line per edition (names can be long).
    if let (Some((now, before)), true) = (legend, compared) {
        let _ = write!(
            s,
            r#"<rect x="{label_w}" y="6" width="12" height="12" fill="{ACCENT}"/><text x="{}" y="16" fill="{TEXT}">{}</text><rect x="{label_w}" y="26" width="12" height="12" fill="{SECOND}"/><text x="{}" y="36" fill="{TEXT}">{}</text>"#,
            label_w + 16.0,
            escape(now),
            label_w + 16.0,
            escape(before)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = (b.value.max(0) as f64 / max * plot_w).max(if b.value > 0 { 1.0 } else { 0.0 });
        let bar_h = if compared { 13.0 } else { 16.0 };
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end" fill="{TEXT}">{}</text><rect x="{label_w}" y="{:.1}" width="{w:.1}" height="{bar_h}" fill="{ACCENT}"/><text x="{:.1}" y="{:.1}" fill="{TEXT}">{}</text>"#,
            label_w - 8.0,
            y + 16.0,
            escape(&truncate(&b.label, 32)),
            y + 4.0,
            label_w + w + 6.0,
            y + 16.0,
            escape(&b.text)
        );
        if let Some(p) = b.previous {
            let pw = (p.max(0) as f64 / max * plot_w).max(if p > 0 { 1.0 } else { 0.0 });
            let _ = write!(
                s,
                r#"<rect x="{label_w}" y="{:.1}" width="{pw:.1}" height="9" fill="{SECOND}"/>"#,
                y + 19.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// `s` cut to `max` characters, an ellipsis ending what was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_escape_labels_and_scale_to_the_largest() {
        let svg = bars(
            "c1",
            "Formats <&>",
            "desc",
            &[
                Bar {
                    label: "Atelier \"A\" & <b>".into(),
                    value: 10,
                    previous: Some(5),
                    text: "10".into(),
                },
                Bar {
                    label: "Conférence".into(),
                    value: 0,
                    previous: None,
                    text: "0".into(),
                },
            ],
            Some(("2025", "2024")),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Formats &lt;&amp;&gt;"));
        assert!(svg.contains("Atelier &quot;A&quot; &amp; &lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        // The largest bar takes the whole plot width, the previous half.
        assert!(svg.contains(r#"width="320.0""#), "{svg}");
        assert!(svg.contains(r#"width="160.0""#), "{svg}");
        assert!(svg.contains(r#"role="img""#));
    }
}
