//! The tables of a bilan's coverage of the territory: the figures of the
//! département beside the edition before's, the communes reached with
//! their figures, those never reached, the EPCI, the communes gained and
//! lost since the edition before, and those reached outside the
//! département.

use super::Bilan;
use super::layout::{Cell, Table};
use crate::coverage::Coverage;
use crate::text;
use maillage_domain::Locale;

fn header(labels: &[&str]) -> Vec<String> {
    labels.iter().map(|s| (*s).to_owned()).collect()
}

impl Bilan {
    pub(super) fn coverage_tables(&self, locale: Locale, c: &Coverage) -> Vec<Table> {
        let l = text::labels(locale);
        let int = Cell::Int;
        let mut out = Vec::new();
        let (header_now, numeric) = self.header(l, l.indicator, l.this_edition);
        let b = self.before_coverage.as_ref();
        let count = |f: fn(&Coverage) -> i64| (f(c), b.map(f));
        let mut rows: Vec<Vec<Cell>> = [
            (l.communes_reached, count(|c| c.reached.len() as i64)),
            (l.communes_total, count(|c| c.communes_total as i64)),
            (l.population_reached, count(|c| c.population_reached as i64)),
            (l.population, count(|c| c.population_total as i64)),
        ]
        .into_iter()
        .map(|(label, (now, before))| self.compared_row(label, now, before))
        .collect();
        rows.push(self.share_row(
            l.share,
            Some(c.population_share()),
            b.map(Coverage::population_share),
        ));
        out.push(Table {
            key: "coverage",
            title: format!(
                "{} — {} ({})",
                l.coverage_of, c.departement_name, c.departement
            ),
            header: header_now,
            rows,
            numeric,
        });
        out.push(Table {
            key: "communes",
            title: l.communes_reached.to_owned(),
            header: header(&[
                l.commune,
                l.insee,
                l.epci,
                l.population,
                l.activities,
                l.sessions,
                l.pupils,
                l.adults,
                l.public,
            ]),
            rows: c
                .reached
                .iter()
                .map(|r| {
                    let f = &r.figures;
                    vec![
                        Cell::text(r.name),
                        Cell::text(r.insee),
                        r.epci
                            .and_then(maillage_geo::epci)
                            .map_or(Cell::Empty, |e| Cell::text(e.name)),
                        int(i64::from(r.population)),
                        int(f.activities),
                        int(f.sessions),
                        int(f.pupils),
                        int(f.adults),
                        int(f.public),
                    ]
                })
                .collect(),
            numeric: vec![false, false, false, true, true, true, true, true, true],
        });
        out.push(Table {
            key: "never_reached",
            title: l.never_reached.to_owned(),
            header: header(&[l.commune, l.insee, l.population]),
            rows: c
                .never_reached
                .iter()
                .map(|n| {
                    vec![
                        Cell::text(n.name),
                        Cell::text(n.insee),
                        int(i64::from(n.population)),
                    ]
                })
                .collect(),
            numeric: vec![false, false, true],
        });
        out.push(Table {
            key: "epci",
            title: l.epci_coverage.to_owned(),
            header: header(&[l.epci, l.communes, l.epci_reached, l.share]),
            rows: c
                .epcis
                .iter()
                .map(|e| {
                    vec![
                        Cell::text(e.name),
                        int(e.communes as i64),
                        int(e.reached as i64),
                        Cell::Share(e.reached as f64 / e.communes.max(1) as f64),
                    ]
                })
                .collect(),
            numeric: vec![false, true, true, true],
        });
        if self.compared() {
            out.push(Self::gained_lost(locale, c));
        }
        if !c.outside.is_empty() {
            out.push(Table {
                key: "outside",
                title: l.outside.to_owned(),
                header: header(&[l.commune, l.insee]),
                rows: c
                    .outside
                    .iter()
                    .filter_map(|i| maillage_geo::commune(i))
                    .map(|c| {
                        vec![
                            Cell::Text(format!("{} ({})", c.name, c.departement)),
                            Cell::text(c.insee),
                        ]
                    })
                    .collect(),
                numeric: vec![false, false],
            });
        }
        out
    }

    /// The communes reached now and not then (first), and then and not
    /// now, each by name.
    fn gained_lost(locale: Locale, c: &Coverage) -> Table {
        let l = text::labels(locale);
        let name = |insee: &str| {
            maillage_geo::commune(insee).map_or(insee.to_owned(), |c| c.name.to_owned())
        };
        let mut rows: Vec<(bool, String, Vec<Cell>)> = c
            .gained
            .iter()
            .map(|i| (true, i, l.gained))
            .chain(c.lost.iter().map(|i| (false, i, l.lost)))
            .map(|(gained, i, what)| {
                let n = name(i);
                (
                    !gained,
                    maillage_domain::text::fold(&n),
                    vec![Cell::Text(n), Cell::text(i), Cell::text(what)],
                )
            })
            .collect();
        rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        Table {
            key: "gained_lost",
            title: l.gained_lost.to_owned(),
            header: header(&[l.commune, l.insee, l.change]),
            rows: rows.into_iter().map(|r| r.2).collect(),
            numeric: vec![false, false, false],
        }
    }
}
