//! `POST /api/v1/sessions/{id}/bookings`: books places with the same rules
//! as the form, for partners' own websites. `201` when confirmed, `202` when
//! waitlisted (with the position), awaiting approval or the address's
//! confirmation; problem+json otherwise (`404`, `409` closed or full, `422`
//! invalid or too many seats, `429` over the rate limit).

use super::public::{BookForm, parse_request};
use super::{cached_place, notify_at, rate_limited, refusal_code, refusal_text};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldProblem, Problem};
use crate::i18n::{field_error, fill};
use crate::mail::BookingMail;
use crate::shared::api::{self as openapi, vocab};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use maillage_db::bookings::{self, Refusal};
use maillage_domain::booking::{BookingKind, BookingSource, BookingStatus};
use maillage_domain::{FieldError, FieldErrors, Locale};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{OpenApi, ToSchema};

/// The operations of this file, for the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(create))]
pub(crate) struct ApiDoc;

/// A booking. Individual seats: `name`, `email`, `seats`. A class: `name`
/// (the teacher), `email`, `phone`, `pupils`, `adults`, `school`,
/// `class_level`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = BookingRequest)]
struct ApiBooking {
    /// Full name (the teacher's, for a class).
    #[serde(default)]
    #[schema(required = true)]
    name: String,
    /// Where the confirmation and the personal link go.
    #[serde(default)]
    #[schema(required = true, format = Email)]
    email: String,
    /// Phone number (required for classes).
    phone: Option<String>,
    /// Number of seats (individual bookings).
    #[schema(minimum = 1)]
    seats: Option<i64>,
    /// Pupils (classes).
    #[schema(minimum = 1)]
    pupils: Option<i64>,
    /// Accompanying adults (classes).
    #[schema(minimum = 0)]
    adults: Option<i64>,
    /// The school's name (classes).
    school: Option<String>,
    /// The school's commune (classes).
    school_commune: Option<String>,
    #[schema(value_type = Option<vocab::ClassLevel>)]
    class_level: Option<String>,
    /// Particular needs (classes).
    needs: Option<String>,
    /// Language of the e-mails (default: that of the request).
    #[schema(value_type = Option<vocab::Locale>)]
    locale: Option<String>,
}

/// A booking recorded.
#[derive(Serialize, ToSchema)]
#[schema(as = BookingCreated)]
struct Created {
    /// Identifier of the booking.
    #[schema(minimum = 1)]
    id: i64,
    /// The session booked.
    #[schema(minimum = 1)]
    session: i64,
    #[schema(schema_with = created_status)]
    status: &'static str,
    /// Persons counted against the capacity.
    #[schema(minimum = 1)]
    persons: i32,
    /// Position on the waiting list.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = u64, minimum = 1)]
    position: Option<u64>,
    /// The booker's personal page (see, change, cancel); also sent by e-mail.
    #[schema(format = "uri")]
    manage_url: String,
}

fn created_status() -> Object {
    use BookingStatus::*;
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(
            [Confirmed, Waitlisted, Pending, Unconfirmed].map(BookingStatus::code),
        ))
        .description(Some(
            "`confirmed` (201); `waitlisted`, `pending` (awaiting approval) or `unconfirmed` \
             (awaiting the address's confirmation, places held 30 minutes) (202).",
        ))
        .build()
}

fn problem(
    ctx: &Ctx,
    status: StatusCode,
    code: &str,
    title: &str,
    detail: String,
    errors: Option<&FieldErrors>,
) -> Response {
    let mut problem = Problem::new(status, title, detail);
    problem.code = Some(code.to_owned());
    problem.errors = errors
        .into_iter()
        .flat_map(|e| e.iter())
        .map(|(f, e)| FieldProblem {
            field: f.to_owned(),
            code: e.code().to_owned(),
            message: field_error(ctx.m, e),
        })
        .collect();
    problem.into_response()
}

fn number(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Book places
///
/// Books places on a session with the same rules as the booking form, for
/// partners' own websites. No token is needed. When the session is full the
/// booking goes on the waiting list, in order of arrival. The booker
/// receives an e-mail with a personal link to see, change or cancel the
/// booking.
#[utoipa::path(
    post,
    path = "/api/v1/sessions/{id}/bookings",
    operation_id = "createBooking",
    tag = "bookings",
    params(("id" = i64, Path, description = "The session's identifier.")),
    request_body(content = ApiBooking, content_type = "application/json"),
    responses(
        (status = 201, description = "Booked: the places are confirmed.", body = Created),
        (status = 202, body = Created, description = "Recorded on the waiting list (with its \
            position), awaiting approval, or awaiting the address's confirmation."),
        (status = 400, body = Problem, content_type = "application/problem+json",
            description = "The body is not valid JSON for this operation."),
        (status = 404, response = openapi::NotFound),
        (status = 409, body = Problem, content_type = "application/problem+json",
            description = "Not booked now: `closed`, `not_yet_open`, `full` (no waiting \
            list), `not_bookable`, `wrong_kind`."),
        (status = 422, body = Problem, content_type = "application/problem+json",
            description = "Refused: `too_many_seats`, `larger_than_session`, or `invalid` \
            with one entry per field in `errors`."),
        (status = 429, body = Problem, content_type = "application/problem+json",
            description = "Too many booking requests from this address (see `Retry-After`)."),
    ),
    extensions(("x-link" = json!("session_bookings")))
)]
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
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if let Some(wait) = rate_limited(&tx, &st, ctx.ip.as_deref(), now).await? {
        tx.commit().await?;
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
    let b = match bookings::book(&tx, session, &parsed, now).await? {
        Ok(b) => b,
        Err(r) => {
            // The attempt counts; nothing else was written.
            tx.commit().await?;
            return Ok(refused(r));
        }
    };
    let position = notify_at(&tx, &st, BookingMail::Received, &b, &place).await?;
    if b.status == BookingStatus::Pending {
        crate::shared::team_mail::class_request(&tx, &st, &b, &place).await?;
    }
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    let status = if b.status == BookingStatus::Confirmed {
        StatusCode::CREATED
    } else {
        StatusCode::ACCEPTED
    };
    let manage_url = format!("{}/reservation/{}", st.config.base_url, b.link_secret());
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
