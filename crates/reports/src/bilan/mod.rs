//! The bilan of a project: its figures and coverage compared with the
//! previous edition, laid out once as key figures, tables and charts that
//! the HTML page, the PDF and the workbook all show, and as JSON for the
//! API.
//!
//! This module counts the bilan and holds its comparison with the edition
//! before; `layout` has the key figures, the cells and tables and the
//! charts' types, `figures` the tables of the figures, `coverage` those of
//! the territory, `questionnaires` the summaries of the evaluation
//! questionnaires, `charts` the charts, and [`json`] the JSON.

mod charts;
mod coverage;
mod figures;
pub mod json;
mod layout;
mod questionnaires;

pub use layout::{Cell, Chart, KeyFigure, Table};

use crate::coverage::Coverage;
use crate::text::Labels;
use chrono::{DateTime, Utc};
use maillage_db::forms::questionnaires as results;
use maillage_db::programme::projects::{self, Project};
use maillage_db::reports::{self as counts, ProjectFigures};
use maillage_db::{ConnectionTrait, DbErr};
use maillage_domain::Locale;
use maillage_domain::report::SectionNote;
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
    /// What the team wrote, by section ([`Bilan::sections`]' anchors, and
    /// `key_figures` for the key figures).
    pub notes: BTreeMap<String, SectionNote>,
    pub generated_at: DateTime<Utc>,
}

/// A questionnaire of the project and its results (all responses).
#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub id: i64,
    pub title: String,
    pub results: results::Results,
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
            counts::project_figures(c, project.id),
            counts::by_commune(c, project.id)
        )
    };
    let one_before = async {
        match &previous {
            Some(p) => tokio::try_join!(
                counts::project_figures(c, p.id),
                counts::by_commune(c, p.id)
            )
            .map(|(f, b)| (Some(f), Some(b))),
            None => Ok((None, None)),
        }
    };
    let ((figures_now, communes_now), (before, communes_before)) =
        tokio::try_join!(this_one, one_before)?;
    let dept = crate::coverage::main_departement(&communes_now).or_else(|| {
        communes_before
            .as_ref()
            .and_then(crate::coverage::main_departement)
    });
    let coverage =
        dept.map(|d| crate::coverage::compute(d, &communes_now, communes_before.as_ref()));
    let before_coverage = match (dept, &communes_before) {
        (Some(d), Some(b)) => Some(crate::coverage::compute(d, b, None)),
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
        let f = results::Filter::default();
        let Some(results) = results::results(c, *id, &f).await? else {
            continue;
        };
        let mut before = None;
        if let Some(k) = earlier
            .iter()
            .position(|(_, e)| e.audience == form.audience)
        {
            let (pid, pform) = earlier.remove(k);
            if let Some(r) = results::results(c, *pid, &f).await? {
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
        previous,
        now: figures_now,
        before,
        coverage,
        before_coverage,
        questionnaires: forms,
        notes: maillage_db::report_notes::of_project(c, project.id).await?,
        project,
        generated_at: now,
    })
}

impl Bilan {
    /// The tables, each with the anchor its section is known by: its key,
    /// numbered from the second table of the same key ("questionnaire-2").
    pub fn sections(&self, locale: Locale) -> Vec<(String, Table)> {
        let mut seen: std::collections::HashMap<&'static str, usize> = Default::default();
        self.tables(locale)
            .into_iter()
            .map(|t| {
                let n = seen.entry(t.key).or_default();
                *n += 1;
                let anchor = if *n == 1 {
                    t.key.to_owned()
                } else {
                    format!("{}-{n}", t.key)
                };
                (anchor, t)
            })
            .collect()
    }

    /// What the team wrote about section `anchor`, if anything.
    pub fn note(&self, anchor: &str) -> Option<&SectionNote> {
        self.notes.get(anchor).filter(|n| !n.is_empty())
    }
}

/// The comparison with the edition before.
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
}
