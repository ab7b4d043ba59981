//! What an import skipped or corrected, in the user's language: the
//! `Display` of `maillage_openagenda`'s types is English; [`Describe`] says
//! the same in French too.

use chrono::{DateTime, Utc};
use maillage_domain::Locale;
use maillage_openagenda::{
    Bound, Expected, InstantProblem, PROBLEMS_SAID, ParseError, SkipReason, Skipped, TimingProblem,
    Warning, WarningKind,
};

/// A sentence in the given language.
pub trait Describe {
    fn describe(&self, locale: Locale) -> String;
}

/// A text of the file, quoted: « … » in French, “…” in English.
fn quoted(locale: Locale, s: &str) -> String {
    match locale {
        Locale::Fr => format!("« {s} »"),
        Locale::En => format!("“{s}”"),
    }
}

/// An instant in Europe/Paris: "le 05/10/2024 à 14:00".
fn paris_fr(t: &DateTime<Utc>) -> String {
    maillage_openagenda::in_paris(*t)
        .format("le %d/%m/%Y à %H:%M")
        .to_string()
}

impl Describe for SkipReason {
    fn describe(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            SkipReason::NotAnObject => "ce n'est pas un objet JSON".into(),
            SkipReason::NoUid => "pas d'uid".into(),
            SkipReason::NoTitle => "pas de titre".into(),
            SkipReason::NoTimings => "aucun horaire".into(),
            SkipReason::InvalidTiming { problems } => {
                let mut said: Vec<String> = problems
                    .iter()
                    .take(PROBLEMS_SAID)
                    .map(|p| p.describe(locale))
                    .collect();
                match problems.len().saturating_sub(PROBLEMS_SAID) {
                    0 => {}
                    1 => said.push("et 1 autre".into()),
                    n => said.push(format!("et {n} autres")),
                }
                format!("aucun horaire valide : {}", said.join(" ; "))
            }
        }
    }
}

impl Describe for TimingProblem {
    fn describe(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            TimingProblem::NotAPair { position, value } => {
                format!("l'horaire {position} n'est pas une paire {{begin, end}} : {value}")
            }
            TimingProblem::Unreadable { bound, value, why } => {
                let bound = match bound {
                    Bound::Begin => "le début",
                    Bound::End => "la fin",
                };
                let value = quoted(locale, value);
                match why {
                    InstantProblem::NotADateTime => {
                        format!("{bound} {value} n'est pas une date et une heure")
                    }
                    InstantProblem::DoesNotExist { zone } => format!(
                        "{bound} {value} n'existe pas dans le fuseau {zone} (passage à l'heure d'été)"
                    ),
                    InstantProblem::OutOfYears { first, last } => {
                        format!("{bound} {value} est hors des années {first} à {last}")
                    }
                }
            }
            TimingProblem::EndBeforeBegin { begin, end } => format!(
                "la fin {} précède le début {}",
                quoted(locale, end),
                quoted(locale, begin)
            ),
        }
    }
}

impl Describe for WarningKind {
    fn describe(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            WarningKind::TimingDropped { problem } => {
                format!("un horaire a été écarté ({})", problem.describe(locale))
            }
            WarningKind::EndAtMidnightExtended { begin, end } => format!(
                "un horaire commençant {} et finissant à 00:00 le même jour a été lu comme finissant {}",
                paris_fr(begin),
                paris_fr(end)
            ),
            WarningKind::TimingsFromFirstAndLast => {
                "pas de liste d'horaires : seuls le premier et \
                 le dernier ont été lus, d'autres peuvent manquer"
                    .into()
            }
            WarningKind::UnknownStatus { value } => format!(
                "statut inconnu {} : lu comme programmé",
                quoted(locale, value)
            ),
            WarningKind::UnknownAttendance { value } => format!(
                "mode de participation inconnu {} : lu comme sur place",
                quoted(locale, value)
            ),
            WarningKind::RegistrationDropped { value } => format!(
                "l'inscription {} n'est ni un lien, ni une adresse e-mail, ni un numéro de \
                 téléphone : écartée",
                quoted(locale, value)
            ),
            WarningKind::DuplicateTimingMerged { begin } => format!(
                "l'horaire commençant {} était donné deux fois : gardé une fois",
                paris_fr(begin)
            ),
        }
    }
}

/// "entrée 3 (uid 12, « Titre »)": the position in the file's list
/// (1-based) and what could be read of the entry.
fn entry(locale: Locale, index: usize, uid: Option<&str>, title: Option<&str>) -> String {
    let mut known = Vec::new();
    if let Some(u) = uid {
        known.push(format!("uid {u}"));
    }
    if let Some(t) = title {
        known.push(quoted(locale, t));
    }
    let word = match locale {
        Locale::Fr => "entrée",
        Locale::En => "entry",
    };
    if known.is_empty() {
        format!("{word} {}", index + 1)
    } else {
        format!("{word} {} ({})", index + 1, known.join(", "))
    }
}

impl Describe for Skipped {
    /// "entrée 2 (uid 7, « Atelier ») écartée : aucun horaire".
    fn describe(&self, locale: Locale) -> String {
        let what = entry(
            locale,
            self.index,
            self.uid.as_deref(),
            self.title.as_deref(),
        );
        let why = self.reason.describe(locale);
        match locale {
            Locale::Fr => format!("{what} écartée : {why}"),
            Locale::En => format!("{what} skipped: {why}"),
        }
    }
}

impl Describe for Warning {
    /// "entrée 1 (uid 7) : un horaire a été écarté (…)".
    fn describe(&self, locale: Locale) -> String {
        let what = entry(locale, self.index, self.uid.as_deref(), None);
        let said = self.kind.describe(locale);
        match locale {
            Locale::Fr => format!("{what} : {said}"),
            Locale::En => format!("{what}: {said}"),
        }
    }
}

impl Describe for ParseError {
    /// What the file should have been; the JSON reader's own message (in
    /// English) after a colon.
    fn describe(&self, locale: Locale) -> String {
        if locale == Locale::En {
            return self.to_string();
        }
        match self {
            ParseError::Json(e) => format!("JSON invalide : {e}"),
            ParseError::Shape(Expected::Events) => "forme inattendue : une liste d'événements, \
                 un objet avec `events` ou un événement seul est attendu"
                .into(),
            ParseError::Shape(Expected::Records) => "forme inattendue : une liste \
                 d'enregistrements Opendatasoft ou un objet avec `records` ou `results` est attendu"
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english() {
        let skipped = Skipped {
            index: 1,
            uid: Some("2".into()),
            title: Some("Sans horaire".into()),
            reason: SkipReason::NoTimings,
        };
        assert_eq!(
            skipped.describe(Locale::Fr),
            "entrée 2 (uid 2, « Sans horaire ») écartée : aucun horaire"
        );
        assert_eq!(
            skipped.describe(Locale::En),
            "entry 2 (uid 2, “Sans horaire”) skipped: no timings"
        );
        let problems = (0..5)
            .map(|n| TimingProblem::NotAPair {
                position: n + 1,
                value: "1".into(),
            })
            .collect();
        let reason = SkipReason::InvalidTiming { problems };
        assert!(
            reason.describe(Locale::Fr).ends_with(" ; et 2 autres"),
            "{}",
            reason.describe(Locale::Fr)
        );
        assert!(reason.describe(Locale::En).ends_with("; and 2 more"));
        let warning = Warning {
            index: 0,
            uid: Some("7".into()),
            kind: WarningKind::TimingDropped {
                problem: TimingProblem::Unreadable {
                    bound: Bound::Begin,
                    value: "demain".into(),
                    why: InstantProblem::NotADateTime,
                },
            },
        };
        assert_eq!(
            warning.describe(Locale::Fr),
            "entrée 1 (uid 7) : un horaire a été écarté (le début « demain » n'est pas une date \
             et une heure)"
        );
        assert_eq!(
            warning.describe(Locale::En),
            "entry 1 (uid 7): a timing was dropped (begin \"demain\" is not a date and time)"
        );
    }

    #[test]
    fn times_are_said_in_paris() {
        let begin = "2024-10-05T12:00:00Z".parse().unwrap();
        let kind = WarningKind::DuplicateTimingMerged { begin };
        assert_eq!(
            kind.describe(Locale::Fr),
            "l'horaire commençant le 05/10/2024 à 14:00 était donné deux fois : gardé une fois"
        );
    }
}
