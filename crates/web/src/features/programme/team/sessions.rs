//! Sessions of an activity: add one (date and times in Europe/Paris), add a
//! series ("every day at 10:00 and 14:00 from … to …"), change capacity and
//! status, delete. Times are converted to UTC with the Paris rules of that
//! day: a time the clocks skip in spring is refused; a time that happens
//! twice in autumn is the first one.

use super::activities::{Extra, show_page};
use crate::ctx::{Ctx, Flash};
use crate::error::AppError;
use crate::forms::check;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::{field_error, fill};
use crate::shared::audit::record;
use crate::shared::dates::{LocalTimeError, gap_message, paris_instant, parse_date, parse_time};
use crate::shared::redirect_flash;
use crate::state::AppState;
use crate::time;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use maillage_db::programme::activities;
use maillage_db::programme::sessions::{self, SessionData};
use maillage_domain::FieldError;
use maillage_domain::programme::SessionStatus;
use serde_json::json;

/// The most sessions a series may create at once.
pub const MAX_SERIES: usize = 1000;

/// The add-a-session form as typed.
#[derive(Default, Clone)]
pub struct SessionValues {
    pub date: String,
    pub start: String,
    pub end: String,
    pub end_date: String,
    pub capacity: String,
    pub status: String,
}

/// The series form as typed.
#[derive(Default, Clone)]
pub struct SeriesValues {
    pub from: String,
    pub to: String,
    pub times: String,
    pub duration: String,
    pub weekdays: bool,
    pub capacity: String,
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

/// Parses the add-a-session form.
fn parse_session(ctx: &Ctx, p: &Pairs) -> Result<SessionData, FormErrors> {
    let m = ctx.m;
    let mut e = FormErrors::new();
    let date = check(&mut e, m, "s_date", parse_date(p.get("s_date")));
    let start = check(&mut e, m, "s_start", parse_time(p.get("s_start")));
    let end = check(&mut e, m, "s_end", parse_time(p.get("s_end")));
    let end_date = match p.get("s_end_date").trim() {
        "" => date,
        v => check(&mut e, m, "s_end_date", parse_date(v)),
    };
    let cap = capacity(&mut e, m, "s_capacity", p.get("s_capacity"));
    let status = match p.get("s_status").trim() {
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
        }),
        _ => Err(e),
    }
}

fn session_values(p: &Pairs) -> SessionValues {
    SessionValues {
        date: p.get("s_date").into(),
        start: p.get("s_start").into(),
        end: p.get("s_end").into(),
        end_date: p.get("s_end_date").into(),
        capacity: p.get("s_capacity").into(),
        status: p.get("s_status").into(),
    }
}

/// `POST /team/programme/activities/{id}/sessions`: adds one session. An
/// overlap with another session of the same space is a warning shown on
/// the activity page, not a refusal.
pub async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match parse_session(&ctx, &p) {
        Ok(d) => d,
        Err(errors) => {
            return show_page(
                &st,
                &ctx,
                id,
                Extra {
                    session: session_values(&p),
                    session_errors: errors,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let s = sessions::insert(&tx, id, &data, now).await?;
    record(
        &tx,
        &ctx,
        ("add_session", "activity", id),
        a.data.title.clone(),
        json!({"session": s.id, "starts_at": data.starts_at, "ends_at": data.ends_at,
               "capacity": data.capacity, "status": data.status.code()}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!(
            "/team/programme/activities/{id}?added={}#session-{}",
            s.id, s.id
        ),
        Flash::Saved,
    ))
}

fn series_values(p: &Pairs) -> SeriesValues {
    SeriesValues {
        from: p.get("r_from").into(),
        to: p.get("r_to").into(),
        times: p.get("r_times").into(),
        duration: p.get("r_duration").into(),
        weekdays: p.checked("r_weekdays"),
        capacity: p.get("r_capacity").into(),
    }
}

/// The sessions of a series form, in time order.
pub fn parse_series(ctx: &Ctx, p: &Pairs) -> Result<Vec<SessionData>, FormErrors> {
    let m = ctx.m;
    let mut e = FormErrors::new();
    let from = check(&mut e, m, "r_from", parse_date(p.get("r_from")));
    let to = check(&mut e, m, "r_to", parse_date(p.get("r_to")));
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            e.add("r_to", field_error(m, &FieldError::EndBeforeStart));
        } else if (b - a).num_days() > 400 {
            e.add("r_to", fill(m.pt_err_series_too_long, &[("days", "400")]));
        }
    }
    let mut times: Vec<NaiveTime> = Vec::new();
    let raw = p.get("r_times");
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
    let duration = match p.get("r_duration").trim().parse::<i64>() {
        Ok(n) if (1..=24 * 60).contains(&n) => Some(n),
        Ok(_) => {
            e.add(
                "r_duration",
                field_error(
                    m,
                    &FieldError::OutOfRange {
                        min: 1,
                        max: 24 * 60,
                    },
                ),
            );
            None
        }
        Err(_) if p.get("r_duration").trim().is_empty() => {
            e.add("r_duration", field_error(m, &FieldError::Required));
            None
        }
        Err(_) => {
            e.add("r_duration", field_error(m, &FieldError::InvalidNumber));
            None
        }
    };
    let cap = capacity(&mut e, m, "r_capacity", p.get("r_capacity"));
    let weekdays_only = p.checked("r_weekdays");
    if !e.is_empty() {
        return Err(e);
    }
    let (Some(from), Some(to), Some(duration)) = (from, to, duration) else {
        return Err(e);
    };
    let mut out = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        if weekdays_only && matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for t in &times {
            match paris_instant(day, *t) {
                Ok(starts_at) => out.push(SessionData {
                    starts_at,
                    ends_at: starts_at + Duration::minutes(duration),
                    capacity: cap,
                    status: SessionStatus::Scheduled,
                }),
                Err(LocalTimeError::Gap) => {
                    e.add("r_times", gap_message(m, day, *t));
                    return Err(e);
                }
            }
            if out.len() > MAX_SERIES {
                e.add(
                    "r_to",
                    fill(
                        m.pt_err_series_too_many,
                        &[("max", &MAX_SERIES.to_string())],
                    ),
                );
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

fn label(ctx: &Ctx, t: DateTime<Utc>) -> String {
    time::datetime(ctx.locale, t)
}

/// `POST /team/programme/activities/{id}/series`: without `confirm`, shows
/// how many sessions the series makes; with it, creates them.
pub async fn series(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let a = activities::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = match parse_series(&ctx, &p) {
        Ok(l) => l,
        Err(errors) => {
            return show_page(
                &st,
                &ctx,
                id,
                Extra {
                    series: series_values(&p),
                    series_errors: errors,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if !p.checked("confirm") {
        let preview = SeriesPreview {
            count: list.len(),
            first: list
                .first()
                .map(|s| label(&ctx, s.starts_at))
                .unwrap_or_default(),
            last: list
                .last()
                .map(|s| label(&ctx, s.starts_at))
                .unwrap_or_default(),
        };
        return show_page(
            &st,
            &ctx,
            id,
            Extra {
                series: series_values(&p),
                preview: Some(preview),
                ..Default::default()
            },
            StatusCode::OK,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    sessions::insert_many(&tx, id, &list, now).await?;
    record(
        &tx,
        &ctx,
        ("add_sessions", "activity", id),
        format!("{} ({})", a.data.title, list.len()),
        json!({"count": list.len(),
               "first": list.first().map(|s| s.starts_at),
               "last": list.last().map(|s| s.starts_at)}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/activities/{id}#sessions-title"),
        Flash::Saved,
    ))
}

/// `POST /team/programme/sessions/{id}` with `capacity` and `status`.
pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    p: Pairs,
) -> Result<Response, AppError> {
    let s = sessions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut e = FormErrors::new();
    let cap = capacity(&mut e, ctx.m, "capacity", p.get("capacity"));
    let status = SessionStatus::parse(p.get("status")).ok();
    let (true, Some(status)) = (e.is_empty(), status) else {
        let message = e
            .fields()
            .first()
            .map(|(_, msg)| msg.clone())
            .unwrap_or_else(|| field_error(ctx.m, &FieldError::InvalidChoice));
        return show_page(
            &st,
            &ctx,
            s.activity_id,
            Extra {
                row_error: Some(message),
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let data = SessionData {
        capacity: cap,
        status,
        ..s.data.clone()
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    // Under the session's lock, so that bookings counted against the old
    // capacity cannot slip in between.
    maillage_db::bookings::lock_session(&tx, id).await?;
    sessions::update(&tx, id, &data, now).await?;
    // More places (or none counted any more): offer them to the waiting list.
    let offered = if cap != s.data.capacity {
        maillage_db::bookings::promote(&tx, id, now).await?
    } else {
        Vec::new()
    };
    crate::shared::bookings::notify_offers(&tx, &st, &offered).await?;
    // A cancelled session cancels its bookings, and the bookers are told.
    let cancelled = if status == SessionStatus::Cancelled && s.data.status != status {
        maillage_db::bookings::cancel_session(&tx, id, now).await?
    } else {
        Vec::new()
    };
    for b in &cancelled {
        crate::shared::bookings::notify(&tx, &st, crate::mail::BookingMail::SessionCancelled, b)
            .await?;
    }
    record(
        &tx,
        &ctx,
        ("update_session", "activity", s.activity_id),
        format!("#{id}"),
        json!({"session": id,
               "capacity": {"from": s.data.capacity, "to": cap},
               "status": {"from": s.data.status.code(), "to": status.code()},
               "offered": offered.iter().map(|b| b.id).collect::<Vec<_>>(),
               "bookings_cancelled": cancelled.iter().map(|b| b.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    if !offered.is_empty() || !cancelled.is_empty() {
        st.mail_wakeup.notify_one();
    }
    Ok(redirect_flash(
        &st,
        &format!("/team/programme/activities/{}#session-{id}", s.activity_id),
        Flash::Saved,
    ))
}

/// `POST /team/programme/sessions/{id}/delete`.
pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = sessions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Bookings are never lost by deleting their session: cancel it instead.
    let booked = maillage_db::bookings::active_count(st.db.conn(), &[id]).await?;
    if booked > 0 {
        return show_page(
            &st,
            &ctx,
            s.activity_id,
            Extra {
                row_error: Some(crate::i18n::fill(
                    ctx.m.pt_session_has_bookings,
                    &[("n", &booked.to_string())],
                )),
                ..Default::default()
            },
            StatusCode::CONFLICT,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    sessions::delete(&tx, id).await?;
    record(
        &tx,
        &ctx,
        ("delete_session", "activity", s.activity_id),
        format!("#{id}"),
        json!({"session": id, "starts_at": s.data.starts_at, "ends_at": s.data.ends_at}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!(
            "/team/programme/activities/{}#sessions-title",
            s.activity_id
        ),
        Flash::Deleted,
    ))
}
