//! A bookable session: what booking tests start from.

use crate::Db;

/// A published project with one published activity booked in `mode`, and
/// `sessions` sessions of `capacity` places, the first ten days from now,
/// one a day — what booking tests start from.
pub struct BookableFixture {
    pub project_id: i64,
    pub project_slug: String,
    pub activity_id: i64,
    pub activity_slug: String,
    pub sessions: Vec<i64>,
}

impl BookableFixture {
    /// The first session.
    pub fn session(&self) -> i64 {
        self.sessions[0]
    }

    /// The public booking form of the first session.
    pub fn form(&self) -> String {
        format!(
            "/p/{}/a/{}/s/{}/reserver",
            self.project_slug,
            self.activity_slug,
            self.session()
        )
    }
}

/// What a [`BookableFixture`] is made of.
pub struct Bookable<'a> {
    pub title: &'a str,
    pub mode: maillage_domain::programme::RegistrationMode,
    pub capacity: i32,
    pub settings: Option<crate::bookings::Settings>,
    /// Organisations running the activity.
    pub organisers: Vec<i64>,
    pub sessions: usize,
}

impl Default for Bookable<'_> {
    fn default() -> Self {
        Bookable {
            title: "Voyage au planétarium",
            mode: maillage_domain::programme::RegistrationMode::Booking,
            capacity: 10,
            settings: None,
            organisers: Vec::new(),
            sessions: 1,
        }
    }
}

/// A [`BookableFixture`] of one activity in `mode`, its sessions of
/// `capacity` places, under `settings`.
pub async fn bookable_session(
    db: &Db,
    mode: maillage_domain::programme::RegistrationMode,
    capacity: i32,
    settings: Option<crate::bookings::Settings>,
) -> BookableFixture {
    bookable(
        db,
        Bookable {
            mode,
            capacity,
            settings,
            ..Default::default()
        },
    )
    .await
}

pub async fn bookable(db: &Db, spec: Bookable<'_>) -> BookableFixture {
    use crate::programme::{activities, projects, sessions};
    use chrono::{NaiveDate, TimeDelta};
    use maillage_domain::programme::{ActivityStatus, ProjectKind, ProjectStatus, SessionStatus};
    let t = crate::now();
    let c = db.conn();
    let p = projects::insert(
        c,
        &projects::ProjectData {
            slug: format!("soirees-{}", t.timestamp_micros()),
            name: "Soirées Cult'".into(),
            kind: ProjectKind::TalkSeries,
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            ends_on: NaiveDate::from_ymd_opt(2027, 12, 31).expect("date"),
            description: None,
            lead_user_id: None,
            status: ProjectStatus::Published,
        },
        t,
    )
    .await
    .expect("project");
    let a = activities::insert(
        c,
        &activities::ActivityData {
            project_id: p.id,
            slug: maillage_domain::programme::slugify(spec.title),
            title: spec.title.into(),
            registration: Some(spec.mode),
            status: Some(ActivityStatus::Published),
            organisations: spec.organisers,
            ..Default::default()
        },
        t,
    )
    .await
    .expect("activity");
    if let Some(s) = &spec.settings {
        crate::bookings::save_settings(c, a.id, s, t)
            .await
            .expect("settings");
    }
    let mut ids = Vec::new();
    for i in 0..spec.sessions {
        let start = t + TimeDelta::days(10 + i as i64);
        ids.push(
            sessions::insert(
                c,
                a.id,
                &sessions::SessionData {
                    starts_at: start,
                    ends_at: start + TimeDelta::hours(1),
                    capacity: Some(spec.capacity),
                    status: SessionStatus::Scheduled,
                    venue_id: None,
                },
                t,
            )
            .await
            .expect("session")
            .id,
        );
    }
    BookableFixture {
        project_id: p.id,
        project_slug: p.data.slug,
        activity_id: a.id,
        activity_slug: a.data.slug,
        sessions: ids,
    }
}

/// A request for `n` seats by `name` (`name@example.org`, lower case,
/// without spaces or dots).
pub fn seats(name: &str, n: i32) -> crate::bookings::Request {
    crate::bookings::Request {
        kind: maillage_domain::booking::BookingKind::Seats,
        seats: n,
        pupils: 0,
        adults: 0,
        name: name.into(),
        email: format!(
            "{}@example.org",
            name.to_lowercase().replace([' ', '.'], "")
        ),
        phone: None,
        locale: maillage_domain::Locale::Fr,
        organisation_id: None,
        school_name: None,
        school_commune: None,
        class_level: None,
        needs: None,
        source: maillage_domain::booking::BookingSource::Form,
    }
}
