//! How projects, activities and sessions read outside the programme
//! feature (in bookings, reports, e-mails): a project's dates, a venue's
//! address line, a session as a calendar event.

use crate::time;
use maillage_db::programme::activities::{Activity, VenueRef};
use maillage_db::programme::projects::Project;
use maillage_domain::Locale;
use maillage_domain::programme::{ActivityStatus, SessionStatus};

/// "samedi 11 octobre 2025 → dimanche 19 octobre 2025".
pub fn project_dates(locale: Locale, p: &Project) -> String {
    let a = time::long_date(locale, p.data.starts_on);
    if p.data.starts_on == p.data.ends_on {
        a
    } else {
        format!("{a} → {}", time::long_date(locale, p.data.ends_on))
    }
}

/// "La Casemate, 2 place Saint-Laurent, Grenoble".
pub fn venue_line(v: &VenueRef) -> String {
    let commune = super::places::commune_label(v.data.commune_insee.as_deref());
    [
        Some(v.data.name.clone()),
        v.data.address.clone(),
        (!commune.is_empty()).then_some(commune),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// A session as an iCalendar event.
pub fn ics_event(
    base: &str,
    p: &Project,
    a: &Activity,
    s: &maillage_db::programme::sessions::Session,
) -> maillage_ical::Event {
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("maillage")
        .split('/')
        .next()
        .unwrap_or("maillage");
    let cancelled =
        a.status == ActivityStatus::Cancelled || s.data.status == SessionStatus::Cancelled;
    maillage_ical::Event {
        uid: format!("session-{}@{host}", s.id),
        starts_at: s.data.starts_at,
        ends_at: s.data.ends_at,
        summary: a.data.title.clone(),
        description: a
            .data
            .summary
            .clone()
            .or_else(|| a.data.description.as_deref().map(crate::markdown::to_text)),
        location: a.venue.as_ref().map(venue_line),
        geo: a.venue.as_ref().and_then(|v| v.data.lat.zip(v.data.lon)),
        url: Some(format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug)),
        status: if cancelled {
            maillage_ical::EventStatus::Cancelled
        } else {
            maillage_ical::EventStatus::Confirmed
        },
        categories: vec![a.format.label(Locale::Fr).to_owned()],
        last_modified: a.updated_at,
        sequence: 0,
    }
}
