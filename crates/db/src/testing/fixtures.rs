//! Small records the tests of several crates start from: a festival, a
//! venue, a user, a public questionnaire; and Paris wall-clock times.

use crate::forms::{self, Form, FormData};
use crate::programme::activities::{self, Activity, ActivityData};
use crate::programme::projects::{self, Project, ProjectData};
use crate::programme::sessions::{self, Session, SessionData};
use crate::users::{self, NewUser, User};
use crate::venues::VenueData;
use crate::{ConnectionTrait, now};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use maillage_domain::forms::{CallKind, FormAudience, Purpose, Schema};
use maillage_domain::programme::{ProjectKind, ProjectStatus};
use maillage_domain::{Email, Locale, Role};

/// The instant of a wall-clock time in Paris.
pub fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a Paris time that exists once")
        .with_timezone(&Utc)
}

/// A published festival from 3 to 13 October of `year`, without a
/// description or a lead; change what a test needs with `..`.
pub fn project_data(slug: &str, name: &str, year: i32) -> ProjectData {
    ProjectData {
        slug: slug.into(),
        name: name.into(),
        kind: ProjectKind::Festival,
        starts_on: NaiveDate::from_ymd_opt(year, 10, 3).expect("date"),
        ends_on: NaiveDate::from_ymd_opt(year, 10, 13).expect("date"),
        description: None,
        lead_user_id: None,
        status: ProjectStatus::Published,
    }
}

/// Inserts a project.
pub async fn project(c: &impl ConnectionTrait, data: &ProjectData) -> Project {
    projects::insert(c, data, now()).await.expect("project")
}

/// A published activity of `project`, nothing else said; change what a
/// test needs with `..`.
pub fn published_activity(project: i64, slug: &str, title: &str) -> ActivityData {
    ActivityData {
        project_id: project,
        slug: slug.into(),
        title: title.into(),
        status: Some(maillage_domain::programme::ActivityStatus::Published),
        ..Default::default()
    }
}

/// Inserts an activity.
pub async fn activity(c: &impl ConnectionTrait, data: &ActivityData) -> Activity {
    activities::insert(c, data, now()).await.expect("activity")
}

/// Inserts a session of `activity`.
pub async fn session(c: &impl ConnectionTrait, activity: i64, data: &SessionData) -> Session {
    sessions::insert(c, activity, data, now())
        .await
        .expect("session")
}

/// A venue in a commune, nothing else said.
pub fn venue(name: &str, insee: &str) -> VenueData {
    VenueData {
        name: name.into(),
        commune_insee: Some(insee.into()),
        ..Default::default()
    }
}

/// A user named "Test", French-speaking, with no password and no
/// organisation.
pub async fn user(c: &impl ConnectionTrait, email: &str, role: Role) -> User {
    user_named(c, email, "Test", role).await
}

/// A French-speaking user with no password and no organisation.
pub async fn user_named(c: &impl ConnectionTrait, email: &str, name: &str, role: Role) -> User {
    users::create(
        c,
        NewUser {
            email: &Email::parse(email).expect("e-mail"),
            name,
            role,
            organisation_id: None,
            password: None,
            locale: Locale::Fr,
        },
        now(),
    )
    .await
    .expect("user")
}

/// A public, anonymous questionnaire attached to nothing, with `schema`
/// (validated here).
pub async fn questionnaire(
    c: &impl ConnectionTrait,
    title: &str,
    schema: &Schema,
    one_per_link: bool,
) -> Form {
    schema.validate().expect("valid schema");
    forms::create(
        c,
        &FormData {
            title: title.into(),
            purpose: Purpose::Questionnaire,
            project_id: None,
            activity_id: None,
            session_id: None,
            audience: Some(FormAudience::Public),
            anonymous: true,
            one_per_link,
            opens_at: None,
            closes_at: None,
        },
        schema,
        now(),
    )
    .await
    .expect("questionnaire")
}

/// The form of a call of `kind` in a project: for no particular audience,
/// answered with a name and address, as often as wished.
pub fn call_form_data(title: &str, kind: CallKind, project_id: i64) -> FormData {
    FormData {
        title: title.into(),
        purpose: match kind {
            CallKind::Participation => Purpose::ParticipationCall,
            CallKind::Application => Purpose::ApplicationCall,
        },
        project_id: Some(project_id),
        activity_id: None,
        session_id: None,
        audience: None,
        anonymous: false,
        one_per_link: false,
        opens_at: None,
        closes_at: None,
    }
}
