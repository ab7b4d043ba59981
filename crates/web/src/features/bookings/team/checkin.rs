//! The check-in page used at the door (team and partner): who came of each
//! confirmed booking, or that nobody did, undone if need be, and walk-ins
//! counted by kind.

use super::overview::Figures;
use super::{Viewer, booked_text, came_text, expected, school_text, session_title, summary};
use crate::ctx::Layout;
use crate::error::AppError;
use crate::features::bookings::refusal_text;
use crate::i18n::{Messages, field_error};
use crate::shared::audit::record;
use crate::shared::html_status;
use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::bookings::{self, Refusal};
use maillage_domain::booking::{BookingKind, BookingStatus, MAX_PARTY, persons};
use serde::Deserialize;
use serde_json::json;

/// Counts typed at the door, as typed (to show them again).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HeadcountForm {
    pub pupils: String,
    pub adults: String,
    pub public: String,
}

/// Persons who came, by kind: each from 0 to [`MAX_PARTY`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Headcount {
    pupils: i32,
    adults: i32,
    public: i32,
}

impl Headcount {
    fn total(self) -> i32 {
        self.pupils + self.adults + self.public
    }

    fn json(self) -> serde_json::Value {
        json!({"pupils": self.pupils, "adults": self.adults, "public": self.public})
    }
}

/// A count typed at the door: empty means none.
fn count(m: &Messages, label: &str, v: &str) -> Result<i32, String> {
    if v.trim().is_empty() {
        return Ok(0);
    }
    persons(v, 0, MAX_PARTY).map_err(|e| format!("{label}{}{}", m.colon, field_error(m, &e)))
}

impl HeadcountForm {
    /// The counts, or what is wrong with them in one line (each count
    /// named).
    fn parse(&self, m: &Messages) -> Result<Headcount, String> {
        match (
            count(m, m.bt_pupils, &self.pupils),
            count(m, m.bt_adults, &self.adults),
            count(m, m.bt_public, &self.public),
        ) {
            (Ok(pupils), Ok(adults), Ok(public)) => Ok(Headcount {
                pupils,
                adults,
                public,
            }),
            (x, y, z) => Err([x.err(), y.err(), z.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")),
        }
    }
}

/// What the door says of a booking.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
enum Op {
    /// Nobody came.
    #[serde(rename = "noshow")]
    NoShow,
    /// These came (the counts typed): `came`, or anything else.
    #[default]
    #[serde(other)]
    Came,
}

/// The check-in form of a booking: `op` and the counts.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckInForm {
    op: Op,
    #[serde(flatten)]
    counts: HeadcountForm,
}

pub struct CheckinRow {
    pub id: i64,
    pub name: String,
    pub detail: String,
    pub booked: String,
    pub group: bool,
    pub pupils: i32,
    pub adults: i32,
    pub public: i32,
    pub checked: bool,
    pub came: String,
}

/// A walk-in recorded at the door (it can be removed if recorded by mistake).
pub struct WalkInRow {
    pub id: i64,
    pub came: String,
}

#[derive(Template)]
#[template(path = "bookings/team/checkin.html")]
struct CheckinPage {
    walk_ins: Vec<WalkInRow>,
    l: Layout,
    base: &'static str,
    sid: i64,
    title: String,
    f: Figures,
    todo: usize,
    rows: Vec<CheckinRow>,
    walk_in: HeadcountForm,
    error: Option<String>,
}

/// The check-in page, with the walk-in form as typed and `error` on top
/// when something was refused.
async fn page(
    v: &Viewer,
    id: i64,
    (walk_in, error): (HeadcountForm, Option<String>),
    code: StatusCode,
) -> Result<Response, AppError> {
    let ctx = &v.ctx;
    let c = v.st.db.conn();
    let p = v.session(id).await?;
    let counts = bookings::counts(c, id).await?;
    let all = bookings::of_session(c, id).await?;
    let walk_ins: Vec<WalkInRow> = all
        .iter()
        .filter(|b| b.kind == BookingKind::WalkIn)
        .map(|b| WalkInRow {
            id: b.id,
            came: came_text(ctx.m, b),
        })
        .collect();
    let mut list = expected(all);
    list.sort_by_key(|b| (b.checked_in_at.is_some(), b.name.to_lowercase()));
    let rows: Vec<CheckinRow> = list
        .iter()
        .map(|b| {
            let group = b.kind == BookingKind::Group;
            let (pupils, adults, public) = if b.checked_in_at.is_some() {
                (
                    b.came_pupils.unwrap_or(0),
                    b.came_adults.unwrap_or(0),
                    b.came_public.unwrap_or(0),
                )
            } else if group {
                (b.pupils, b.adults, 0)
            } else {
                (0, 0, b.seats)
            };
            CheckinRow {
                id: b.id,
                name: b.name.clone(),
                detail: school_text(b),
                booked: booked_text(ctx.m, b),
                group,
                pupils,
                adults,
                public,
                checked: b.checked_in_at.is_some(),
                came: came_text(ctx.m, b),
            }
        })
        .collect();
    let title = session_title(ctx, &p);
    html_status(
        code,
        CheckinPage {
            l: ctx.layout(title.clone()),
            base: v.side.base(),
            sid: id,
            title,
            f: Figures::of(p.rules.capacity, &counts),
            todo: rows.iter().filter(|r| !r.checked).count(),
            rows,
            walk_ins,
            walk_in,
            error,
        },
    )
}

/// `GET /team/sessions/{id}/checkin` and the partner's.
pub async fn show(v: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    let form = (HeadcountForm::default(), None);
    page(&v, id, form, StatusCode::OK).await
}

/// `POST /team/bookings/{id}/checkin` (and the partner's) with `pupils`,
/// `adults`, `public` and `op` (`came`, or `noshow` to record that nobody
/// came).
pub async fn check_in(
    v: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<CheckInForm>,
) -> Result<Response, AppError> {
    let (st, ctx) = (&v.st, &v.ctx);
    let (b, p) = v.booking(id).await?;
    let again = |error: String| {
        let form = (HeadcountForm::default(), Some(error));
        page(&v, b.session_id, form, StatusCode::UNPROCESSABLE_ENTITY)
    };
    if b.kind == BookingKind::WalkIn || b.status != BookingStatus::Confirmed {
        return again(refusal_text(ctx.m, ctx.locale, Refusal::WrongStatus)).await;
    }
    let came = match form.op {
        Op::NoShow => Headcount::default(),
        Op::Came => match form.counts.parse(ctx.m) {
            Ok(n) => n,
            Err(msg) => return again(format!("{} — {msg}", b.name)).await,
        },
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    bookings::check_in(&tx, id, came.pupils, came.adults, came.public, now).await?;
    let mut changes = came.json();
    changes["session"] = json!(b.session_id);
    record(
        &tx,
        ctx,
        ("check_in", "booking", id),
        summary(&b, &p),
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(v.back(b.session_id, "checkin", &format!("b-{id}")))
}

/// `POST /team/bookings/{id}/checkin/undo` and the partner's.
pub async fn undo(v: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (b, p) = v.booking(id).await?;
    let now = maillage_db::now();
    let tx = v.st.db.write().await?;
    if bookings::undo_check_in(&tx, id, now).await? {
        record(
            &tx,
            &v.ctx,
            ("undo_check_in", "booking", id),
            summary(&b, &p),
            json!({"session": b.session_id, "was": {"pupils": b.came_pupils,
                   "adults": b.came_adults, "public": b.came_public}}),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(v.back(b.session_id, "checkin", &format!("b-{id}")))
}

/// `POST /team/sessions/{id}/walkin` (and the partner's) with `pupils`,
/// `adults` and `public`.
pub async fn walk_in(
    v: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<HeadcountForm>,
) -> Result<Response, AppError> {
    let ctx = &v.ctx;
    let p = v.session(id).await?;
    let came = match form.parse(ctx.m) {
        Ok(n) if n.total() > 0 => n,
        other => {
            let error = other.err().unwrap_or_else(|| ctx.m.bt_walk_in_empty.into());
            let form = (form, Some(error));
            return page(&v, id, form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = maillage_db::now();
    let tx = v.st.db.write().await?;
    let w = bookings::walk_in(&tx, id, came.pupils, came.adults, came.public, now).await?;
    let mut changes = came.json();
    changes["booking"] = json!(w.id);
    record(
        &tx,
        ctx,
        ("walk_in", "session", id),
        session_title(ctx, &p),
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(v.back(id, "checkin", "walk-in"))
}
