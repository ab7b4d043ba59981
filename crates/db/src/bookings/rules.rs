//! The booking rules of an activity.

use super::settings_entity;
use chrono::{DateTime, Utc};
use maillage_domain::booking::{BookingKind, BookingStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

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

impl Settings {
    /// The status a booking of `kind` holding places takes once its booker
    /// has confirmed it: a class awaits approval where the rules ask for it.
    pub(super) fn confirmed(&self, kind: BookingKind) -> BookingStatus {
        if kind == BookingKind::Group && self.approval {
            BookingStatus::Pending
        } else {
            BookingStatus::Confirmed
        }
    }
}

impl From<settings_entity::Model> for Settings {
    fn from(m: settings_entity::Model) -> Settings {
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
}

pub async fn settings(c: &impl ConnectionTrait, activity: i64) -> Result<Settings, DbErr> {
    Ok(settings_entity::Entity::find_by_id(activity)
        .one(c)
        .await?
        .map(Settings::from)
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
