//! The bilan as JSON, for the API and the `.json` download: codes, not
//! labels, the same in every language. The types below are what is
//! written (`Serialize`) and what the API's OpenAPI document says of it
//! (`ToSchema`, their doc comments as descriptions), so that the two
//! cannot drift apart.

use super::{Bilan, Questionnaire};
use crate::coverage::Coverage as Measured;
use chrono::NaiveDate;
use maillage_db::programme::projects::Project;
use maillage_db::reports::ProjectFigures;
use maillage_domain::forms::tally::{OptionCount, QuestionResult};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The bilan of a project: its figures compared with the previous
/// edition's, and its coverage of the territory.
#[derive(Serialize, ToSchema)]
#[schema(as = Bilan)]
pub struct Report<'a> {
    pub project: Edition<'a>,
    /// When the figures were counted.
    #[schema(format = DateTime)]
    pub generated_at: String,
    pub figures: Figures<'a>,
    pub coverage: Coverage,
    /// The evaluation questionnaires of the project, with their results.
    pub questionnaires: Vec<ComparedQuestionnaire<'a>>,
    /// The edition before (the latest project of the same kind that ended
    /// before this one started), its figures and coverage.
    pub previous: Option<Previous<'a>>,
    /// What the team wrote, by section of the bilan (`key_figures`,
    /// `formats`, `questionnaire-2`…).
    pub notes: BTreeMap<&'a str, Note<'a>>,
}

/// A section's commentary and highlights, written by the team.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanNote)]
pub struct Note<'a> {
    /// Paragraphs separated by line breaks.
    pub commentary: &'a str,
    pub highlights: &'a [String],
}

/// A project: an edition of an event or programme.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanProject)]
pub struct Edition<'a> {
    pub id: i64,
    /// Identifier of the project in URLs.
    pub slug: &'a str,
    pub name: &'a str,
    /// What the project is (festival, school_programme…).
    pub kind: &'static str,
    /// First day.
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    /// Last day.
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
}

/// The edition before, counted the same way.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanPrevious)]
pub struct Previous<'a> {
    pub project: Edition<'a>,
    pub figures: Option<Figures<'a>>,
    /// Measured on the département of this edition.
    pub coverage: Option<CoverageFigures>,
}

/// Activities and sessions (by format, audience, theme), partners by
/// type, speakers by gender, bookings and attendance from check-in.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanFigures)]
pub struct Figures<'a> {
    /// Activities that took place (published or full).
    pub activities: i64,
    /// Their sessions, cancelled ones left out.
    pub sessions: i64,
    pub by_format: Vec<FormatCount<'a>>,
    pub by_audience: Vec<AudienceCount<'a>>,
    pub by_theme: Vec<ThemeCount<'a>>,
    /// Partner organisations.
    pub partners: i64,
    pub partners_by_kind: Vec<KindCount<'a>>,
    /// Speakers.
    pub speakers: i64,
    pub speakers_by_gender: Vec<GenderCount<'a>>,
    pub bookings: Bookings,
    pub attendance: Attendance,
}

/// Activities and sessions of a format.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanFormatCount)]
pub struct FormatCount<'a> {
    /// The format's code (null: none given).
    pub format: Option<&'a str>,
    pub activities: i64,
    pub sessions: i64,
}

/// Activities for an audience.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanAudienceCount)]
pub struct AudienceCount<'a> {
    /// The audience's code.
    pub audience: Option<&'a str>,
    pub count: i64,
}

/// Activities of a theme.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanThemeCount)]
pub struct ThemeCount<'a> {
    /// The theme's code.
    pub theme: Option<&'a str>,
    pub count: i64,
}

/// Partner organisations of a type.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanPartnerKindCount)]
pub struct KindCount<'a> {
    /// The organisation type's code (null: none given).
    pub kind: Option<&'a str>,
    pub count: i64,
}

/// Speakers of a gender.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanGenderCount)]
pub struct GenderCount<'a> {
    /// The gender's code (null: not given).
    pub gender: Option<&'a str>,
    pub count: i64,
}

/// Bookings of the sessions.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanBookings)]
pub struct Bookings {
    /// Sessions open to booking.
    pub bookable_sessions: i64,
    /// Those with a capacity.
    pub sessions_with_capacity: i64,
    /// Places offered.
    pub capacity: i64,
    /// Places held (confirmed or awaiting confirmation).
    pub booked: i64,
    /// Places held on sessions with a capacity.
    pub booked_in_capacity: i64,
    pub bookings: i64,
    /// Bookings of groups (classes).
    pub groups: i64,
    /// Places awaiting confirmation.
    pub pending: i64,
    /// Places held of the capacity (0 to 1); null without a capacity.
    pub fill_rate: Option<f64>,
    pub full_sessions: i64,
    /// Places on waiting lists.
    pub waitlisted: i64,
    pub waitlist_entries: i64,
    pub sessions_with_waitlist: i64,
}

/// Attendance, from check-in.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanAttendance)]
pub struct Attendance {
    pub pupils: i64,
    pub adults: i64,
    pub public: i64,
    /// Pupils, adults and public together.
    pub total: i64,
    /// Bookings checked in.
    pub checked_in: i64,
    /// Bookings nobody came for.
    pub no_shows: i64,
    /// Entries without a booking.
    pub walk_ins: i64,
}

/// The coverage of the département most activities took place in; without
/// any commune reached, nothing but zeros.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[schema(as = BilanCoverage)]
pub enum Coverage {
    Measured(CoverageDetail),
    None(NoCoverage),
}

/// The coverage of a département: its figures, and commune by commune.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanCoverageDetail)]
pub struct CoverageDetail {
    #[serde(flatten)]
    pub figures: CoverageFigures,
    /// The communes reached, by name, with their figures.
    pub reached: Vec<CommuneReached>,
    /// Communes of the département without any activity, most populated
    /// first.
    pub communes_never_reached: Vec<CommuneNeverReached>,
    /// The EPCI of the département.
    pub epcis: Vec<Epci>,
    /// Communes reached outside the département.
    pub outside: Vec<Commune>,
    /// Communes reached now and not by the edition before.
    pub gained: Vec<Commune>,
    /// Communes reached by the edition before and not now.
    pub lost: Vec<Commune>,
}

/// No commune reached.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanNoCoverage)]
pub struct NoCoverage {
    #[schema(maximum = 0)]
    pub communes_reached: u64,
    #[schema(maximum = 0)]
    pub population_reached: u64,
    #[schema(max_items = 0)]
    pub communes_never_reached: Vec<CommuneNeverReached>,
}

/// The figures of the coverage of a département.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanCoverageFigures)]
pub struct CoverageFigures {
    pub departement: Departement,
    /// Communes of the département.
    pub communes_total: usize,
    /// Communes of the département with at least one activity.
    pub communes_reached: usize,
    /// People living in them.
    pub population_reached: u64,
    /// People living in the département.
    pub population_total: u64,
    /// The share of the département's population living in a commune
    /// reached (0 to 1).
    pub population_share: f64,
    /// EPCI with at least one commune reached.
    pub epcis_reached: usize,
}

/// A département.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanDepartement)]
pub struct Departement {
    pub code: &'static str,
    pub name: &'static str,
}

/// A commune reached, with its figures.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanCommuneReached)]
pub struct CommuneReached {
    /// Its INSEE code.
    pub insee: &'static str,
    pub name: &'static str,
    /// The SIREN of its EPCI.
    pub epci: Option<&'static str>,
    pub population: u32,
    pub activities: i64,
    pub sessions: i64,
    pub pupils: i64,
    pub adults: i64,
    pub public: i64,
}

/// A commune never reached.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanCommuneNeverReached)]
pub struct CommuneNeverReached {
    /// Its INSEE code.
    pub insee: &'static str,
    pub name: &'static str,
    pub population: u32,
}

/// An EPCI, with how many of its communes were reached.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanEpci)]
pub struct Epci {
    pub siren: &'static str,
    pub name: &'static str,
    /// Its communes.
    pub communes: usize,
    /// Those reached.
    pub reached: usize,
}

/// A commune by its INSEE code.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanCommune)]
pub struct Commune {
    pub insee: &'static str,
    /// Its name (null for a code the reference data does not know).
    pub name: Option<&'static str>,
}

/// An evaluation questionnaire of the project and its results, beside the
/// previous edition's questionnaire for the same audience.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanQuestionnaire)]
pub struct ComparedQuestionnaire<'a> {
    #[serde(flatten)]
    pub this: QuestionnaireResults<'a>,
    pub previous: Option<QuestionnaireResults<'a>>,
}

/// A questionnaire and the results of all its responses.
#[derive(Serialize, ToSchema)]
#[schema(as = BilanQuestionnaireResults)]
pub struct QuestionnaireResults<'a> {
    pub id: i64,
    pub title: &'a str,
    pub responses: u64,
    pub questions: Vec<Question<'a>>,
}

/// The results of one question, all versions of the form together (by key).
#[derive(Serialize, ToSchema)]
#[schema(as = BilanQuestion)]
pub struct Question<'a> {
    pub key: &'a str,
    pub label: &'a str,
    /// Its kind (short_text, single_choice, scale, nps, yes_no…).
    pub kind: &'static str,
    /// Still in the current version of the form.
    pub current: bool,
    /// Responses that answered it.
    pub answered: u64,
    /// Choices, yes/no, scale and NPS values, in order.
    pub options: Vec<QuestionOption<'a>>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Net promoter score: % of promoters minus % of detractors.
    pub nps: Option<f64>,
    /// Free-text answers (the first thousand).
    pub texts: &'a [String],
    pub texts_total: u64,
}

/// One option (or value of a scale).
#[derive(Serialize, ToSchema)]
#[schema(as = BilanQuestionOption)]
pub struct QuestionOption<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub count: u64,
    /// Of the responses that answered the question, rounded to 0.1.
    pub percent: f64,
}

impl Bilan {
    /// The bilan as JSON (codes, not labels; the same in every language).
    pub fn report(&self) -> Report<'_> {
        Report {
            notes: self
                .notes
                .iter()
                .filter(|(_, n)| !n.is_empty())
                .map(|(k, n)| {
                    (
                        k.as_str(),
                        Note {
                            commentary: &n.commentary,
                            highlights: &n.highlights,
                        },
                    )
                })
                .collect(),
            project: Edition::of(&self.project),
            generated_at: self
                .generated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            figures: Figures::of(&self.now),
            coverage: self.coverage.as_ref().map_or(
                Coverage::None(NoCoverage {
                    communes_reached: 0,
                    population_reached: 0,
                    communes_never_reached: Vec::new(),
                }),
                |c| Coverage::Measured(CoverageDetail::of(c)),
            ),
            questionnaires: self
                .questionnaires
                .iter()
                .map(|q| ComparedQuestionnaire {
                    this: QuestionnaireResults::of(q),
                    previous: q.previous.as_deref().map(QuestionnaireResults::of),
                })
                .collect(),
            previous: self.previous.as_ref().map(|p| Previous {
                project: Edition::of(p),
                figures: self.before.as_ref().map(Figures::of),
                coverage: self.before_coverage.as_ref().map(CoverageFigures::of),
            }),
        }
    }

    /// [`Bilan::report`] as a JSON value (its keys in alphabetical order).
    pub fn json(&self) -> Value {
        serde_json::to_value(self.report()).unwrap_or_default()
    }
}

impl<'a> Edition<'a> {
    fn of(p: &'a Project) -> Self {
        Edition {
            id: p.id,
            slug: &p.data.slug,
            name: &p.data.name,
            kind: p.data.kind.code(),
            starts_on: p.data.starts_on,
            ends_on: p.data.ends_on,
        }
    }
}

/// A code of the figures: none is counted under "".
fn code(k: &str) -> Option<&str> {
    Some(k).filter(|k| !k.is_empty())
}

fn counts<'a, T>(m: &'a BTreeMap<String, i64>, count: fn(Option<&'a str>, i64) -> T) -> Vec<T> {
    m.iter().map(|(k, n)| count(code(k), *n)).collect()
}

impl<'a> Figures<'a> {
    fn of(f: &'a ProjectFigures) -> Self {
        let b = &f.bookings;
        Figures {
            activities: f.activities,
            sessions: f.sessions,
            by_format: f
                .by_format
                .iter()
                .map(|(k, (activities, sessions))| FormatCount {
                    format: code(k),
                    activities: *activities,
                    sessions: *sessions,
                })
                .collect(),
            by_audience: counts(&f.by_audience, |audience, count| AudienceCount {
                audience,
                count,
            }),
            by_theme: counts(&f.by_theme, |theme, count| ThemeCount { theme, count }),
            partners: Bilan::partners(f),
            partners_by_kind: counts(&f.partners_by_kind, |kind, count| KindCount { kind, count }),
            speakers: Bilan::speakers(f),
            speakers_by_gender: counts(&f.speakers_by_gender, |gender, count| GenderCount {
                gender,
                count,
            }),
            bookings: Bookings {
                bookable_sessions: b.bookable_sessions,
                sessions_with_capacity: b.sessions_with_capacity,
                capacity: b.capacity,
                booked: b.held,
                booked_in_capacity: b.held_in_capacity,
                bookings: b.bookings,
                groups: b.groups,
                pending: b.pending,
                fill_rate: b.fill_rate(),
                full_sessions: b.full_sessions,
                waitlisted: b.waitlisted,
                waitlist_entries: b.waitlist_entries,
                sessions_with_waitlist: b.sessions_with_waitlist,
            },
            attendance: Attendance {
                pupils: b.came_pupils,
                adults: b.came_adults,
                public: b.came_public,
                total: b.attendance(),
                checked_in: b.checked_in,
                no_shows: b.no_shows,
                walk_ins: b.walk_ins,
            },
        }
    }
}

impl CoverageFigures {
    fn of(c: &Measured) -> Self {
        CoverageFigures {
            departement: Departement {
                code: c.departement,
                name: c.departement_name,
            },
            communes_total: c.communes_total,
            communes_reached: c.reached.len(),
            population_reached: c.population_reached,
            population_total: c.population_total,
            population_share: c.population_share(),
            epcis_reached: c.epcis.iter().filter(|e| e.reached > 0).count(),
        }
    }
}

impl CoverageDetail {
    fn of(c: &Measured) -> Self {
        let named = |list: &[&'static str]| -> Vec<Commune> {
            list.iter()
                .map(|i| Commune {
                    insee: i,
                    name: maillage_geo::commune(i).map(|c| c.name),
                })
                .collect()
        };
        CoverageDetail {
            figures: CoverageFigures::of(c),
            reached: c
                .reached
                .iter()
                .map(|r| CommuneReached {
                    insee: r.insee,
                    name: r.name,
                    epci: r.epci,
                    population: r.population,
                    activities: r.figures.activities,
                    sessions: r.figures.sessions,
                    pupils: r.figures.pupils,
                    adults: r.figures.adults,
                    public: r.figures.public,
                })
                .collect(),
            communes_never_reached: c
                .never_reached
                .iter()
                .map(|n| CommuneNeverReached {
                    insee: n.insee,
                    name: n.name,
                    population: n.population,
                })
                .collect(),
            epcis: c
                .epcis
                .iter()
                .map(|e| Epci {
                    siren: e.siren,
                    name: e.name,
                    communes: e.communes,
                    reached: e.reached,
                })
                .collect(),
            outside: named(&c.outside),
            gained: named(&c.gained),
            lost: named(&c.lost),
        }
    }
}

impl<'a> QuestionnaireResults<'a> {
    fn of(q: &'a Questionnaire) -> Self {
        QuestionnaireResults {
            id: q.id,
            title: &q.title,
            responses: q.results.responses,
            questions: q.results.questions.iter().map(Question::of).collect(),
        }
    }
}

impl<'a> Question<'a> {
    fn of(r: &'a QuestionResult) -> Self {
        let option = |o: &'a OptionCount| QuestionOption {
            key: &o.key,
            label: &o.label,
            count: o.count,
            percent: o.percent,
        };
        Question {
            key: &r.key,
            label: &r.label,
            kind: r.kind,
            current: r.current,
            answered: r.answered,
            options: r.options.iter().map(option).collect(),
            mean: r.mean,
            median: r.median,
            nps: r.nps,
            texts: &r.texts,
            texts_total: r.texts_total,
        }
    }
}
