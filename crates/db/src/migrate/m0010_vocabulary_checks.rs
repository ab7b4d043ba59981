//! Every column that stores a code of a closed vocabulary gets a CHECK
//! constraint listing the codes it allows (`ck_<table>_<column>`), on both
//! engines. The codes are written here as they were when this migration was
//! made: a later variant comes with a migration of its own that replaces
//! the constraint (the schema test compares each constraint with the codes
//! of `maillage_db::vocab::COLUMNS`).

use super::checks::Check;

const LOCALES: &[&str] = &["fr", "en"];

const THEMES: &[&str] = &[
    "astronomy",
    "earth",
    "environment",
    "life",
    "health",
    "physics",
    "chemistry",
    "mathematics",
    "digital",
    "engineering",
    "energy",
    "humanities",
    "history",
    "making",
    "media_literacy",
    "art_science",
];

const REGISTRATION_MODES: &[&str] = &["none", "booking", "groups", "external"];

const SUBMISSION_STATUSES: &[&str] = &[
    "draft",
    "submitted",
    "under_review",
    "changes_requested",
    "accepted",
    "rejected",
    "withdrawn",
];

const fn check(table: &'static str, column: &'static str, codes: &'static [&'static str]) -> Check {
    Check {
        table,
        column,
        codes,
    }
}

pub const CHECKS: &[Check] = &[
    check(
        "users",
        "role",
        &["admin", "staff", "intern", "volunteer", "partner"],
    ),
    check("users", "locale", LOCALES),
    check("password_tokens", "purpose", &["reset", "invite"]),
    check("outbox", "status", &["pending", "sent", "failed"]),
    check(
        "organisations",
        "kind",
        &[
            "association",
            "university",
            "research",
            "library",
            "company",
            "local_authority",
            "school",
            "museum",
            "media",
            "other",
        ],
    ),
    check("organisation_themes", "theme", THEMES),
    check("people", "gender", &["female", "male", "non_binary"]),
    check(
        "person_roles",
        "role",
        &[
            "partner_contact",
            "researcher",
            "doctoral_student",
            "speaker",
            "journalist",
            "teacher",
            "volunteer",
            "staff",
        ],
    ),
    check(
        "spaces",
        "kind",
        &[
            "planetarium",
            "immersive_room",
            "exhibition_floor",
            "fab_lab",
            "media_lab",
            "auditorium",
            "meeting_room",
            "workshop",
            "classroom",
            "library",
            "belvedere",
            "outdoor",
            "other",
        ],
    ),
    check(
        "search_tokens",
        "entity",
        &["organisation", "person", "venue", "activity"],
    ),
    check(
        "import_batches",
        "kind",
        &["organisations", "people", "venues"],
    ),
    check(
        "projects",
        "kind",
        &[
            "festival",
            "game_jam",
            "residency",
            "editathon",
            "talk_series",
            "forum",
            "school_programme",
            "other",
        ],
    ),
    check("projects", "status", &["draft", "published", "archived"]),
    check(
        "project_partners",
        "role",
        &[
            "organiser",
            "co_organiser",
            "funder",
            "host",
            "media_partner",
        ],
    ),
    check(
        "activities",
        "format",
        &[
            "workshop",
            "talk",
            "exhibition",
            "visit",
            "screening",
            "game",
            "meeting",
            "show",
            "walk",
            "planetarium",
            "village",
            "other",
        ],
    ),
    check("activities", "registration_mode", REGISTRATION_MODES),
    check(
        "activities",
        "status",
        &["draft", "submitted", "published", "cancelled", "full"],
    ),
    check(
        "activity_audiences",
        "audience",
        &[
            "general",
            "families",
            "young",
            "school",
            "professionals",
            "level:maternelle",
            "level:elementaire",
            "level:college",
            "level:lycee",
            "level:superieur",
        ],
    ),
    check("activity_themes", "theme", THEMES),
    check(
        "activity_sessions",
        "status",
        &["scheduled", "cancelled", "full"],
    ),
    check("activity_sessions", "registration_mode", REGISTRATION_MODES),
    check("images", "owner_type", &["activity", "project"]),
    check("bookings", "kind", &["seats", "group", "walk_in"]),
    check(
        "bookings",
        "status",
        &[
            "unconfirmed",
            "pending",
            "confirmed",
            "waitlisted",
            "offered",
            "cancelled",
            "refused",
            "expired",
        ],
    ),
    check("bookings", "locale", LOCALES),
    check(
        "bookings",
        "class_level",
        &[
            "ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2", "6e", "5e", "4e", "3e", "2de",
            "1re", "tle", "sup", "mixed",
        ],
    ),
    check("bookings", "source", &["form", "api", "staff"]),
    check(
        "forms",
        "purpose",
        &[
            "participation_call",
            "application_call",
            "registration",
            "questionnaire",
        ],
    ),
    check("forms", "audience", &["public", "partners", "teachers"]),
    check("calls", "kind", &["participation", "application"]),
    check("submissions", "status", SUBMISSION_STATUSES),
    check("submissions", "locale", LOCALES),
    check("submissions", "staged_status", SUBMISSION_STATUSES),
    check("submission_events", "kind", &["status", "comment"]),
    check("submission_events", "from_status", SUBMISSION_STATUSES),
    check("submission_events", "to_status", SUBMISSION_STATUSES),
    check("submission_events", "actor", &["submitter", "staff"]),
    check("uploads", "kind", &["pdf", "png", "jpeg", "odt", "docx"]),
];

/// No other statement: the constraints are the migration.
pub fn statements() -> Vec<Box<dyn sea_orm::StatementBuilder + Send + Sync>> {
    Vec::new()
}
