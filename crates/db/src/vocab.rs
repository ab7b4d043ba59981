//! The columns that store a code of a closed vocabulary, and the one way to
//! read them back. Each column has a CHECK constraint listing its codes on
//! both engines (migration 10, named `ck_<table>_<column>`), and a stored
//! value no variant knows is an error that names the table, the column and
//! the value — never a silent default:
//!
//! ```text
//! Type Error: unknown value 'foo' in bookings.status
//! ```
//!
//! Storage functions take the enums; they write `code()` and read through
//! the column's constant here (`vocab::BOOKINGS_STATUS.decode(&m.status)?`).
//! [`COLUMNS`] lists every such column with the codes its type allows; a
//! test compares it with the constraints the database holds, so a variant
//! added without a migration that allows it fails the tests.

use crate::DbErr;
use maillage_domain::Vocabulary;
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus, ClassLevel};
use maillage_domain::directory::{Gender, OrgKind, PersonRole, SpaceKind, Theme};
use maillage_domain::forms::review::{Actor, Status as SubmissionStatus};
use maillage_domain::forms::sniff::FileKind;
use maillage_domain::forms::{CallKind, FormAudience, Purpose as FormPurpose};
use maillage_domain::planning::{Anchor, Outcome, Priority, TaskStatus};
use maillage_domain::programme::{
    ActivityStatus, Audience, Format, PartnerRole, ProjectKind, ProjectStatus, RegistrationMode,
    SchoolLevel, SessionStatus,
};
use maillage_domain::{Locale, Role};
use std::marker::PhantomData;

/// The error of a stored code no variant of its column's type knows.
pub fn unknown(table: &str, column: &str, value: &str) -> DbErr {
    DbErr::Type(format!("unknown value '{value}' in {table}.{column}"))
}

/// A column holding codes of `T`.
pub struct Col<T> {
    pub table: &'static str,
    pub column: &'static str,
    of: PhantomData<fn() -> T>,
}

impl<T> Clone for Col<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Col<T> {}

impl<T: Vocabulary> Col<T> {
    pub const fn new(table: &'static str, column: &'static str) -> Col<T> {
        Col {
            table,
            column,
            of: PhantomData,
        }
    }

    /// The value of a stored code, or the error naming the column and the value.
    pub fn decode(self, value: &str) -> Result<T, DbErr> {
        T::from_code(value).ok_or_else(|| unknown(self.table, self.column, value))
    }

    /// [`Col::decode`] for a nullable column.
    pub fn decode_opt(self, value: Option<&str>) -> Result<Option<T>, DbErr> {
        value.map(|v| self.decode(v)).transpose()
    }

    /// Checks that every code of `values` is known (the keys of figures
    /// grouped by code).
    pub fn check_all<'a>(self, values: impl IntoIterator<Item = &'a String>) -> Result<(), DbErr> {
        for v in values {
            self.decode(v)?;
        }
        Ok(())
    }
}

/// A vocabulary column as the schema test sees it: where it is and the
/// codes its constraint must list.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub table: &'static str,
    pub column: &'static str,
    pub codes: fn() -> Vec<String>,
}

impl Column {
    /// The name of its CHECK constraint, the same on both engines.
    pub fn constraint(&self) -> String {
        format!("ck_{}_{}", self.table, self.column)
    }
}

fn codes<T: Vocabulary>() -> Vec<String> {
    T::ALL.iter().map(|v| v.code().to_owned()).collect()
}

/// The codes of `activity_audiences.audience`: an audience, or `level:`
/// and a school level.
pub fn audience_codes() -> Vec<String> {
    let mut v = codes::<Audience>();
    v.extend(
        SchoolLevel::ALL
            .iter()
            .map(|l| format!("level:{}", l.code())),
    );
    v
}

/// What a row of `activity_audiences` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceCode {
    Audience(Audience),
    Level(SchoolLevel),
}

/// Reads a code of `activity_audiences.audience`.
pub fn decode_audience(value: &str) -> Result<AudienceCode, DbErr> {
    let found = match value.strip_prefix("level:") {
        Some(level) => SchoolLevel::from_code(level).map(AudienceCode::Level),
        None => Audience::from_code(value).map(AudienceCode::Audience),
    };
    found.ok_or_else(|| unknown("activity_audiences", "audience", value))
}

macro_rules! columns {
    ($($name:ident: $ty:ty = ($table:literal, $column:literal);)+) => {
        $(pub const $name: Col<$ty> = Col::new($table, $column);)+

        /// Every vocabulary column and the codes its constraint allows.
        pub const COLUMNS: &[Column] = &[
            $(Column { table: $table, column: $column, codes: codes::<$ty> },)+
            Column { table: "activity_audiences", column: "audience", codes: audience_codes },
        ];
    };
}

columns! {
    USERS_ROLE: Role = ("users", "role");
    USERS_LOCALE: Locale = ("users", "locale");
    PASSWORD_TOKENS_PURPOSE: crate::password_tokens::Purpose = ("password_tokens", "purpose");
    OUTBOX_STATUS: crate::outbox::Status = ("outbox", "status");
    ORGANISATIONS_KIND: OrgKind = ("organisations", "kind");
    ORGANISATION_THEMES_THEME: Theme = ("organisation_themes", "theme");
    PEOPLE_GENDER: Gender = ("people", "gender");
    PERSON_ROLES_ROLE: PersonRole = ("person_roles", "role");
    SPACES_KIND: SpaceKind = ("spaces", "kind");
    SEARCH_TOKENS_ENTITY: crate::search::Entity = ("search_tokens", "entity");
    IMPORT_BATCHES_KIND: crate::imports::BatchKind = ("import_batches", "kind");
    PROJECTS_KIND: ProjectKind = ("projects", "kind");
    PROJECTS_STATUS: ProjectStatus = ("projects", "status");
    PROJECT_PARTNERS_ROLE: PartnerRole = ("project_partners", "role");
    ACTIVITIES_FORMAT: Format = ("activities", "format");
    ACTIVITIES_REGISTRATION_MODE: RegistrationMode = ("activities", "registration_mode");
    ACTIVITIES_STATUS: ActivityStatus = ("activities", "status");
    ACTIVITY_THEMES_THEME: Theme = ("activity_themes", "theme");
    ACTIVITY_SESSIONS_STATUS: SessionStatus = ("activity_sessions", "status");
    ACTIVITY_SESSIONS_REGISTRATION_MODE: RegistrationMode = ("activity_sessions", "registration_mode");
    IMAGES_OWNER_TYPE: crate::media::OwnerType = ("images", "owner_type");
    BOOKINGS_KIND: BookingKind = ("bookings", "kind");
    BOOKINGS_STATUS: BookingStatus = ("bookings", "status");
    BOOKINGS_LOCALE: Locale = ("bookings", "locale");
    BOOKINGS_CLASS_LEVEL: ClassLevel = ("bookings", "class_level");
    BOOKINGS_SOURCE: BookingSource = ("bookings", "source");
    FORMS_PURPOSE: FormPurpose = ("forms", "purpose");
    FORMS_AUDIENCE: FormAudience = ("forms", "audience");
    CALLS_KIND: CallKind = ("calls", "kind");
    SUBMISSIONS_STATUS: SubmissionStatus = ("submissions", "status");
    SUBMISSIONS_LOCALE: Locale = ("submissions", "locale");
    SUBMISSIONS_STAGED_STATUS: SubmissionStatus = ("submissions", "staged_status");
    SUBMISSION_EVENTS_KIND: crate::forms::submissions::EventType = ("submission_events", "kind");
    SUBMISSION_EVENTS_FROM_STATUS: SubmissionStatus = ("submission_events", "from_status");
    SUBMISSION_EVENTS_TO_STATUS: SubmissionStatus = ("submission_events", "to_status");
    SUBMISSION_EVENTS_ACTOR: Actor = ("submission_events", "actor");
    UPLOADS_KIND: FileKind = ("uploads", "kind");
    PLAN_TEMPLATES_PROJECT_KIND: ProjectKind = ("plan_templates", "project_kind");
    PLAN_TEMPLATE_TASKS_ANCHOR: Anchor = ("plan_template_tasks", "anchor");
    TASKS_STATUS: TaskStatus = ("tasks", "status");
    TASKS_PRIORITY: Priority = ("tasks", "priority");
    AGENDA_ITEMS_OUTCOME: Outcome = ("agenda_items", "outcome");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_name_their_column() {
        assert_eq!(
            BOOKINGS_STATUS.decode("confirmed").unwrap(),
            BookingStatus::Confirmed
        );
        let err = BOOKINGS_STATUS.decode("Confirmed").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Type Error: unknown value 'Confirmed' in bookings.status"
        );
        assert_eq!(PEOPLE_GENDER.decode_opt(None).unwrap(), None);
        assert!(PEOPLE_GENDER.decode_opt(Some("")).is_err());
        assert_eq!(
            decode_audience("level:college").unwrap(),
            AudienceCode::Level(SchoolLevel::College)
        );
        assert_eq!(
            decode_audience("school").unwrap(),
            AudienceCode::Audience(Audience::School)
        );
        let err = decode_audience("level:school").unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown value 'level:school' in activity_audiences.audience"),
            "{err}"
        );
    }

    #[test]
    fn each_column_is_listed_once() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COLUMNS {
            assert!(seen.insert((c.table, c.column)), "{}.{}", c.table, c.column);
            let codes = (c.codes)();
            assert!(!codes.is_empty());
            let distinct: std::collections::BTreeSet<&String> = codes.iter().collect();
            assert_eq!(distinct.len(), codes.len(), "{}.{}", c.table, c.column);
        }
    }
}
