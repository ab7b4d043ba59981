//! Vocabulary of projects and the programme: kinds of projects, partners'
//! roles, formats, audiences and school levels, statuses, registration.

use crate::field::FieldError;

vocabulary! {
    /// What a project is: an edition of an event or programme.
    ProjectKind {
        Festival = "festival", "Festival", "Festival";
        GameJam = "game_jam", "Game jam", "Game jam";
        Residency = "residency", "Résidence", "Residency";
        Editathon = "editathon", "Éditathon", "Editathon";
        TalkSeries = "talk_series", "Cycle de rencontres", "Talk series";
        Forum = "forum", "Forum", "Forum";
        SchoolProgramme = "school_programme", "Programme scolaire", "School programme";
        Other = "other", "Autre", "Other";
    }
}

vocabulary! {
    ProjectStatus {
        Draft = "draft", "Brouillon", "Draft";
        Published = "published", "Publié", "Published";
        Archived = "archived", "Archivé", "Archived";
    }
}

vocabulary! {
    /// The role of a partner organisation in a project.
    PartnerRole {
        Organiser = "organiser", "Organisateur", "Organiser";
        CoOrganiser = "co_organiser", "Co-organisateur", "Co-organiser";
        Funder = "funder", "Financeur", "Funder";
        Host = "host", "Lieu d'accueil", "Host";
        MediaPartner = "media_partner", "Partenaire média", "Media partner";
    }
}

vocabulary! {
    /// The format of an activity.
    Format {
        Workshop = "workshop", "Atelier", "Workshop";
        Talk = "talk", "Conférence", "Talk";
        Exhibition = "exhibition", "Exposition", "Exhibition";
        Visit = "visit", "Visite", "Visit";
        Screening = "screening", "Projection", "Screening";
        Game = "game", "Jeu", "Game";
        Meeting = "meeting", "Rencontre", "Meeting";
        Show = "show", "Spectacle", "Show";
        Walk = "walk", "Balade", "Walk";
        Planetarium = "planetarium", "Séance de planétarium", "Planetarium show";
        Village = "village", "Village des sciences", "Science village";
        Other = "other", "Autre", "Other";
    }
}

vocabulary! {
    /// School levels of classes (scolaires).
    SchoolLevel {
        Maternelle = "maternelle", "Maternelle", "Nursery school";
        Elementaire = "elementaire", "Élémentaire", "Primary school";
        College = "college", "Collège", "Middle school (collège)";
        Lycee = "lycee", "Lycée", "High school (lycée)";
        Superieur = "superieur", "Supérieur", "Higher education";
    }
}

vocabulary! {
    /// Who an activity is for.
    Audience {
        General = "general", "Grand public", "General public";
        Families = "families", "Familles", "Families";
        Young = "young", "Jeunes publics", "Young audiences";
        School = "school", "Scolaires", "School classes";
        Professionals = "professionals", "Professionnels", "Professionals";
    }
}

vocabulary! {
    ActivityStatus {
        Draft = "draft", "Brouillon", "Draft";
        Submitted = "submitted", "Proposée", "Submitted";
        Published = "published", "Publiée", "Published";
        Cancelled = "cancelled", "Annulée", "Cancelled";
        Full = "full", "Complète", "Full";
    }
}

impl ActivityStatus {
    /// Whether the public sees it (a cancelled activity stays visible, marked).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            ActivityStatus::Published | ActivityStatus::Full | ActivityStatus::Cancelled
        )
    }
}

vocabulary! {
    RegistrationMode {
        None = "none", "Entrée libre", "No registration";
        Booking = "booking", "Réservation de places", "Seat booking";
        Groups = "groups", "Réservation de classes et de groupes", "Class and group booking";
        External = "external", "Inscription externe", "External registration";
    }
}

vocabulary! {
    SessionStatus {
        Scheduled = "scheduled", "Programmée", "Scheduled";
        Cancelled = "cancelled", "Annulée", "Cancelled";
        Full = "full", "Complète", "Full";
    }
}

/// A slug: lower-case ASCII letters, digits and single dashes, from a title
/// ("Fête de la science 2025" → "fete-de-la-science-2025"), at most 80 characters.
pub fn slugify(input: &str) -> String {
    let folded = crate::text::fold(input);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Checks a slug typed by hand.
pub fn slug(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::Required);
    }
    let ok = s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::InvalidSlug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Fête de la science 2025 — Isère"),
            "fete-de-la-science-2025-isere"
        );
        assert_eq!(slugify("  L'œuvre !! "), "l-oeuvre");
        assert_eq!(slugify("???"), "");
        assert_eq!(slug("space-buzz-2026"), Ok("space-buzz-2026".into()));
        assert_eq!(slug("Space Buzz"), Err(FieldError::InvalidSlug));
        assert_eq!(slug("-a"), Err(FieldError::InvalidSlug));
        assert!(slugify(&"mot ".repeat(100)).len() <= 80);
    }

    #[test]
    fn vocabularies() {
        assert_eq!(Format::parse("Conférence"), Ok(Format::Talk));
        assert_eq!(SchoolLevel::parse("college"), Ok(SchoolLevel::College));
        assert_eq!(SchoolLevel::parse("Collège"), Ok(SchoolLevel::College));
        assert!(ActivityStatus::Cancelled.is_public());
        assert!(!ActivityStatus::Draft.is_public());
    }
}
