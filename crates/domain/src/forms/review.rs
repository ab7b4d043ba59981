//! The review of submissions to calls: their statuses, the explicit table
//! of who may move a submission from one status to another, and the
//! weighting of reviewers' scores.

use crate::field::FieldError;

vocabulary! {
    /// Where a submission stands.
    Status {
        Draft = "draft", "Brouillon", "Draft";
        Submitted = "submitted", "Déposée", "Submitted";
        UnderReview = "under_review", "En cours d'examen", "Under review";
        ChangesRequested = "changes_requested", "Modifications demandées", "Changes requested";
        Accepted = "accepted", "Acceptée", "Accepted";
        Rejected = "rejected", "Refusée", "Rejected";
        Withdrawn = "withdrawn", "Retirée", "Withdrawn";
    }
}

vocabulary! {
    /// Who makes a change: the person (or partner) who submitted, or the
    /// team (staff, reviewers).
    Actor {
        Submitter = "submitter", "Déposant·e", "Submitter";
        Staff = "staff", "Équipe", "Team";
    }
}

use Actor::{Staff, Submitter};
use Status::*;

/// Every allowed change: from, to, and who may make it. Read it as a table.
pub const TRANSITIONS: &[(Status, Status, Actor)] = &[
    (Draft, Submitted, Submitter),
    (Draft, Withdrawn, Submitter),
    (Submitted, UnderReview, Staff),
    (Submitted, ChangesRequested, Staff),
    (Submitted, Accepted, Staff),
    (Submitted, Rejected, Staff),
    (Submitted, Withdrawn, Submitter),
    (UnderReview, ChangesRequested, Staff),
    (UnderReview, Accepted, Staff),
    (UnderReview, Rejected, Staff),
    (UnderReview, Withdrawn, Submitter),
    (ChangesRequested, Submitted, Submitter),
    (ChangesRequested, Withdrawn, Submitter),
    (ChangesRequested, Rejected, Staff),
    // A refusal may be reconsidered; an acceptance made an activity and stays.
    (Rejected, UnderReview, Staff),
];

impl Status {
    /// Whether anyone may move a submission from `self` to `to`.
    pub fn can_go(self, to: Status) -> bool {
        self.who(to).is_some()
    }

    /// Who may move a submission from `self` to `to`.
    pub fn who(self, to: Status) -> Option<Actor> {
        TRANSITIONS
            .iter()
            .find(|(f, t, _)| *f == self && *t == to)
            .map(|(_, _, a)| *a)
    }

    /// Whether `actor` may move a submission from `self` to `to`.
    pub fn allows(self, to: Status, actor: Actor) -> bool {
        self.who(to) == Some(actor)
    }

    /// Whether the submitter may still edit the answers.
    pub fn editable(self) -> bool {
        matches!(self, Draft | ChangesRequested)
    }

    /// A decision staff may stage and send later in one batch.
    pub fn is_decision(self) -> bool {
        matches!(self, Accepted | Rejected | ChangesRequested)
    }

    /// Whether a move to `self` must tell the submitter why (asking for
    /// changes says which).
    pub fn needs_message(self) -> bool {
        self == ChangesRequested
    }

    /// No change leads out of it.
    pub fn is_final(self) -> bool {
        !Status::ALL.iter().any(|to| self.can_go(*to))
    }
}

/// Checks a score given on a criterion: a whole number from 0 to `max`.
pub fn score(input: &str, max: i32) -> Result<i32, FieldError> {
    crate::booking::persons(input, 0, max)
}

/// Longest comment or message of the review, in characters.
pub const MESSAGE_MAX: usize = 5000;

/// Checks a comment of the team or a message to the submitter, trimmed:
/// at most [`MESSAGE_MAX`] characters, no control characters but line
/// breaks and tabs, line breaks as `\n`; `None` when nothing was typed.
pub fn message(input: &str) -> Result<Option<String>, FieldError> {
    crate::field::text_block(input, MESSAGE_MAX)
}

/// The weighted average of `(score, weight)` pairs, `None` when the
/// weights sum to nothing.
pub fn weighted_average(scores: &[(f64, f64)]) -> Option<f64> {
    let weight: f64 = scores.iter().map(|(_, w)| w).sum();
    (weight > 0.0).then(|| scores.iter().map(|(s, w)| s * w).sum::<f64>() / weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, pair by pair: what is not listed is refused.
    #[test]
    fn transitions_exhaustively() {
        let expected: &[(Status, Status, Option<Actor>)] = &[
            (Draft, Draft, None),
            (Draft, Submitted, Some(Submitter)),
            (Draft, UnderReview, None),
            (Draft, ChangesRequested, None),
            (Draft, Accepted, None),
            (Draft, Rejected, None),
            (Draft, Withdrawn, Some(Submitter)),
            (Submitted, Draft, None),
            (Submitted, Submitted, None),
            (Submitted, UnderReview, Some(Staff)),
            (Submitted, ChangesRequested, Some(Staff)),
            (Submitted, Accepted, Some(Staff)),
            (Submitted, Rejected, Some(Staff)),
            (Submitted, Withdrawn, Some(Submitter)),
            (UnderReview, Draft, None),
            (UnderReview, Submitted, None),
            (UnderReview, UnderReview, None),
            (UnderReview, ChangesRequested, Some(Staff)),
            (UnderReview, Accepted, Some(Staff)),
            (UnderReview, Rejected, Some(Staff)),
            (UnderReview, Withdrawn, Some(Submitter)),
            (ChangesRequested, Draft, None),
            (ChangesRequested, Submitted, Some(Submitter)),
            (ChangesRequested, UnderReview, None),
            (ChangesRequested, ChangesRequested, None),
            (ChangesRequested, Accepted, None),
            (ChangesRequested, Rejected, Some(Staff)),
            (ChangesRequested, Withdrawn, Some(Submitter)),
            (Accepted, Draft, None),
            (Accepted, Submitted, None),
            (Accepted, UnderReview, None),
            (Accepted, ChangesRequested, None),
            (Accepted, Accepted, None),
            (Accepted, Rejected, None),
            (Accepted, Withdrawn, None),
            (Rejected, Draft, None),
            (Rejected, Submitted, None),
            (Rejected, UnderReview, Some(Staff)),
            (Rejected, ChangesRequested, None),
            (Rejected, Accepted, None),
            (Rejected, Rejected, None),
            (Rejected, Withdrawn, None),
            (Withdrawn, Draft, None),
            (Withdrawn, Submitted, None),
            (Withdrawn, UnderReview, None),
            (Withdrawn, ChangesRequested, None),
            (Withdrawn, Accepted, None),
            (Withdrawn, Rejected, None),
            (Withdrawn, Withdrawn, None),
        ];
        assert_eq!(expected.len(), Status::ALL.len() * Status::ALL.len());
        for &(from, to, who) in expected {
            assert_eq!(from.who(to), who, "{from:?} → {to:?}");
            assert_eq!(from.can_go(to), who.is_some(), "{from:?} → {to:?}");
            for actor in [Submitter, Staff] {
                assert_eq!(
                    from.allows(to, actor),
                    who == Some(actor),
                    "{from:?} → {to:?} by {actor:?}"
                );
            }
        }
        // The table holds no pair twice.
        for (i, (f, t, _)) in TRANSITIONS.iter().enumerate() {
            assert!(
                !TRANSITIONS[i + 1..]
                    .iter()
                    .any(|(f2, t2, _)| f2 == f && t2 == t)
            );
        }
        assert!(Accepted.is_final() && Withdrawn.is_final());
        assert!(!Rejected.is_final() && !Draft.is_final());
        assert!(Draft.editable() && ChangesRequested.editable() && !Submitted.editable());
    }

    #[test]
    fn scores_and_weights() {
        assert_eq!(score("4", 5), Ok(4));
        assert_eq!(
            score("6", 5),
            Err(FieldError::OutOfRange { min: 0, max: 5 })
        );
        assert_eq!(weighted_average(&[]), None);
        assert_eq!(weighted_average(&[(4.0, 2.0), (1.0, 1.0)]), Some(3.0));
        assert_eq!(weighted_average(&[(4.0, 0.0)]), None);
    }

    #[test]
    fn messages_of_the_review() {
        assert_eq!(message("  "), Ok(None));
        assert_eq!(
            message(" Projet solide,\r\nà revoir. "),
            Ok(Some("Projet solide,\nà revoir.".into()))
        );
        assert_eq!(message("a\u{7}b"), Err(FieldError::ControlCharacters));
        assert_eq!(
            message(&"x".repeat(MESSAGE_MAX + 1)),
            Err(FieldError::TooLong { max: MESSAGE_MAX })
        );
        assert!(ChangesRequested.needs_message() && !Accepted.needs_message());
    }
}
