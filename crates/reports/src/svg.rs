//! Charts of a bilan as SVG text: horizontal bars and the map of the
//! communes of a département. Every chart has a title and a description
//! (`role="img"`, `aria-labelledby`), and is always shown beside a table of
//! the same figures; colours pass WCAG AA contrast on white.

use crate::coverage::Coverage;
use std::fmt::Write;

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
        28.0
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

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The map of the communes of the covered département, drawn from their
/// coordinates (an equirectangular projection corrected for latitude): a
/// grey dot per commune, a larger coloured dot per commune reached (its
/// area grows with the number of activities), each with its name as a
/// tooltip. The table beside it carries the same information.
pub fn map(id: &str, coverage: &Coverage, title: &str, desc: &str, legend: (&str, &str)) -> String {
    let communes = maillage_geo::communes_of_departement(coverage.departement);
    let points: Vec<(f64, f64)> = communes
        .iter()
        .filter_map(|c| Some((c.lon?, c.lat?)))
        .collect();
    let width = 640.0;
    let mut s = String::new();
    if points.is_empty() {
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 40" role="img" aria-labelledby="{id}-t"><title id="{id}-t">{}</title></svg>"#,
            escape(title)
        );
        return s;
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in &points {
        x0 = x0.min(*lon);
        x1 = x1.max(*lon);
        y0 = y0.min(*lat);
        y1 = y1.max(*lat);
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let margin = 12.0;
    let span_x = ((x1 - x0) * k).max(1e-6);
    let span_y = (y1 - y0).max(1e-6);
    let scale = (width - 2.0 * margin) / span_x;
    let height = (span_y * scale + 2.0 * margin + 30.0).min(900.0);
    let scale = scale.min((height - 2.0 * margin - 30.0) / span_y);
    let px = |lon: f64| margin + (lon - x0) * k * scale;
    let py = |lat: f64| margin + 30.0 + (y1 - lat) * scale;
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" role="img" aria-labelledby="{id}-t {id}-d" font-family="sans-serif" font-size="13"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    let _ = write!(
        s,
        r##"<circle cx="18" cy="16" r="6" fill="{ACCENT}"/><text x="30" y="21" fill="{TEXT}">{}</text><circle cx="218" cy="16" r="3" fill="#b0b0b0"/><text x="230" y="21" fill="{TEXT}">{}</text>"##,
        escape(legend.0),
        escape(legend.1)
    );
    let reached: std::collections::HashMap<&str, i64> = coverage
        .reached
        .iter()
        .map(|r| (r.insee, r.figures.activities))
        .collect();
    s.push_str(r##"<g fill="#b0b0b0">"##);
    for c in &communes {
        if reached.contains_key(c.insee) {
            continue;
        }
        if let (Some(lon), Some(lat)) = (c.lon, c.lat) {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.2"><title>{}</title></circle>"#,
                px(lon),
                py(lat),
                escape(c.name)
            );
        }
    }
    s.push_str("</g>");
    let _ = write!(
        s,
        r##"<g fill="{ACCENT}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.8">"##
    );
    for c in &communes {
        let Some(n) = reached.get(c.insee) else {
            continue;
        };
        if let (Some(lon), Some(lat)) = (c.lon, c.lat) {
            let r = 3.5 + (*n as f64).sqrt() * 1.6;
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="{:.1}"><title>{} ({n})</title></circle>"#,
                px(lon),
                py(lat),
                r.min(14.0),
                escape(c.name)
            );
        }
    }
    s.push_str("</g></svg>");
    s
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
