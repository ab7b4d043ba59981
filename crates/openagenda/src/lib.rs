//! OpenAgenda event files, read and written without the database.
//!
//! OpenAgenda is the agenda platform the Fête de la science uses nationally;
//! the public programme exchanges events with it as API v2 event objects.
//! This crate turns such files into neutral [`ImportedEvent`]s ([`parse`]),
//! does the same for the Ministry's Opendatasoft export of the Fête de la
//! science programme ([`parse_fete_de_la_science`]), and writes events back
//! in OpenAgenda's shape ([`export`]), so that
//! `parse(export(parse(x))) == parse(x)`.
//!
//! Reading never panics and never gives up on a whole file for one bad
//! event: entries that cannot become events are listed in
//! [`Parsed::skipped`] with the reason, and what was dropped or corrected
//! inside kept events in [`Parsed::warnings`].
//!
//! What the real files contain, and how it is read:
//!
//! - multilingual fields are objects (`{"fr": …, "en": …}`) or plain
//!   strings; the French text is taken, else the English, else the first
//!   language present;
//! - `timings` are `{begin, end}` pairs with offsets
//!   (`2022-10-15T17:00:00+02:00`, sometimes with milliseconds); each becomes
//!   one [`Timing`] in UTC; `firstTiming`/`lastTiming` are used only when
//!   there is no `timings` list (they are absent from most of the Albi events);
//! - a timing whose end is before its begin is dropped, except the pattern
//!   `19:30 → 00:00 the same day` (OpenAgenda's old forms stored it for
//!   concerts without an end time: 28 timings of 25 events in the Centre
//!   tchèque's file), which is read as ending at the following midnight and
//!   reported as [`WarningKind::EndAtMidnightExtended`];
//! - `accessibility` keys are `mi`, `hi`, `vi`, `ii`, `pi` (`ii` is missing
//!   from older events); `status` 1–6 and `attendanceMode` 1–3 follow the
//!   agenda schemas' options.
//!
//! Custom fields of an agenda (`types-de-publics: [19]`…) are option ids of
//! that agenda's schema and are not read.

mod export;
mod fete_science;
mod model;
mod openagenda;
mod text;
mod time;

use serde::Serialize;

pub use crate::export::export;
pub use crate::fete_science::parse_fete_de_la_science;
pub use crate::model::{
    Accessibility, AgeRange, Attendance, Bound, EventStatus, ImportedEvent, InstantProblem,
    Location, PROBLEMS_SAID, Registration, SkipReason, Skipped, Timing, TimingProblem, Warning,
    WarningKind,
};
pub use crate::openagenda::parse;
pub use crate::time::in_paris;

/// Key of the object [`export`] adds to an event for what OpenAgenda's
/// standard fields cannot hold (audiences, themes, event types, organiser,
/// whether registration is required); [`parse`] reads it back.
pub const EXTENSION_KEY: &str = "x-maillage";

/// What a file gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Parsed {
    pub events: Vec<ImportedEvent>,
    /// Entries that did not become events.
    pub skipped: Vec<Skipped>,
    /// What was dropped or corrected inside the events kept.
    pub warnings: Vec<Warning>,
}

/// The file as a whole could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unexpected shape: {0}")]
    Shape(Expected),
}

/// What a file should have been, when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// OpenAgenda events: an array, an object with `events`, or one event.
    Events,
    /// Opendatasoft records: an array, or an object with `records` or
    /// `results`.
    Records,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Expected::Events => {
                "expected an array of events, an object with `events`, or an event object"
            }
            Expected::Records => {
                "expected an array of Opendatasoft records, or an object with `records` or `results`"
            }
        })
    }
}
