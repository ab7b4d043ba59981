//! Booking: what the rules need about a session, the session's lock, and
//! the booking itself.

use super::counts::occupancy;
use super::entity::ActiveModel;
use super::rules::{Settings, settings};
use super::{Booking, Counts, Refusal, Request, from_model, new_row, settings_entity};
use crate::programme::activities::entity as act;
use crate::programme::projects::entity as proj;
use crate::programme::sessions::entity as sess;
use crate::query::{col, join};
use crate::venues::spaces_entity as space;
use crate::vocab;
use chrono::{DateTime, TimeDelta, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use maillage_domain::programme::{ProjectStatus, RegistrationMode, SessionStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, JoinType, Query};
use sea_orm::{DbBackend, FromQueryResult, Iterable, QuerySelect, Statement};

/// How long places are held for a booker to confirm their address.
pub const HOLD_MINUTES: i64 = 30;

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

    /// May one booking of `kind` hold `persons` at `now`: the window is
    /// open, and the party is no larger than a booking or the session
    /// may hold (whatever the places free)?
    pub(super) fn admits(
        &self,
        now: DateTime<Utc>,
        kind: BookingKind,
        persons: i32,
    ) -> Result<(), Refusal> {
        self.window(now)?;
        if kind == BookingKind::Seats && persons > self.settings.max_seats {
            return Err(Refusal::TooManySeats {
                max: self.settings.max_seats,
            });
        }
        match self.capacity {
            Some(capacity) if persons > capacity => Err(Refusal::LargerThanSession { capacity }),
            _ => Ok(()),
        }
    }

    /// Does a party of `persons` fit now, given the counts?
    pub(super) fn fits(&self, counts: &Counts, kind: BookingKind, persons: i32) -> bool {
        if self.settings.one_group && kind == BookingKind::Group && counts.groups > 0 {
            return false;
        }
        counts
            .available(self.capacity)
            .is_none_or(|free| i64::from(persons) <= free)
    }
}

/// The registration mode of a session: its own, else its activity's.
pub(crate) fn registration_mode(
    own: Option<&str>,
    activity: &str,
) -> Result<RegistrationMode, DbErr> {
    match own {
        Some(m) => vocab::ACTIVITY_SESSIONS_REGISTRATION_MODE.decode(m),
        None => vocab::ACTIVITIES_REGISTRATION_MODE.decode(activity),
    }
}

/// Reads what the booking rules need about a session (without locking it).
pub async fn bookable(c: &impl ConnectionTrait, session: i64) -> Result<Option<Bookable>, DbErr> {
    use JoinType::{InnerJoin, LeftJoin};
    use sea_orm::sea_query::ExprTrait;
    // One query: the session, its activity and project, the activity's
    // space and booking rules (booking goes through here under the lock).
    let mut q = Query::select();
    q.from_as(sess::Entity, Alias::new("s"));
    join(
        &mut q,
        InnerJoin,
        act::Entity,
        ("a", "id"),
        ("s", "activity_id"),
    );
    join(
        &mut q,
        InnerJoin,
        proj::Entity,
        ("p", "id"),
        ("a", "project_id"),
    );
    join(
        &mut q,
        LeftJoin,
        space::Entity,
        ("sp", "id"),
        ("a", "space_id"),
    );
    let rules = settings_entity::Entity;
    join(&mut q, LeftJoin, rules, ("bs", "activity_id"), ("a", "id"));
    q.and_where(col("s", "id").eq(session));
    for (t, c, alias) in [
        ("s", "activity_id", "activity_id"),
        ("s", "starts_at", "starts_at"),
        ("s", "ends_at", "ends_at"),
        ("s", "capacity", "capacity"),
        ("s", "status", "session_status"),
        ("s", "registration_mode", "session_mode"),
        ("s", "venue_id", "session_venue"),
        ("a", "venue_id", "activity_venue"),
        ("a", "project_id", "project_id"),
        ("a", "status", "activity_status"),
        ("a", "registration_mode", "activity_mode"),
        ("p", "status", "project_status"),
        ("sp", "capacity", "space_capacity"),
    ] {
        q.expr_as(col(t, c), Alias::new(alias));
    }
    // The rules' columns, prefixed, read back as their model.
    for column in settings_entity::Column::iter() {
        let name = column.as_str();
        q.expr_as(col("bs", name), Alias::new(format!("bs_{name}")));
    }
    let Some(row) = c.query_one(&q).await? else {
        return Ok(None);
    };
    let get_s = |n: &str| row.try_get::<String>("", n);
    let settings = Option::<settings_entity::Model>::from_query_result(&row, "bs_")?
        .map(Settings::from)
        .unwrap_or_default();
    let public = vocab::ACTIVITIES_STATUS
        .decode(&get_s("activity_status")?)?
        .is_public()
        && vocab::PROJECTS_STATUS.decode(&get_s("project_status")?)? == ProjectStatus::Published;
    let session_mode: Option<String> = row.try_get("", "session_mode")?;
    let mode = registration_mode(session_mode.as_deref(), &get_s("activity_mode")?)?;
    let capacity: Option<i32> = row.try_get("", "capacity")?;
    let session_venue: Option<i64> = row.try_get("", "session_venue")?;
    let activity_venue: Option<i64> = row.try_get("", "activity_venue")?;
    // The activity's space is at the activity's venue: a session held
    // elsewhere has only its own capacity.
    let space_capacity: Option<i32> = if session_venue.is_some_and(|v| Some(v) != activity_venue) {
        None
    } else {
        row.try_get("", "space_capacity")?
    };
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
    let persons = req.persons();
    if let Err(r) = b.admits(now, kind, persons) {
        return Ok(Err(r));
    }
    let counts = occupancy(c, session).await?;
    let (status, hold) = if b.fits(&counts, kind, persons) {
        if b.settings.confirm_email {
            (
                BookingStatus::Unconfirmed,
                Some(now + TimeDelta::minutes(HOLD_MINUTES)),
            )
        } else {
            (b.settings.confirmed(kind), None)
        }
    } else if b.settings.waitlist {
        (BookingStatus::Waitlisted, None)
    } else {
        return Ok(Err(Refusal::Full));
    };
    let group = kind == BookingKind::Group;
    let confirm_code =
        (status == BookingStatus::Unconfirmed).then(maillage_domain::token::generate);
    let m = ActiveModel {
        pupils: Set(if group { req.pupils } else { 0 }),
        adults: Set(if group { req.adults } else { 0 }),
        name: Set(req.name.clone()),
        email: Set(req.email.to_lowercase()),
        phone: Set(req.phone.clone()),
        locale: Set(req.locale.as_str().to_owned()),
        organisation_id: Set(req.organisation_id),
        school_name: Set(req.school_name.clone()),
        school_commune: Set(req.school_commune.clone()),
        class_level: Set(req.class_level.map(|l| l.code().to_owned())),
        needs: Set(req.needs.clone()),
        source: Set(req.source.code().to_owned()),
        consent_at: Set(Some(now)),
        hold_expires_at: Set(hold),
        confirm_digest: Set(confirm_code.as_deref().map(maillage_domain::token::digest)),
        ..new_row(session, kind, status, persons, now)
    }
    .insert(c)
    .await?;
    if status.holds_places() {
        let mut after = counts;
        after.add(status, kind, 1, i64::from(persons));
        super::places::note_if_full(c, &b, &after).await?;
    }
    let secret = super::links::issue(c, m.id, now).await?;
    Ok(Ok(Booking {
        confirm_code,
        secret: Some(secret),
        ..from_model(m)?
    }))
}

/// The status a booking moves to once its booker has confirmed it (an
/// offer accepted, an address confirmed): confirmed, or awaiting approval
/// for a class where the activity's rules ask for it.
pub(super) async fn confirmed(
    c: &impl ConnectionTrait,
    b: &Booking,
) -> Result<BookingStatus, DbErr> {
    if b.kind != BookingKind::Group {
        return Ok(BookingStatus::Confirmed);
    }
    let activity: Option<i64> = sess::Entity::find_by_id(b.session_id)
        .select_only()
        .column(sess::Column::ActivityId)
        .into_tuple()
        .one(c)
        .await?;
    let activity =
        activity.ok_or_else(|| DbErr::RecordNotFound(format!("session {}", b.session_id)))?;
    Ok(settings(c, activity).await?.confirmed(b.kind))
}
