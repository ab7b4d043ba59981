//! Sessions of an activity: add one (date and times in Europe/Paris), add a
//! series ("every day at 10:00 and 14:00 from … to …"), change capacity and
//! status, delete. Times are converted to UTC with the Paris rules of that
//! day: a time the clocks skip in spring is refused; a time that happens
//! twice in autumn is the first one.

use super::activities::show::{Extra, page};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, check};
use crate::i18n::{field_error, fill};
use crate::shared::dates::{LocalTimeError, gap_message, paris_instant, parse_date, parse_time};
use crate::shared::records::{Audited, Entry, Record, Typed, deleted, found, saved, write};
use crate::state::AppState;
use crate::time;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use maillage_db::programme::activities::Activity;
use maillage_db::programme::sessions::{self, SessionData};
use maillage_domain::FieldError;
use maillage_domain::programme::SessionStatus;
use serde::Deserialize;
use serde_json::json;

/// The most sessions a series may create at once.
pub const MAX_SERIES: usize = 1000;

/// The add-a-session form as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SessionForm {
    #[serde(rename = "s_date")]
    pub date: String,
    #[serde(rename = "s_start")]
    pub start: String,
    #[serde(rename = "s_end")]
    pub end: String,
    #[serde(rename = "s_end_date")]
    pub end_date: String,
    #[serde(rename = "s_capacity")]
    pub capacity: String,
    #[serde(rename = "s_status")]
    pub status: String,
    /// A venue's id; empty: the activity's.
    #[serde(rename = "s_venue")]
    pub venue: String,
}

/// The series form as typed; `confirm` once its preview was seen.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SeriesForm {
    #[serde(rename = "r_from")]
    pub from: String,
    #[serde(rename = "r_to")]
    pub to: String,
    #[serde(rename = "r_times")]
    pub times: String,
    #[serde(rename = "r_duration")]
    pub duration: String,
    #[serde(rename = "r_weekdays")]
    pub weekdays: bool,
    #[serde(rename = "r_capacity")]
    pub capacity: String,
    #[serde(rename = "r_venue")]
    pub venue: String,
    pub confirm: bool,
}

/// A session's row on the activity page: capacity and status.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RowForm {
    capacity: String,
    status: String,
    venue: String,
}

/// What a series would create, shown before it is confirmed.
pub struct SeriesPreview {
    pub count: usize,
    pub first: String,
    pub last: String,
}

fn capacity(e: &mut FormErrors, m: &crate::i18n::Messages, field: &str, v: &str) -> Option<i32> {
    match v.trim() {
        "" => None,
        v => match v.parse::<i32>() {
            Ok(n) if (0..=100_000).contains(&n) => Some(n),
            Ok(_) => {
                e.add(
                    field,
                    field_error(
                        m,
                        &FieldError::OutOfRange {
                            min: 0,
                            max: 100_000,
                        },
                    ),
                );
                None
            }
            Err(_) => {
                e.add(field, field_error(m, &FieldError::InvalidNumber));
                None
            }
        },
    }
}

/// The place chosen for a session: a venue of the directory, `None` for
/// the activity's own (or an empty choice); an unknown one is an error on
/// `field`.
async fn venue_choice(
    st: &AppState,
    a: &Activity,
    e: &mut FormErrors,
    m: &crate::i18n::Messages,
    field: &str,
    raw: &str,
) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(id) if Some(id) == a.data.venue_id => Ok(None),
        Ok(id) if maillage_db::venues::find(st.db.conn(), id).await?.is_some() => Ok(Some(id)),
        _ => {
            e.add(field, field_error(m, &FieldError::InvalidChoice));
            Ok(None)
        }
    }
}

impl SessionForm {
    /// The session typed, in Europe/Paris.
    fn parse(&self, ctx: &Ctx) -> Result<SessionData, FormErrors> {
        let m = ctx.m;
        let mut e = FormErrors::new();
        let date = check(&mut e, m, "s_date", parse_date(&self.date));
        let start = check(&mut e, m, "s_start", parse_time(&self.start));
        let end = check(&mut e, m, "s_end", parse_time(&self.end));
        let end_date = match self.end_date.trim() {
            "" => date,
            v => check(&mut e, m, "s_end_date", parse_date(v)),
        };
        let cap = capacity(&mut e, m, "s_capacity", &self.capacity);
        let status = match self.status.trim() {
            "" => Some(SessionStatus::Scheduled),
            v => check(&mut e, m, "s_status", SessionStatus::parse(v)),
        };
        let mut at = |field: &str, d, t| match paris_instant(d, t) {
            Ok(x) => Some(x),
            Err(LocalTimeError::Gap) => {
                e.add(field, gap_message(m, d, t));
                None
            }
        };
        let starts_at = match (date, start) {
            (Some(d), Some(t)) => at("s_start", d, t),
            _ => None,
        };
        let ends_at = match (end_date, end) {
            (Some(d), Some(t)) => at("s_end", d, t),
            _ => None,
        };
        if let (Some(a), Some(b)) = (starts_at, ends_at)
            && b <= a
        {
            e.add("s_end", field_error(m, &FieldError::EndBeforeStart));
        }
        match (starts_at, ends_at, status) {
            (Some(starts_at), Some(ends_at), Some(status)) if e.is_empty() => Ok(SessionData {
                starts_at,
                ends_at,
                capacity: cap,
                status,
                venue_id: None,
            }),
            _ => Err(e),
        }
    }
}

/// `POST /team/programme/activities/{id}/sessions`: adds one session. An
/// overlap with another session of the same space is a warning shown on
/// the activity page, not a refusal.
pub async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<SessionForm>,
) -> Result<Response, AppError> {
    let a: Activity = found(&st, id).await?;
    let mut venue_errors = FormErrors::new();
    let venue = venue_choice(&st, &a, &mut venue_errors, ctx.m, "s_venue", &f.venue).await?;
    let parsed = f.parse(&ctx).and_then(|d| {
        if venue_errors.is_empty() {
            Ok(SessionData {
                venue_id: venue,
                ..d
            })
        } else {
            Err(FormErrors::new())
        }
    });
    let data = match parsed {
        Ok(d) => d,
        Err(mut errors) => {
            errors.extend(venue_errors);
            let x = Extra {
                session: f,
                session_errors: errors,
                ..Default::default()
            };
            return page(&st, &ctx, id, x, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let s = write(&st, &ctx, async |tx, now| {
        let s = sessions::insert(tx, id, &data, now).await?;
        let changes = json!({"session": s.id, "starts_at": data.starts_at, "ends_at": data.ends_at,
               "capacity": data.capacity, "status": data.status.code(), "venue": data.venue_id});
        let entry = Entry::new("add_session", Activity::ENTITY, id, a.summary(), changes);
        Ok::<_, AppError>(Audited::new(s, entry))
    })
    .await?;
    let to = format!("{}?added={}#session-{}", Activity::href(id), s.id, s.id);
    Ok(saved(&st, &to))
}

impl SeriesForm {
    /// The sessions of the series, in time order.
    pub fn parse(&self, ctx: &Ctx) -> Result<Vec<SessionData>, FormErrors> {
        let m = ctx.m;
        let mut e = FormErrors::new();
        let from = check(&mut e, m, "r_from", parse_date(&self.from));
        let to = check(&mut e, m, "r_to", parse_date(&self.to));
        if let (Some(a), Some(b)) = (from, to) {
            if b < a {
                e.add("r_to", field_error(m, &FieldError::EndBeforeStart));
            } else if (b - a).num_days() > 400 {
                e.add("r_to", fill(m.pt_err_series_too_long, &[("days", "400")]));
            }
        }
        let times = times(&mut e, m, &self.times);
        let duration = duration(&mut e, m, &self.duration);
        let cap = capacity(&mut e, m, "r_capacity", &self.capacity);
        if !e.is_empty() {
            return Err(e);
        }
        let (Some(from), Some(to), Some(duration)) = (from, to, duration) else {
            return Err(e);
        };
        let mut out = Vec::new();
        for day in from.iter_days().take_while(|d| *d <= to) {
            if self.weekdays && matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            for t in &times {
                match paris_instant(day, *t) {
                    Ok(starts_at) => out.push(SessionData {
                        starts_at,
                        ends_at: starts_at + Duration::minutes(duration),
                        capacity: cap,
                        status: SessionStatus::Scheduled,
                        venue_id: None,
                    }),
                    Err(LocalTimeError::Gap) => {
                        e.add("r_times", gap_message(m, day, *t));
                        return Err(e);
                    }
                }
                if out.len() > MAX_SERIES {
                    let max = MAX_SERIES.to_string();
                    e.add("r_to", fill(m.pt_err_series_too_many, &[("max", &max)]));
                    return Err(e);
                }
            }
        }
        if out.is_empty() {
            e.add("r_from", m.pt_err_series_empty);
            return Err(e);
        }
        Ok(out)
    }
}

/// The times of a series ("10:00, 14:00 et 16:30"), in order.
fn times(e: &mut FormErrors, m: &crate::i18n::Messages, raw: &str) -> Vec<NaiveTime> {
    let mut times: Vec<NaiveTime> = Vec::new();
    if raw.trim().is_empty() {
        e.add("r_times", field_error(m, &FieldError::Required));
    }
    for t in raw
        .split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != "et" && *t != "and")
    {
        match parse_time(t) {
            Ok(x) => times.push(x),
            Err(_) => {
                e.add("r_times", fill(m.pt_err_time, &[("value", t)]));
                break;
            }
        }
    }
    times.sort();
    times.dedup();
    times
}

/// The duration of each session of a series, in minutes.
fn duration(e: &mut FormErrors, m: &crate::i18n::Messages, raw: &str) -> Option<i64> {
    let error = match raw.trim().parse::<i64>() {
        Ok(n) if (1..=24 * 60).contains(&n) => return Some(n),
        Ok(_) => FieldError::OutOfRange {
            min: 1,
            max: 24 * 60,
        },
        Err(_) if raw.trim().is_empty() => FieldError::Required,
        Err(_) => FieldError::InvalidNumber,
    };
    e.add("r_duration", field_error(m, &error));
    None
}

fn label(ctx: &Ctx, t: DateTime<Utc>) -> String {
    time::datetime(ctx.locale, t)
}

/// `POST /team/programme/activities/{id}/series`: without `confirm`, shows
/// how many sessions the series makes; with it, creates them.
pub async fn series(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<SeriesForm>,
) -> Result<Response, AppError> {
    let a: Activity = found(&st, id).await?;
    let mut venue_errors = FormErrors::new();
    let venue = venue_choice(&st, &a, &mut venue_errors, ctx.m, "r_venue", &f.venue).await?;
    let parsed = f.parse(&ctx).and_then(|l| {
        if venue_errors.is_empty() {
            Ok(l.into_iter()
                .map(|d| SessionData {
                    venue_id: venue,
                    ..d
                })
                .collect::<Vec<_>>())
        } else {
            Err(FormErrors::new())
        }
    });
    let list = match parsed {
        Ok(l) => l,
        Err(mut errors) => {
            errors.extend(venue_errors);
            let x = Extra {
                series: f,
                series_errors: errors,
                ..Default::default()
            };
            return page(&st, &ctx, id, x, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if !f.confirm {
        let first = list.first().map(|s| label(&ctx, s.starts_at));
        let last = list.last().map(|s| label(&ctx, s.starts_at));
        let x = Extra {
            series: f,
            preview: Some(SeriesPreview {
                count: list.len(),
                first: first.unwrap_or_default(),
                last: last.unwrap_or_default(),
            }),
            ..Default::default()
        };
        return page(&st, &ctx, id, x, StatusCode::OK).await;
    }
    write(&st, &ctx, async |tx, now| {
        sessions::insert_many(tx, id, &list, now).await?;
        let entry = Entry::new(
            "add_sessions",
            Activity::ENTITY,
            id,
            format!("{} ({})", a.data.title, list.len()),
            json!({"count": list.len(), "venue": venue,
                   "first": list.first().map(|s| s.starts_at),
                   "last": list.last().map(|s| s.starts_at)}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let to = format!("{}#sessions-title", Activity::href(id));
    Ok(saved(&st, &to))
}

async fn session(st: &AppState, id: i64) -> Result<sessions::Session, AppError> {
    sessions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `POST /team/programme/sessions/{id}` with `capacity` and `status`.
pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<RowForm>,
) -> Result<Response, AppError> {
    let s = session(&st, id).await?;
    let a: Activity = found(&st, s.activity_id).await?;
    let mut e = FormErrors::new();
    let cap = capacity(&mut e, ctx.m, "capacity", &f.capacity);
    let venue = venue_choice(&st, &a, &mut e, ctx.m, "venue", &f.venue).await?;
    let status = SessionStatus::parse(&f.status).ok();
    let (true, Some(status)) = (e.is_empty(), status) else {
        let message = e
            .fields()
            .first()
            .map(|(_, msg)| msg.clone())
            .unwrap_or_else(|| field_error(ctx.m, &FieldError::InvalidChoice));
        let x = Extra {
            row_error: Some(message),
            ..Default::default()
        };
        return page(
            &st,
            &ctx,
            s.activity_id,
            x,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let data = SessionData {
        capacity: cap,
        status,
        venue_id: venue,
        ..s.data.clone()
    };
    let (offered, cancelled) = write(&st, &ctx, async |tx, now| {
        // Under the session's lock, so that bookings counted against the old
        // capacity cannot slip in between.
        maillage_db::bookings::lock_session(tx, id).await?;
        sessions::update(tx, id, &data, now).await?;
        // More places (or none counted any more): offer them to the waiting list.
        let offered = if cap != s.data.capacity {
            maillage_db::bookings::promote(tx, id, now).await?
        } else {
            Vec::new()
        };
        crate::shared::bookings::notify_offers(tx, &st, &offered).await?;
        // A cancelled session cancels its bookings, and the bookers are told.
        let cancelled = if status == SessionStatus::Cancelled && s.data.status != status {
            maillage_db::bookings::cancel_session(tx, id, now).await?
        } else {
            Vec::new()
        };
        for b in &cancelled {
            let mail = crate::mail::BookingMail::SessionCancelled;
            crate::shared::bookings::notify(tx, &st, mail, b).await?;
        }
        let entry = Entry::new(
            "update_session",
            Activity::ENTITY,
            s.activity_id,
            format!("#{id}"),
            json!({"session": id,
                   "capacity": {"from": s.data.capacity, "to": cap},
                   "status": {"from": s.data.status.code(), "to": status.code()},
                   "venue": {"from": s.data.venue_id, "to": venue},
                   "offered": offered.iter().map(|b| b.id).collect::<Vec<_>>(),
                   "bookings_cancelled": cancelled.iter().map(|b| b.id).collect::<Vec<_>>()}),
        );
        Ok::<_, AppError>(Audited::new((offered, cancelled), entry))
    })
    .await?;
    if !offered.is_empty() || !cancelled.is_empty() {
        st.mail_wakeup.notify_one();
    }
    let to = format!("{}#session-{id}", Activity::href(s.activity_id));
    Ok(saved(&st, &to))
}

/// `POST /team/programme/sessions/{id}/delete`.
pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = session(&st, id).await?;
    // Bookings are never lost by deleting their session: cancel it instead.
    let booked = maillage_db::bookings::active_count(st.db.conn(), &[id]).await?;
    if booked > 0 {
        let n = booked.to_string();
        let x = Extra {
            row_error: Some(fill(ctx.m.pt_session_has_bookings, &[("n", &n)])),
            ..Default::default()
        };
        return page(&st, &ctx, s.activity_id, x, StatusCode::CONFLICT).await;
    }
    write(&st, &ctx, async |tx, _| {
        sessions::delete(tx, id).await?;
        let entry = Entry::new(
            "delete_session",
            Activity::ENTITY,
            s.activity_id,
            format!("#{id}"),
            json!({"session": id, "starts_at": s.data.starts_at, "ends_at": s.data.ends_at}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let to = format!("{}#sessions-title", Activity::href(s.activity_id));
    Ok(deleted(&st, &to))
}
