//! The e-mails the web layer queues, written in the recipient's language.

use crate::i18n::{fill, messages};
use maillage_db::outbox::NewMail;
use maillage_db::users::User;

/// A link to set a new password after "forgot my password".
pub fn password_reset(base_url: &str, user: &User, token: &str) -> NewMail {
    let m = messages(user.locale);
    let link = format!("{base_url}/password/reset/{token}");
    NewMail {
        to_addr: user.email.clone(),
        to_name: Some(user.name.clone()),
        subject: m.mail_reset_subject.to_owned(),
        body_text: fill(m.mail_reset_body, &[("name", &user.name), ("link", &link)]),
        body_html: None,
        ics: None,
    }
}

/// An invitation to join, with a link to choose a password.
pub fn invitation(base_url: &str, user: &User, inviter: &str, token: &str) -> NewMail {
    let m = messages(user.locale);
    let link = format!("{base_url}/password/reset/{token}");
    NewMail {
        to_addr: user.email.clone(),
        to_name: Some(user.name.clone()),
        subject: m.mail_invite_subject.to_owned(),
        body_text: fill(
            m.mail_invite_body,
            &[("name", &user.name), ("inviter", inviter), ("link", &link)],
        ),
        body_html: None,
        ics: None,
    }
}

/// Why a booking e-mail goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingMail {
    /// Just booked: confirmed, awaiting approval or confirmation, or waitlisted.
    Received,
    Approved,
    Refused,
    Offered,
    OfferExpired,
    HoldExpired,
    Cancelled,
    Reminder,
    Moved,
    /// The session itself was cancelled.
    SessionCancelled,
}

/// The session a booking e-mail is about.
pub struct SessionMail<'a> {
    pub base_url: &'a str,
    pub title: &'a str,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// The venue, with its address and commune.
    pub place: Option<&'a str>,
    /// The session as an iCalendar file, attached to confirmations.
    pub ics: Option<&'a str>,
}

/// "samedi 11 octobre 2026 à 14:00".
pub fn session_when(locale: maillage_domain::Locale, t: chrono::DateTime<chrono::Utc>) -> String {
    let m = messages(locale);
    let local = t.with_timezone(&chrono_tz::Europe::Paris);
    fill(
        m.bk_session_when,
        &[
            ("date", &crate::time::long_date(locale, local.date_naive())),
            ("time", &crate::time::time(t)),
        ],
    )
}

/// The persons of a booking in words: "3 places", "une classe de 24 élèves
/// et 3 adultes".
pub fn booking_persons(b: &maillage_db::bookings::Booking) -> String {
    let m = messages(b.locale);
    match b.kind {
        maillage_domain::booking::BookingKind::Group => fill(
            m.mail_bk_class,
            &[
                ("pupils", &b.pupils.to_string()),
                ("adults", &b.adults.to_string()),
            ],
        ),
        _ => crate::i18n::count(
            b.locale,
            i64::from(b.seats),
            m.mail_bk_seats_one,
            m.mail_bk_seats_many,
        ),
    }
}

/// An e-mail to a booker, in the language they booked in, with their
/// personal link (`secret`, a link issued for this e-mail).
pub fn booking(
    kind: BookingMail,
    b: &maillage_db::bookings::Booking,
    secret: &str,
    s: &SessionMail<'_>,
    position: Option<u64>,
) -> NewMail {
    use maillage_domain::booking::BookingStatus as S;
    let m = messages(b.locale);
    let (subject, body, attach) = match kind {
        BookingMail::Received => match b.status {
            S::Pending => (m.mail_bk_pending_subject, m.mail_bk_pending_body, false),
            S::Unconfirmed => (
                m.mail_bk_unconfirmed_subject,
                m.mail_bk_unconfirmed_body,
                false,
            ),
            S::Waitlisted => (
                m.mail_bk_waitlisted_subject,
                m.mail_bk_waitlisted_body,
                false,
            ),
            _ => (m.mail_bk_confirmed_subject, m.mail_bk_confirmed_body, true),
        },
        BookingMail::Approved => (m.mail_bk_approved_subject, m.mail_bk_approved_body, true),
        BookingMail::Refused => (m.mail_bk_refused_subject, m.mail_bk_refused_body, false),
        BookingMail::Offered => (m.mail_bk_offered_subject, m.mail_bk_offered_body, false),
        BookingMail::OfferExpired => (
            m.mail_bk_offer_expired_subject,
            m.mail_bk_offer_expired_body,
            false,
        ),
        BookingMail::HoldExpired => (
            m.mail_bk_hold_expired_subject,
            m.mail_bk_hold_expired_body,
            false,
        ),
        BookingMail::Cancelled => (m.mail_bk_cancelled_subject, m.mail_bk_cancelled_body, false),
        BookingMail::Reminder => (m.mail_bk_reminder_subject, m.mail_bk_reminder_body, true),
        BookingMail::Moved => (m.mail_bk_moved_subject, m.mail_bk_moved_body, true),
        BookingMail::SessionCancelled => (
            m.mail_bk_session_cancelled_subject,
            m.mail_bk_session_cancelled_body,
            false,
        ),
    };
    let when = session_when(b.locale, s.starts_at);
    let place = s
        .place
        .map(|p| fill(m.mail_bk_place, &[("place", p)]))
        .unwrap_or_default();
    let until = b
        .offer_expires_at
        .map(|t| session_when(b.locale, t))
        .unwrap_or_default();
    let position = position.map(|p| p.to_string()).unwrap_or_default();
    let persons = booking_persons(b);
    let link = format!("{}/reservation/{secret}", s.base_url);
    // The code that confirms the address travels only in this e-mail.
    let confirm = b
        .confirm_code
        .as_deref()
        .map(|code| format!("{link}/confirmer/{code}"))
        .unwrap_or_default();
    let args = [
        ("name", b.name.as_str()),
        ("title", s.title),
        ("when", when.as_str()),
        ("place", place.as_str()),
        ("until", until.as_str()),
        ("position", position.as_str()),
        ("persons", persons.as_str()),
        ("link", link.as_str()),
        ("confirm", confirm.as_str()),
    ];
    let mut body_text = fill(body, &args);
    // A booking that is over offers nothing more to change or cancel.
    let over = matches!(
        kind,
        BookingMail::Cancelled
            | BookingMail::Refused
            | BookingMail::OfferExpired
            | BookingMail::HoldExpired
            | BookingMail::SessionCancelled
    );
    let footer = if over {
        m.mail_bk_footer_over
    } else {
        m.mail_bk_footer
    };
    body_text.push_str(&fill(footer, &args));
    NewMail {
        to_addr: b.email.clone(),
        to_name: Some(b.name.clone()),
        subject: fill(subject, &args),
        body_text,
        body_html: None,
        ics: if attach {
            s.ics.map(str::to_owned)
        } else {
            None
        },
    }
}

/// The personal links of someone's bookings still to come, sent on request
/// ("I lost my link").
pub fn booking_links(
    locale: maillage_domain::Locale,
    to: &str,
    lines: &[(String, String)],
) -> NewMail {
    let m = messages(locale);
    let list = lines
        .iter()
        .map(|(what, link)| format!("- {what}\n  {link}"))
        .collect::<Vec<_>>()
        .join("\n\n");
    NewMail {
        to_addr: to.to_owned(),
        to_name: None,
        subject: m.mail_bk_links_subject.to_owned(),
        body_text: fill(m.mail_bk_links_body, &[("list", &list)]),
        body_html: None,
        ics: None,
    }
}
