//! The planning of a venue (and of each of its spaces): the sessions of a
//! week or of a day, with a warning when two sessions overlap in one space.
//! Plain HTML tables, computed on the server.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::shared::dates::{paris_instant, parse_date};
use crate::shared::html;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::programme::sessions::{self, PlannedSession};
use maillage_db::venues;
use maillage_domain::programme::{ActivityStatus, SessionStatus};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Another session overlapping one, as a warning shows it.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub activity_id: i64,
    pub title: String,
    pub when: String,
}

fn counts(s: &PlannedSession) -> bool {
    s.session.data.status != SessionStatus::Cancelled
        && s.activity_status != ActivityStatus::Cancelled
        && s.space_id.is_some()
}

/// For each session id, the other sessions of the same space that overlap
/// it (`list` in time order, as [`sessions::at_venue`] returns it). Cancelled
/// sessions and activities do not count, nor a village des sciences against
/// the activities under it or those against each other.
pub fn conflicts(ctx: &Ctx, list: &[PlannedSession]) -> BTreeMap<i64, Vec<Conflict>> {
    let mut out: BTreeMap<i64, Vec<Conflict>> = BTreeMap::new();
    let describe = |s: &PlannedSession| Conflict {
        activity_id: s.session.activity_id,
        title: s.activity_title.clone(),
        when: crate::features::programme::public::when(
            ctx.locale,
            s.session.data.starts_at,
            s.session.data.ends_at,
        ),
    };
    for (i, a) in list.iter().enumerate() {
        if !counts(a) {
            continue;
        }
        for b in &list[i + 1..] {
            if b.session.data.starts_at >= a.session.data.ends_at {
                break;
            }
            // A village des sciences and the activities under it (stands
            // side by side in one hall) share their place by design.
            let nested = a.parent_id == Some(b.session.activity_id)
                || b.parent_id == Some(a.session.activity_id)
                || (a.parent_id.is_some() && a.parent_id == b.parent_id);
            if counts(b)
                && !nested
                && b.space_id == a.space_id
                && b.session.data.ends_at > a.session.data.starts_at
            {
                out.entry(a.session.id).or_default().push(describe(b));
                out.entry(b.session.id).or_default().push(describe(a));
            }
        }
    }
    out
}

#[derive(Template)]
#[template(path = "programme/team/planning_index.html")]
struct IndexPage {
    l: Layout,
    venues: Vec<(i64, String)>,
}

/// `GET /team/programme/planning`: the venues, each with its planning.
pub async fn index(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    html(IndexPage {
        l: ctx.layout(ctx.m.pt_planning),
        venues: venues::names(st.db.conn()).await?,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlanningQuery {
    pub view: String,
    pub date: String,
    pub space: String,
}

pub struct PlanRow {
    pub session_id: i64,
    pub activity_id: i64,
    pub title: String,
    pub time: String,
    pub space: String,
    pub status: &'static str,
    pub cancelled: bool,
    pub conflicts: Vec<Conflict>,
}

pub struct DayGroup {
    pub label: String,
    pub iso: String,
    pub rows: Vec<PlanRow>,
}

#[derive(Template)]
#[template(path = "programme/team/planning.html")]
struct PlanningPage {
    l: Layout,
    venue_id: i64,
    venue_name: String,
    week: bool,
    caption: String,
    date: String,
    spaces: Vec<Choice>,
    days: Vec<DayGroup>,
    prev: String,
    next: String,
    other_view: String,
    conflict_count: usize,
}

/// `GET /team/programme/venues/{id}/planning?view=week|day&date=…&space=…`.
pub async fn venue(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PlanningQuery>,
) -> Result<Response, AppError> {
    let v = venues::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = Utc::now().with_timezone(&Paris).date_naive();
    let date = parse_date(&q.date).unwrap_or(today);
    let week = q.view != "day";
    let first = if week {
        date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
    } else {
        date
    };
    let n_days = if week { 7 } else { 1 };
    let last = first + Duration::days(n_days);
    let midnight = NaiveTime::MIN;
    let (Ok(from), Ok(to)) = (
        paris_instant(first, midnight),
        paris_instant(last, midnight),
    ) else {
        return Err(AppError::BadRequest(None));
    };
    let space: Option<i64> = q.space.trim().parse().ok();
    let list = sessions::at_venue(st.db.conn(), id, from, to).await?;
    let mut conflicts = conflicts(&ctx, &list);
    let conflict_count = list
        .iter()
        .filter(|s| space.is_none_or(|sp| s.space_id == Some(sp)))
        .filter(|s| conflicts.contains_key(&s.session.id))
        .count();
    let space_name = |sid: Option<i64>| {
        sid.and_then(|sid| v.spaces.iter().find(|s| s.id == sid))
            .map(|s| s.data.name.clone())
            .unwrap_or_else(|| ctx.m.pt_whole_venue.to_owned())
    };
    let mut days: Vec<DayGroup> = (0..n_days)
        .map(|i| {
            let d = first + Duration::days(i);
            DayGroup {
                label: time::long_date(ctx.locale, d),
                iso: d.to_string(),
                rows: Vec::new(),
            }
        })
        .collect();
    for s in &list {
        if space.is_some_and(|sp| s.space_id != Some(sp)) {
            continue;
        }
        let start = s.session.data.starts_at.with_timezone(&Paris);
        let end = s.session.data.ends_at.with_timezone(&Paris);
        // A session that began before the period is listed on its first day.
        let day = start.date_naive().max(first);
        let Some(group) = days.iter_mut().find(|g| g.iso == day.to_string()) else {
            continue;
        };
        let time = if start.date_naive() == end.date_naive() {
            format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
        } else {
            format!(
                "{} {} → {} {}",
                start.format("%d/%m"),
                start.format("%H:%M"),
                end.format("%d/%m"),
                end.format("%H:%M")
            )
        };
        group.rows.push(PlanRow {
            session_id: s.session.id,
            activity_id: s.session.activity_id,
            title: s.activity_title.clone(),
            time,
            space: space_name(s.space_id),
            status: s.session.data.status.label(ctx.locale),
            cancelled: s.session.data.status == SessionStatus::Cancelled
                || s.activity_status == ActivityStatus::Cancelled,
            conflicts: conflicts.remove(&s.session.id).unwrap_or_default(),
        });
    }
    let link = |view: &str, d: NaiveDate| {
        let mut url = format!("/team/programme/venues/{id}/planning?view={view}&date={d}");
        if let Some(sp) = space {
            url.push_str(&format!("&space={sp}"));
        }
        url
    };
    let view = if week { "week" } else { "day" };
    let step = Duration::days(n_days);
    let caption = if week {
        crate::i18n::fill(
            ctx.m.pt_week_of,
            &[("date", &time::long_date(ctx.locale, first))],
        )
    } else {
        time::long_date(ctx.locale, first)
    };
    let title = format!("{} — {}", ctx.m.pt_planning, v.data.name);
    html(PlanningPage {
        l: ctx.layout(title),
        venue_id: id,
        venue_name: v.data.name.clone(),
        week,
        caption,
        date: date.to_string(),
        spaces: v
            .spaces
            .iter()
            .map(|s| Choice::new(s.id.to_string(), s.data.name.clone(), Some(s.id) == space))
            .collect(),
        days,
        prev: link(view, first - step),
        next: link(view, first + step),
        other_view: if week {
            link("day", date)
        } else {
            link("week", date)
        },
        conflict_count,
    })
}
