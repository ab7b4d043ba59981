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

/// "samedi 11 octobre 2025, 10:00–11:30" / "Saturday 11 October 2025, 10:00–11:30".
pub fn when(
    locale: Locale,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> String {
    let s = start.with_timezone(&chrono_tz::Europe::Paris);
    let e = end.with_timezone(&chrono_tz::Europe::Paris);
    let day = time::long_date(locale, s.date_naive());
    if s.date_naive() == e.date_naive() {
        format!("{day}, {}–{}", s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!(
            "{day} {} → {} {}",
            s.format("%H:%M"),
            time::long_date(locale, e.date_naive()),
            e.format("%H:%M")
        )
    }
}

/// The summary to show above an activity's description: none when the
/// description already opens with it (imported and proposed texts often
/// do), so that it is not read twice.
pub fn lead(a: &Activity) -> Option<String> {
    let summary = a.data.summary.as_deref()?.trim();
    let folded = |s: &str| {
        maillage_domain::text::fold(s)
            .trim_end_matches(['.', ' ', '…'])
            .to_owned()
    };
    let opens_with = a.data.description.as_deref().is_some_and(|d| {
        let first = d.trim_start().lines().next().unwrap_or("");
        !summary.is_empty() && folded(first).starts_with(&folded(summary))
    });
    (!summary.is_empty() && !opens_with).then(|| summary.to_owned())
}

/// A description in Markdown (of a project, of an activity), or none.
pub fn description(
    e: &mut crate::forms::FormErrors,
    m: &crate::i18n::Messages,
    value: &str,
) -> Option<String> {
    let text = value.trim();
    let long = maillage_directory::validate::multiline(text, 20_000);
    (!text.is_empty())
        .then(|| crate::forms::check(e, m, "description", long))
        .flatten()
}

/// The host of the site's address, as the UIDs of its calendar events
/// end (`session-12@maillage.example.org`).
pub fn uid_host(base: &str) -> &str {
    base.split("://")
        .nth(1)
        .unwrap_or("maillage")
        .split('/')
        .next()
        .unwrap_or("maillage")
}

/// A session as an iCalendar event.
pub fn ics_event(
    base: &str,
    p: &Project,
    a: &Activity,
    s: &maillage_db::programme::sessions::Session,
) -> maillage_ical::Event {
    let host = uid_host(base);
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
        location: a.venue_of(s).map(venue_line),
        geo: a.venue_of(s).and_then(|v| v.data.lat.zip(v.data.lon)),
        url: Some(format!("{base}/p/{}/a/{}", p.data.slug, a.data.slug)),
        status: if cancelled {
            maillage_ical::EventStatus::Cancelled
        } else {
            maillage_ical::EventStatus::Confirmed
        },
        categories: vec![a.format.label(Locale::Fr).to_owned()],
        last_modified: a.updated_at,
        sequence: 0,
        day: None,
    }
}
