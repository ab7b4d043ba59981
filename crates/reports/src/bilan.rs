//! The bilan of a project: its figures and coverage compared with the
//! previous edition, laid out once as key figures, tables and charts that
//! the HTML page, the PDF and the workbook all show, and as JSON for the
//! API.

use crate::coverage::{self, Coverage};
use crate::svg::{self, Bar};
use crate::text::{self, Labels};
use chrono::{DateTime, Utc};
use maillage_db::forms::questionnaires;
use maillage_db::programme::projects::{self, Project};
use maillage_db::reports::{self as figures, BookingFigures, CommuneFigures, ProjectFigures};
use maillage_db::{ConnectionTrait, DbErr};
use maillage_domain::Locale;
use maillage_domain::directory::{Gender, OrgKind, Theme};
use maillage_domain::programme::{Audience, Format};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Everything a bilan shows.
#[derive(Debug, Clone)]
pub struct Bilan {
    pub project: Project,
    /// The edition before: the latest project of the same kind that ended
    /// before this one started.
    pub previous: Option<Project>,
    pub now: ProjectFigures,
    pub before: Option<ProjectFigures>,
    /// Coverage of the département most activities took place in.
    pub coverage: Option<Coverage>,
    /// The previous edition measured on the same département.
    pub before_coverage: Option<Coverage>,
    /// The evaluation questionnaires attached to the project, with their
    /// results.
    pub questionnaires: Vec<Questionnaire>,
    pub generated_at: DateTime<Utc>,
}

/// A questionnaire of the project and its results (all responses).
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub id: i64,
    pub title: String,
    pub results: questionnaires::Results,
    /// The previous edition's questionnaire for the same audience, whose
    /// answers are set beside these question by question.
    pub previous: Option<Box<Questionnaire>>,
}

/// The project of the same kind that ended last before `project` started.
pub async fn previous_edition(
    c: &impl ConnectionTrait,
    project: &Project,
) -> Result<Option<Project>, DbErr> {
    Ok(projects::of_kind(c, project.data.kind)
        .await?
        .into_iter()
        .filter(|p| p.id != project.id && p.data.ends_on < project.data.starts_on)
        .max_by_key(|p| (p.data.starts_on, p.id)))
}

/// Counts the bilan of `project` (about a dozen aggregate queries).
pub async fn of_project(
    c: &impl ConnectionTrait,
    project: Project,
    now: DateTime<Utc>,
) -> Result<Bilan, DbErr> {
    let previous = previous_edition(c, &project).await?;
    // This edition and the one before, counted at once on a pool.
    let this_one = async {
        tokio::try_join!(
            figures::project_figures(c, project.id),
            figures::by_commune(c, project.id)
        )
    };
    let one_before = async {
        match &previous {
            Some(p) => tokio::try_join!(
                figures::project_figures(c, p.id),
                figures::by_commune(c, p.id)
            )
            .map(|(f, b)| (Some(f), Some(b))),
            None => Ok((None, None)),
        }
    };
    let ((figures_now, communes_now), (before, communes_before)) =
        tokio::try_join!(this_one, one_before)?;
    let dept = coverage::main_departement(&communes_now).or_else(|| {
        communes_before
            .as_ref()
            .and_then(coverage::main_departement)
    });
    let coverage = dept.map(|d| coverage::compute(d, &communes_now, communes_before.as_ref()));
    let before_coverage = match (dept, &communes_before) {
        (Some(d), Some(b)) => Some(coverage::compute(d, b, None)),
        _ => None,
    };
    // The project's questionnaires (no response counting here: their
    // results count them), each beside the previous edition's one for the
    // same audience.
    let purpose = Some(maillage_domain::forms::Purpose::Questionnaire);
    let all = maillage_db::forms::list(c, purpose).await?;
    let of = |p: i64| {
        let mut v: Vec<_> = all
            .iter()
            .filter(|(_, f)| f.project_id == Some(p))
            .collect();
        v.sort_by_key(|(id, _)| *id);
        v
    };
    let mut earlier = match &previous {
        Some(p) => of(p.id),
        None => Vec::new(),
    };
    let mut forms = Vec::new();
    for (id, form) in of(project.id) {
        let f = questionnaires::Filter::default();
        let Some(results) = questionnaires::results(c, *id, &f).await? else {
            continue;
        };
        let mut before = None;
        if let Some(k) = earlier
            .iter()
            .position(|(_, e)| e.audience == form.audience)
        {
            let (pid, pform) = earlier.remove(k);
            if let Some(r) = questionnaires::results(c, *pid, &f).await? {
                before = Some(Box::new(Questionnaire {
                    id: *pid,
                    title: pform.title.clone(),
                    results: r,
                    previous: None,
                }));
            }
        }
        forms.push(Questionnaire {
            id: *id,
            title: form.title.clone(),
            results,
            previous: before,
        });
    }
    Ok(Bilan {
        project,
        previous,
        now: figures_now,
        before,
        coverage,
        before_coverage,
        questionnaires: forms,
        generated_at: now,
    })
}

/// Reads one figure of the bookings.
type Figure = fn(&BookingFigures) -> i64;

/// A headline figure.
pub struct KeyFigure {
    pub label: &'static str,
    pub value: String,
    pub previous: Option<String>,
    pub change: Option<String>,
}

/// A cell of a table: text, or a figure that the page and the PDF write
/// in the reader's language and the workbook keeps as a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A share from 0 to 1.
    Share(f64),
    /// The change from the second figure to the first.
    Change(i64, i64),
}

impl Cell {
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    /// The text of a text cell ("" for figures).
    pub fn as_text(&self) -> &str {
        match self {
            Cell::Text(s) => s,
            _ => "",
        }
    }

    /// The cell as the reader sees it.
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => text::int(locale, *n),
            Cell::Share(x) => text::percent(locale, *x),
            Cell::Change(now, before) => text::change(locale, *now, *before),
        }
    }

    /// The cell for a spreadsheet: plain numbers ("12345", "0.4523", the
    /// difference for a change), text otherwise.
    pub fn raw(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Share(x) => {
                let s = format!("{:.4}", x);
                let s = s.trim_end_matches('0').trim_end_matches('.');
                if s.is_empty() || s == "-" {
                    "0".into()
                } else {
                    s.to_owned()
                }
            }
            Cell::Change(now, before) => (now - before).to_string(),
        }
    }
}

/// A table of the bilan: the HTML page shows it, the PDF prints it, the
/// workbook gives it a sheet.
pub struct Table {
    /// Stable short name (sheet names, anchors).
    pub key: &'static str,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
}

/// An SVG chart with its text alternative; the table of the same key
/// carries its figures.
pub struct Chart {
    pub key: &'static str,
    pub caption: String,
    pub svg: String,
    pub alt: String,
}

fn label_of<T: Copy>(
    parse: fn(&str) -> Result<T, maillage_domain::FieldError>,
    label: fn(T, Locale) -> &'static str,
    code: &str,
    locale: Locale,
    none: &str,
) -> String {
    if code.is_empty() {
        return none.to_owned();
    }
    parse(code).map_or_else(|_| code.to_owned(), |v| label(v, locale).to_owned())
}

impl Bilan {
    fn compared(&self) -> bool {
        self.previous.is_some()
    }

    /// Communes reached and their population, now and before.
    fn reach(c: Option<&Coverage>) -> (i64, i64) {
        c.map_or((0, 0), |c| {
            (c.reached.len() as i64, c.population_reached as i64)
        })
    }

    fn partners(f: &ProjectFigures) -> i64 {
        f.partners_by_kind.values().sum()
    }

    fn speakers(f: &ProjectFigures) -> i64 {
        f.speakers_by_gender.values().sum()
    }

    /// The headline indicators: (label, now, before).
    fn indicators(&self, l: &Labels) -> Vec<(&'static str, i64, Option<i64>)> {
        let (communes, population) = Self::reach(self.coverage.as_ref());
        let before = |f: fn(&ProjectFigures) -> i64| self.before.as_ref().map(f);
        let (b_communes, b_population) = Self::reach(self.before_coverage.as_ref());
        let b_reach = self.before.as_ref().map(|_| (b_communes, b_population));
        vec![
            (l.activities, self.now.activities, before(|f| f.activities)),
            (l.sessions, self.now.sessions, before(|f| f.sessions)),
            (l.communes_reached, communes, b_reach.map(|r| r.0)),
            (l.population_reached, population, b_reach.map(|r| r.1)),
            (
                l.partners,
                Self::partners(&self.now),
                before(Self::partners),
            ),
            (
                l.speakers,
                Self::speakers(&self.now),
                before(Self::speakers),
            ),
            (
                l.attendance,
                self.now.bookings.attendance(),
                before(|f| f.bookings.attendance()),
            ),
            (
                l.pupils,
                self.now.bookings.came_pupils,
                before(|f| f.bookings.came_pupils),
            ),
            (
                l.adults,
                self.now.bookings.came_adults,
                before(|f| f.bookings.came_adults),
            ),
            (
                l.public,
                self.now.bookings.came_public,
                before(|f| f.bookings.came_public),
            ),
        ]
    }

    pub fn key_figures(&self, locale: Locale) -> Vec<KeyFigure> {
        let l = text::labels(locale);
        let mut out: Vec<KeyFigure> = self
            .indicators(l)
            .into_iter()
            .map(|(label, now, before)| KeyFigure {
                label,
                value: text::int(locale, now),
                previous: before.map(|b| text::int(locale, b)),
                change: before.map(|b| text::change(locale, now, b)),
            })
            .collect();
        if let Some(rate) = self.now.bookings.fill_rate() {
            out.push(KeyFigure {
                label: l.fill_rate,
                value: text::percent(locale, rate),
                previous: self
                    .before
                    .as_ref()
                    .and_then(|b| b.bookings.fill_rate())
                    .map(|r| text::percent(locale, r)),
                change: None,
            });
        }
        out
    }

    /// The organisation the bilan is from: the project's organiser (else
    /// its first co-organiser).
    pub fn organisation(&self) -> String {
        use maillage_domain::programme::PartnerRole;
        let partners = &self.project.partners;
        partners
            .iter()
            .find(|p| p.role == PartnerRole::Organiser)
            .or_else(|| partners.iter().find(|p| p.role == PartnerRole::CoOrganiser))
            .map_or_else(|| "Maillage".to_owned(), |p| p.organisation_name.clone())
    }

    /// The title: "Bilan — Fête de la science 2025".
    pub fn title(&self, locale: Locale) -> String {
        format!(
            "{} — {}",
            text::labels(locale).bilan,
            self.project.data.name
        )
    }

    /// "4 – 13 octobre 2025, compared with …".
    pub fn subtitle(&self, locale: Locale) -> String {
        let d = &self.project.data;
        let dates = format!(
            "{} – {}",
            text::date(locale, d.starts_on),
            text::date(locale, d.ends_on)
        );
        match (&self.previous, locale) {
            (Some(p), Locale::Fr) => format!("{dates} · comparé à {}", p.data.name),
            (Some(p), Locale::En) => format!("{dates} · compared with {}", p.data.name),
            (None, _) => dates,
        }
    }

    /// Rows "label | now | before | change" for code-keyed counts.
    fn code_rows(
        &self,
        now: &BTreeMap<String, i64>,
        before: Option<&BTreeMap<String, i64>>,
        name: impl Fn(&str) -> String,
    ) -> Vec<(Vec<Cell>, i64)> {
        let mut codes: Vec<&String> = now.keys().collect();
        if let Some(b) = before {
            for k in b.keys() {
                if !now.contains_key(k) {
                    codes.push(k);
                }
            }
        }
        let mut rows: Vec<(i64, Vec<Cell>)> = codes
            .into_iter()
            .map(|code| {
                let n = now.get(code).copied().unwrap_or(0);
                let mut row = vec![Cell::Text(name(code)), Cell::Int(n)];
                if let Some(b) = before {
                    let p = b.get(code).copied().unwrap_or(0);
                    row.push(Cell::Int(p));
                    row.push(Cell::Change(n, p));
                }
                (n, row)
            })
            .collect();
        rows.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1[0].as_text().cmp(b.1[0].as_text()))
        });
        rows.into_iter().map(|(n, r)| (r, n)).collect()
    }

    fn header(&self, l: &Labels, first: &str, value: &str) -> (Vec<String>, Vec<bool>) {
        let mut h = vec![first.to_owned(), value.to_owned()];
        let mut n = vec![false, true];
        if self.compared() {
            h.push(l.previous_edition.to_owned());
            h.push(l.change.to_owned());
            n.extend([true, true]);
        }
        (h, n)
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
            .map(|(label, now, b)| {
                let mut r = vec![Cell::text(label), Cell::Int(now)];
                if self.compared() {
                    r.push(b.map_or(Cell::Empty, Cell::Int));
                    r.push(b.map_or(Cell::Empty, |b| Cell::Change(now, b)));
                }
                r
            })
            .collect();
        let rate = |b: &BookingFigures| b.fill_rate().map(Cell::Share);
        let mut r = vec![
            Cell::text(l.fill_rate),
            rate(&self.now.bookings).unwrap_or(Cell::Empty),
        ];
        if self.compared() {
            r.push(
                before
                    .and_then(|b| rate(&b.bookings))
                    .unwrap_or(Cell::Empty),
            );
            r.push(Cell::Empty);
        }
        rows.push(r);
        out.push(Table {
            key: "key_figures",
            title: l.key_figures.to_owned(),
            header,
            rows,
            numeric,
        });

        // Formats: activities and sessions.
        let mut header = vec![
            l.format.to_owned(),
            l.activities.to_owned(),
            l.sessions.to_owned(),
        ];
        let mut numeric = vec![false, true, true];
        if self.compared() {
            header.push(format!(
                "{} ({})",
                l.activities,
                l.previous_edition.to_lowercase()
            ));
            header.push(format!(
                "{} ({})",
                l.sessions,
                l.previous_edition.to_lowercase()
            ));
            numeric.extend([true, true]);
        }
        let mut codes: Vec<&String> = self.now.by_format.keys().collect();
        if let Some(b) = before {
            codes.extend(
                b.by_format
                    .keys()
                    .filter(|k| !self.now.by_format.contains_key(*k)),
            );
        }
        let mut rows: Vec<(i64, Vec<Cell>)> = codes
            .into_iter()
            .map(|code| {
                let (a, s) = self.now.by_format.get(code).copied().unwrap_or((0, 0));
                let mut r = vec![
                    Cell::Text(label_of(
                        Format::parse,
                        Format::label,
                        code,
                        locale,
                        l.no_format,
                    )),
                    Cell::Int(a),
                    Cell::Int(s),
                ];
                if let Some(b) = before {
                    let (pa, ps) = b.by_format.get(code).copied().unwrap_or((0, 0));
                    r.push(Cell::Int(pa));
                    r.push(Cell::Int(ps));
                }
                (a, r)
            })
            .collect();
        rows.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1[0].as_text().cmp(b.1[0].as_text()))
        });
        out.push(Table {
            key: "formats",
            title: l.by_format.to_owned(),
            header,
            rows: rows.into_iter().map(|r| r.1).collect(),
            numeric,
        });

        let (header, numeric) = self.header(l, l.audience, l.activities);
        out.push(Table {
            key: "audiences",
            title: l.by_audience.to_owned(),
            header,
            rows: rows_only(self.code_rows(
                &self.now.by_audience,
                before.map(|b| &b.by_audience),
                |c| label_of(Audience::parse, Audience::label, c, locale, l.none),
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

        // Gender balance, with the share of each.
        let (mut header, mut numeric) = self.header(l, l.gender, l.speakers);
        header.insert(2, l.share.to_owned());
        numeric.insert(2, true);
        let total = Self::speakers(&self.now);
        let mut rows = self.code_rows(
            &self.now.speakers_by_gender,
            before.map(|b| &b.speakers_by_gender),
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
        let rows = rows.into_iter().map(|(r, _)| r).collect();
        out.push(Table {
            key: "gender",
            title: l.gender_balance.to_owned(),
            header,
            rows,
            numeric,
        });

        // Bookings and attendance.
        let b = &self.now.bookings;
        let pb = before.map(|f| &f.bookings);
        let items: Vec<(&str, Figure)> = vec![
            (l.bookable_sessions, |b| b.bookable_sessions),
            (l.capacity, |b| b.capacity),
            (l.booked, |b| b.held),
            (l.full_sessions, |b| b.full_sessions),
            (l.pending, |b| b.pending),
            (l.waitlisted, |b| b.waitlisted),
            (l.sessions_with_waitlist, |b| b.sessions_with_waitlist),
        ];
        let (header, numeric) = self.header(l, l.indicator, l.this_edition);
        let mut rows: Vec<Vec<Cell>> = items
            .iter()
            .map(|(label, f)| self.compared_row(label, f(b), pb.map(f)))
            .collect();
        let mut r = vec![Cell::text(l.fill_rate), rate(b).unwrap_or(Cell::Empty)];
        if self.compared() {
            r.push(pb.and_then(rate).unwrap_or(Cell::Empty));
            r.push(Cell::Empty);
        }
        rows.push(r);
        out.push(Table {
            key: "bookings",
            title: l.bookings.to_owned(),
            header: header.clone(),
            rows,
            numeric: numeric.clone(),
        });
        let items: Vec<(&str, Figure)> = vec![
            (l.pupils, |b| b.came_pupils),
            (l.adults, |b| b.came_adults),
            (l.public, |b| b.came_public),
            (l.attendance, BookingFigures::attendance),
            (l.checked_in, |b| b.checked_in),
            (l.no_shows, |b| b.no_shows),
            (l.walk_ins, |b| b.walk_ins),
        ];
        out.push(Table {
            key: "attendance",
            title: l.attendance.to_owned(),
            header,
            rows: items
                .iter()
                .map(|(label, f)| self.compared_row(label, f(b), pb.map(f)))
                .collect(),
            numeric,
        });

        for q in &self.questionnaires {
            out.push(questionnaire_table(locale, q));
        }
        if let Some(c) = &self.coverage {
            out.extend(self.coverage_tables(locale, c));
        }
        out
    }

    fn compared_row(&self, label: &str, now: i64, before: Option<i64>) -> Vec<Cell> {
        let mut r = vec![Cell::text(label), Cell::Int(now)];
        if self.compared() {
            r.push(before.map_or(Cell::Empty, Cell::Int));
            r.push(before.map_or(Cell::Empty, |b| Cell::Change(now, b)));
        }
        r
    }

    fn coverage_tables(&self, locale: Locale, c: &Coverage) -> Vec<Table> {
        let l = text::labels(locale);
        let int = Cell::Int;
        let mut out = Vec::new();
        let (header, numeric) = self.header(l, l.indicator, l.this_edition);
        let b = self.before_coverage.as_ref();
        let mut rows = vec![
            self.compared_row(
                l.communes_reached,
                c.reached.len() as i64,
                b.map(|b| b.reached.len() as i64),
            ),
            self.compared_row(
                l.communes_total,
                c.communes_total as i64,
                b.map(|b| b.communes_total as i64),
            ),
            self.compared_row(
                l.population_reached,
                c.population_reached as i64,
                b.map(|b| b.population_reached as i64),
            ),
            self.compared_row(
                l.population,
                c.population_total as i64,
                b.map(|b| b.population_total as i64),
            ),
        ];
        let mut r = vec![Cell::text(l.share), Cell::Share(c.population_share())];
        if self.compared() {
            r.push(b.map_or(Cell::Empty, |b| Cell::Share(b.population_share())));
            r.push(Cell::Empty);
        }
        rows.push(r);
        out.push(Table {
            key: "coverage",
            title: format!(
                "{} — {} ({})",
                l.coverage_of, c.departement_name, c.departement
            ),
            header,
            rows,
            numeric,
        });
        out.push(Table {
            key: "communes",
            title: l.communes_reached.to_owned(),
            header: [
                l.commune,
                l.insee,
                l.epci,
                l.population,
                l.activities,
                l.sessions,
                l.pupils,
                l.adults,
                l.public,
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: c
                .reached
                .iter()
                .map(|r| {
                    let f: &CommuneFigures = &r.figures;
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
            header: [l.commune, l.insee, l.population]
                .map(str::to_owned)
                .to_vec(),
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
            header: [l.epci, l.communes, l.epci_reached, l.share]
                .map(str::to_owned)
                .to_vec(),
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
            let rows = rows.into_iter().map(|r| r.2).collect();
            out.push(Table {
                key: "gained_lost",
                title: l.gained_lost.to_owned(),
                header: [l.commune, l.insee, l.change].map(str::to_owned).to_vec(),
                rows,
                numeric: vec![false, false, false],
            });
        }
        if !c.outside.is_empty() {
            out.push(Table {
                key: "outside",
                title: l.outside.to_owned(),
                header: [l.commune, l.insee].map(str::to_owned).to_vec(),
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

    /// The charts: formats, attendance, audiences, and the map.
    pub fn charts(&self, locale: Locale) -> Vec<Chart> {
        let l = text::labels(locale);
        let year = |p: &Project| p.data.name.clone();
        let legend_names = self
            .previous
            .as_ref()
            .map(|p| (year(&self.project), year(p)));
        let legend = legend_names.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
        let mut out = Vec::new();
        let before = self.before.as_ref();

        let mut formats: Vec<Bar> = self
            .now
            .by_format
            .iter()
            .map(|(code, (a, _))| Bar {
                label: label_of(Format::parse, Format::label, code, locale, l.no_format),
                value: *a,
                previous: before.map(|b| b.by_format.get(code).map_or(0, |x| x.0)),
                text: text::int(locale, *a),
            })
            .collect();
        formats.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        let alt = format!("{} : {}", l.chart_formats, describe(&formats));
        out.push(Chart {
            key: "formats",
            caption: l.chart_formats.to_owned(),
            svg: svg::bars("chart-formats", l.chart_formats, &alt, &formats, legend),
            alt,
        });

        let b = &self.now.bookings;
        let pb = before.map(|f| &f.bookings);
        let attendance: Vec<Bar> = [
            (l.pupils, b.came_pupils, pb.map(|x| x.came_pupils)),
            (l.adults, b.came_adults, pb.map(|x| x.came_adults)),
            (l.public, b.came_public, pb.map(|x| x.came_public)),
        ]
        .into_iter()
        .map(|(label, value, previous)| Bar {
            label: label.to_owned(),
            value,
            previous,
            text: text::int(locale, value),
        })
        .collect();
        let alt = format!("{} : {}", l.chart_attendance, describe(&attendance));
        out.push(Chart {
            key: "attendance",
            caption: l.chart_attendance.to_owned(),
            svg: svg::bars(
                "chart-attendance",
                l.chart_attendance,
                &alt,
                &attendance,
                legend,
            ),
            alt,
        });

        let mut audiences: Vec<Bar> = self
            .now
            .by_audience
            .iter()
            .map(|(code, n)| Bar {
                label: label_of(Audience::parse, Audience::label, code, locale, l.none),
                value: *n,
                previous: before.map(|b| b.by_audience.get(code).copied().unwrap_or(0)),
                text: text::int(locale, *n),
            })
            .collect();
        audiences.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        let alt = format!("{} : {}", l.chart_audiences, describe(&audiences));
        out.push(Chart {
            key: "audiences",
            caption: l.chart_audiences.to_owned(),
            svg: svg::bars(
                "chart-audiences",
                l.chart_audiences,
                &alt,
                &audiences,
                legend,
            ),
            alt,
        });

        if let Some(c) = &self.coverage {
            let caption = format!("{} — {}", l.map, c.departement_name);
            out.push(Chart {
                key: "map",
                svg: svg::map(
                    "chart-map",
                    c,
                    &caption,
                    l.map_alt,
                    (l.map_reached, l.map_not_reached),
                ),
                caption,
                alt: l.map_alt.to_owned(),
            });
        }
        out
    }

    /// The figures as JSON (codes, not labels; the same in every language).
    pub fn json(&self) -> Value {
        let project = |p: &Project| {
            json!({
                "id": p.id,
                "slug": p.data.slug,
                "name": p.data.name,
                "kind": p.data.kind.code(),
                "starts_on": p.data.starts_on,
                "ends_on": p.data.ends_on,
            })
        };
        let counts = |m: &BTreeMap<String, i64>, key: &str| -> Value {
            m.iter()
                .map(|(k, n)| {
                    json!({ key: if k.is_empty() { Value::Null } else { json!(k) }, "count": n })
                })
                .collect()
        };
        let figures = |f: &ProjectFigures| {
            let b = &f.bookings;
            json!({
                "activities": f.activities,
                "sessions": f.sessions,
                "by_format": f.by_format.iter().map(|(k, (a, s))| json!({
                    "format": if k.is_empty() { Value::Null } else { json!(k) },
                    "activities": a, "sessions": s,
                })).collect::<Vec<_>>(),
                "by_audience": counts(&f.by_audience, "audience"),
                "by_theme": counts(&f.by_theme, "theme"),
                "partners": Self::partners(f),
                "partners_by_kind": counts(&f.partners_by_kind, "kind"),
                "speakers": Self::speakers(f),
                "speakers_by_gender": counts(&f.speakers_by_gender, "gender"),
                "bookings": {
                    "bookable_sessions": b.bookable_sessions,
                    "sessions_with_capacity": b.sessions_with_capacity,
                    "capacity": b.capacity,
                    "booked": b.held,
                    "booked_in_capacity": b.held_in_capacity,
                    "bookings": b.bookings,
                    "groups": b.groups,
                    "pending": b.pending,
                    "fill_rate": b.fill_rate(),
                    "full_sessions": b.full_sessions,
                    "waitlisted": b.waitlisted,
                    "waitlist_entries": b.waitlist_entries,
                    "sessions_with_waitlist": b.sessions_with_waitlist,
                },
                "attendance": {
                    "pupils": b.came_pupils,
                    "adults": b.came_adults,
                    "public": b.came_public,
                    "total": b.attendance(),
                    "checked_in": b.checked_in,
                    "no_shows": b.no_shows,
                    "walk_ins": b.walk_ins,
                },
            })
        };
        let coverage = |c: &Coverage, detail: bool| {
            let mut v = json!({
                "departement": { "code": c.departement, "name": c.departement_name },
                "communes_total": c.communes_total,
                "communes_reached": c.reached.len(),
                "population_reached": c.population_reached,
                "population_total": c.population_total,
                "population_share": c.population_share(),
                "epcis_reached": c.epcis.iter().filter(|e| e.reached > 0).count(),
            });
            if detail {
                v["reached"] = c
                    .reached
                    .iter()
                    .map(|r| {
                        json!({
                            "insee": r.insee, "name": r.name, "epci": r.epci,
                            "population": r.population,
                            "activities": r.figures.activities,
                            "sessions": r.figures.sessions,
                            "pupils": r.figures.pupils,
                            "adults": r.figures.adults,
                            "public": r.figures.public,
                        })
                    })
                    .collect();
                v["communes_never_reached"] = c
                    .never_reached
                    .iter()
                    .map(
                        |n| json!({ "insee": n.insee, "name": n.name, "population": n.population }),
                    )
                    .collect();
                v["epcis"] = c
                    .epcis
                    .iter()
                    .map(|e| json!({ "siren": e.siren, "name": e.name, "communes": e.communes, "reached": e.reached }))
                    .collect();
                let named = |list: &[&'static str]| -> Value {
                    list.iter()
                        .map(|i| json!({ "insee": i, "name": maillage_geo::commune(i).map(|c| c.name) }))
                        .collect()
                };
                v["outside"] = named(&c.outside);
                v["gained"] = named(&c.gained);
                v["lost"] = named(&c.lost);
            }
            v
        };
        let mut out = json!({
            "project": project(&self.project),
            "generated_at": self.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "figures": figures(&self.now),
            "coverage": self.coverage.as_ref().map(|c| coverage(c, true)),
            "questionnaires": self.questionnaires.iter().map(|q| {
                let one = |q: &Questionnaire| json!({
                    "id": q.id,
                    "title": q.title,
                    "responses": q.results.responses,
                    "questions": serde_json::to_value(&q.results.questions).unwrap_or(Value::Null),
                });
                let mut v = one(q);
                v["previous"] = q.previous.as_deref().map_or(Value::Null, one);
                v
            }).collect::<Vec<_>>(),
            "previous": self.previous.as_ref().map(|p| json!({
                "project": project(p),
                "figures": self.before.as_ref().map(figures),
                "coverage": self.before_coverage.as_ref().map(|c| coverage(c, false)),
            })),
        });
        if out["coverage"].is_null() {
            out["coverage"] = json!({
                "communes_reached": 0,
                "population_reached": 0,
                "communes_never_reached": [],
            });
        }
        out
    }
}

/// One row per question: how many answered, and what they said in a few
/// words (mean and median of a scale, the NPS, the most chosen options,
/// the number of comments); with the previous edition's questionnaire,
/// what its respondents said to the same question.
fn questionnaire_table(locale: Locale, q: &Questionnaire) -> Table {
    let l = text::labels(locale);
    let before = q.previous.as_deref();
    let rows = q
        .results
        .questions
        .iter()
        .filter(|r| r.current || r.answered > 0)
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.label.clone()),
                Cell::Int(r.answered as i64),
                Cell::Text(question_summary(locale, r)),
            ];
            if let Some(b) = before {
                let then = b.results.questions.iter().find(|p| p.key == r.key);
                row.push(Cell::Text(
                    then.filter(|p| p.answered > 0)
                        .map_or_else(|| "—".to_owned(), |p| question_summary(locale, p)),
                ));
            }
            row
        })
        .collect();
    let mut header = [l.question, l.answered, l.results]
        .map(str::to_owned)
        .to_vec();
    let mut numeric = vec![false, true, false];
    let mut title = format!(
        "{} — {} ({} {})",
        l.questionnaire,
        q.title,
        text::int(locale, q.results.responses as i64),
        l.responses
    );
    if let Some(b) = before {
        header.push(l.previous_edition.to_owned());
        numeric.push(false);
        let (semi, colon) = match locale {
            Locale::Fr => (" ;", " :"),
            Locale::En => (";", ":"),
        };
        title = format!(
            "{title}{semi} {}{colon} {} {}",
            l.previous_edition.to_lowercase(),
            text::int(locale, b.results.responses as i64),
            l.responses
        );
    }
    Table {
        key: "questionnaire",
        title,
        header,
        rows,
        numeric,
    }
}

/// What the respondents said to one question, in a few words.
fn question_summary(locale: Locale, r: &maillage_domain::forms::tally::QuestionResult) -> String {
    let l = text::labels(locale);
    let dec = |x: f64| locale.decimal(x, 1);
    match r.kind {
        "scale" | "number" => match (r.mean, r.median) {
            (Some(m), Some(med)) => {
                format!("{} {} · {} {}", l.mean, dec(m), l.median, dec(med))
            }
            _ => String::new(),
        },
        "nps" => r.nps.map_or_else(String::new, |n| {
            format!(
                "NPS {}{} · {} {}",
                if n >= 0.0 { "+" } else { "" },
                dec(n),
                l.mean,
                r.mean.map_or_else(String::new, dec)
            )
        }),
        "short_text" | "long_text" => {
            format!("{} {}", text::int(locale, r.texts_total as i64), l.comments)
        }
        _ => {
            let mut top: Vec<&maillage_domain::forms::tally::OptionCount> =
                r.options.iter().filter(|o| o.count > 0).collect();
            top.sort_by_key(|o| std::cmp::Reverse(o.count));
            top.iter()
                .take(4)
                .map(|o| format!("{} {}", o.label, text::percent(locale, o.percent / 100.0)))
                .collect::<Vec<_>>()
                .join(" · ")
        }
    }
}

fn rows_only(rows: Vec<(Vec<Cell>, i64)>) -> Vec<Vec<Cell>> {
    rows.into_iter().map(|(r, _)| r).collect()
}

/// "Atelier 12, Conférence 4, …" for a chart's text alternative.
fn describe(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{} {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join(", ")
}
