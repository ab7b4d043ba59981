//! The charts of a bilan, each beside the edition before's: activities by
//! format, attendance, activities by audience, and the map of the
//! communes reached.

use super::Bilan;
use super::layout::{Chart, label_of};
use crate::svg::{self, Bar};
use crate::text;
use maillage_domain::Locale;
use maillage_domain::programme::Format;

/// "Atelier 12, Conférence 4, …" for a chart's text alternative.
fn describe(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{} {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bars largest first, then by label.
fn largest_first(mut bars: Vec<Bar>) -> Vec<Bar> {
    bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
    bars
}

/// A bar chart of `key` (its id in the page is `chart-{key}`), its text
/// alternative naming every bar; with the edition before, `legend` names
/// this one and that one.
fn bar_chart(
    key: &'static str,
    caption: &str,
    bars: &[Bar],
    legend: Option<(&str, &str)>,
) -> Chart {
    let alt = format!("{caption} : {}", describe(bars));
    Chart {
        key,
        caption: caption.to_owned(),
        svg: svg::bars(&format!("chart-{key}"), caption, &alt, bars, legend),
        alt,
    }
}

impl Bilan {
    /// The charts: formats, attendance, audiences, and the map.
    pub fn charts(&self, locale: Locale) -> Vec<Chart> {
        let l = text::labels(locale);
        let legend_names = self
            .previous
            .as_ref()
            .map(|p| (self.project.data.name.clone(), p.data.name.clone()));
        let legend = legend_names.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
        let before = self.before.as_ref();
        let bar = |label: String, value: i64, previous: Option<i64>| Bar {
            label,
            value,
            previous,
            text: text::int(locale, value),
        };

        let formats = largest_first(
            self.now
                .by_format
                .iter()
                .map(|(code, (a, _))| {
                    bar(
                        label_of(Format::parse, Format::label, code, locale, l.no_format),
                        *a,
                        before.map(|b| b.by_format.get(code).map_or(0, |x| x.0)),
                    )
                })
                .collect(),
        );
        let b = &self.now.bookings;
        let pb = before.map(|f| &f.bookings);
        let attendance: Vec<Bar> = [
            (l.pupils, b.came_pupils, pb.map(|x| x.came_pupils)),
            (l.adults, b.came_adults, pb.map(|x| x.came_adults)),
            (l.public, b.came_public, pb.map(|x| x.came_public)),
        ]
        .into_iter()
        .map(|(label, value, previous)| bar(label.to_owned(), value, previous))
        .collect();
        let audiences = largest_first(
            self.now
                .by_audience
                .iter()
                .map(|(code, n)| {
                    bar(
                        super::layout::audience_label(code, locale, l.none),
                        *n,
                        before.map(|b| b.by_audience.get(code).copied().unwrap_or(0)),
                    )
                })
                .collect(),
        );
        let mut out = vec![
            bar_chart("formats", l.chart_formats, &formats, legend),
            bar_chart("attendance", l.chart_attendance, &attendance, legend),
            bar_chart("audiences", l.chart_audiences, &audiences, legend),
        ];
        if let Some(c) = &self.coverage {
            let caption = format!("{} — {}", l.map, c.departement_name);
            out.push(Chart {
                key: "map",
                svg: svg::map(
                    "chart-map",
                    c,
                    &caption,
                    l.map_alt,
                    svg::MapLegend {
                        reached: l.map_reached,
                        not_reached: l.map_not_reached,
                        epci_boundary: l.map_epci_boundary,
                    },
                ),
                // The outline's source, as its licence asks.
                caption: if maillage_geo::outline(c.departement).is_some() {
                    format!("{caption} ({})", l.map_source)
                } else {
                    caption
                },
                alt: l.map_alt.to_owned(),
            });
        }
        out
    }
}
