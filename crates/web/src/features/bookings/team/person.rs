//! A person's bookings, found by e-mail address, for requests about their
//! data: see them, export everything stored as JSON, or erase it.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::bookings::{notify_offers, place};
use crate::forms::FormErrors;
use crate::shared::audit::record;
use crate::shared::personal::{self, PersonForm};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maillage_db::audit;
use maillage_db::bookings::{self, Booking};
use serde::Serialize;
use serde_json::json;

/// A request about a person's bookings ([`personal::Person`]). A request
/// whose address is not one gets the search form again, the error beside
/// the field and what was typed kept.
pub struct Person(personal::Person);

pub struct PersonRow {
    pub id: i64,
    pub session_id: i64,
    pub activity: String,
    pub when: String,
    pub status: &'static str,
    pub persons: i32,
    pub name: String,
    pub anonymised: bool,
}

#[derive(Template)]
#[template(path = "bookings/team/person.html")]
struct PersonPage {
    l: Layout,
    email: String,
    errors: FormErrors,
    rows: Option<Vec<PersonRow>>,
}

fn page(
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    rows: Option<Vec<PersonRow>>,
    code: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        code,
        PersonPage {
            l: ctx.layout(ctx.m.bt_person_title),
            email,
            errors,
            rows,
        },
    )
}

/// `GET /team/bookings/person`: the search form.
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
    page(&ctx, String::new(), FormErrors::new(), None, StatusCode::OK)
}

impl FromRequest<AppState> for Person {
    type Rejection = Response;

    async fn from_request(req: Request, st: &AppState) -> Result<Person, Response> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, st)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(f) = Form::<PersonForm>::from_request(Request::from_parts(parts, body), st)
            .await
            .map_err(IntoResponse::into_response)?;
        f.check(ctx.m).map(Person).map_err(|(typed, e)| {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&ctx, typed, e, None, status).into_response()
        })
    }
}

/// The bookings of `email`, each with its session if it is still there.
async fn of_email(
    st: &AppState,
    email: &str,
) -> Result<Vec<(Booking, Option<super::Place>)>, AppError> {
    let c = st.db.conn();
    let mut out = Vec::new();
    for b in bookings::of_email(c, email).await? {
        let p = place(c, b.session_id).await?;
        out.push((b, p));
    }
    Ok(out)
}

/// The bookings of `email`, with the forms to export and erase them.
async fn results(
    st: &AppState,
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let rows = of_email(st, &email)
        .await?
        .into_iter()
        .map(|(b, p)| PersonRow {
            id: b.id,
            session_id: b.session_id,
            activity: p
                .as_ref()
                .map(|p| p.activity.data.title.clone())
                .unwrap_or_default(),
            when: p
                .as_ref()
                .map(|p| time::datetime(ctx.locale, p.session.data.starts_at))
                .unwrap_or_default(),
            status: b.status.label(ctx.locale),
            persons: b.seats,
            anonymised: b.anonymised_at.is_some(),
            name: b.name,
        })
        .collect();
    page(ctx, email, errors, Some(rows), code)
}

/// `POST /team/bookings/person` with `email`: that address's bookings.
pub async fn lookup(
    State(st): State<AppState>,
    ctx: Ctx,
    person: Person,
) -> Result<Response, AppError> {
    let ok = StatusCode::OK;
    results(&st, &ctx, person.0.email, FormErrors::new(), ok).await
}

/// A booking in a person's data export.
#[derive(Serialize)]
struct BookingExport {
    id: i64,
    activity: Option<String>,
    session_starts_at: Option<DateTime<Utc>>,
    kind: &'static str,
    status: &'static str,
    seats: i32,
    pupils: i32,
    adults: i32,
    name: String,
    email: String,
    phone: Option<String>,
    school_name: Option<String>,
    school_commune: Option<String>,
    class_level: Option<&'static str>,
    needs: Option<String>,
    note: Option<String>,
    source: String,
    created_at: DateTime<Utc>,
    checked_in_at: Option<DateTime<Utc>>,
    came_pupils: Option<i32>,
    came_adults: Option<i32>,
    came_public: Option<i32>,
    anonymised_at: Option<DateTime<Utc>>,
}

impl BookingExport {
    fn of(b: Booking, p: Option<&super::Place>) -> BookingExport {
        BookingExport {
            id: b.id,
            activity: p.map(|p| p.activity.data.title.clone()),
            session_starts_at: p.map(|p| p.session.data.starts_at),
            kind: b.kind.code(),
            status: b.status.code(),
            seats: b.seats,
            pupils: b.pupils,
            adults: b.adults,
            name: b.name,
            email: b.email,
            phone: b.phone,
            school_name: b.school_name,
            school_commune: b.school_commune,
            class_level: b.class_level.map(|l| l.code()),
            needs: b.needs,
            note: b.note,
            source: b.source.code().to_owned(),
            created_at: b.created_at,
            checked_in_at: b.checked_in_at,
            came_pupils: b.came_pupils,
            came_adults: b.came_adults,
            came_public: b.came_public,
            anonymised_at: b.anonymised_at,
        }
    }
}

#[derive(Serialize)]
struct PersonExport {
    email: String,
    exported_at: DateTime<Utc>,
    bookings: Vec<BookingExport>,
}

/// `POST /team/bookings/person/export` with `email`: everything stored
/// about that address's bookings, as JSON.
pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    person: Person,
) -> Result<Response, AppError> {
    let email = person.0.email;
    let out: Vec<BookingExport> = of_email(&st, &email)
        .await?
        .into_iter()
        .map(|(b, p)| BookingExport::of(b, p.as_ref()))
        .collect();
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        &ctx,
        ("export_data", "booking_person", 0),
        format!("{} bookings", out.len()),
        json!({"bookings": out.iter().map(|b| b.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    let body = serde_json::to_vec_pretty(&PersonExport {
        email,
        exported_at: now,
        bookings: out,
    })
    .map_err(AppError::internal)?;
    Ok(crate::shared::download::download(
        body,
        "application/json",
        "bookings-person.json",
    ))
}

/// `POST /team/bookings/person/erase` with `email` and `confirm`: the
/// person's data leave their bookings (counts stay); their active bookings
/// of sessions to come are cancelled and the places offered.
pub async fn erase(
    State(st): State<AppState>,
    ctx: Ctx,
    person: Person,
) -> Result<Response, AppError> {
    let personal::Person { email, confirm } = person.0;
    if !confirm {
        let mut e = FormErrors::new();
        e.add("confirm", ctx.m.bt_erase_confirm_missing);
        return results(&st, &ctx, email, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let ids: Vec<i64> = bookings::of_email(&tx, &email)
        .await?
        .iter()
        .map(|b| b.id)
        .collect();
    let (n, offered) = bookings::erase_email(&tx, &email, now).await?;
    for id in &ids {
        audit::redact(&tx, "booking", &id.to_string()).await?;
    }
    notify_offers(&tx, &st, &offered).await?;
    record(
        &tx,
        &ctx,
        ("erase", "booking_person", 0),
        format!("{n} bookings"),
        json!({"bookings": ids, "offered": offered.iter().map(|o| o.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    if !offered.is_empty() {
        st.mail_wakeup.notify_one();
    }
    Ok(redirect_flash(&st, "/team/bookings/person", Flash::Erased))
}
