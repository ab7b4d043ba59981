//! The tables of a bilan's figures, each beside the edition before's:
//! the key figures, activities and sessions by format, activities by
//! audience and theme, partners by type, the speakers' gender balance,
//! bookings and attendance; then those of its questionnaires and of the
//! territory.

use super::Bilan;
use super::layout::{Cell, Table, label_of};
use crate::text;
use maillage_db::reports::BookingFigures;
use maillage_domain::Locale;
use maillage_domain::directory::{Gender, OrgKind, Theme};
use maillage_domain::programme::Format;
use std::collections::BTreeMap;

/// Reads one figure of the bookings.
type Figure = fn(&BookingFigures) -> i64;

/// The codes counted now, then those counted only before.
fn codes<'a, V>(
    now: &'a BTreeMap<String, V>,
    before: Option<&'a BTreeMap<String, V>>,
) -> Vec<&'a String> {
    let mut codes: Vec<&String> = now.keys().collect();
    if let Some(b) = before {
        codes.extend(b.keys().filter(|k| !now.contains_key(*k)));
    }
    codes
}

/// Rows with their count, largest count first, then by their first cell.
fn by_count(rows: &mut [(Vec<Cell>, i64)]) {
    rows.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0[0].as_text().cmp(b.0[0].as_text()))
    });
}

fn rows_only(rows: Vec<(Vec<Cell>, i64)>) -> Vec<Vec<Cell>> {
    rows.into_iter().map(|(r, _)| r).collect()
}

impl Bilan {
    /// Rows "label | now | before | change" for code-keyed counts, with
    /// the count now, largest first.
    fn code_rows(
        &self,
        now: &BTreeMap<String, i64>,
        before: Option<&BTreeMap<String, i64>>,
        name: impl Fn(&str) -> String,
    ) -> Vec<(Vec<Cell>, i64)> {
        let mut rows: Vec<(Vec<Cell>, i64)> = codes(now, before)
            .into_iter()
            .map(|code| {
                let n = now.get(code).copied().unwrap_or(0);
                let mut row = vec![Cell::Text(name(code)), Cell::Int(n)];
                if let Some(b) = before {
                    let p = b.get(code).copied().unwrap_or(0);
                    row.push(Cell::Int(p));
                    row.push(Cell::Change(n, p));
                }
                (row, n)
            })
            .collect();
        by_count(&mut rows);
        rows
    }

    /// Every table of the bilan, in reading order.
    pub fn tables(&self, locale: Locale) -> Vec<Table> {
        let l = text::labels(locale);
        let mut out = Vec::new();
        let before = self.before.as_ref();

        // Key figures.
        let (header, numeric) = self.header(l, l.indicator, l.this_edition);
        let mut rows: Vec<Vec<Cell>> = self
            .indicators(l)
            .into_iter()
            .map(|(label, now, b)| self.compared_row(label, now, b))
            .collect();
        rows.push(self.share_row(
            l.fill_rate,
            self.now.bookings.fill_rate(),
            before.and_then(|b| b.bookings.fill_rate()),
        ));
        out.push(Table {
            key: "key_figures",
            title: l.key_figures.to_owned(),
            header,
            rows,
            numeric,
        });

        out.push(self.formats_table(locale));
        let (header, numeric) = self.header(l, l.audience, l.activities);
        out.push(Table {
            key: "audiences",
            title: l.by_audience.to_owned(),
            header,
            rows: rows_only(self.code_rows(
                &self.now.by_audience,
                before.map(|b| &b.by_audience),
                |c| super::layout::audience_label(c, locale, l.none),
            )),
            numeric,
        });
        let (header, numeric) = self.header(l, l.theme, l.activities);
        out.push(Table {
            key: "themes",
            title: l.by_theme.to_owned(),
            header,
            rows: rows_only(
                self.code_rows(&self.now.by_theme, before.map(|b| &b.by_theme), |c| {
                    label_of(Theme::parse, Theme::label, c, locale, l.none)
                }),
            ),
            numeric,
        });
        let (header, numeric) = self.header(l, l.organisation_type, l.organisations);
        out.push(Table {
            key: "partners",
            title: l.partners_by_kind.to_owned(),
            header,
            rows: rows_only(self.code_rows(
                &self.now.partners_by_kind,
                before.map(|b| &b.partners_by_kind),
                |c| label_of(OrgKind::parse, OrgKind::label, c, locale, l.none),
            )),
            numeric,
        });
        out.push(self.gender_table(locale));
        out.extend(self.booking_tables(locale));

        for q in &self.questionnaires {
            out.push(super::questionnaires::table(locale, q));
        }
        if let Some(c) = &self.coverage {
            out.extend(self.coverage_tables(locale, c));
        }
        out
    }

    /// Activities and sessions by format.
    fn formats_table(&self, locale: Locale) -> Table {
        let l = text::labels(locale);
        let before = self.before.as_ref();
        let mut header = vec![
            l.format.to_owned(),
            l.activities.to_owned(),
            l.sessions.to_owned(),
        ];
        let mut numeric = vec![false, true, true];
        if self.compared() {
            let previous = l.previous_edition.to_lowercase();
            header.push(format!("{} ({previous})", l.activities));
            header.push(format!("{} ({previous})", l.sessions));
            numeric.extend([true, true]);
        }
        let mut rows: Vec<(Vec<Cell>, i64)> =
            codes(&self.now.by_format, before.map(|b| &b.by_format))
                .into_iter()
                .map(|code| {
                    let (a, s) = self.now.by_format.get(code).copied().unwrap_or((0, 0));
                    let name = label_of(Format::parse, Format::label, code, locale, l.no_format);
                    let mut r = vec![Cell::Text(name), Cell::Int(a), Cell::Int(s)];
                    if let Some(b) = before {
                        let (pa, ps) = b.by_format.get(code).copied().unwrap_or((0, 0));
                        r.push(Cell::Int(pa));
                        r.push(Cell::Int(ps));
                    }
                    (r, a)
                })
                .collect();
        by_count(&mut rows);
        Table {
            key: "formats",
            title: l.by_format.to_owned(),
            header,
            rows: rows_only(rows),
            numeric,
        }
    }

    /// The speakers by gender, with the share of each.
    fn gender_table(&self, locale: Locale) -> Table {
        let l = text::labels(locale);
        let (mut header, mut numeric) = self.header(l, l.gender, l.speakers);
        header.insert(2, l.share.to_owned());
        numeric.insert(2, true);
        let total = Self::speakers(&self.now);
        let mut rows = self.code_rows(
            &self.now.speakers_by_gender,
            self.before.as_ref().map(|b| &b.speakers_by_gender),
            |c| label_of(Gender::parse, Gender::label, c, locale, l.gender_unknown),
        );
        for (row, n) in &mut rows {
            let share = if total > 0 {
                *n as f64 / total as f64
            } else {
                0.0
            };
            row.insert(2, Cell::Share(share));
        }
        Table {
            key: "gender",
            title: l.gender_balance.to_owned(),
            header,
            rows: rows_only(rows),
            numeric,
        }
    }

    /// Bookings, then attendance from check-in.
    fn booking_tables(&self, locale: Locale) -> [Table; 2] {
        let l = text::labels(locale);
        let b = &self.now.bookings;
        let pb = self.before.as_ref().map(|f| &f.bookings);
        let rows = |items: &[(&str, Figure)]| -> Vec<Vec<Cell>> {
            items
                .iter()
                .map(|(label, f)| self.compared_row(label, f(b), pb.map(f)))
                .collect()
        };
        let (header, numeric) = self.header(l, l.indicator, l.this_edition);
        let mut bookings = rows(&[
            (l.bookable_sessions, |b| b.bookable_sessions),
            (l.capacity, |b| b.capacity),
            (l.booked, |b| b.held),
            (l.full_sessions, |b| b.full_sessions),
            (l.pending, |b| b.pending),
            (l.waitlisted, |b| b.waitlisted),
            (l.sessions_with_waitlist, |b| b.sessions_with_waitlist),
        ]);
        bookings.push(self.share_row(
            l.fill_rate,
            b.fill_rate(),
            pb.and_then(BookingFigures::fill_rate),
        ));
        let attendance = rows(&[
            (l.pupils, |b| b.came_pupils),
            (l.adults, |b| b.came_adults),
            (l.public, |b| b.came_public),
            (l.attendance, BookingFigures::attendance),
            (l.checked_in, |b| b.checked_in),
            (l.no_shows, |b| b.no_shows),
            (l.walk_ins, |b| b.walk_ins),
        ]);
        [
            Table {
                key: "bookings",
                title: l.bookings.to_owned(),
                header: header.clone(),
                rows: bookings,
                numeric: numeric.clone(),
            },
            Table {
                key: "attendance",
                title: l.attendance.to_owned(),
                header,
                rows: attendance,
                numeric,
            },
        ]
    }
}
