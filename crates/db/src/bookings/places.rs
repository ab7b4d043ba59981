//! What the public sees of sessions' places: how many are left, whether a
//! session is full and takes names on a waiting list. Three queries for a
//! whole page of activities (places held, the spaces' capacities, the
//! booking rules); the places-filling write paths bump the programme
//! version when a session fills, so that no cached page shows it open.

use super::Counts;
use super::book::{Bookable, bookable};
use super::counts::{occupancy, occupancy_of};
use super::entity::{Column, Entity};
use super::rules::Settings;
use super::settings_entity;
use crate::programme::activities::Activity;
use crate::query::IDS_PER_QUERY;
use crate::venues::spaces_entity as space;
use chrono::{DateTime, Utc};
use maillage_domain::programme::RegistrationMode;
use sea_orm::QuerySelect;
use sea_orm::entity::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The places of one session as the public sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    /// The session's capacity, else its activity's space's (none: unlimited).
    pub capacity: Option<i32>,
    /// Persons holding places, and classes among the bookings.
    pub held: i64,
    pub groups: i64,
    /// Persons waiting.
    pub waitlisted: i64,
    /// The activity's rules: a waiting list, one class per session.
    pub waitlist: bool,
    pub one_group: bool,
}

impl Places {
    /// Free places (none when unlimited).
    pub fn free(&self) -> Option<i64> {
        if self.one_group && self.groups > 0 {
            return Some(0);
        }
        self.capacity.map(|c| (i64::from(c) - self.held).max(0))
    }

    /// No place is left for anyone.
    pub fn is_full(&self) -> bool {
        self.free() == Some(0)
    }
}

/// When a booking last changed (any of them): a cached page that shows
/// places and was made after it still shows them right. One index read.
pub async fn last_change(c: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = c
        .query_one(
            sea_orm::sea_query::Query::select()
                .expr_as(Column::UpdatedAt.max(), "last")
                .from(Entity),
        )
        .await?;
    match row {
        Some(r) => r.try_get("", "last"),
        None => Ok(None),
    }
}

/// The places of every session of `activities` booked here (sessions with
/// no booking on this platform are left out).
pub async fn of_activities(
    c: &impl ConnectionTrait,
    activities: &[&Activity],
) -> Result<BTreeMap<i64, Places>, DbErr> {
    let booked = |a: &Activity, mode: Option<RegistrationMode>| {
        matches!(
            mode.unwrap_or(a.registration),
            RegistrationMode::Booking | RegistrationMode::Groups
        )
    };
    let sessions: Vec<i64> = activities
        .iter()
        .flat_map(|a| {
            a.sessions
                .iter()
                .filter(|s| booked(a, s.mode))
                .map(|s| s.id)
        })
        .collect();
    if sessions.is_empty() {
        return Ok(BTreeMap::new());
    }
    let with_sessions: Vec<i64> = activities
        .iter()
        .filter(|a| a.sessions.iter().any(|s| booked(a, s.mode)))
        .map(|a| a.id)
        .collect();
    let spaces: BTreeSet<i64> = activities.iter().filter_map(|a| a.data.space_id).collect();
    let held = occupancy_of(c, &sessions).await?;
    let capacities = space_capacities(c, &spaces).await?;
    let mut rules: BTreeMap<i64, Settings> = BTreeMap::new();
    for chunk in with_sessions.chunks(IDS_PER_QUERY) {
        for m in settings_entity::Entity::find()
            .filter(settings_entity::Column::ActivityId.is_in(chunk.iter().copied()))
            .all(c)
            .await?
        {
            rules.insert(m.activity_id, Settings::from(m));
        }
    }
    let mut out = BTreeMap::new();
    for a in activities {
        let r = rules.get(&a.id).cloned().unwrap_or_default();
        for s in a.sessions.iter().filter(|s| booked(a, s.mode)) {
            let n = held.get(&s.id).copied().unwrap_or_default();
            let space = a
                .space_for(s)
                .and_then(|id| capacities.get(&id).copied().flatten());
            out.insert(
                s.id,
                Places {
                    capacity: s.data.capacity.or(space),
                    held: n.held,
                    groups: n.groups,
                    waitlisted: n.waitlisted,
                    waitlist: r.waitlist,
                    one_group: r.one_group
                        && s.mode.unwrap_or(a.registration) == RegistrationMode::Groups,
                },
            );
        }
    }
    Ok(out)
}

async fn space_capacities(
    c: &impl ConnectionTrait,
    ids: &BTreeSet<i64>,
) -> Result<BTreeMap<i64, Option<i32>>, DbErr> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, Option<i32>)> = space::Entity::find()
            .select_only()
            .column(space::Column::Id)
            .column(space::Column::Capacity)
            .filter(space::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(c)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// After a write that gave places of a session to someone (`counts` as
/// they now are): when no place is left, bumps the programme version in the
/// same transaction, so that no cached page keeps showing the session open.
pub(super) async fn note_if_full(
    c: &impl ConnectionTrait,
    b: &Bookable,
    counts: &Counts,
) -> Result<(), DbErr> {
    let places = Places {
        capacity: b.capacity,
        held: counts.held,
        groups: counts.groups,
        waitlisted: counts.waitlisted,
        waitlist: b.settings.waitlist,
        one_group: b.settings.one_group && b.mode == RegistrationMode::Groups,
    };
    if places.is_full() {
        crate::counters::bump(c, crate::counters::PROGRAMME).await?;
    }
    Ok(())
}

/// [`note_if_full`] for a session whose rules and counts are not at hand.
pub(super) async fn check_if_full(c: &impl ConnectionTrait, session: i64) -> Result<(), DbErr> {
    if let Some(b) = bookable(c, session).await? {
        note_if_full(c, &b, &occupancy(c, session).await?).await?;
    }
    Ok(())
}
