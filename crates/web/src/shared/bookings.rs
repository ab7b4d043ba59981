//! A booking's session as pages and e-mails need it, and the e-mails to
//! bookers queued in the transaction of a change: used by the bookings
//! feature and by the programme editor when a session is cancelled or
//! freed places are offered.

use crate::error::AppError;
use crate::mail::{self, BookingMail, SessionMail};
use crate::shared::api::vocab;
use crate::state::AppState;
use crate::time::timestamp;
use maillage_db::ConnectionTrait;
use maillage_db::bookings::{self, Bookable, Booking};
use maillage_db::outbox;
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::projects::{self, Project};
use maillage_db::programme::sessions::Session;
use maillage_domain::booking::BookingKind;
use serde::Serialize;
use utoipa::ToSchema;

/// A session with its activity and project, as the booking pages need it.
pub struct Place {
    pub project: Project,
    pub activity: Activity,
    pub session: Session,
    pub rules: Bookable,
}

impl Place {
    /// "La Casemate, 2 place Saint-Laurent, Grenoble".
    pub fn venue_text(&self) -> Option<String> {
        self.activity
            .venue_of(&self.session)
            .map(crate::shared::programme::venue_line)
    }

    pub fn activity_path(&self) -> String {
        format!(
            "/p/{}/a/{}",
            self.project.data.slug, self.activity.data.slug
        )
    }

    pub fn booking_path(&self) -> String {
        format!("{}/s/{}/reserver", self.activity_path(), self.session.id)
    }

    /// The session as an iCalendar file.
    pub fn ics(&self, base: &str) -> String {
        let cal = maillage_ical::Calendar {
            name: self.activity.data.title.clone(),
            description: None,
            url: Some(format!("{base}{}", self.activity_path())),
            events: vec![crate::shared::programme::ics_event(
                base,
                &self.project,
                &self.activity,
                &self.session,
            )],
        };
        maillage_ical::render(&cal, chrono::Utc::now())
    }
}

/// Loads a session with its activity and project, whatever their status.
pub async fn place(c: &impl ConnectionTrait, session: i64) -> Result<Option<Place>, AppError> {
    let Some(rules) = bookings::bookable(c, session).await? else {
        return Ok(None);
    };
    let Some(mut activity) = activities::find(c, rules.activity_id).await? else {
        return Ok(None);
    };
    let Some(project) = projects::find(c, rules.project_id).await? else {
        return Ok(None);
    };
    let Some(i) = activity.sessions.iter().position(|s| s.id == session) else {
        return Ok(None);
    };
    let session = activity.sessions.swap_remove(i);
    Ok(Some(Place {
        project,
        activity,
        session,
        rules,
    }))
}

/// Queues the e-mail about `b` (in the transaction of the change).
pub async fn notify(
    c: &impl ConnectionTrait,
    st: &AppState,
    kind: BookingMail,
    b: &Booking,
) -> Result<(), AppError> {
    if b.email.is_empty() {
        return Ok(());
    }
    let Some(p) = place(c, b.session_id).await? else {
        return Ok(());
    };
    notify_at(c, st, kind, b, &p).await.map(|_| ())
}

/// [`notify`] with the session already loaded (read before the write
/// transaction, to keep it short). Returns the waiting-list position it
/// told (for a waitlisted booking).
pub async fn notify_at(
    c: &impl ConnectionTrait,
    st: &AppState,
    kind: BookingMail,
    b: &Booking,
    p: &Place,
) -> Result<Option<u64>, AppError> {
    let position = if b.status == maillage_domain::booking::BookingStatus::Waitlisted {
        Some(bookings::position(c, b).await?)
    } else {
        None
    };
    if b.email.is_empty() {
        return Ok(position);
    }
    let base = st.config.base_url.as_str();
    let ics = p.ics(base);
    let venue = p.venue_text();
    let now = maillage_db::now();
    // The link shown after booking goes in its first e-mail; every later
    // e-mail carries a link of its own (only digests are kept).
    let secret = match &b.secret {
        Some(s) => s.clone(),
        None => bookings::links::issue(c, b.id, now).await?,
    };
    let msg = mail::booking(
        kind,
        b,
        &secret,
        &SessionMail {
            base_url: base,
            title: &p.activity.data.title,
            starts_at: p.session.data.starts_at,
            place: venue.as_deref(),
            ics: Some(&ics),
        },
        position,
    );
    outbox::enqueue(c, msg, now).await?;
    Ok(position)
}

/// Tells each booking offered freed places.
pub async fn notify_offers(
    c: &impl ConnectionTrait,
    st: &AppState,
    offered: &[Booking],
) -> Result<(), AppError> {
    for b in offered {
        notify(c, st, BookingMail::Offered, b).await?;
    }
    Ok(())
}

/// The live booking figures of a session, for `GET /api/v1/sessions/{id}`.
#[derive(Serialize, ToSchema)]
pub struct Availability {
    /// Persons holding places: confirmed, awaiting approval or their
    /// address's confirmation, or with an offer of freed places.
    #[schema(minimum = 0)]
    pub booked: i64,
    /// Free places; null when the capacity is unlimited.
    #[schema(minimum = 0)]
    pub available: Option<i64>,
    /// Persons on the waiting list.
    #[schema(minimum = 0)]
    pub waitlisted: i64,
    pub booking: BookingInfo,
}

/// How the session is booked.
#[derive(Serialize, ToSchema)]
#[schema(as = BookingRules)]
pub struct BookingInfo {
    #[schema(value_type = vocab::RegistrationMode)]
    pub mode: &'static str,
    /// Bookings are taken now.
    pub open: bool,
    /// When bookings open (null: already open).
    #[schema(format = DateTime)]
    pub opens_at: Option<String>,
    /// When bookings close: the closing time, at the latest the start of the
    /// session (null when not booked here).
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    /// Most seats of one individual booking (null for classes).
    #[schema(minimum = 1)]
    pub max_seats: Option<i32>,
    /// A full session takes names on a waiting list.
    pub waitlist: bool,
    /// Bookings on the waiting list.
    #[schema(minimum = 0)]
    pub waitlisted_entries: i64,
    /// Where to POST a booking (null when not booked here).
    #[schema(format = "uri")]
    pub url: Option<String>,
}

pub async fn availability(st: &AppState, session: i64) -> Result<Availability, AppError> {
    let rules = bookings::bookable(st.db.conn(), session)
        .await?
        .ok_or(AppError::NotFound)?;
    let counts = bookings::counts(st.db.conn(), session).await?;
    let kind = rules.kind();
    Ok(Availability {
        booked: counts.held,
        available: counts.available(rules.capacity),
        waitlisted: counts.waitlisted,
        booking: BookingInfo {
            mode: rules.mode.code(),
            open: kind.is_some() && rules.window(maillage_db::now()).is_ok(),
            opens_at: rules.settings.opens_at.map(timestamp),
            closes_at: kind.map(|_| timestamp(rules.closes_at())),
            max_seats: (kind == Some(BookingKind::Seats)).then_some(rules.settings.max_seats),
            waitlist: rules.settings.waitlist,
            waitlisted_entries: counts.waitlisted_entries,
            url: kind.map(|_| format!("{}/api/v1/sessions/{session}/bookings", st.config.base_url)),
        },
    })
}
