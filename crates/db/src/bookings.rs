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

use crate::programme::activities::entity as act;
use crate::programme::projects::entity as proj;
use crate::programme::sessions::entity as sess;
use crate::venues::spaces_entity as space;
use crate::vocab;
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::Locale;
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus, ClassLevel};
use maillage_domain::programme::{ProjectStatus, RegistrationMode, SessionStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, DbBackend, QueryOrder, QuerySelect, Statement};
use std::collections::{BTreeMap, BTreeSet};

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
        pub secret: String,
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
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
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

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{ActiveModel, Column, Entity};

/// How long places are held for a booker to confirm their address.
pub const HOLD_MINUTES: i64 = 30;

/// The booking rules of an activity (defaults when none were saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Most persons one individual booking may hold.
    pub max_seats: i32,
    /// Class bookings wait for staff approval.
    pub approval: bool,
    /// One class per session (a planetarium slot), else counted in persons.
    pub one_group: bool,
    pub opens_at: Option<DateTime<Utc>>,
    /// Bookings close at this time, and in any case when the session starts.
    pub closes_at: Option<DateTime<Utc>>,
    /// A full session takes names on a waiting list.
    pub waitlist: bool,
    /// Hours an offer of freed places is kept for a waiting entry.
    pub offer_hours: i32,
    /// Places are held 30 minutes until the booker confirms their address.
    pub confirm_email: bool,
    /// Days before the session a reminder is sent.
    pub reminder_days: Option<i32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_seats: 6,
            approval: false,
            one_group: false,
            opens_at: None,
            closes_at: None,
            waitlist: true,
            offer_hours: 24,
            confirm_email: false,
            reminder_days: Some(2),
        }
    }
}

fn settings_from(m: settings_entity::Model) -> Settings {
    Settings {
        max_seats: m.max_seats,
        approval: m.approval,
        one_group: m.one_group,
        opens_at: m.opens_at,
        closes_at: m.closes_at,
        waitlist: m.waitlist,
        offer_hours: m.offer_hours,
        confirm_email: m.confirm_email,
        reminder_days: m.reminder_days,
    }
}

pub async fn settings(c: &impl ConnectionTrait, activity: i64) -> Result<Settings, DbErr> {
    Ok(settings_entity::Entity::find_by_id(activity)
        .one(c)
        .await?
        .map(settings_from)
        .unwrap_or_default())
}

pub async fn save_settings(
    c: &impl ConnectionTrait,
    activity: i64,
    s: &Settings,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let model = settings_entity::ActiveModel {
        activity_id: Set(activity),
        max_seats: Set(s.max_seats),
        approval: Set(s.approval),
        one_group: Set(s.one_group),
        opens_at: Set(s.opens_at),
        closes_at: Set(s.closes_at),
        waitlist: Set(s.waitlist),
        offer_hours: Set(s.offer_hours),
        confirm_email: Set(s.confirm_email),
        reminder_days: Set(s.reminder_days),
        updated_at: Set(now),
    };
    if settings_entity::Entity::find_by_id(activity)
        .one(c)
        .await?
        .is_some()
    {
        model.update(c).await?;
    } else {
        model.insert(c).await?;
    }
    // The booking rules are part of what the programme shows.
    crate::counters::bump(c, crate::counters::PROGRAMME).await
}

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
    pub secret: String,
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
}

impl Booking {
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
        secret: m.secret,
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

/// A session as the booking rules see it.
#[derive(Debug, Clone)]
pub struct Bookable {
    pub session_id: i64,
    pub activity_id: i64,
    pub project_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub session_status: SessionStatus,
    pub mode: RegistrationMode,
    /// The activity and its project are public.
    pub public: bool,
    pub capacity: Option<i32>,
    pub settings: Settings,
}

impl Bookable {
    /// When bookings close: the closing time, or the start of the session.
    pub fn closes_at(&self) -> DateTime<Utc> {
        self.settings
            .closes_at
            .map_or(self.starts_at, |c| c.min(self.starts_at))
    }

    /// Is the booking window open at `now`?
    pub fn window(&self, now: DateTime<Utc>) -> Result<(), Refusal> {
        if self.session_status != SessionStatus::Scheduled || now >= self.closes_at() {
            return Err(Refusal::Closed);
        }
        match self.settings.opens_at {
            Some(o) if now < o => Err(Refusal::NotYetOpen(o)),
            _ => Ok(()),
        }
    }

    pub fn kind(&self) -> Option<BookingKind> {
        match self.mode {
            RegistrationMode::Booking => Some(BookingKind::Seats),
            RegistrationMode::Groups => Some(BookingKind::Group),
            RegistrationMode::None | RegistrationMode::External => None,
        }
    }
}

/// Reads what the booking rules need about a session (without locking it).
pub async fn bookable(c: &impl ConnectionTrait, session: i64) -> Result<Option<Bookable>, DbErr> {
    use sea_orm::sea_query::{Alias, ExprTrait, JoinType, Query};
    // One query: the session, its activity and project, the activity's
    // space and booking rules (booking goes through here under the lock).
    let (s, a, p, sp, bs) = (
        Alias::new("s"),
        Alias::new("a"),
        Alias::new("p"),
        Alias::new("sp"),
        Alias::new("bs"),
    );
    let col = |t: &Alias, c: &str| Expr::col((t.clone(), Alias::new(c)));
    let mut q = Query::select();
    q.from_as(sess::Entity, s.clone())
        .join_as(
            JoinType::InnerJoin,
            act::Entity,
            a.clone(),
            col(&a, "id").equals((s.clone(), Alias::new("activity_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            proj::Entity,
            p.clone(),
            col(&p, "id").equals((a.clone(), Alias::new("project_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            space::Entity,
            sp.clone(),
            col(&sp, "id").equals((a.clone(), Alias::new("space_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            settings_entity::Entity,
            bs.clone(),
            col(&bs, "activity_id").equals((a.clone(), Alias::new("id"))),
        )
        .and_where(col(&s, "id").eq(session));
    for (t, c, alias) in [
        (&s, "activity_id", "activity_id"),
        (&s, "starts_at", "starts_at"),
        (&s, "ends_at", "ends_at"),
        (&s, "capacity", "capacity"),
        (&s, "status", "session_status"),
        (&s, "registration_mode", "session_mode"),
        (&a, "project_id", "project_id"),
        (&a, "status", "activity_status"),
        (&a, "registration_mode", "activity_mode"),
        (&p, "status", "project_status"),
        (&sp, "capacity", "space_capacity"),
        (&bs, "activity_id", "rules"),
        (&bs, "max_seats", "max_seats"),
        (&bs, "approval", "approval"),
        (&bs, "one_group", "one_group"),
        (&bs, "opens_at", "opens_at"),
        (&bs, "closes_at", "closes_at"),
        (&bs, "waitlist", "waitlist"),
        (&bs, "offer_hours", "offer_hours"),
        (&bs, "confirm_email", "confirm_email"),
        (&bs, "reminder_days", "reminder_days"),
    ] {
        q.expr_as(col(t, c), Alias::new(alias));
    }
    let Some(row) = c.query_one(&q).await? else {
        return Ok(None);
    };
    let get_s = |n: &str| row.try_get::<String>("", n);
    let settings = match row.try_get::<Option<i64>>("", "rules")? {
        None => Settings::default(),
        Some(_) => Settings {
            max_seats: row.try_get("", "max_seats")?,
            approval: row.try_get("", "approval")?,
            one_group: row.try_get("", "one_group")?,
            opens_at: row.try_get("", "opens_at")?,
            closes_at: row.try_get("", "closes_at")?,
            waitlist: row.try_get("", "waitlist")?,
            offer_hours: row.try_get("", "offer_hours")?,
            confirm_email: row.try_get("", "confirm_email")?,
            reminder_days: row.try_get("", "reminder_days")?,
        },
    };
    let public = vocab::ACTIVITIES_STATUS
        .decode(&get_s("activity_status")?)?
        .is_public()
        && vocab::PROJECTS_STATUS.decode(&get_s("project_status")?)? == ProjectStatus::Published;
    let session_mode: Option<String> = row.try_get("", "session_mode")?;
    let mode = match session_mode {
        Some(m) => vocab::ACTIVITY_SESSIONS_REGISTRATION_MODE.decode(&m)?,
        None => vocab::ACTIVITIES_REGISTRATION_MODE.decode(&get_s("activity_mode")?)?,
    };
    let capacity: Option<i32> = row.try_get("", "capacity")?;
    let space_capacity: Option<i32> = row.try_get("", "space_capacity")?;
    Ok(Some(Bookable {
        session_id: session,
        activity_id: row.try_get("", "activity_id")?,
        project_id: row.try_get("", "project_id")?,
        starts_at: row.try_get("", "starts_at")?,
        ends_at: row.try_get("", "ends_at")?,
        session_status: vocab::ACTIVITY_SESSIONS_STATUS.decode(&get_s("session_status")?)?,
        mode,
        public,
        capacity: capacity.or(space_capacity),
        settings,
    }))
}

/// Takes the session's lock for the rest of the transaction: on PostgreSQL
/// the session row, locked `FOR UPDATE` (every instance waits for it); on
/// SQLite the write transaction already excludes every other writer.
pub async fn lock_session(c: &impl ConnectionTrait, session: i64) -> Result<(), DbErr> {
    if c.get_database_backend() == DbBackend::Postgres {
        c.query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM activity_sessions WHERE id = $1 FOR UPDATE",
            [session.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The places of a session: what bookings hold, and who waits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Persons holding places (confirmed, awaiting approval or confirmation,
    /// offered).
    pub held: i64,
    pub confirmed: i64,
    /// Persons awaiting approval or their address's confirmation.
    pub pending: i64,
    /// Persons with an offer of freed places.
    pub offered: i64,
    /// Persons and entries on the waiting list.
    pub waitlisted: i64,
    pub waitlisted_entries: i64,
    /// Bookings holding places, and classes among them.
    pub bookings: i64,
    pub groups: i64,
    /// Check-in: bookings checked in, those where nobody came, and persons
    /// who came (walk-ins included) by kind.
    pub checked_in: i64,
    pub no_shows: i64,
    pub came_pupils: i64,
    pub came_adults: i64,
    pub came_public: i64,
    pub walk_ins: i64,
}

impl Counts {
    /// Adds `n` bookings of `kind` in `status` holding `seats` persons.
    fn add(&mut self, status: BookingStatus, kind: BookingKind, n: i64, seats: i64) {
        if status.holds_places() {
            self.held += seats;
            self.bookings += n;
            if kind == BookingKind::Group {
                self.groups += n;
            }
        }
        match status {
            BookingStatus::Confirmed => self.confirmed += seats,
            BookingStatus::Pending | BookingStatus::Unconfirmed => self.pending += seats,
            BookingStatus::Offered => self.offered += seats,
            BookingStatus::Waitlisted => {
                self.waitlisted += seats;
                self.waitlisted_entries += n;
            }
            _ => {}
        }
    }

    /// Free places under `capacity` (none when unlimited).
    pub fn available(&self, capacity: Option<i32>) -> Option<i64> {
        capacity.map(|c| (i64::from(c) - self.held).max(0))
    }

    pub fn came(&self) -> i64 {
        self.came_pupils + self.came_adults + self.came_public
    }
}

type CountRow = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
);

/// The counts of several sessions at once.
pub async fn counts_of(
    c: &impl ConnectionTrait,
    sessions: &[i64],
) -> Result<BTreeMap<i64, Counts>, DbErr> {
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    for chunk in sessions.chunks(500) {
        let rows: Vec<CountRow> = Entity::find()
            .select_only()
            .column(Column::SessionId)
            .column(Column::Status)
            .column(Column::Kind)
            .column_as(Column::Id.count(), "n")
            .column_as(Column::Seats.sum(), "seats")
            .column_as(Column::CamePupils.sum(), "pupils")
            .column_as(Column::CameAdults.sum(), "adults")
            .column_as(Column::CamePublic.sum(), "public")
            .column_as(Column::CheckedInAt.count(), "checked")
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .group_by(Column::SessionId)
            .group_by(Column::Status)
            .group_by(Column::Kind)
            .into_tuple()
            .all(c)
            .await?;
        for (session, status, kind, n, seats, pupils, adults, public, checked) in rows {
            let e = out.entry(session).or_default();
            let seats = seats.unwrap_or(0);
            let status = vocab::BOOKINGS_STATUS.decode(&status)?;
            let kind = vocab::BOOKINGS_KIND.decode(&kind)?;
            e.came_pupils += pupils.unwrap_or(0);
            e.came_adults += adults.unwrap_or(0);
            e.came_public += public.unwrap_or(0);
            if kind == BookingKind::WalkIn {
                e.walk_ins += n;
                continue;
            }
            e.checked_in += checked;
            e.add(status, kind, n, seats);
        }
    }
    // No-shows: checked in with nobody there (a second, small query).
    for chunk in sessions.chunks(500) {
        let rows: Vec<(i64, i64)> = Entity::find()
            .select_only()
            .column(Column::SessionId)
            .column_as(Column::Id.count(), "n")
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .filter(Column::CheckedInAt.is_not_null())
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .filter(Expr::cust("came_pupils + came_adults + came_public = 0"))
            .group_by(Column::SessionId)
            .into_tuple()
            .all(c)
            .await?;
        for (session, n) in rows {
            out.entry(session).or_default().no_shows = n;
        }
    }
    Ok(out)
}

pub async fn counts(c: &impl ConnectionTrait, session: i64) -> Result<Counts, DbErr> {
    Ok(counts_of(c, &[session])
        .await?
        .remove(&session)
        .unwrap_or_default())
}

/// What the booking rules need, in one query: places held, classes holding
/// places, and the waiting list (the other figures of [`Counts`] stay zero).
pub async fn occupancy(c: &impl ConnectionTrait, session: i64) -> Result<Counts, DbErr> {
    let live = BookingStatus::ACTIVE.map(BookingStatus::code);
    let rows: Vec<(String, String, i64, Option<i64>)> = Entity::find()
        .select_only()
        .column(Column::Status)
        .column(Column::Kind)
        .column_as(Column::Id.count(), "n")
        .column_as(Column::Seats.sum(), "seats")
        .filter(Column::SessionId.eq(session))
        .filter(Column::Status.is_in(live))
        .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
        .group_by(Column::Status)
        .group_by(Column::Kind)
        .into_tuple()
        .all(c)
        .await?;
    let mut e = Counts::default();
    for (status, kind, n, seats) in rows {
        e.add(
            vocab::BOOKINGS_STATUS.decode(&status)?,
            vocab::BOOKINGS_KIND.decode(&kind)?,
            n,
            seats.unwrap_or(0),
        );
    }
    Ok(e)
}

/// Does a party of `persons` fit now, given the counts?
fn fits(b: &Bookable, counts: &Counts, kind: BookingKind, persons: i32) -> bool {
    if b.settings.one_group && kind == BookingKind::Group && counts.groups > 0 {
        return false;
    }
    counts
        .available(b.capacity)
        .is_none_or(|free| i64::from(persons) <= free)
}

/// Books places (or a place on the waiting list). Takes the session's lock:
/// call it in a write transaction and commit after.
pub async fn book(
    c: &impl ConnectionTrait,
    session: i64,
    req: &Request,
    now: DateTime<Utc>,
) -> Result<Result<Booking, Refusal>, DbErr> {
    lock_session(c, session).await?;
    let Some(b) = bookable(c, session).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if !b.public {
        return Ok(Err(Refusal::NotFound));
    }
    let Some(kind) = b.kind() else {
        return Ok(Err(Refusal::NotBookable));
    };
    if kind != req.kind {
        return Ok(Err(Refusal::WrongKind));
    }
    if let Err(r) = b.window(now) {
        return Ok(Err(r));
    }
    let persons = req.persons();
    if kind == BookingKind::Seats && persons > b.settings.max_seats {
        return Ok(Err(Refusal::TooManySeats {
            max: b.settings.max_seats,
        }));
    }
    if let Some(capacity) = b.capacity
        && persons > capacity
    {
        return Ok(Err(Refusal::LargerThanSession { capacity }));
    }
    let counts = occupancy(c, session).await?;
    let (status, hold) = if fits(&b, &counts, kind, persons) {
        if b.settings.confirm_email {
            (
                BookingStatus::Unconfirmed,
                Some(now + TimeDelta::minutes(HOLD_MINUTES)),
            )
        } else if kind == BookingKind::Group && b.settings.approval {
            (BookingStatus::Pending, None)
        } else {
            (BookingStatus::Confirmed, None)
        }
    } else if b.settings.waitlist {
        (BookingStatus::Waitlisted, None)
    } else {
        return Ok(Err(Refusal::Full));
    };
    let m = ActiveModel {
        session_id: Set(session),
        kind: Set(kind.code().to_owned()),
        status: Set(status.code().to_owned()),
        seats: Set(persons),
        pupils: Set(if kind == BookingKind::Group {
            req.pupils
        } else {
            0
        }),
        adults: Set(if kind == BookingKind::Group {
            req.adults
        } else {
            0
        }),
        name: Set(req.name.clone()),
        email: Set(req.email.to_lowercase()),
        phone: Set(req.phone.clone()),
        locale: Set(req.locale.as_str().to_owned()),
        organisation_id: Set(req.organisation_id),
        school_name: Set(req.school_name.clone()),
        school_commune: Set(req.school_commune.clone()),
        class_level: Set(req.class_level.map(|l| l.code().to_owned())),
        needs: Set(req.needs.clone()),
        secret: Set(maillage_domain::token::generate()),
        source: Set(req.source.code().to_owned()),
        consent_at: Set(Some(now)),
        offer_expires_at: Set(None),
        hold_expires_at: Set(hold),
        reminder_sent_at: Set(None),
        checked_in_at: Set(None),
        came_pupils: Set(None),
        came_adults: Set(None),
        came_public: Set(None),
        note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        anonymised_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(Ok(from_model(m)?))
}

/// Bookings still holding places or waiting on these sessions (walk-ins
/// aside): what deleting the sessions would lose.
pub async fn active_count(c: &impl ConnectionTrait, sessions: &[i64]) -> Result<u64, DbErr> {
    let live = BookingStatus::ACTIVE.map(BookingStatus::code);
    let mut n = 0;
    for chunk in sessions.chunks(500) {
        n += Entity::find()
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .filter(Column::Status.is_in(live))
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .count(c)
            .await?;
    }
    Ok(n)
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
    if !maillage_domain::token::is_well_formed(secret) {
        return Ok(None);
    }
    Entity::find()
        .filter(Column::Secret.eq(secret))
        .one(c)
        .await?
        .map(from_model)
        .transpose()
}

/// A waiting entry's place in the queue (1 for the first), counting the
/// entries waiting before it.
pub async fn position(c: &impl ConnectionTrait, b: &Booking) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::SessionId.eq(b.session_id))
        .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
        .filter(Column::Id.lte(b.id))
        .count(c)
        .await
}

/// The bookings of a session: those holding places first, then the waiting
/// list in its order, then the rest.
pub async fn of_session(c: &impl ConnectionTrait, session: i64) -> Result<Vec<Booking>, DbErr> {
    let mut list: Vec<Booking> = Entity::find()
        .filter(Column::SessionId.eq(session))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(from_model)
        .collect::<Result<_, _>>()?;
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
    let mut out: BTreeMap<i64, Vec<Booking>> = BTreeMap::new();
    for chunk in sessions.chunks(500) {
        for m in Entity::find()
            .filter(Column::SessionId.is_in(chunk.iter().copied()))
            .order_by_asc(Column::Id)
            .all(c)
            .await?
        {
            out.entry(m.session_id).or_default().push(from_model(m)?);
        }
    }
    Ok(out)
}

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
        .col_expr(
            Column::OfferExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            Column::HoldExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in(from.iter().map(|s| s.code())))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Offers freed places to the first waiting entries that fit, in order.
/// Call with the session locked. Returns the bookings offered places.
pub async fn promote(
    c: &impl ConnectionTrait,
    session: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Booking>, DbErr> {
    let Some(b) = bookable(c, session).await? else {
        return Ok(Vec::new());
    };
    if b.session_status != SessionStatus::Scheduled || now >= b.starts_at {
        return Ok(Vec::new());
    }
    let mut counts = occupancy(c, session).await?;
    if counts.waitlisted_entries == 0 {
        return Ok(Vec::new());
    }
    let waiting: Vec<Booking> = Entity::find()
        .filter(Column::SessionId.eq(session))
        .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(from_model)
        .collect::<Result<_, _>>()?;
    let expires = now + TimeDelta::hours(i64::from(b.settings.offer_hours.max(1)));
    let mut offered = Vec::new();
    for mut w in waiting {
        if counts.available(b.capacity) == Some(0) {
            break;
        }
        if !fits(&b, &counts, w.kind, w.seats) {
            continue;
        }
        let r = Entity::update_many()
            .col_expr(Column::Status, Expr::value(BookingStatus::Offered.code()))
            .col_expr(Column::OfferExpiresAt, Expr::value(Some(expires)))
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.eq(w.id))
            .filter(Column::Status.eq(BookingStatus::Waitlisted.code()))
            .exec(c)
            .await?;
        if r.rows_affected == 1 {
            counts.held += i64::from(w.seats);
            if w.kind == BookingKind::Group {
                counts.groups += 1;
            }
            w.status = BookingStatus::Offered;
            w.offer_expires_at = Some(expires);
            offered.push(w);
        }
    }
    Ok(offered)
}

/// Cancels a booking (or leaves the waiting list) and offers the places it
/// held. Returns the bookings offered places, or `None` when the booking was
/// no longer active.
pub async fn cancel(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let from = BookingStatus::ACTIVE;
    if !set_status(c, b.id, &from, BookingStatus::Cancelled, now).await? {
        return Ok(None);
    }
    Ok(Some(promote(c, b.session_id, now).await?))
}

/// Cancels every live booking of a session that is itself cancelled, and
/// returns them (as they now are) for the bookers to be told.
pub async fn cancel_session(
    c: &impl ConnectionTrait,
    session: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Booking>, DbErr> {
    lock_session(c, session).await?;
    let live = BookingStatus::ACTIVE;
    let mut out = Vec::new();
    for mut b in of_session(c, session).await? {
        if b.kind != BookingKind::WalkIn
            && b.status.is_active()
            && set_status(c, b.id, &live, BookingStatus::Cancelled, now).await?
        {
            b.status = BookingStatus::Cancelled;
            out.push(b);
        }
    }
    Ok(out)
}

/// Accepts an offer of places. An offer that has run out is expired, and its
/// places go to the next entries (returned).
pub async fn accept_offer(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<Result<BookingStatus, Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let Some(current) = find(c, b.id).await? else {
        return Ok(Err(Vec::new()));
    };
    if current.status != BookingStatus::Offered {
        return Ok(Err(Vec::new()));
    }
    if current.offer_expires_at.is_some_and(|e| e <= now) {
        set_status(
            c,
            b.id,
            &[BookingStatus::Offered],
            BookingStatus::Expired,
            now,
        )
        .await?;
        return Ok(Err(promote(c, b.session_id, now).await?));
    }
    let approval = current.kind == BookingKind::Group
        && settings(c, activity_of(c, b.session_id).await?)
            .await?
            .approval;
    let to = if approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    set_status(c, b.id, &[BookingStatus::Offered], to, now).await?;
    Ok(Ok(to))
}

/// Confirms the booker's address: a held booking becomes confirmed (or
/// awaits approval for a class).
pub async fn confirm_address(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<Option<BookingStatus>, DbErr> {
    if b.status != BookingStatus::Unconfirmed || b.hold_expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let approval = b.kind == BookingKind::Group
        && settings(c, activity_of(c, b.session_id).await?)
            .await?
            .approval;
    let to = if approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    Ok(set_status(c, b.id, &[BookingStatus::Unconfirmed], to, now)
        .await?
        .then_some(to))
}

async fn activity_of(c: &impl ConnectionTrait, session: i64) -> Result<i64, DbErr> {
    let a: Option<i64> = sess::Entity::find_by_id(session)
        .select_only()
        .column(sess::Column::ActivityId)
        .into_tuple()
        .one(c)
        .await?;
    a.ok_or_else(|| DbErr::RecordNotFound(format!("session {session}")))
}

/// Changes the number of seats of an individual booking (or of a waiting
/// entry, which keeps its place in the queue). Fewer seats free places
/// (offered to the waiting list, returned); more need free places.
pub async fn change_seats(
    c: &impl ConnectionTrait,
    b: &Booking,
    seats: i32,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Booking>, Refusal>, DbErr> {
    lock_session(c, b.session_id).await?;
    let Some(current) = find(c, b.id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if current.kind != BookingKind::Seats || !current.status.is_active() {
        return Ok(Err(Refusal::WrongStatus));
    }
    let Some(place) = bookable(c, b.session_id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(r) = place.window(now) {
        return Ok(Err(r));
    }
    if seats > place.settings.max_seats {
        return Ok(Err(Refusal::TooManySeats {
            max: place.settings.max_seats,
        }));
    }
    if let Some(capacity) = place.capacity
        && seats > capacity
    {
        return Ok(Err(Refusal::LargerThanSession { capacity }));
    }
    let more = seats - current.seats;
    if more > 0 && current.status.holds_places() {
        let counts = occupancy(c, b.session_id).await?;
        if let Some(available) = counts.available(place.capacity)
            && i64::from(more) > available
        {
            return Ok(Err(Refusal::NotEnoughPlaces {
                available: i32::try_from(available).unwrap_or(0),
            }));
        }
    }
    Entity::update_many()
        .col_expr(Column::Seats, Expr::value(seats))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(b.id))
        .exec(c)
        .await?;
    Ok(Ok(if more < 0 {
        promote(c, b.session_id, now).await?
    } else {
        Vec::new()
    }))
}

/// Staff decision on a class awaiting approval. Refusing frees its places
/// (offered to the waiting list, returned).
pub async fn decide(
    c: &impl ConnectionTrait,
    b: &Booking,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Booking>>, DbErr> {
    lock_session(c, b.session_id).await?;
    let to = if approve {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Refused
    };
    if !set_status(c, b.id, &[BookingStatus::Pending], to, now).await? {
        return Ok(None);
    }
    Ok(Some(if approve {
        Vec::new()
    } else {
        promote(c, b.session_id, now).await?
    }))
}

/// Staff confirm a waiting entry (or an offer) even beyond the capacity.
pub async fn force_confirm(
    c: &impl ConnectionTrait,
    b: &Booking,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    lock_session(c, b.session_id).await?;
    set_status(
        c,
        b.id,
        &[
            BookingStatus::Waitlisted,
            BookingStatus::Offered,
            BookingStatus::Pending,
            BookingStatus::Unconfirmed,
        ],
        BookingStatus::Confirmed,
        now,
    )
    .await
}

/// Moves a booking to another session (of any activity). Unless `force`,
/// the target must have room. The places freed in the old session are
/// offered to its waiting list (returned).
pub async fn move_to(
    c: &impl ConnectionTrait,
    b: &Booking,
    target: i64,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Booking>, Refusal>, DbErr> {
    // Lock in id order so that two opposite moves cannot deadlock.
    let (first, second) = if b.session_id < target {
        (b.session_id, target)
    } else {
        (target, b.session_id)
    };
    lock_session(c, first).await?;
    lock_session(c, second).await?;
    let Some(place) = bookable(c, target).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if !force {
        let counts = occupancy(c, target).await?;
        if !fits(&place, &counts, b.kind, b.seats) {
            return Ok(Err(Refusal::NotEnoughPlaces {
                available: counts
                    .available(place.capacity)
                    .map_or(i32::MAX, |a| i32::try_from(a).unwrap_or(0)),
            }));
        }
    }
    let r = Entity::update_many()
        .col_expr(Column::SessionId, Expr::value(target))
        .col_expr(Column::Status, Expr::value(BookingStatus::Confirmed.code()))
        .col_expr(
            Column::OfferExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            Column::ReminderSentAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(b.id))
        .filter(Column::Status.is_in(BookingStatus::ACTIVE.map(BookingStatus::code)))
        .exec(c)
        .await?;
    if r.rows_affected != 1 {
        return Ok(Err(Refusal::WrongStatus));
    }
    Ok(Ok(promote(c, b.session_id, now).await?))
}

/// Links every class booked under the school name `name` (typed, without
/// a directory record) to the directory's organisation `org`.
pub async fn link_school(
    c: &impl ConnectionTrait,
    name: &str,
    org: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::OrganisationId, Expr::value(Some(org)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::OrganisationId.is_null())
        .filter(Column::Kind.eq(BookingKind::Group.code()))
        .filter(Column::SchoolName.eq(name))
        .exec(c)
        .await?
        .rows_affected)
}

/// Records who came for a booking (pupils, accompanying adults, general
/// public). All zero records a no-show.
pub async fn check_in(
    c: &impl ConnectionTrait,
    id: i64,
    pupils: i32,
    adults: i32,
    public: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::CheckedInAt, Expr::value(Some(now)))
        .col_expr(Column::CamePupils, Expr::value(Some(pupils)))
        .col_expr(Column::CameAdults, Expr::value(Some(adults)))
        .col_expr(Column::CamePublic, Expr::value(Some(public)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Clears a check-in recorded by mistake (a walk-in recorded by mistake is
/// removed).
pub async fn undo_check_in(
    c: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let walk_in = Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Kind.eq(BookingKind::WalkIn.code()))
        .exec(c)
        .await?;
    if walk_in.rows_affected == 1 {
        return Ok(true);
    }
    let none: Option<i32> = None;
    let r = Entity::update_many()
        .col_expr(
            Column::CheckedInAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::CamePupils, Expr::value(none))
        .col_expr(Column::CameAdults, Expr::value(none))
        .col_expr(Column::CamePublic, Expr::value(none))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Persons who came without booking, recorded at the door.
pub async fn walk_in(
    c: &impl ConnectionTrait,
    session: i64,
    pupils: i32,
    adults: i32,
    public: i32,
    now: DateTime<Utc>,
) -> Result<Booking, DbErr> {
    let m = ActiveModel {
        session_id: Set(session),
        kind: Set(BookingKind::WalkIn.code().to_owned()),
        status: Set(BookingStatus::Confirmed.code().to_owned()),
        seats: Set(pupils + adults + public),
        pupils: Set(pupils),
        adults: Set(adults),
        name: Set(String::new()),
        email: Set(String::new()),
        phone: Set(None),
        locale: Set(Locale::Fr.as_str().to_owned()),
        organisation_id: Set(None),
        school_name: Set(None),
        school_commune: Set(None),
        class_level: Set(None),
        needs: Set(None),
        secret: Set(maillage_domain::token::generate()),
        source: Set(BookingSource::Staff.code().to_owned()),
        consent_at: Set(None),
        offer_expires_at: Set(None),
        hold_expires_at: Set(None),
        reminder_sent_at: Set(None),
        checked_in_at: Set(Some(now)),
        came_pupils: Set(Some(pupils)),
        came_adults: Set(Some(adults)),
        came_public: Set(Some(public)),
        note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        anonymised_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await?;
    from_model(m)
}

/// What a sweep did: offers and holds that ran out, and the places offered
/// to the next waiting entries.
#[derive(Debug, Default)]
pub struct Swept {
    pub expired_offers: Vec<Booking>,
    pub expired_holds: Vec<Booking>,
    pub offered: Vec<Booking>,
}

/// Expires offers and address-confirmation holds that ran out at `now`, and
/// offers their places to the next entries. Safe with several instances:
/// each booking changes (and is reported) once.
pub async fn sweep(c: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Swept, DbErr> {
    let mut out = Swept::default();
    let due: Vec<Booking> = Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(Column::Status.eq(BookingStatus::Offered.code()))
                        .add(Column::OfferExpiresAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(Column::Status.eq(BookingStatus::Unconfirmed.code()))
                        .add(Column::HoldExpiresAt.lte(now)),
                ),
        )
        .order_by_asc(Column::Id)
        .limit(1000)
        .all(c)
        .await?
        .into_iter()
        .map(from_model)
        .collect::<Result<_, _>>()?;
    let mut sessions = BTreeSet::new();
    for b in due {
        lock_session(c, b.session_id).await?;
        if set_status(c, b.id, &[b.status], BookingStatus::Expired, now).await? {
            sessions.insert(b.session_id);
            if b.status == BookingStatus::Offered {
                out.expired_offers.push(b);
            } else {
                out.expired_holds.push(b);
            }
        }
    }
    for s in sessions {
        out.offered.extend(promote(c, s, now).await?);
    }
    Ok(out)
}

/// Confirmed bookings whose reminder falls due at `now` (the activity's
/// reminder days before the session), each claimed once whatever the number
/// of instances: the caller sends what this returns.
pub async fn claim_reminders(
    c: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Booking>, DbErr> {
    // Sessions starting within the longest reminder window (a week).
    let soon: Vec<(i64, i64, DateTime<Utc>)> = sess::Entity::find()
        .select_only()
        .column(sess::Column::Id)
        .column(sess::Column::ActivityId)
        .column(sess::Column::StartsAt)
        .filter(sess::Column::StartsAt.gt(now))
        .filter(sess::Column::StartsAt.lte(now + TimeDelta::days(7)))
        .filter(sess::Column::Status.eq(SessionStatus::Scheduled.code()))
        .into_tuple()
        .all(c)
        .await?;
    let mut out = Vec::new();
    let mut rules: BTreeMap<i64, Option<i32>> = BTreeMap::new();
    for (session, activity, starts) in soon {
        let days = match rules.get(&activity) {
            Some(d) => *d,
            None => {
                let d = settings(c, activity).await?.reminder_days;
                rules.insert(activity, d);
                d
            }
        };
        let Some(days) = days else { continue };
        let from = starts - TimeDelta::days(i64::from(days));
        if now < from {
            continue;
        }
        let candidates = Entity::find()
            .filter(Column::SessionId.eq(session))
            .filter(Column::Status.eq(BookingStatus::Confirmed.code()))
            .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
            .filter(Column::ReminderSentAt.is_null())
            // Booked inside the window: the confirmation was the reminder.
            .filter(Column::CreatedAt.lt(from))
            .filter(Column::AnonymisedAt.is_null())
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(c)
            .await?;
        for m in candidates {
            let r = Entity::update_many()
                .col_expr(Column::ReminderSentAt, Expr::value(Some(now)))
                .filter(Column::Id.eq(m.id))
                .filter(Column::ReminderSentAt.is_null())
                .exec(c)
                .await?;
            if r.rows_affected == 1 {
                out.push(from_model(m)?);
            }
        }
        if out.len() as u64 >= limit {
            break;
        }
    }
    Ok(out)
}

fn anonymise_update() -> sea_orm::UpdateMany<Entity> {
    Entity::update_many()
        .col_expr(Column::Name, Expr::value(""))
        .col_expr(Column::Email, Expr::value(""))
        .col_expr(Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(Column::Needs, Expr::value(Option::<String>::None))
        .col_expr(Column::Note, Expr::value(Option::<String>::None))
        // The secret must stay unique: derive it from the id.
        .col_expr(
            Column::Secret,
            Expr::cust("'anonymised-' || CAST(id AS TEXT)"),
        )
}

/// Anonymises the bookings of sessions that ended before `before`: names,
/// addresses, phones and notes go; counts, classes and attendance stay.
pub async fn anonymise_ended_before(
    c: &impl ConnectionTrait,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let ended = sea_orm::sea_query::Query::select()
        .column(sess::Column::Id)
        .from(sess::Entity)
        .and_where(sess::Column::EndsAt.lt(before))
        .to_owned();
    Ok(anonymise_update()
        .col_expr(Column::AnonymisedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::SessionId.in_subquery(ended))
        .filter(Column::AnonymisedAt.is_null())
        .filter(Column::Kind.ne(BookingKind::WalkIn.code()))
        .exec(c)
        .await?
        .rows_affected)
}

/// Every booking made with an e-mail address (for a person's request to see
/// their data).
pub async fn of_email(c: &impl ConnectionTrait, email: &str) -> Result<Vec<Booking>, DbErr> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::Email.eq(email))
        .order_by_asc(Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(from_model)
        .collect()
}

/// Erases a person's data from their bookings (on request). Active
/// bookings of sessions still to come are cancelled first, their places
/// offered to the waiting list (returned). Counts stay.
pub async fn erase_email(
    c: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(u64, Vec<Booking>), DbErr> {
    let mut offered = Vec::new();
    for b in of_email(c, email).await? {
        if b.status.is_active() {
            let ended: Option<DateTime<Utc>> = sess::Entity::find_by_id(b.session_id)
                .select_only()
                .column(sess::Column::EndsAt)
                .into_tuple()
                .one(c)
                .await?;
            if ended.is_some_and(|e| e > now)
                && let Some(o) = cancel(c, &b, now).await?
            {
                offered.extend(o);
            }
        }
    }
    let n = anonymise_update()
        .col_expr(Column::AnonymisedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Email.eq(email.trim().to_lowercase()))
        .exec(c)
        .await?
        .rows_affected;
    Ok((n, offered))
}
