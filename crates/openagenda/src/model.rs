//! The neutral event record every reader produces and the writer consumes.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One event, as read from an OpenAgenda file or the Ministry's open data.
///
/// Every text is trimmed and never empty (absent instead); plain-text fields
/// carry no HTML tags. Only [`ImportedEvent::description`] is kept as given
/// (Markdown or HTML), to be sanitised by whoever renders it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedEvent {
    /// OpenAgenda's event uid (a number, kept as text), or the Ministry's
    /// `identifiant`.
    pub uid: String,
    pub slug: Option<String>,
    /// French title, else English, else the first language present.
    pub title: String,
    /// Short description (OpenAgenda's `description`), plain text.
    pub summary: Option<String>,
    /// Long description (OpenAgenda's `longDescription`), Markdown or HTML as
    /// given.
    pub description: Option<String>,
    /// Keywords of the chosen language, in their order, without duplicates.
    pub keywords: Vec<String>,
    /// Every valid timing, in the order of the file.
    pub timings: Vec<Timing>,
    pub location: Option<Location>,
    pub online_url: Option<String>,
    pub attendance: Attendance,
    /// Ways to register, without exact duplicates.
    pub registration: Vec<Registration>,
    /// Whether registration is required, when the source says so (the
    /// Ministry's `inscription_necessaire`; OpenAgenda has no such field).
    pub registration_required: Option<bool>,
    pub age: Option<AgeRange>,
    pub accessibility: Accessibility,
    pub status: EventStatus,
    /// Conditions of participation (price, booking…), plain text.
    pub conditions: Option<String>,
    pub image_url: Option<String>,
    /// Audiences named by the source (the Ministry's `publics_concernes`,
    /// `public_specifique`).
    pub audiences: Vec<String>,
    /// Scientific themes (the Ministry's `thematiques`).
    pub themes: Vec<String>,
    /// Kinds of event (the Ministry's `type_d_animation`: Atelier,
    /// Exposition…).
    pub event_types: Vec<String>,
    /// Organiser named by the source (the Ministry's `organisateur`).
    pub organiser: Option<String>,
}

/// One occurrence of an event: an exact instant range, `begin <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Timing {
    pub begin: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    /// INSEE code of the commune, when the source gives it.
    pub insee: Option<String>,
    /// Département name as given (`Isère`).
    pub department: Option<String>,
    /// Région name as given.
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// ISO 3166-1 alpha-2 code (`FR`).
    pub country: Option<String>,
}

impl Location {
    /// The département code: from the INSEE code when there is one, else from
    /// the postcode (`38400` → `38`, `20000` → `2A`, `97400` → `974`).
    /// Corsican postcodes give 2A for 200xx–201xx and 2B above; a few
    /// communes near a border have a postcode of the neighbouring
    /// département, so prefer the INSEE code when you have it.
    pub fn department_code(&self) -> Option<String> {
        if let Some(insee) = &self.insee {
            let insee = insee.as_str();
            if insee.len() == 5 && insee.is_ascii() {
                let code = if insee.starts_with("97") || insee.starts_with("98") {
                    &insee[..3]
                } else {
                    &insee[..2]
                };
                if code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Some(code.to_owned());
                }
            }
        }
        let postcode = self.postcode.as_deref()?;
        if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(match &postcode[..2] {
            "20" => {
                if postcode[2..3] < *"2" {
                    "2A".to_owned()
                } else {
                    "2B".to_owned()
                }
            }
            "97" | "98" => postcode[..3].to_owned(),
            two => two.to_owned(),
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.address.is_none()
            && self.city.is_none()
            && self.postcode.is_none()
            && self.insee.is_none()
            && self.department.is_none()
            && self.region.is_none()
            && self.lat.is_none()
            && self.lon.is_none()
            && self.country.is_none()
    }
}

/// OpenAgenda's `attendanceMode`: 1 offline, 2 online, 3 mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Attendance {
    #[default]
    Offline,
    Online,
    Mixed,
}

impl Attendance {
    pub fn code(self) -> u8 {
        match self {
            Attendance::Offline => 1,
            Attendance::Online => 2,
            Attendance::Mixed => 3,
        }
    }
}

/// OpenAgenda's `status` (the agenda schemas' options): 1 scheduled,
/// 2 rescheduled, 3 moved online, 4 postponed, 5 full, 6 cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum EventStatus {
    #[default]
    Scheduled,
    Rescheduled,
    MovedOnline,
    Postponed,
    Full,
    Cancelled,
}

impl EventStatus {
    pub fn code(self) -> u8 {
        match self {
            EventStatus::Scheduled => 1,
            EventStatus::Rescheduled => 2,
            EventStatus::MovedOnline => 3,
            EventStatus::Postponed => 4,
            EventStatus::Full => 5,
            EventStatus::Cancelled => 6,
        }
    }

    pub(crate) fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => EventStatus::Scheduled,
            2 => EventStatus::Rescheduled,
            3 => EventStatus::MovedOnline,
            4 => EventStatus::Postponed,
            5 => EventStatus::Full,
            6 => EventStatus::Cancelled,
            _ => return None,
        })
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "scheduled" => EventStatus::Scheduled,
            "rescheduled" => EventStatus::Rescheduled,
            "movedOnline" | "moved_online" | "movedonline" => EventStatus::MovedOnline,
            "postponed" => EventStatus::Postponed,
            "full" => EventStatus::Full,
            "cancelled" | "canceled" => EventStatus::Cancelled,
            _ => return None,
        })
    }
}

/// One way to register (OpenAgenda's `registration` entries).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Registration {
    Link(String),
    Email(String),
    Phone(String),
}

impl Registration {
    pub fn value(&self) -> &str {
        match self {
            Registration::Link(v) | Registration::Email(v) | Registration::Phone(v) => v,
        }
    }

    /// OpenAgenda's `type`: `link`, `email` or `phone`.
    pub fn kind(&self) -> &'static str {
        match self {
            Registration::Link(_) => "link",
            Registration::Email(_) => "email",
            Registration::Phone(_) => "phone",
        }
    }
}

/// Targeted ages, in years; at least one bound is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AgeRange {
    pub min: Option<u8>,
    pub max: Option<u8>,
}

/// OpenAgenda's `accessibility` flags: `mi` motor, `hi` hearing, `vi` visual,
/// `ii` intellectual, `pi` psychic impairment. A missing key is `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Accessibility {
    pub motor: bool,
    pub hearing: bool,
    pub visual: bool,
    pub intellectual: bool,
    pub psychic: bool,
}

impl Accessibility {
    pub fn any(&self) -> bool {
        self.motor || self.hearing || self.visual || self.intellectual || self.psychic
    }
}

/// An entry of the file that did not become an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Position of the entry in the file's list (0-based).
    pub index: usize,
    pub uid: Option<String>,
    pub title: Option<String>,
    pub reason: SkipReason,
}

impl Skipped {
    /// The entry at `index` (with what could be read of it), skipped.
    pub(crate) fn of(
        index: usize,
        uid: &Option<String>,
        title: &Option<String>,
        reason: SkipReason,
    ) -> Skipped {
        Skipped {
            index,
            uid: uid.clone(),
            title: title.clone(),
            reason,
        }
    }

    /// The uid and title every entry needs; an entry without one of them is
    /// skipped (recorded in `parsed`).
    pub(crate) fn identify(
        index: usize,
        uid: &Option<String>,
        title: &Option<String>,
        parsed: &mut crate::Parsed,
    ) -> Option<(String, String)> {
        match (uid, title) {
            (Some(u), Some(t)) => Some((u.clone(), t.clone())),
            _ => {
                let reason = if uid.is_none() {
                    SkipReason::NoUid
                } else {
                    SkipReason::NoTitle
                };
                parsed.skipped.push(Skipped::of(index, uid, title, reason));
                None
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SkipReason {
    /// The entry is not a JSON object.
    NotAnObject,
    /// No `uid` (or `identifiant`): the event could not be matched again later.
    NoUid,
    /// No title in any language.
    NoTitle,
    /// Neither `timings` nor `firstTiming`/`lastTiming` give a timing.
    NoTimings,
    /// Timings were given but none is valid; `problems` says why, one per
    /// timing in the order of the file.
    InvalidTiming { problems: Vec<TimingProblem> },
}

/// How many of the problems of [`SkipReason::InvalidTiming`] are said; the
/// others are counted.
pub const PROBLEMS_SAID: usize = 3;

impl std::fmt::Display for SkipReason {
    /// In English; `maillage_exchange::Describe` says it in French too.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::NotAnObject => f.write_str("not a JSON object"),
            SkipReason::NoUid => f.write_str("no uid"),
            SkipReason::NoTitle => f.write_str("no title"),
            SkipReason::NoTimings => f.write_str("no timings"),
            SkipReason::InvalidTiming { problems } => {
                f.write_str("no valid timing: ")?;
                for (n, p) in problems.iter().take(PROBLEMS_SAID).enumerate() {
                    if n > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                if problems.len() > PROBLEMS_SAID {
                    write!(f, "; and {} more", problems.len() - PROBLEMS_SAID)?;
                }
                Ok(())
            }
        }
    }
}

/// Why one `{begin, end}` pair of a file did not become a timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TimingProblem {
    /// The entry at `position` (1-based) of the list is not a
    /// `{begin, end}` pair; `value` is its JSON, shortened.
    NotAPair { position: usize, value: String },
    /// The begin or the end (`value`, trimmed) cannot be read as an instant.
    Unreadable {
        bound: Bound,
        value: String,
        why: InstantProblem,
    },
    /// The end is before the begin (both as written).
    EndBeforeBegin { begin: String, end: String },
}

/// The begin or the end of a timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Bound {
    Begin,
    End,
}

/// Why a text is not an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum InstantProblem {
    /// Not a date and time in any of the accepted formats.
    NotADateTime,
    /// A local time that does not exist in `zone` (clocks go forward).
    DoesNotExist { zone: String },
    /// Outside the years `first`–`last`, refused as implausible.
    OutOfYears { first: i32, last: i32 },
}

impl std::fmt::Display for TimingProblem {
    /// In English, as in the earlier `detail` texts.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimingProblem::NotAPair { position, value } => {
                write!(f, "timing {position} is not {{begin, end}}: {value}")
            }
            TimingProblem::Unreadable { bound, value, why } => {
                let bound = match bound {
                    Bound::Begin => "begin",
                    Bound::End => "end",
                };
                match why {
                    InstantProblem::NotADateTime => {
                        write!(f, "{bound} {value:?} is not a date and time")
                    }
                    InstantProblem::DoesNotExist { zone } => write!(
                        f,
                        "{bound} {value:?} does not exist in {zone} (clocks go forward)"
                    ),
                    InstantProblem::OutOfYears { first, last } => {
                        write!(f, "{bound} {value:?} is out of the years {first}–{last}")
                    }
                }
            }
            TimingProblem::EndBeforeBegin { begin, end } => {
                write!(f, "end {end:?} is before begin {begin:?}")
            }
        }
    }
}

/// Something in an event that was kept that was dropped or corrected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Position of the entry in the file's list (0-based).
    pub index: usize,
    pub uid: Option<String>,
    pub kind: WarningKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WarningKind {
    /// One timing was dropped (unparseable, end before begin, out of range).
    TimingDropped { problem: TimingProblem },
    /// A timing ending at 00:00 on the day it begins (`19:30 → 00:00`, what
    /// OpenAgenda's older forms stored for "no end time") was read as ending
    /// at midnight at the end of that day. `end` is the new end.
    EndAtMidnightExtended {
        begin: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// There was no `timings` list: the timings come from
    /// `firstTiming`/`lastTiming`, so occurrences in between may be missing.
    TimingsFromFirstAndLast,
    /// The status was not one of OpenAgenda's; `Scheduled` was assumed.
    UnknownStatus { value: String },
    /// The attendance mode was not one of OpenAgenda's; `Offline` was assumed.
    UnknownAttendance { value: String },
    /// A registration entry was neither a link, an e-mail address nor a phone
    /// number, and was dropped.
    RegistrationDropped { value: String },
    /// The same timing was given twice: it was kept once.
    DuplicateTimingMerged { begin: DateTime<Utc> },
}

impl std::fmt::Display for WarningKind {
    /// In English words, with the times in Europe/Paris
    /// (`maillage_exchange::Describe` says it in French too).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let paris = |t: &DateTime<Utc>| crate::in_paris(*t).format("%d/%m/%Y %H:%M").to_string();
        match self {
            WarningKind::TimingDropped { problem } => {
                write!(f, "a timing was dropped ({problem})")
            }
            WarningKind::EndAtMidnightExtended { begin, end } => write!(
                f,
                "a timing from {} ending at 00:00 the same day was read as ending at {}",
                paris(begin),
                paris(end)
            ),
            WarningKind::TimingsFromFirstAndLast => f.write_str(
                "no list of timings: only the first and last were read, others may be missing",
            ),
            WarningKind::UnknownStatus { value } => {
                write!(f, "unknown status {value:?}: read as scheduled")
            }
            WarningKind::UnknownAttendance { value } => {
                write!(f, "unknown attendance mode {value:?}: read as on site")
            }
            WarningKind::RegistrationDropped { value } => write!(
                f,
                "registration {value:?} is neither a link, an e-mail address nor a phone number: dropped"
            ),
            WarningKind::DuplicateTimingMerged { begin } => write!(
                f,
                "the timing from {} was given twice: kept once",
                paris(begin)
            ),
        }
    }
}
