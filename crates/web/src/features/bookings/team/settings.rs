//! The booking rules of an activity (most seats, approval, one class, the
//! window, waiting list and offers, address confirmation, reminders) and
//! each of its sessions' own registration mode.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::bookings::notify_offers;
use crate::forms::{Choice, FormErrors, check};
use crate::i18n::{Messages, field_error, fill};
use crate::shared::audit::record;
use crate::shared::dates::{LocalTimeError, gap_message, paris_instant, parse_date, parse_time};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::bookings::{self, Settings};
use maillage_db::programme::activities::{self, Activity};
use maillage_db::programme::{projects, sessions};
use maillage_domain::booking::{MAX_PARTY, persons};
use maillage_domain::programme::RegistrationMode;
use maillage_domain::{Action, FieldError};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

/// The rules as typed (to show them again).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SettingsValues {
    pub max_seats: String,
    #[serde(deserialize_with = "super::ticked")]
    pub approval: bool,
    #[serde(deserialize_with = "super::ticked")]
    pub one_group: bool,
    pub opens_date: String,
    pub opens_time: String,
    pub closes_date: String,
    pub closes_time: String,
    #[serde(deserialize_with = "super::ticked")]
    pub waitlist: bool,
    pub offer_hours: String,
    #[serde(deserialize_with = "super::ticked")]
    pub confirm_email: bool,
    pub reminder_days: String,
}

/// The settings form as sent: the rules, and `mode-{session}` for each
/// session of the activity (fields that depend on the activity, so kept
/// by name).
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(flatten)]
    values: SettingsValues,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

/// A session's own mode, or the activity's ([`INHERIT`]).
const INHERIT: &str = "inherit";

fn local_parts(t: Option<DateTime<Utc>>) -> (String, String) {
    t.map(|t| {
        let l = t.with_timezone(&Paris);
        (
            l.format("%Y-%m-%d").to_string(),
            l.format("%H:%M").to_string(),
        )
    })
    .unwrap_or_default()
}

/// A date and a time typed in Europe/Paris; nothing when both are empty.
fn local_instant(
    e: &mut FormErrors,
    m: &Messages,
    (date_field, date): (&str, &str),
    (time_field, time): (&str, &str),
) -> Option<Option<DateTime<Utc>>> {
    if date.trim().is_empty() && time.trim().is_empty() {
        return Some(None);
    }
    let d = check(e, m, date_field, parse_date(date));
    let t = check(e, m, time_field, parse_time(time));
    let (d, t) = (d?, t?);
    match paris_instant(d, t) {
        Ok(x) => Some(Some(x)),
        Err(LocalTimeError::Gap) => {
            e.add(time_field, gap_message(m, d, t));
            None
        }
    }
}

impl SettingsValues {
    fn of(s: &Settings) -> SettingsValues {
        let (opens_date, opens_time) = local_parts(s.opens_at);
        let (closes_date, closes_time) = local_parts(s.closes_at);
        SettingsValues {
            max_seats: s.max_seats.to_string(),
            approval: s.approval,
            one_group: s.one_group,
            opens_date,
            opens_time,
            closes_date,
            closes_time,
            waitlist: s.waitlist,
            offer_hours: s.offer_hours.to_string(),
            confirm_email: s.confirm_email,
            reminder_days: s.reminder_days.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The rules, or the errors beside their fields.
    fn parse(&self, m: &Messages) -> Result<Settings, FormErrors> {
        let mut e = FormErrors::new();
        let max_seats = check(
            &mut e,
            m,
            "max_seats",
            persons(&self.max_seats, 1, MAX_PARTY),
        );
        let offer_hours = check(&mut e, m, "offer_hours", persons(&self.offer_hours, 1, 720));
        let reminder_days = if self.reminder_days.trim().is_empty() {
            Some(None)
        } else {
            check(
                &mut e,
                m,
                "reminder_days",
                persons(&self.reminder_days, 1, 7),
            )
            .map(Some)
        };
        let opens = local_instant(
            &mut e,
            m,
            ("opens_date", &self.opens_date),
            ("opens_time", &self.opens_time),
        );
        let closes = local_instant(
            &mut e,
            m,
            ("closes_date", &self.closes_date),
            ("closes_time", &self.closes_time),
        );
        if let (Some(Some(o)), Some(Some(c))) = (opens, closes)
            && c <= o
        {
            e.add("closes_date", field_error(m, &FieldError::EndBeforeStart));
        }
        match (max_seats, offer_hours, reminder_days, opens, closes) {
            (
                Some(max_seats),
                Some(offer_hours),
                Some(reminder_days),
                Some(opens_at),
                Some(closes_at),
            ) if e.is_empty() => Ok(Settings {
                max_seats,
                approval: self.approval,
                one_group: self.one_group,
                opens_at,
                closes_at,
                waitlist: self.waitlist,
                offer_hours,
                confirm_email: self.confirm_email,
                reminder_days,
            }),
            _ => Err(e),
        }
    }
}

/// A change of a session's own mode: the session, its mode before, after.
type ModeChange = (i64, Option<RegistrationMode>, Option<RegistrationMode>);

impl SettingsForm {
    /// The modes chosen for the sessions of `a` (as typed, to show them
    /// again), and the changes they make, or the errors beside their fields.
    fn modes(
        &self,
        m: &Messages,
        a: &Activity,
    ) -> (BTreeMap<i64, String>, Result<Vec<ModeChange>, FormErrors>) {
        let mut selected = BTreeMap::new();
        let mut changes = Vec::new();
        let mut errors = FormErrors::new();
        for s in &a.sessions {
            let field = format!("mode-{}", s.id);
            let v = self.fields.get(&field).map_or("", |v| v.trim());
            if v.is_empty() {
                continue;
            }
            selected.insert(s.id, v.to_owned());
            let mode = if v == INHERIT {
                Ok(None)
            } else {
                RegistrationMode::parse(v).map(Some)
            };
            match mode {
                Ok(mode) if mode != s.mode => changes.push((s.id, s.mode, mode)),
                Ok(_) => {}
                Err(e) => errors.add(&field, field_error(m, &e)),
            }
        }
        let changes = if errors.is_empty() {
            Ok(changes)
        } else {
            Err(errors)
        };
        (selected, changes)
    }
}

fn settings_json(s: &Settings) -> serde_json::Value {
    json!({"max_seats": s.max_seats, "approval": s.approval, "one_group": s.one_group,
           "opens_at": s.opens_at, "closes_at": s.closes_at, "waitlist": s.waitlist,
           "offer_hours": s.offer_hours, "confirm_email": s.confirm_email,
           "reminder_days": s.reminder_days})
}

/// A session's own mode in the settings form.
pub struct ModeRow {
    pub id: i64,
    pub when: String,
    pub choices: Vec<Choice>,
    pub error: Option<String>,
}

fn mode_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    std::iter::once(Choice::new(
        INHERIT,
        ctx.m.bt_mode_inherit,
        selected == INHERIT,
    ))
    .chain(
        RegistrationMode::ALL
            .iter()
            .map(|r| Choice::new(r.code(), r.label(ctx.locale), selected == r.code())),
    )
    .collect()
}

#[derive(Template)]
#[template(path = "bookings/team/settings.html")]
struct SettingsPage {
    l: Layout,
    a_id: i64,
    a_title: String,
    project_id: i64,
    project: String,
    activity_mode: &'static str,
    v: SettingsValues,
    modes: Vec<ModeRow>,
    errors: FormErrors,
    can_manage: bool,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    a: &Activity,
    (v, selected): (SettingsValues, BTreeMap<i64, String>),
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let project = projects::find(st.db.conn(), a.data.project_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let modes = a
        .sessions
        .iter()
        .map(|s| {
            let sel = selected.get(&s.id).cloned().unwrap_or_else(|| {
                s.mode
                    .map_or_else(|| INHERIT.to_owned(), |m| m.code().to_owned())
            });
            ModeRow {
                id: s.id,
                when: time::datetime(ctx.locale, s.data.starts_at),
                choices: mode_choices(ctx, &sel),
                error: errors.get(&format!("mode-{}", s.id)).map(str::to_owned),
            }
        })
        .collect();
    html_status(
        code,
        SettingsPage {
            l: ctx.layout(fill(ctx.m.bt_settings_title, &[("title", &a.data.title)])),
            a_id: a.id,
            a_title: a.data.title.clone(),
            project_id: project.id,
            project: project.data.name.clone(),
            activity_mode: a.registration.label(ctx.locale),
            v,
            modes,
            errors,
            can_manage: ctx.can(Action::ManageBookings),
        },
    )
}

async fn activity(st: &AppState, id: i64) -> Result<Activity, AppError> {
    activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /team/activities/{id}/bookings/settings`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = activity(&st, id).await?;
    let s = bookings::settings(st.db.conn(), id).await?;
    let values = (SettingsValues::of(&s), BTreeMap::new());
    page(&st, &ctx, &a, values, FormErrors::new(), StatusCode::OK).await
}

/// `POST /team/activities/{id}/bookings/settings`: the rules, and each
/// session's own mode (`mode-{session}`). Places that free up (a session
/// taking bookings again, a waiting list switched on…) are offered.
pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let a = activity(&st, id).await?;
    let (selected, modes) = form.modes(ctx.m, &a);
    let (settings, mode_changes) = match (form.values.parse(ctx.m), modes) {
        (Ok(s), Ok(m)) => (s, m),
        (rules, modes) => {
            let mut errors = rules.err().unwrap_or_default();
            for (f, msg) in modes.err().unwrap_or_default().fields() {
                errors.add(f, msg.clone());
            }
            let values = (form.values, selected);
            return page(
                &st,
                &ctx,
                &a,
                values,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let before = bookings::settings(st.db.conn(), id).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    bookings::save_settings(&tx, id, &settings, now).await?;
    for (session, _, mode) in &mode_changes {
        sessions::set_mode(&tx, *session, *mode, now).await?;
    }
    let mut offered = Vec::new();
    for s in &a.sessions {
        bookings::lock_session(&tx, s.id).await?;
        offered.extend(bookings::promote(&tx, s.id, now).await?);
    }
    notify_offers(&tx, &st, &offered).await?;
    record(
        &tx,
        &ctx,
        ("booking_settings", "activity", id),
        a.data.title.clone(),
        json!({"from": settings_json(&before), "to": settings_json(&settings),
               "modes": mode_changes.iter().map(|(s, from, to)| json!({
                   "session": s,
                   "from": from.map(|m| m.code()),
                   "to": to.map(|m| m.code()),
               })).collect::<Vec<_>>(),
               "offered": offered.iter().map(|o| o.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    if !offered.is_empty() {
        st.mail_wakeup.notify_one();
    }
    Ok(redirect_flash(
        &st,
        &format!("/team/activities/{id}/bookings/settings"),
        Flash::Saved,
    ))
}
