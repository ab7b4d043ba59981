//! What an accepted proposal to a call for participation gives its draft
//! activity: its fields and its proposed sessions, each with its place.

use super::*;

/// What an accepted proposal to a call for participation gives its draft
/// activity, read from well-known field keys: `title`, `summary`,
/// `description`, `format` (an option keyed by a format code), `audience`
/// (options keyed by audience codes), `min_age`, `venue` (an option keyed
/// by a venue id, or a number), `themes` (options keyed by theme codes),
/// `levels` (options keyed by school-level codes), `registration` (an option
/// keyed by a registration-mode code), `capacity`, `needs`; and up to
/// [`MAX_PROPOSED_SESSIONS`] sessions `session{n}_date`, `session{n}_start`,
/// `session{n}_end` (times), `session{n}_place` (the place's name) and
/// `session{n}_commune` (a commune as typed), `session{n}_venue` (a venue).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityProposal {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub format: Option<crate::programme::Format>,
    pub audiences: Vec<crate::programme::Audience>,
    pub levels: Vec<crate::programme::SchoolLevel>,
    pub themes: Vec<crate::directory::Theme>,
    pub min_age: Option<i32>,
    pub venue_id: Option<i64>,
    pub registration: Option<crate::programme::RegistrationMode>,
    pub capacity: Option<i32>,
    /// Material needs, as written.
    pub needs: Option<String>,
    pub sessions: Vec<ProposedSession>,
}

/// A session proposed with a call's answers (Europe/Paris times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedSession {
    pub date: chrono::NaiveDate,
    pub start: chrono::NaiveTime,
    /// After `start` (an hour after it when not given or not after).
    pub end: chrono::NaiveTime,
    /// The place's name and its commune as typed.
    pub place: Option<String>,
    pub commune: Option<String>,
    pub venue_id: Option<i64>,
}

/// How many sessions a proposal may carry (`session1_…` to `session5_…`).
pub const MAX_PROPOSED_SESSIONS: usize = 5;

/// The well-known keys [`ActivityProposal::from_answers`] reads (besides
/// the sessions' `session{n}_…`).
pub const ACTIVITY_KEYS: [&str; 12] = [
    "title",
    "summary",
    "description",
    "format",
    "audience",
    "levels",
    "themes",
    "min_age",
    "venue",
    "registration",
    "capacity",
    "needs",
];

/// Is `key` one of the keys of a proposed session's commune
/// (`session{n}_commune`), whose answer must name one commune?
pub fn is_commune_key(key: &str) -> bool {
    key.strip_prefix("session")
        .and_then(|k| k.strip_suffix("_commune"))
        .is_some_and(|n| {
            n.parse::<usize>()
                .is_ok_and(|n| (1..=MAX_PROPOSED_SESSIONS).contains(&n))
        })
}

impl ActivityProposal {
    pub fn from_answers(a: &Answers) -> ActivityProposal {
        let text = |k: &str| match a.get(k) {
            Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            Some(Answer::Choice(c)) => Some(c.clone()),
            _ => None,
        };
        let codes = |k: &str| -> Vec<String> {
            match a.get(k) {
                Some(Answer::Choices(cs)) => cs.clone(),
                Some(Answer::Choice(c)) => vec![c.clone()],
                _ => Vec::new(),
            }
        };
        ActivityProposal {
            title: text("title"),
            summary: text("summary"),
            description: text("description"),
            format: text("format").and_then(|f| crate::programme::Format::parse(&f).ok()),
            audiences: codes("audience")
                .iter()
                .filter_map(|c| crate::programme::Audience::parse(c).ok())
                .collect(),
            themes: codes("themes")
                .iter()
                .filter_map(|c| crate::directory::Theme::parse(c).ok())
                .collect(),
            min_age: match a.get("min_age") {
                Some(Answer::Number(n)) if n.fract() == 0.0 && (0.0..=120.0).contains(n) => {
                    Some(*n as i32)
                }
                _ => None,
            },
            venue_id: venue(a.get("venue")),
            levels: codes("levels")
                .iter()
                .filter_map(|c| crate::programme::SchoolLevel::parse(c).ok())
                .collect(),
            registration: text("registration")
                .and_then(|r| crate::programme::RegistrationMode::parse(&r).ok()),
            capacity: match a.get("capacity") {
                Some(Answer::Number(n)) if n.fract() == 0.0 && (1.0..=100_000.0).contains(n) => {
                    Some(*n as i32)
                }
                _ => None,
            },
            needs: text("needs"),
            sessions: (1..=MAX_PROPOSED_SESSIONS)
                .filter_map(|n| {
                    let key = |part: &str| format!("session{n}_{part}");
                    let date = match a.get(&key("date")) {
                        Some(Answer::Date(d)) => *d,
                        _ => return None,
                    };
                    let time = |part: &str| match a.get(&key(part)) {
                        Some(Answer::Text(t)) => crate::field::parse_time(t).ok(),
                        _ => None,
                    };
                    let start = time("start")?;
                    let end = time("end")
                        .filter(|e| *e > start)
                        .unwrap_or_else(|| start + chrono::TimeDelta::hours(1));
                    Some(ProposedSession {
                        date,
                        start,
                        end,
                        place: text(&key("place")),
                        commune: text(&key("commune")),
                        venue_id: venue(a.get(&key("venue"))),
                    })
                })
                .collect(),
        }
    }
}

fn venue(a: Option<&Answer>) -> Option<i64> {
    match a {
        Some(Answer::Choice(c)) => c.parse().ok(),
        Some(Answer::Number(n)) if n.fract() == 0.0 => Some(*n as i64),
        _ => None,
    }
}
