//! Bookings: the public booking form, personal pages and lookup
//! (`public/`), the JSON API (`api.rs`), the team's and partners' pages
//! (`team/`), and what they share: the routes, the session being booked,
//! the e-mails to bookers, the refusals in words, and the periodic
//! housekeeping (offers and holds that run out, reminders, anonymisation).

pub(crate) mod api;
pub(crate) mod public;
pub(crate) mod team;

use crate::authz::Routes;
use axum::handler::Handler;
use maillage_domain::Action::*;
use team::actions::Decision;
use team::{PARTNER, TEAM};

pub(crate) fn routes() -> Routes {
    use public::{form, lookup, manage};
    Routes::new()
        .open_get("/p/{slug}/a/{activity}/s/{session}/reserver", form::show)
        .open_post("/p/{slug}/a/{activity}/s/{session}/reserver", form::submit)
        .open_get("/reservation", lookup::show)
        .open_post("/reservation", lookup::send)
        .open_get("/reservation/{secret}", manage::show)
        .open_get("/reservation/{secret}/seance.ics", manage::ics)
        .open_get(
            "/reservation/{secret}/confirmer/{code}",
            manage::confirm_link,
        )
        .open_post("/reservation/{secret}/{action}", manage::act)
        .open_post("/api/v1/sessions/{id}/bookings", api::create)
        .merge(team_routes())
        .merge(partner_routes())
}

/// The team's pages. Those partners share take [`TEAM`] here.
fn team_routes() -> Routes {
    use team::{exports, overview, person, session, settings, sheet};
    Routes::new()
        // The sessions and their fill: also what volunteers check in from.
        .get("/team/bookings", CheckIn, overview::index)
        .get("/team/projects/{id}/bookings", CheckIn, overview::project)
        .get(
            "/team/projects/{id}/bookings/export/{format}",
            ReadBookings,
            exports::project,
        )
        .get(
            "/team/sessions/{id}/bookings",
            ReadBookings,
            session::show.layer(TEAM),
        )
        .get(
            "/team/sessions/{id}/bookings/export/{format}",
            ReadBookings,
            exports::session.layer(TEAM),
        )
        .get(
            "/team/sessions/{id}/bookings/sheet",
            ReadBookings,
            sheet::show.layer(TEAM),
        )
        .get(
            "/team/activities/{id}/bookings/settings",
            ReadBookings,
            settings::show,
        )
        .post(
            "/team/activities/{id}/bookings/settings",
            ManageBookings,
            settings::save,
        )
        .get("/team/bookings/person", ManageDirectory, person::show)
        .post("/team/bookings/person", ManageDirectory, person::lookup)
        .post(
            "/team/bookings/person/export",
            ManageDirectory,
            person::export,
        )
        .post(
            "/team/bookings/person/erase",
            ManageDirectory,
            person::erase,
        )
        .merge(action_routes())
}

/// What the team does to bookings: the staff's decisions, each given its
/// [`Decision`], moves, schools, and check-in at the door.
fn action_routes() -> Routes {
    use team::{actions, checkin};
    let decide = |d: Decision| actions::decide.layer(axum::Extension(d));
    Routes::new()
        .post(
            "/team/bookings/{id}/approve",
            ManageBookings,
            decide(Decision::Approve),
        )
        .post(
            "/team/bookings/{id}/refuse",
            ManageBookings,
            decide(Decision::Refuse),
        )
        .post(
            "/team/bookings/{id}/cancel",
            ManageBookings,
            decide(Decision::Cancel),
        )
        .post(
            "/team/bookings/{id}/force",
            ManageBookings,
            decide(Decision::Force),
        )
        .post(
            "/team/bookings/{id}/school",
            EditDirectory,
            actions::add_school,
        )
        .post(
            "/team/bookings/{id}/move",
            ManageBookings,
            actions::move_booking,
        )
        .get(
            "/team/sessions/{id}/checkin",
            CheckIn,
            checkin::show.layer(TEAM),
        )
        .post(
            "/team/bookings/{id}/checkin",
            CheckIn,
            checkin::check_in.layer(TEAM),
        )
        .post(
            "/team/bookings/{id}/checkin/undo",
            CheckIn,
            checkin::undo.layer(TEAM),
        )
        .post(
            "/team/sessions/{id}/walkin",
            CheckIn,
            checkin::walk_in.layer(TEAM),
        )
}

/// The partner's side: the team's pages for its own activities only
/// ([`PARTNER`]), with check-in and exports but no decisions.
fn partner_routes() -> Routes {
    use team::{checkin, exports, overview, session, sheet};
    Routes::new()
        .get("/partner/bookings", PartnerBookings, overview::partner)
        .get(
            "/partner/sessions/{id}/bookings",
            PartnerBookings,
            session::show.layer(PARTNER),
        )
        .get(
            "/partner/sessions/{id}/bookings/export/{format}",
            PartnerBookings,
            exports::session.layer(PARTNER),
        )
        .get(
            "/partner/sessions/{id}/bookings/sheet",
            PartnerBookings,
            sheet::show.layer(PARTNER),
        )
        .get(
            "/partner/sessions/{id}/checkin",
            PartnerBookings,
            checkin::show.layer(PARTNER),
        )
        .post(
            "/partner/bookings/{id}/checkin",
            PartnerBookings,
            checkin::check_in.layer(PARTNER),
        )
        .post(
            "/partner/bookings/{id}/checkin/undo",
            PartnerBookings,
            checkin::undo.layer(PARTNER),
        )
        .post(
            "/partner/sessions/{id}/walkin",
            PartnerBookings,
            checkin::walk_in.layer(PARTNER),
        )
}

/// A check box of a typed form: ticked when sent with any value.
use crate::forms::ticked;

use crate::error::AppError;
use crate::i18n::{Messages, fill};
use crate::mail::{self, BookingMail};
pub(crate) use crate::shared::bookings::{Place, notify, notify_at, notify_offers, place};
use crate::state::AppState;
use maillage_db::bookings::{self, Refusal};
use maillage_domain::Locale;

/// Sessions as the booking pages and e-mails need them, kept per instance
/// while the programme does not change (its version is read on each use, so
/// a change made on any instance is seen at once).
#[derive(Default)]
pub struct PlaceCache {
    map: std::sync::Mutex<PlaceMap>,
}

type PlaceMap = std::collections::HashMap<i64, (i64, std::sync::Arc<Place>)>;

const PLACES_KEPT: usize = 20_000;

/// [`place`], from the instance's cache when the programme has not changed.
pub(crate) async fn cached_place(
    st: &AppState,
    session: i64,
) -> Result<Option<std::sync::Arc<Place>>, AppError> {
    let version =
        maillage_db::counters::get(st.db.conn(), maillage_db::counters::PROGRAMME).await?;
    fn lock(m: &PlaceCache) -> std::sync::MutexGuard<'_, PlaceMap> {
        m.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    if let Some((v, p)) = lock(&st.places).get(&session)
        && *v == version
    {
        return Ok(Some(p.clone()));
    }
    let Some(p) = place(st.db.conn(), session).await? else {
        return Ok(None);
    };
    let p = std::sync::Arc::new(p);
    let mut map = lock(&st.places);
    if map.len() >= PLACES_KEPT {
        map.retain(|_, (v, _)| *v == version);
        if map.len() >= PLACES_KEPT {
            map.clear();
        }
    }
    map.insert(session, (version, p.clone()));
    Ok(Some(p))
}

/// A refusal in the user's language.
pub(crate) fn refusal_text(m: &Messages, locale: Locale, r: Refusal) -> String {
    match r {
        Refusal::NotFound => m.error_not_found.to_owned(),
        Refusal::NotBookable => m.bk_not_bookable.to_owned(),
        Refusal::WrongKind => m.bk_err_wrong_kind.to_owned(),
        Refusal::NotYetOpen(t) => fill(
            m.bk_not_yet_open,
            &[("when", &mail::session_when(locale, t))],
        ),
        Refusal::Closed => m.bk_closed.to_owned(),
        Refusal::TooManySeats { max } => fill(m.bk_err_too_many, &[("max", &max.to_string())]),
        Refusal::LargerThanSession { capacity } => {
            fill(m.bk_err_larger, &[("capacity", &capacity.to_string())])
        }
        Refusal::Full => m.bk_err_full.to_owned(),
        Refusal::NotEnoughPlaces { available } => {
            fill(m.bk_err_not_enough, &[("n", &available.to_string())])
        }
        Refusal::WrongStatus => m.bk_err_status.to_owned(),
    }
}

/// A stable code for a refusal (API problems).
pub(crate) fn refusal_code(r: Refusal) -> &'static str {
    match r {
        Refusal::NotFound => "not_found",
        Refusal::NotBookable => "not_bookable",
        Refusal::WrongKind => "wrong_kind",
        Refusal::NotYetOpen(_) => "not_yet_open",
        Refusal::Closed => "closed",
        Refusal::TooManySeats { .. } => "too_many_seats",
        Refusal::LargerThanSession { .. } => "larger_than_session",
        Refusal::Full => "full",
        Refusal::NotEnoughPlaces { .. } => "not_enough_places",
        Refusal::WrongStatus => "wrong_status",
    }
}

/// Counts a booking submission from the client; the seconds to wait when
/// over the limit.
/// Counted in `tx`, the transaction of the booking itself.
pub(crate) async fn rate_limited(
    tx: &maillage_db::WriteTx,
    st: &AppState,
    ip: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<u64>, AppError> {
    let key = crate::shared::limits::client_key("booking", ip);
    crate::shared::limits::hit(tx, &key, st.config.rate_limit, now).await
}

/// What one round of housekeeping did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Housekeeping {
    pub expired: usize,
    pub offered: usize,
    pub reminders: usize,
    pub anonymised: u64,
}

/// Expires offers and holds that ran out (offering their places to the next
/// entries), sends the reminders that fall due, and anonymises bookings of
/// sessions that ended more than the retention period ago. Run it every
/// minute on every instance: each e-mail goes out once.
pub async fn housekeeping(
    st: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Housekeeping, AppError> {
    let mut out = Housekeeping::default();
    let tx = st.db.write().await?;
    let swept = bookings::sweep(&tx, now).await?;
    for b in &swept.expired_offers {
        notify(&tx, st, BookingMail::OfferExpired, b).await?;
    }
    for b in &swept.expired_holds {
        notify(&tx, st, BookingMail::HoldExpired, b).await?;
    }
    notify_offers(&tx, st, &swept.offered).await?;
    out.expired = swept.expired_offers.len() + swept.expired_holds.len();
    out.offered = swept.offered.len();
    let due = bookings::claim_reminders(&tx, now, 500).await?;
    for b in &due {
        notify(&tx, st, BookingMail::Reminder, b).await?;
    }
    out.reminders = due.len();
    let months = st.config.booking_retention_months;
    let before = now
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(now);
    out.anonymised = bookings::anonymise_ended_before(&tx, before, now).await?;
    tx.commit().await?;
    if out.expired + out.offered + out.reminders > 0 {
        st.mail_wakeup.notify_one();
    }
    Ok(out)
}
