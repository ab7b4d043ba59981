//! The map of the communes of a département: its outline, the
//! approximate boundaries of its EPCIs, a dot per commune and the names of
//! the main ones.

use super::{ACCENT, TEXT, escape};
use crate::coverage::Coverage;
use std::fmt::Write;

/// The words of the map's legend.
pub struct MapLegend<'a> {
    pub reached: &'a str,
    pub not_reached: &'a str,
    pub epci_boundary: &'a str,
}

/// Fill of the département's outline, and its stroke (decorative).
const LAND: &str = "#eef2f6";
const LAND_EDGE: &str = "#5b6b7c";
/// EPCI boundaries (decorative).
const BOUNDARY: &str = "#9aa4af";
/// Communes not reached.
const GREY_DOT: &str = "#a8a8a8";

/// How many of the most populated communes are named on the map, reached
/// or not; the reached ones among the `REACHED_NAMED` most populated are
/// named too (when their names find room).
const NAMED: usize = 8;
const REACHED_NAMED: usize = 40;

/// The map of the communes of the covered département, drawn from their
/// coordinates (an equirectangular projection corrected for latitude): the
/// outline of the département where one is shipped
/// ([`maillage_geo::outline`]) and within it the boundaries between its
/// EPCIs approximated from the communes' positions
/// ([`maillage_geo::epci_boundaries`], said so in the legend), a grey dot
/// per commune, a larger coloured dot per commune reached (its area grows
/// with the number of activities), each with its name as a tooltip, and
/// the names of the main communes where they do not overlap. Plain SVG
/// (paths, circles, text) that typst renders too. The table beside it
/// carries the same information.
pub fn map(
    id: &str,
    coverage: &Coverage,
    title: &str,
    desc: &str,
    legend: MapLegend<'_>,
) -> String {
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
    let outline = maillage_geo::outline(coverage.departement);
    // The extent: the outline's and the communes' (a commune's point may
    // lie just outside the outline).
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in outline.into_iter().flatten().flatten().chain(&points) {
        x0 = x0.min(*lon);
        x1 = x1.max(*lon);
        y0 = y0.min(*lat);
        y1 = y1.max(*lat);
    }
    let font = 13.0;
    let margin = 12.0;
    // The EPCI boundaries, only inside an outline: without one they would
    // end in the void.
    let boundaries = match outline {
        Some(_) => maillage_geo::epci_boundaries(coverage.departement),
        None => &[],
    };
    let (legend_svg, legend_h) =
        map_legend(&legend, !boundaries.is_empty(), width - 2.0 * margin, font);
    let top = legend_h + 8.0;
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let span_x = ((x1 - x0) * k).max(1e-6);
    let span_y = (y1 - y0).max(1e-6);
    let scale = (width - 2.0 * margin) / span_x;
    let height = (span_y * scale + top + margin).min(900.0);
    let scale = scale.min((height - top - margin) / span_y);
    // Centred across when the height limits the scale.
    let left = (width - span_x * scale) / 2.0;
    let px = |lon: f64| left + (lon - x0) * k * scale;
    let py = |lat: f64| top + (y1 - lat) * scale;
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" role="img" aria-labelledby="{id}-t {id}-d" font-family="sans-serif" font-size="{font}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    s.push_str(&legend_svg);

    if let Some(rings) = outline {
        let mut d = String::new();
        for ring in rings {
            for (i, (lon, lat)) in ring.iter().enumerate() {
                let op = if i == 0 { 'M' } else { 'L' };
                let _ = write!(d, "{op}{:.1} {:.1}", px(*lon), py(*lat));
            }
            d.push('Z');
        }
        let _ = write!(
            s,
            r#"<path d="{d}" fill="{LAND}" fill-rule="evenodd" stroke="{LAND_EDGE}" stroke-width="1.4" stroke-linejoin="round"/>"#
        );
    }
    if !boundaries.is_empty() {
        let mut d = String::new();
        for [(ax, ay), (bx, by)] in boundaries {
            let _ = write!(
                d,
                "M{:.1} {:.1}L{:.1} {:.1}",
                px(*ax),
                py(*ay),
                px(*bx),
                py(*by)
            );
        }
        let _ = write!(
            s,
            r#"<path d="{d}" fill="none" stroke="{BOUNDARY}" stroke-width="0.9" stroke-linecap="round"/>"#
        );
    }

    let reached: std::collections::HashMap<&str, i64> = coverage
        .reached
        .iter()
        .map(|r| (r.insee, r.figures.activities))
        .collect();
    let radius = |n: i64| (3.5 + (n as f64).sqrt() * 1.6).min(14.0);
    let _ = write!(s, r#"<g fill="{GREY_DOT}">"#);
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
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="{:.1}"><title>{} ({n})</title></circle>"#,
                px(lon),
                py(lat),
                radius(*n),
                escape(c.name)
            );
        }
    }
    s.push_str("</g>");

    // The names of the main communes, largest first, each where it fits.
    let mut by_population: Vec<_> = communes
        .iter()
        .filter(|c| c.lon.is_some() && c.lat.is_some())
        .collect();
    by_population.sort_by_key(|c| std::cmp::Reverse(c.population.unwrap_or(0)));
    let named: Vec<_> = by_population
        .iter()
        .enumerate()
        .filter(|(i, c)| *i < NAMED || (*i < REACHED_NAMED && reached.contains_key(c.insee)))
        .map(|(_, c)| *c)
        .collect();
    let labelled: Vec<(&str, f64, f64, f64)> = named
        .iter()
        .filter_map(|c| {
            let r = reached.get(c.insee).map_or(2.2, |n| radius(*n));
            Some((c.name, px(c.lon?), py(c.lat?), r))
        })
        .collect();
    // The other communes reached: better not covered.
    let others: Vec<[f64; 4]> = communes
        .iter()
        .filter(|c| !named.iter().any(|n| n.insee == c.insee))
        .filter_map(|c| {
            let r = radius(*reached.get(c.insee)?);
            let (x, y) = (px(c.lon?), py(c.lat?));
            Some([x - r, y - r, x + r, y + r])
        })
        .collect();
    s.push_str(&labels(
        &labelled,
        &others,
        [2.0, top, width - 2.0, height - 2.0],
    ));
    s.push_str("</svg>");
    s
}

/// The names of communes beside their dots (name, x, y, radius), in the
/// order given, each at the place around its dot (right, left, above,
/// below, corners) that stays within `bounds`, covers neither a name
/// already placed nor the dot of a commune named, and covers the fewest
/// other dots (those of `named` first, then the boxes of `others`). A name
/// finding no place is left out, and so is one whose dot an earlier name
/// covers. Dark text with a white halo.
fn labels(named: &[(&str, f64, f64, f64)], others: &[[f64; 4]], bounds: [f64; 4]) -> String {
    let font = 11.0;
    let overlap =
        |a: &[f64; 4], b: &[f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    let dots: Vec<[f64; 4]> = named
        .iter()
        .map(|&(_, x, y, r)| [x - r, y - r, x + r, y + r])
        .collect();
    let mut covered = vec![false; named.len()];
    // The names placed and their dots.
    let mut placed: Vec<[f64; 4]> = Vec::new();
    let mut s = format!(
        r##"<g font-size="{font}" fill="{TEXT}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
    );
    for (i, &(name, x, y, r)) in named.iter().enumerate() {
        if covered[i] {
            continue;
        }
        let (w, h) = (0.55 * font * name.chars().count() as f64, font);
        let (gap, diagonal) = (r + 2.5, r * 0.7 + 1.5);
        // (anchor, x, baseline, left of the box): right, left, above,
        // below, then the four corners.
        let spots = [
            ("start", x + gap, y + h * 0.35, x + gap),
            ("end", x - gap, y + h * 0.35, x - gap - w),
            ("middle", x, y - gap - 1.0, x - w / 2.0),
            ("middle", x, y + gap + h - 1.0, x - w / 2.0),
            ("start", x + diagonal, y - diagonal - 1.0, x + diagonal),
            ("start", x + diagonal, y + diagonal + h - 1.0, x + diagonal),
            ("end", x - diagonal, y - diagonal - 1.0, x - diagonal - w),
            (
                "end",
                x - diagonal,
                y + diagonal + h - 1.0,
                x - diagonal - w,
            ),
        ];
        // Each place inside and free of names, with what it costs: the
        // dots it covers, those of communes to be named counting most.
        let spot = spots
            .into_iter()
            .filter_map(|(anchor, tx, ty, left)| {
                // The baseline is about a fifth of the height above the bottom.
                let b = [
                    left - 1.0,
                    ty - h * 0.8 - 1.0,
                    left + w + 1.0,
                    ty + h * 0.2 + 1.0,
                ];
                let inside = b[0] >= bounds[0]
                    && b[1] >= bounds[1]
                    && b[2] <= bounds[2]
                    && b[3] <= bounds[3];
                if !inside || placed.iter().any(|p| overlap(p, &b)) {
                    return None;
                }
                let named_covered = (dots.iter().enumerate())
                    .filter(|&(j, d)| j != i && overlap(d, &b))
                    .count();
                let others_covered = others.iter().filter(|o| overlap(o, &b)).count();
                Some((10 * named_covered + others_covered, (anchor, tx, ty, b)))
            })
            .min_by_key(|(cost, _)| *cost)
            .map(|(_, spot)| spot);
        if let Some((anchor, tx, ty, b)) = spot {
            placed.extend([b, dots[i]]);
            for (j, d) in dots.iter().enumerate() {
                covered[j] |= overlap(d, &b);
            }
            let _ = write!(
                s,
                r#"<text x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}">{}</text>"#,
                escape(name)
            );
        }
    }
    s.push_str("</g>");
    s
}

/// The legend of the map (the boundary's line when `boundary`), its items
/// side by side, wrapped when too wide; and its height.
fn map_legend(legend: &MapLegend<'_>, boundary: bool, room: f64, font: f64) -> (String, f64) {
    let row_h = 22.0;
    let mut s = String::new();
    let (mut x, mut row) = (12.0, 0.0);
    let items = [
        (legend.reached, 0),
        (legend.not_reached, 1),
        (legend.epci_boundary, 2),
    ];
    for (text, kind) in items.into_iter().filter(|&(_, kind)| boundary || kind != 2) {
        let w = 18.0 + 0.55 * font * text.chars().count() as f64;
        if x > 12.0 && x + w > room {
            x = 12.0;
            row += 1.0;
        }
        let y = 16.0 + row * row_h;
        let _ = match kind {
            0 => write!(
                s,
                r#"<circle cx="{:.1}" cy="{y}" r="6" fill="{ACCENT}"/>"#,
                x + 6.0
            ),
            1 => write!(
                s,
                r#"<circle cx="{:.1}" cy="{y}" r="3" fill="{GREY_DOT}"/>"#,
                x + 6.0
            ),
            _ => write!(
                s,
                r#"<path d="M{x:.1} {y}h14" stroke="{BOUNDARY}" stroke-width="1.4" stroke-linecap="round"/>"#
            ),
        };
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" fill="{TEXT}">{}</text>"#,
            x + 18.0,
            y + 5.0,
            escape(text)
        );
        x += w + 24.0;
    }
    (s, 16.0 + row * row_h + 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isere_reached(codes: &[(&str, i64)]) -> Coverage {
        let figures = codes
            .iter()
            .map(|(insee, activities)| {
                let f = maillage_db::reports::CommuneFigures {
                    activities: *activities,
                    ..Default::default()
                };
                ((*insee).to_owned(), f)
            })
            .collect();
        crate::coverage::compute("38", &figures, None)
    }

    #[test]
    fn the_map_of_isere_has_its_outline_boundaries_and_names() {
        // Grenoble, Vienne, Saint-Martin-d'Hères, L'Isle-d'Abeau.
        let coverage = isere_reached(&[("38185", 12), ("38544", 2), ("38421", 1), ("38193", 1)]);
        let svg = map(
            "m",
            &coverage,
            "Carte <Isère>",
            "desc & co",
            MapLegend {
                reached: "Touchée",
                not_reached: "Non touchée",
                epci_boundary: "Limite d'EPCI (approchée)",
            },
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"m-t\">Carte &lt;Isère&gt;</title>"));
        assert!(svg.contains("desc &amp; co"));
        assert!(svg.contains("Limite d&#39;EPCI (approchée)"));
        // The outline, filled, then the boundaries, then the dots.
        let outline = svg
            .find(&format!(r#"fill="{LAND}" fill-rule="evenodd""#))
            .unwrap();
        let boundaries = svg
            .find(&format!(r#"fill="none" stroke="{BOUNDARY}""#))
            .unwrap();
        let dots = svg.find(&format!(r#"<g fill="{GREY_DOT}">"#)).unwrap();
        assert!(outline < boundaries && boundaries < dots);
        // At least one boundary line: the path holds many segments.
        let path = &svg[svg[..boundaries].rfind("<path").unwrap()..boundaries];
        assert!(path.matches('M').count() > 50, "{path}");
        // Names: Grenoble as a label, after the dots, with a white halo.
        let labels = svg.find(r#"paint-order="stroke""#).unwrap();
        assert!(svg[labels..].contains(">Grenoble</text>"));
        assert!(svg[labels..].contains(">Vienne</text>"));
        assert!(labels > dots);
        // Names are escaped, in tooltips and labels.
        assert!(svg.contains("Saint-Martin-d&#39;Hères"));
        assert!(!svg.contains("d'Hères"));
        assert!(svg.contains("<title>Grenoble (12)</title>"));
        // Plain SVG for typst: no style sheet, class or filter.
        for word in ["<style", "class=", "filter"] {
            assert!(!svg.contains(word), "{word}");
        }
        // The outline fits: every coordinate within the view box.
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let paths = svg
            .split(" d=\"")
            .skip(1)
            .map(|p| p.split('"').next().unwrap());
        for d in paths.filter(|d| d.contains('L')) {
            for part in d.split(['M', 'L', 'Z']).filter(|p| !p.is_empty()) {
                let (x, y) = part.split_once(' ').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    (0.0..=640.0).contains(&x) && (0.0..=height).contains(&y),
                    "{x} {y}"
                );
            }
        }
    }

    #[test]
    fn map_labels_do_not_overlap() {
        // Many communes reached, the crowded Grenoble area among them.
        let reached: Vec<(&str, i64)> = maillage_geo::communes_of_departement("38")
            .iter()
            .step_by(3)
            .map(|c| (c.insee, 2))
            .chain([("38185", 9), ("38421", 4), ("38151", 3)])
            .collect();
        let coverage = isere_reached(&reached);
        let legend = MapLegend {
            reached: "a",
            not_reached: "b",
            epci_boundary: "c",
        };
        let svg = map("m", &coverage, "t", "d", legend);
        let group = &svg[svg.find(r#"paint-order="stroke""#).unwrap()..];
        let attr = |t: &str, name: &str| -> String {
            let at = t.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            t[at..].split('"').next().unwrap().to_owned()
        };
        let boxes: Vec<[f64; 4]> = group
            .split("<text")
            .skip(1)
            .map(|t| {
                let x: f64 = attr(t, "x").parse().unwrap();
                let y: f64 = attr(t, "y").parse().unwrap();
                let name =
                    t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].replace("&#39;", "'");
                let w = 0.55 * 11.0 * name.chars().count() as f64;
                let left = match attr(t, "text-anchor").as_str() {
                    "start" => x,
                    "end" => x - w,
                    _ => x - w / 2.0,
                };
                [left, y - 8.8, left + w, y + 2.2]
            })
            .collect();
        assert!((8..=40).contains(&boxes.len()), "{} labels", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            assert!(a[0] >= 0.0 && a[2] <= 640.0, "{a:?}");
            for b in &boxes[i + 1..] {
                let overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                assert!(!overlap, "{a:?} {b:?}");
            }
        }
        assert!(group.contains(">Grenoble</text>"));
    }

    #[test]
    fn without_an_outline_the_map_has_no_boundaries() {
        let figures = [("69266", 2)]
            .iter()
            .map(|(insee, activities)| {
                let f = maillage_db::reports::CommuneFigures {
                    activities: *activities,
                    ..Default::default()
                };
                ((*insee).to_owned(), f)
            })
            .collect();
        let coverage = crate::coverage::compute("69", &figures, None);
        let legend = MapLegend {
            reached: "a",
            not_reached: "b",
            epci_boundary: "Limite",
        };
        let svg = map("m", &coverage, "t", "d", legend);
        assert!(!svg.contains("fill-rule"));
        assert!(!svg.contains(&format!(r#"fill="none" stroke="{BOUNDARY}""#)));
        assert!(!svg.contains(">Limite<"));
        assert!(svg.contains(">Villeurbanne</text>"));
    }
}
