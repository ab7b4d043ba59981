//! Writes the bilan's coverage map of a département, with a few communes
//! reached, to an SVG file, to look at it (e.g. with
//! `chromium --headless --screenshot=/tmp/map.png --window-size=700,900 file:///tmp/map.svg`).
//!
//! `cargo run -p maillage-reports --example map_svg -- [DEPARTEMENT] [OUT] [STEP]`
//! (default: Isère, `/tmp/map.svg`, one commune reached in 7). When OUT
//! ends with `.pdf`, the map is laid out in a PDF by typst instead, as in a
//! bilan.

use maillage_db::reports::CommuneFigures;
use maillage_reports::{coverage, svg, text};
use std::collections::BTreeMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let code = args.next().unwrap_or_else(|| "38".to_owned());
    let out = args.next().unwrap_or_else(|| "/tmp/map.svg".to_owned());
    let step: usize = args.next().map_or(7, |s| s.parse().expect("a number"));
    let departement = maillage_geo::departement(&code).expect("a known département");
    // A few communes reached: one in `step` of the département, and the
    // largest, with more activities in the largest.
    let figures: BTreeMap<String, CommuneFigures> = maillage_geo::communes_of_departement(&code)
        .iter()
        .enumerate()
        .filter(|(i, c)| i % step == 0 || c.population.unwrap_or(0) > 30_000)
        .map(|(i, c)| {
            let activities = 1 + (c.population.unwrap_or(0) / 10_000) as i64 + (i % 3) as i64;
            (
                c.insee.to_owned(),
                CommuneFigures {
                    activities,
                    ..Default::default()
                },
            )
        })
        .collect();
    let c = coverage::compute(departement.code, &figures, None);
    let l = text::labels(maillage_domain::Locale::Fr);
    let caption = format!("{} — {}", l.map, c.departement_name);
    let map = svg::map(
        "chart-map",
        &c,
        &caption,
        l.map_alt,
        svg::MapLegend {
            reached: l.map_reached,
            not_reached: l.map_not_reached,
            epci_boundary: l.map_epci_boundary,
        },
    );
    if out.ends_with(".pdf") {
        let doc = maillage_pdf::Document {
            title: caption.clone(),
            organisation: "Maillage".to_owned(),
            blocks: vec![maillage_pdf::Block::Chart {
                caption,
                svg: map,
                alt: l.map_alt.to_owned(),
            }],
            ..Default::default()
        };
        let pdf = maillage_pdf::render(&doc).expect("typst lays the map out");
        std::fs::write(&out, pdf).expect("the PDF written");
    } else {
        std::fs::write(&out, map).expect("the SVG written");
    }
    println!("{out}");
}
