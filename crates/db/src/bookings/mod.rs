//! Bookings of sessions: individual seats, classes and groups, walk-ins.
//!
//! **Capacity never overflows.** Every change to the places a session holds
//! takes the session's lock first ([`lock_session`]): on PostgreSQL a
//! `SELECT … FOR UPDATE` on the session row, which serialises bookings of
//! one session across every instance sharing the database; on SQLite the
//! write transaction itself (`BEGIN IMMEDIATE`, one writer at a time). Under
//! the lock the places held are counted from the bookings, so the count is
//! never stale.
//!
//! **Waiting list.** Entries keep their party size and their order (by id).
//! When places free up, [`promote`] offers them to the first entries that
//! fit, for the activity's offer time; [`sweep`] expires offers (and places
//! held for an e-mail confirmation) and offers the places to the next.
//! Functions that can offer places return the bookings they offered, for the
//! caller to tell them by e-mail in the same transaction.
//!
//! One file per sub-feature, everything used from here
//! (`bookings::book`, `bookings::Counts`…): `rules` (an activity's booking
//! rules), `book` (what a session allows, its lock, the booking itself),
//! `counts`, `waitlist` (promotion and offers), `changes` (what a booker
//! changes), `staff` (what staff do), `checkin`, `sweep` (offers and holds
//! running out, reminders) and `anonymise` (personal data).

mod anonymise;
mod book;
mod changes;
mod checkin;
mod counts;
pub mod links;
mod places;
mod rules;
mod staff;
mod sweep;
mod waitlist;

pub use anonymise::{anonymise_ended_before, erase_email, of_email};
pub(crate) use book::registration_mode;
pub use book::{Bookable, HOLD_MINUTES, book, bookable, lock_session};
pub use changes::{NotConfirmed, cancel, change_seats, confirm_address};
pub use checkin::{check_in, undo_check_in, walk_in};
pub use counts::{Counts, active_count, counts, counts_of, occupancy};
pub use places::{Places, last_change, of_activities as places_of};
pub use rules::{Settings, save_settings, settings};
pub use staff::{cancel_session, decide, force_confirm, link_school, move_to};
pub use sweep::{Swept, claim_reminders, sweep};
pub use waitlist::{accept_offer, position, promote};

use crate::query;
use crate::vocab;
use chrono::{DateTime, Utc};
use maillage_domain::Locale;
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus, ClassLevel};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, Select};
use std::collections::BTreeMap;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bookings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub session_id: i64,
        pub kind: String,
        pub status: String,
        pub seats: i32,
        pub pupils: i32,
        pub adults: i32,
        pub name: String,
        pub email: String,
        pub phone: Option<String>,
        pub locale: String,
        pub organisation_id: Option<i64>,
        pub school_name: Option<String>,
        pub school_commune: Option<String>,
        pub class_level: Option<String>,
        pub needs: Option<String>,
        pub source: String,
        pub consent_at: Option<DateTimeUtc>,
        pub offer_expires_at: Option<DateTimeUtc>,
        pub hold_expires_at: Option<DateTimeUtc>,
        pub reminder_sent_at: Option<DateTimeUtc>,
        pub checked_in_at: Option<DateTimeUtc>,
        pub came_pupils: Option<i32>,
        pub came_adults: Option<i32>,
        pub came_public: Option<i32>,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub anonymised_at: Option<DateTimeUtc>,
        /// Digest of the secret that confirms the address (sent by e-mail
        /// only), while the booking waits for it.
        pub confirm_digest: Option<String>,
    }

    crate::query::no_relations!();
}

pub mod settings_entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "booking_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub activity_id: i64,
        pub max_seats: i32,
        pub approval: bool,
        pub one_group: bool,
        pub opens_at: Option<DateTimeUtc>,
        pub closes_at: Option<DateTimeUtc>,
        pub waitlist: bool,
        pub offer_hours: i32,
        pub confirm_email: bool,
        pub reminder_days: Option<i32>,
        pub updated_at: DateTimeUtc,
    }

    crate::query::no_relations!();
}

use entity::{ActiveModel, Column, Entity};

/// A booking as the rest of the application sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: i64,
    pub session_id: i64,
    pub kind: BookingKind,
    pub status: BookingStatus,
    /// Persons counted against the capacity.
    pub seats: i32,
    pub pupils: i32,
    pub adults: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub locale: Locale,
    pub organisation_id: Option<i64>,
    pub school_name: Option<String>,
    pub school_commune: Option<String>,
    pub class_level: Option<ClassLevel>,
    pub needs: Option<String>,
    /// The secret of a personal link, on a booking [`book`] has just made
    /// or one opened by its link: only digests are stored
    /// ([`links`]), so it is `None` on a booking read back otherwise.
    pub secret: Option<String>,
    pub source: BookingSource,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub came_pupils: Option<i32>,
    pub came_adults: Option<i32>,
    pub came_public: Option<i32>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub anonymised_at: Option<DateTime<Utc>>,
    /// The secret that confirms the address, on the booking [`book`] has
    /// just made when it waits for it: to be sent by e-mail, never shown.
    /// Only its digest is stored, so it is `None` on a booking read back.
    pub confirm_code: Option<String>,
}

impl Booking {
    /// The secret of the personal link this booking was made or opened
    /// with ([`Booking::secret`]); empty when it was read otherwise, which
    /// opens nothing.
    pub fn link_secret(&self) -> &str {
        self.secret.as_deref().unwrap_or_default()
    }

    /// Persons who came, when checked in.
    pub fn came(&self) -> Option<i32> {
        self.checked_in_at.map(|_| {
            self.came_pupils.unwrap_or(0)
                + self.came_adults.unwrap_or(0)
                + self.came_public.unwrap_or(0)
        })
    }
}

fn from_model(m: entity::Model) -> Result<Booking, DbErr> {
    Ok(Booking {
        id: m.id,
        session_id: m.session_id,
        kind: vocab::BOOKINGS_KIND.decode(&m.kind)?,
        status: vocab::BOOKINGS_STATUS.decode(&m.status)?,
        seats: m.seats,
        pupils: m.pupils,
        adults: m.adults,
        name: m.name,
        email: m.email,
        phone: m.phone,
        locale: vocab::BOOKINGS_LOCALE.decode(&m.locale)?,
        organisation_id: m.organisation_id,
        school_name: m.school_name,
        school_commune: m.school_commune,
        class_level: vocab::BOOKINGS_CLASS_LEVEL.decode_opt(m.class_level.as_deref())?,
        needs: m.needs,
        secret: None,
        source: vocab::BOOKINGS_SOURCE.decode(&m.source)?,
        offer_expires_at: m.offer_expires_at,
        hold_expires_at: m.hold_expires_at,
        checked_in_at: m.checked_in_at,
        came_pupils: m.came_pupils,
        came_adults: m.came_adults,
        came_public: m.came_public,
        note: m.note,
        created_at: m.created_at,
        anonymised_at: m.anonymised_at,
        confirm_code: None,
    })
}

/// What a booker asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub kind: BookingKind,
    /// Individual bookings: the number of seats.
    pub seats: i32,
    /// Classes: pupils and accompanying adults.
    pub pupils: i32,
    pub adults: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub locale: Locale,
    pub organisation_id: Option<i64>,
    pub school_name: Option<String>,
    pub school_commune: Option<String>,
    pub class_level: Option<ClassLevel>,
    pub needs: Option<String>,
    pub source: BookingSource,
}

impl Request {
    /// Persons the booking counts against the capacity.
    pub fn persons(&self) -> i32 {
        match self.kind {
            BookingKind::Group => self.pupils + self.adults,
            BookingKind::Seats | BookingKind::WalkIn => self.seats,
        }
    }
}

/// Why a booking was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such session, or not a public one.
    NotFound,
    /// The session takes no bookings here (free entry, external link).
    NotBookable,
    /// This session takes individual seats only, or classes only.
    WrongKind,
    /// Bookings have not opened yet.
    NotYetOpen(DateTime<Utc>),
    /// Bookings are closed (closing time passed, session started, cancelled).
    Closed,
    /// More seats than one booking may hold.
    TooManySeats { max: i32 },
    /// More persons than the session holds at all.
    LargerThanSession { capacity: i32 },
    /// Full, and the session keeps no waiting list.
    Full,
    /// Not enough free places for the change asked.
    NotEnoughPlaces { available: i32 },
    /// The booking cannot change in its current status.
    WrongStatus,
}

/// Every booking `q` selects.
async fn load(c: &impl ConnectionTrait, q: Select<Entity>) -> Result<Vec<Booking>, DbErr> {
    query::all(c, q, from_model).await
}

pub async fn find(c: &impl ConnectionTrait, id: i64) -> Result<Option<Booking>, DbErr> {
    Entity::find_by_id(id)
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

/// A booking by the secret of its personal link.
pub async fn find_by_secret(
    c: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<Booking>, DbErr> {
    let Some(id) = links::booking_of(c, secret).await? else {
        return Ok(None);
    };
    Ok(find(c, id).await?.map(|b| Booking {
        secret: Some(secret.to_owned()),
        ..b
    }))
}

/// The bookings of a session: those holding places first, then the waiting
/// list in its order, then the rest.
pub async fn of_session(c: &impl ConnectionTrait, session: i64) -> Result<Vec<Booking>, DbErr> {
    let q = Entity::find()
        .filter(Column::SessionId.eq(session))
        .order_by_asc(Column::Id);
    let mut list = load(c, q).await?;
    list.sort_by_key(|b| {
        (
            match b.status {
                s if s.holds_places() => 0,
                BookingStatus::Waitlisted => 1,
                _ => 2,
            },
            b.kind == BookingKind::WalkIn,
            b.id,
        )
    });
    Ok(list)
}

/// The bookings of several sessions, by session.
pub async fn of_sessions(
    c: &impl ConnectionTrait,
    sessions: &[i64],
) -> Result<BTreeMap<i64, Vec<Booking>>, DbErr> {
    let q = Entity::find().order_by_asc(Column::Id);
    let mut out: BTreeMap<i64, Vec<Booking>> = BTreeMap::new();
    for m in query::with_ids(c, q, Column::SessionId, sessions).await? {
        out.entry(m.session_id).or_default().push(from_model(m)?);
    }
    Ok(out)
}

/// A new booking of `kind` in `status` holding `seats` persons, with a
/// nothing else known yet (the caller sets the rest).
fn new_row(
    session: i64,
    kind: BookingKind,
    status: BookingStatus,
    seats: i32,
    now: DateTime<Utc>,
) -> ActiveModel {
    ActiveModel {
        session_id: Set(session),
        kind: Set(kind.code().to_owned()),
        status: Set(status.code().to_owned()),
        seats: Set(seats),
        pupils: Set(0),
        adults: Set(0),
        name: Set(String::new()),
        email: Set(String::new()),
        phone: Set(None),
        locale: Set(Locale::Fr.as_str().to_owned()),
        organisation_id: Set(None),
        school_name: Set(None),
        school_commune: Set(None),
        class_level: Set(None),
        needs: Set(None),
        source: Set(BookingSource::Staff.code().to_owned()),
        consent_at: Set(None),
        offer_expires_at: Set(None),
        hold_expires_at: Set(None),
        reminder_sent_at: Set(None),
        checked_in_at: Set(None),
        came_pupils: Set(None),
        came_adults: Set(None),
        came_public: Set(None),
        note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        anonymised_at: Set(None),
        confirm_digest: Set(None),
        ..Default::default()
    }
}

/// A timestamp column cleared.
fn no_time() -> Expr {
    Expr::value(Option::<DateTime<Utc>>::None)
}

/// Moves booking `id` from one of the statuses `from` to `to`, ending any
/// offer or hold; false when it was in none of them.
async fn set_status(
    c: &impl ConnectionTrait,
    id: i64,
    from: &[BookingStatus],
    to: BookingStatus,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::Status, Expr::value(to.code()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::OfferExpiresAt, no_time())
        .col_expr(Column::HoldExpiresAt, no_time())
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in(from.iter().map(|s| s.code())))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}
