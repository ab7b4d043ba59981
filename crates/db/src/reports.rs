//! The figures reports are made of, counted by the database in a few
//! aggregate queries (the same on both engines).

use crate::bookings::entity as bk;
use crate::bookings::registration_mode;
use crate::programme::activities::entity as act;
use crate::programme::sessions::entity as sess;
use crate::query::{col, join};
use crate::venues::entity as ven;
use crate::vocab;
use maillage_domain::programme::{ActivityStatus, RegistrationMode, SessionStatus};
use sea_orm::sea_query::JoinType::{InnerJoin, LeftJoin};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::BTreeMap;

/// What a project did in one commune: public activities held at its
/// venues, their sessions (cancelled ones aside), and who came (check-in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommuneFigures {
    pub activities: i64,
    pub sessions: i64,
    pub pupils: i64,
    pub adults: i64,
    pub public: i64,
}

impl CommuneFigures {
    pub fn attendance(&self) -> i64 {
        self.pupils + self.adults + self.public
    }
}

fn public_statuses() -> Vec<&'static str> {
    ActivityStatus::ALL
        .iter()
        .filter(|s| s.is_public() && **s != ActivityStatus::Cancelled)
        .map(|s| s.code())
        .collect()
}

/// The figures of a project by commune (INSEE code of each venue).
pub async fn by_commune(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<BTreeMap<String, CommuneFigures>, DbErr> {
    // Two independent aggregates: on a pool they run at once on two
    // connections; in a transaction, one after the other.
    let (held, came) = tokio::try_join!(
        activities_by_commune(c, project),
        attendance_by_commune(c, project)
    )?;
    let mut out: BTreeMap<String, CommuneFigures> = BTreeMap::new();
    for (insee, activities, sessions) in held {
        let e = out.entry(insee).or_default();
        e.activities = activities;
        e.sessions = sessions;
    }
    for (insee, pupils, adults, public) in came {
        let e = out.entry(insee).or_default();
        e.pupils = pupils;
        e.adults = adults;
        e.public = public;
    }
    Ok(out)
}

/// Joins the sessions (aliased `s`) of the activities `q` selects (`a`).
fn join_sessions(q: &mut SelectStatement, kind: sea_orm::sea_query::JoinType) {
    join(q, kind, sess::Entity, ("s", "activity_id"), ("a", "id"));
}

/// Joins the venue (`v`) where each session (`s`) takes place, its own or
/// its activity's (`a`), when in a commune, grouped by the commune (`insee`).
fn at_session_communes(q: &mut SelectStatement) {
    q.join_as(
        InnerJoin,
        ven::Entity,
        Alias::new("v"),
        col("v", "id").eq(Func::coalesce([col("s", "venue_id"), col("a", "venue_id")])),
    );
    q.expr_as(col("v", "commune_insee"), Alias::new("insee"))
        .and_where(col("v", "commune_insee").is_not_null())
        .group_by_col((Alias::new("v"), Alias::new("commune_insee")));
}

/// Activities and their sessions by commune, each session at its own place
/// (its venue, else its activity's): an activity counts in every commune it
/// holds a session in, one without sessions at its venue.
async fn activities_by_commune(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<Vec<(String, i64, i64)>, DbErr> {
    let mut q = project_activities(project);
    join_sessions(&mut q, LeftJoin);
    at_session_communes(&mut q);
    let held = Expr::case(
        col("s", "status").ne(SessionStatus::Cancelled.code()),
        Expr::val(1i64),
    )
    .finally(Expr::val(0i64));
    q.expr_as(
        Func::count_distinct(col("a", "id")),
        Alias::new("activities"),
    )
    .expr_as(
        Func::cast_as(Func::sum(held), Alias::new("BIGINT")),
        Alias::new("sessions"),
    );
    let mut out = Vec::new();
    for row in c.query_all(&q).await? {
        out.push((
            row.try_get("", "insee")?,
            row.try_get("", "activities")?,
            row.try_get::<Option<i64>>("", "sessions")?.unwrap_or(0),
        ));
    }
    Ok(out)
}

/// Who came by commune, from check-in (walk-ins included): pupils,
/// accompanying adults, general public, where each session took place.
async fn attendance_by_commune(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<Vec<(String, i64, i64, i64)>, DbErr> {
    let mut q = project_activities(project);
    join_sessions(&mut q, InnerJoin);
    at_session_communes(&mut q);
    join(
        &mut q,
        InnerJoin,
        bk::Entity,
        ("b", "session_id"),
        ("s", "id"),
    );
    q.expr_as(Func::sum(col("b", "came_pupils")), Alias::new("pupils"))
        .expr_as(Func::sum(col("b", "came_adults")), Alias::new("adults"))
        .expr_as(Func::sum(col("b", "came_public")), Alias::new("public"))
        .and_where(col("b", "checked_in_at").is_not_null());
    let mut out = Vec::new();
    for row in c.query_all(&q).await? {
        out.push((
            row.try_get("", "insee")?,
            row.try_get::<Option<i64>>("", "pupils")?.unwrap_or(0),
            row.try_get::<Option<i64>>("", "adults")?.unwrap_or(0),
            row.try_get::<Option<i64>>("", "public")?.unwrap_or(0),
        ));
    }
    Ok(out)
}

/// The figures of a project's bilan that are not by commune: activities
/// and sessions by format, audience and theme, partners by type, speakers
/// by gender, bookings and attendance. Activities that took place only
/// (published or full, not cancelled), and their sessions not cancelled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFigures {
    pub activities: i64,
    pub sessions: i64,
    /// Format code → (activities, sessions); "" for no format.
    pub by_format: BTreeMap<String, (i64, i64)>,
    /// Audience code → activities.
    pub by_audience: BTreeMap<String, i64>,
    /// Theme code → activities.
    pub by_theme: BTreeMap<String, i64>,
    /// Organisation type → organisations running at least one activity.
    pub partners_by_kind: BTreeMap<String, i64>,
    /// Gender code ("" when unknown) → speakers of at least one activity.
    pub speakers_by_gender: BTreeMap<String, i64>,
    pub bookings: BookingFigures,
}

/// Bookings over the sessions open to booking (seats or classes), and
/// check-in over every session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookingFigures {
    /// Sessions taking bookings, and those among them with a capacity.
    pub bookable_sessions: i64,
    pub sessions_with_capacity: i64,
    /// Places of the sessions with a capacity, and persons holding places
    /// in them.
    pub capacity: i64,
    pub held_in_capacity: i64,
    /// Persons holding places in every bookable session.
    pub held: i64,
    pub bookings: i64,
    pub groups: i64,
    pub pending: i64,
    /// Sessions whose places are all taken.
    pub full_sessions: i64,
    /// Persons and entries on waiting lists, and sessions with one.
    pub waitlisted: i64,
    pub waitlist_entries: i64,
    pub sessions_with_waitlist: i64,
    /// Check-in: who came, by kind (walk-ins included), bookings where
    /// nobody came, walk-in records.
    pub came_pupils: i64,
    pub came_adults: i64,
    pub came_public: i64,
    pub checked_in: i64,
    pub no_shows: i64,
    pub walk_ins: i64,
}

impl BookingFigures {
    /// Persons holding places over places offered, in the sessions with a
    /// capacity (0 to 1, or none without any).
    pub fn fill_rate(&self) -> Option<f64> {
        (self.capacity > 0).then(|| self.held_in_capacity as f64 / self.capacity as f64)
    }

    pub fn attendance(&self) -> i64 {
        self.came_pupils + self.came_adults + self.came_public
    }
}

/// A select over the public activities of `project` (aliased `a`).
fn project_activities(project: i64) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(act::Entity, Alias::new("a"))
        .and_where(col("a", "project_id").eq(project))
        .and_where(col("a", "status").is_in(public_statuses()));
    q
}

/// The public activities of a project joined to `table` (aliased `t`, on
/// `t.activity_id = a.id`), counted by `t.<key>`; or, through `link`
/// `(other, fk)`, the distinct records of `other` (aliased `x`, on
/// `x.id = t.<fk>`) counted by `x.<key>`.
async fn grouped(
    c: &impl ConnectionTrait,
    project: i64,
    table: &str,
    link: Option<(&str, &str)>,
    key: &str,
) -> Result<BTreeMap<String, i64>, DbErr> {
    let mut q = project_activities(project);
    join(
        &mut q,
        InnerJoin,
        Alias::new(table),
        ("t", "activity_id"),
        ("a", "id"),
    );
    let (keyed, counted) = match link {
        None => (col("t", key), col("a", "id")),
        Some((other, fk)) => {
            join(&mut q, InnerJoin, Alias::new(other), ("x", "id"), ("t", fk));
            (col("x", key), col("x", "id"))
        }
    };
    q.expr_as(keyed.clone(), Alias::new("k"))
        .expr_as(Func::count_distinct(counted), Alias::new("n"))
        .add_group_by([keyed]);
    let mut out = BTreeMap::new();
    for row in c.query_all(&q).await? {
        let k: Option<String> = row.try_get("", "k")?;
        let n: i64 = row.try_get("", "n")?;
        *out.entry(k.unwrap_or_default()).or_default() += n;
    }
    Ok(out)
}

/// Every figure of [`ProjectFigures`], in six aggregate queries and the
/// booking counts of the project's sessions.
pub async fn project_figures(
    c: &impl ConnectionTrait,
    project: i64,
) -> Result<ProjectFigures, DbErr> {
    let mut out = ProjectFigures::default();
    by_format(c, project, &mut out).await?;
    out.by_audience = grouped(c, project, "activity_audiences", None, "audience").await?;
    out.by_theme = grouped(c, project, "activity_themes", None, "theme").await?;
    let organisations = Some(("organisations", "organisation_id"));
    let partners = grouped(c, project, "activity_organisations", organisations, "kind");
    out.partners_by_kind = partners.await?;
    let people = Some(("people", "person_id"));
    let speakers = grouped(c, project, "activity_speakers", people, "gender");
    out.speakers_by_gender = speakers.await?;
    // The figures are keyed by the codes stored: each must be known.
    vocab::ACTIVITIES_FORMAT.check_all(out.by_format.keys())?;
    for code in out.by_audience.keys() {
        vocab::decode_audience(code)?;
    }
    vocab::ACTIVITY_THEMES_THEME.check_all(out.by_theme.keys())?;
    vocab::ORGANISATIONS_KIND.check_all(out.partners_by_kind.keys())?;
    // "" stands for speakers whose gender is not known.
    vocab::PEOPLE_GENDER.check_all(out.speakers_by_gender.keys().filter(|g| !g.is_empty()))?;
    out.bookings = booking_figures(c, project).await?;
    Ok(out)
}

/// Activities and sessions, in all and by format.
async fn by_format(
    c: &impl ConnectionTrait,
    project: i64,
    out: &mut ProjectFigures,
) -> Result<(), DbErr> {
    let mut q = project_activities(project);
    q.join_as(
        LeftJoin,
        sess::Entity,
        Alias::new("s"),
        col("s", "activity_id")
            .equals((Alias::new("a"), Alias::new("id")))
            .and(col("s", "status").ne(SessionStatus::Cancelled.code())),
    )
    .expr_as(col("a", "format"), Alias::new("k"))
    .expr_as(
        Func::count_distinct(col("a", "id")),
        Alias::new("activities"),
    )
    .expr_as(Func::count(col("s", "id")), Alias::new("sessions"))
    .group_by_col((Alias::new("a"), act::Column::Format));
    for row in c.query_all(&q).await? {
        let k: Option<String> = row.try_get("", "k")?;
        let n: i64 = row.try_get("", "activities")?;
        let m: i64 = row.try_get("", "sessions")?;
        out.activities += n;
        out.sessions += m;
        let e = out.by_format.entry(k.unwrap_or_default()).or_default();
        e.0 += n;
        e.1 += m;
    }
    Ok(())
}

/// Bookings over the project's sessions open to booking, check-in over
/// all of them (cancelled ones aside).
async fn booking_figures(c: &impl ConnectionTrait, project: i64) -> Result<BookingFigures, DbErr> {
    // Sessions, their capacity and booking mode (the session's own, else
    // its activity's).
    let mut q = project_activities(project);
    join_sessions(&mut q, InnerJoin);
    for (t, column, alias) in [
        ("s", "id", "id"),
        ("s", "capacity", "capacity"),
        ("s", "registration_mode", "own_mode"),
        ("a", "registration_mode", "mode"),
    ] {
        q.expr_as(col(t, column), Alias::new(alias));
    }
    q.and_where(col("s", "status").ne(SessionStatus::Cancelled.code()));
    let mut sessions = Vec::new();
    let mut bookable: BTreeMap<i64, Option<i64>> = BTreeMap::new();
    for row in c.query_all(&q).await? {
        let id: i64 = row.try_get("", "id")?;
        let capacity: Option<i32> = row.try_get("", "capacity")?;
        let own: Option<String> = row.try_get("", "own_mode")?;
        let mode = registration_mode(own.as_deref(), &row.try_get::<String>("", "mode")?)?;
        sessions.push(id);
        if matches!(mode, RegistrationMode::Booking | RegistrationMode::Groups) {
            bookable.insert(id, capacity.map(i64::from));
        }
    }
    let counts = crate::bookings::counts_of(c, &sessions).await?;
    let mut b = BookingFigures::default();
    for (id, n) in &counts {
        b.came_pupils += n.came_pupils;
        b.came_adults += n.came_adults;
        b.came_public += n.came_public;
        b.checked_in += n.checked_in;
        b.no_shows += n.no_shows;
        b.walk_ins += n.walk_ins;
        if bookable.contains_key(id) {
            b.held += n.held;
            b.bookings += n.bookings;
            b.groups += n.groups;
            b.pending += n.pending;
            b.waitlisted += n.waitlisted;
            b.waitlist_entries += n.waitlisted_entries;
            if n.waitlisted_entries > 0 {
                b.sessions_with_waitlist += 1;
            }
        }
    }
    b.bookable_sessions = bookable.len() as i64;
    for (id, capacity) in &bookable {
        let Some(capacity) = capacity else { continue };
        let held = counts.get(id).map_or(0, |n| n.held);
        b.sessions_with_capacity += 1;
        b.capacity += capacity;
        b.held_in_capacity += held;
        if held >= *capacity {
            b.full_sessions += 1;
        }
    }
    Ok(b)
}
