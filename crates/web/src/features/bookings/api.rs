//! `POST /api/v1/sessions/{id}/bookings`: books places with the same rules
//! as the form, for partners' own websites. `201` when confirmed, `202` when
//! waitlisted (with the position), awaiting approval or the address's
//! confirmation; problem+json otherwise (`404`, `409` closed or full, `422`
//! invalid or too many seats, `429` over the rate limit).

use super::super::programme_api::timestamp;
use super::public::{BookForm, parse_request};
use super::{cached_place, notify_at, rate_limited, refusal_code, refusal_text};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::{field_error, fill};
use crate::mail::BookingMail;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use maillage_db::bookings::{self, Refusal};
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus};
use maillage_domain::{FieldError, FieldErrors, Locale};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The JSON a booking request carries. `seats` for individual bookings;
/// `pupils`, `adults`, `school`, `class_level` and `phone` for classes.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ApiBooking {
    name: String,
    email: String,
    phone: Option<String>,
    seats: Option<i64>,
    pupils: Option<i64>,
    adults: Option<i64>,
    school: Option<String>,
    school_commune: Option<String>,
    class_level: Option<String>,
    needs: Option<String>,
    /// `fr` or `en`: the language of the e-mails.
    locale: Option<String>,
}

#[derive(Serialize)]
struct Created {
    id: i64,
    session: i64,
    status: &'static str,
    persons: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u64>,
    /// The booker's personal page (to change or cancel): also sent by e-mail.
    manage_url: String,
}

fn problem(
    ctx: &Ctx,
    status: StatusCode,
    code: &str,
    title: &str,
    detail: String,
    errors: Option<&FieldErrors>,
) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
        "code": code,
    });
    if let Some(e) = errors {
        body["errors"] = e
            .iter()
            .map(|(f, e)| json!({"field": f, "code": e.code(), "message": field_error(ctx.m, e)}))
            .collect();
    }
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

fn number(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// `POST /api/v1/sessions/{id}/bookings`.
pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let Ok(session) = id.parse::<i64>() else {
        return Err(AppError::NotFound);
    };
    let req: ApiBooking = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return Ok(problem(
                &ctx,
                StatusCode::BAD_REQUEST,
                "invalid_json",
                m.error_bad_request_title,
                e.to_string(),
                None,
            ));
        }
    };
    // Read before the write transaction: the e-mail needs the activity, its
    // venue and the session; the rules are checked again under the lock.
    let place = cached_place(&st, session)
        .await?
        .filter(|p| p.rules.public)
        .ok_or(AppError::NotFound)?;
    let rules = &place.rules;
    let locale = req
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(ctx.locale);
    let refused = |r: Refusal| {
        let status = match r {
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::TooManySeats { .. } | Refusal::LargerThanSession { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            _ => StatusCode::CONFLICT,
        };
        let mut errors = FieldErrors::new();
        let field_errors = match r {
            Refusal::TooManySeats { max } => {
                errors.add(
                    "seats",
                    FieldError::OutOfRange {
                        min: 1,
                        max: i64::from(max),
                    },
                );
                Some(&errors)
            }
            _ => None,
        };
        problem(
            &ctx,
            status,
            refusal_code(r),
            m.error_invalid_title,
            refusal_text(m, ctx.locale, r),
            field_errors,
        )
    };
    let Some(kind) = rules.kind() else {
        return Ok(refused(Refusal::NotBookable));
    };
    if let Err(r) = rules.window(maillage_db::now()) {
        return Ok(refused(r));
    }
    let form = BookForm {
        name: req.name,
        email: req.email,
        phone: req.phone.unwrap_or_default(),
        seats: number(req.seats),
        consent: Some("api".into()),
        website: String::new(),
        organisation_id: String::new(),
        school_name: req.school.unwrap_or_default(),
        school_commune: req.school_commune.unwrap_or_default(),
        class_level: req.class_level.unwrap_or_default(),
        pupils: number(req.pupils),
        adults: number(req.adults),
        needs: req.needs.unwrap_or_default(),
    };
    // Too many seats is a refusal of its own, not a typing error.
    if kind == BookingKind::Seats
        && let Some(n) = req.seats
        && n > i64::from(rules.settings.max_seats)
    {
        return Ok(refused(Refusal::TooManySeats {
            max: rules.settings.max_seats,
        }));
    }
    let parsed = match parse_request(
        kind,
        &form,
        locale,
        rules.settings.max_seats,
        BookingSource::Api,
    ) {
        Ok(r) => r,
        Err(e) => {
            return Ok(problem(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                m.error_invalid_title,
                m.error_invalid.to_owned(),
                Some(&e),
            ));
        }
    };
    if let Some(wait) = rate_limited(&st, ctx.ip.as_deref()) {
        let mut res = problem(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            m.error_too_many_title,
            fill(m.bk_err_rate, &[("seconds", &wait.to_string())]),
            None,
        );
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let b = match bookings::book(&tx, session, &parsed, now).await? {
        Ok(b) => b,
        Err(r) => return Ok(refused(r)),
    };
    let position = notify_at(&tx, &st, BookingMail::Received, &b, &place).await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    let status = if b.status == BookingStatus::Confirmed {
        StatusCode::CREATED
    } else {
        StatusCode::ACCEPTED
    };
    let manage_url = format!("{}/reservation/{}", st.config.base_url, b.secret);
    let mut res = (
        status,
        serde_json::to_string(&Created {
            id: b.id,
            session,
            status: b.status.code(),
            persons: b.seats,
            position,
            manage_url: manage_url.clone(),
        })
        .map_err(AppError::internal)?,
    )
        .into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&manage_url) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// The live booking figures of a session, for `GET /api/v1/sessions/{id}`.
#[derive(Serialize)]
pub(crate) struct Availability {
    /// Persons holding places (confirmed, awaiting approval or confirmation,
    /// or with an offer of freed places).
    pub booked: i64,
    /// Free places (null when the capacity is unlimited).
    pub available: Option<i64>,
    /// Persons on the waiting list.
    pub waitlisted: i64,
    pub booking: BookingInfo,
}

#[derive(Serialize)]
pub(crate) struct BookingInfo {
    /// `none`, `booking` (seats), `groups` (classes) or `external`.
    pub mode: &'static str,
    /// Does the session take bookings now?
    pub open: bool,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// Most seats one individual booking may hold.
    pub max_seats: Option<i32>,
    pub waitlist: bool,
    pub waitlisted_entries: i64,
    /// Where to post a booking (null when the session is not booked here).
    pub url: Option<String>,
}

pub(crate) async fn availability(st: &AppState, session: i64) -> Result<Availability, AppError> {
    let rules = bookings::bookable(st.db.conn(), session)
        .await?
        .ok_or(AppError::NotFound)?;
    let counts = bookings::counts(st.db.conn(), session).await?;
    let kind = rules.kind();
    Ok(Availability {
        booked: counts.held,
        available: counts.available(rules.capacity),
        waitlisted: counts.waitlisted,
        booking: BookingInfo {
            mode: rules.mode.code(),
            open: kind.is_some() && rules.window(maillage_db::now()).is_ok(),
            opens_at: rules.settings.opens_at.map(timestamp),
            closes_at: kind.map(|_| timestamp(rules.closes_at())),
            max_seats: (kind == Some(BookingKind::Seats)).then_some(rules.settings.max_seats),
            waitlist: rules.settings.waitlist,
            waitlisted_entries: counts.waitlisted_entries,
            url: kind.map(|_| format!("{}/api/v1/sessions/{session}/bookings", st.config.base_url)),
        },
    })
}
