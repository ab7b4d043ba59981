//! What an accepted proposal to a call for participation gives its draft
//! activity.

use super::*;

/// What an accepted proposal to a call for participation gives its draft
/// activity, read from well-known field keys: `title`, `summary`,
/// `description`, `format` (an option keyed by a format code), `audience`
/// (options keyed by audience codes), `min_age`, `venue` (an option keyed
/// by a venue id, or a number), `themes` (options keyed by theme codes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivityProposal {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub format: Option<crate::programme::Format>,
    pub audiences: Vec<crate::programme::Audience>,
    pub themes: Vec<crate::directory::Theme>,
    pub min_age: Option<i32>,
    pub venue_id: Option<i64>,
}

/// The well-known keys [`ActivityProposal::from_answers`] reads.
pub const ACTIVITY_KEYS: [&str; 8] = [
    "title",
    "summary",
    "description",
    "format",
    "audience",
    "themes",
    "min_age",
    "venue",
];

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
            venue_id: match a.get("venue") {
                Some(Answer::Choice(c)) => c.parse().ok(),
                Some(Answer::Number(n)) if n.fract() == 0.0 => Some(*n as i64),
                _ => None,
            },
        }
    }
}
