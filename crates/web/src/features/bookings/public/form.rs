//! The booking form of a session: individual seats, or a class with its
//! school, level and accompanying adults. What is typed is checked into a
//! booking request (the JSON API checks its requests the same way), the
//! school against the directory, then booked under the session's lock.

use super::super::{Place, cached_place, notify_at, rate_limited, refusal_text};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors};
use crate::i18n::{field_error, fill};
use crate::mail::{BookingMail, session_when};
use crate::shared::{html, html_status, redirect};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::bookings::{self, Refusal, Request};
use maillage_db::organisations;
use maillage_domain::booking::{BookingKind, BookingSource, ClassLevel, MAX_PARTY, persons};
use maillage_domain::field::single_line;
use maillage_domain::{Email, FieldError, FieldErrors, Locale, PersonName};
use serde::Deserialize;

/// What the booking form sends (kept as typed, to show it again).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BookForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub seats: String,
    pub consent: Option<String>,
    /// The honeypot: hidden from people, filled by some robots.
    pub website: String,
    pub organisation_id: String,
    pub school_name: String,
    pub school_commune: String,
    pub class_level: String,
    pub pupils: String,
    pub adults: String,
    pub needs: String,
}

fn optional(s: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        Ok(None)
    } else {
        single_line(t, 1, max).map(Some)
    }
}

fn multiline(s: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(FieldError::TooLong { max });
    }
    Ok(Some(t.replace("\r\n", "\n")))
}

/// Checks what a booker typed (form or API) against the session's kind of
/// booking. Schools are checked against the directory by the caller.
pub(crate) fn parse_request(
    kind: BookingKind,
    f: &BookForm,
    locale: Locale,
    max_seats: i32,
    source: BookingSource,
) -> Result<Request, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = e.check("name", PersonName::parse(&f.name));
    let email = e.check("email", Email::parse(&f.email));
    let phone = if kind == BookingKind::Group {
        e.check("phone", maillage_domain::directory::phone(&f.phone))
            .map(Some)
    } else if f.phone.trim().is_empty() {
        Some(None)
    } else {
        e.check("phone", maillage_domain::directory::phone(&f.phone))
            .map(Some)
    };
    let mut req = Request {
        kind,
        seats: 0,
        pupils: 0,
        adults: 0,
        name: name.map(PersonName::into_inner).unwrap_or_default(),
        email: email.map(Email::into_inner).unwrap_or_default(),
        phone: phone.flatten(),
        locale,
        organisation_id: None,
        school_name: None,
        school_commune: None,
        class_level: None,
        needs: None,
        source,
    };
    match kind {
        BookingKind::Group => {
            req.pupils = e
                .check("pupils", persons(&f.pupils, 1, MAX_PARTY))
                .unwrap_or(0);
            req.adults = e
                .check(
                    "adults",
                    persons(
                        if f.adults.trim().is_empty() {
                            "0"
                        } else {
                            &f.adults
                        },
                        0,
                        50,
                    ),
                )
                .unwrap_or(0);
            req.class_level = e.check("class_level", ClassLevel::parse(&f.class_level));
            req.organisation_id = f.organisation_id.trim().parse().ok();
            req.school_name = e
                .check("school_name", optional(&f.school_name, 200))
                .flatten();
            req.school_commune = e
                .check("school_commune", optional(&f.school_commune, 100))
                .flatten();
            if req.organisation_id.is_none() && req.school_name.is_none() {
                e.add("organisation_id", FieldError::Required);
            }
            req.needs = e.check("needs", multiline(&f.needs, 2000)).flatten();
        }
        BookingKind::Seats | BookingKind::WalkIn => {
            req.seats = e
                .check("seats", persons(&f.seats, 1, max_seats.max(1)))
                .unwrap_or(0);
        }
    }
    e.into_result().map(|()| req)
}

#[derive(Template)]
#[template(path = "bookings/public/form.html")]
struct FormPage {
    l: Layout,
    activity_title: String,
    activity_href: String,
    action: String,
    when: String,
    venue: Option<String>,
    availability: String,
    /// Why the form is not shown (closed, not yet open…).
    closed: Option<String>,
    notes: Vec<String>,
    class: bool,
    /// Full: the button puts the booker on the waiting list.
    full: bool,
    v: BookForm,
    errors: FormErrors,
    schools: Vec<Choice>,
    levels: Vec<Choice>,
    seats_hint: String,
    privacy: String,
    consent_error: Option<String>,
}

#[derive(Deserialize)]
pub struct FormPath {
    slug: String,
    activity: String,
    session: i64,
}

/// The session, if it belongs to this public activity of this project.
async fn public_place(st: &AppState, p: &FormPath) -> Result<std::sync::Arc<Place>, AppError> {
    let place = cached_place(st, p.session)
        .await?
        .ok_or(AppError::NotFound)?;
    if !place.rules.public
        || place.project.data.slug != p.slug
        || place.activity.data.slug != p.activity
    {
        return Err(AppError::NotFound);
    }
    Ok(place)
}

async fn form_page(
    st: &AppState,
    ctx: &Ctx,
    place: &Place,
    v: BookForm,
    errors: FormErrors,
    consent_error: Option<String>,
) -> Result<FormPage, AppError> {
    let m = ctx.m;
    let now = maillage_db::now();
    let counts = bookings::counts(st.db.conn(), place.session.id).await?;
    let rules = &place.rules;
    let available = counts.available(rules.capacity);
    let full = available == Some(0)
        || (rules.settings.one_group
            && rules.kind() == Some(BookingKind::Group)
            && counts.groups > 0);
    let closed = match rules.kind() {
        None => Some(m.bk_not_bookable.to_owned()),
        Some(_) => match rules.window(now) {
            Err(r) => Some(refusal_text(m, ctx.locale, r)),
            Ok(()) if full && !rules.settings.waitlist => Some(m.bk_full_closed.to_owned()),
            Ok(()) => None,
        },
    };
    let one_group_taken =
        rules.settings.one_group && rules.kind() == Some(BookingKind::Group) && counts.groups > 0;
    let availability = match (available, rules.capacity) {
        _ if one_group_taken => m.bk_one_group_taken.to_owned(),
        (Some(n), Some(c)) => fill(
            m.bk_places_left,
            &[("n", &n.to_string()), ("capacity", &c.to_string())],
        ),
        _ => m.bk_places_unlimited.to_owned(),
    };
    let class = rules.kind() == Some(BookingKind::Group);
    let mut notes = Vec::new();
    if full && closed.is_none() {
        notes.push(m.bk_full_waitlist.to_owned());
    }
    if class && rules.settings.one_group {
        notes.push(m.bk_one_group_note.to_owned());
    }
    if class && rules.settings.approval {
        notes.push(m.bk_approval_note.to_owned());
    }
    let schools = if class {
        organisations::schools(st.db.conn())
            .await?
            .into_iter()
            .map(|(id, name, commune)| {
                let commune = crate::shared::places::commune_label(commune.as_deref());
                let label = if commune.is_empty() {
                    name
                } else {
                    format!("{name}, {commune}")
                };
                Choice::new(id.to_string(), label, v.organisation_id == id.to_string())
            })
            .collect()
    } else {
        Vec::new()
    };
    let levels = ClassLevel::ALL
        .iter()
        .map(|l| Choice::new(l.code(), l.label(ctx.locale), v.class_level == l.code()))
        .collect();
    Ok(FormPage {
        l: ctx.layout(fill(m.bk_title, &[("title", &place.activity.data.title)])),
        activity_title: place.activity.data.title.clone(),
        activity_href: place.activity_path(),
        action: place.booking_path(),
        when: session_when(ctx.locale, place.session.data.starts_at),
        venue: place.venue_text(),
        availability,
        closed,
        notes,
        class,
        full,
        v,
        errors,
        schools,
        levels,
        seats_hint: fill(
            m.bk_seats_hint,
            &[("max", &rules.settings.max_seats.to_string())],
        ),
        privacy: fill(
            m.bk_privacy,
            &[("months", &st.config.booking_retention_months.to_string())],
        ),
        consent_error,
    })
}

/// The school chosen from the directory (`organisation_id`): its name and
/// commune go in the request unless typed; an error when it is not a school.
async fn school_from_directory(
    st: &AppState,
    req: &mut Request,
) -> Result<Result<(), FieldError>, AppError> {
    let Some(id) = req.organisation_id else {
        return Ok(Ok(()));
    };
    match organisations::find(st.db.conn(), id).await? {
        Some(o) if o.kind == maillage_domain::directory::OrgKind::School => {
            req.school_name.get_or_insert_with(|| o.name().to_owned());
            if req.school_commune.is_none() {
                req.school_commune = o.data.commune_insee.clone();
            }
            Ok(Ok(()))
        }
        _ => Ok(Err(FieldError::InvalidChoice)),
    }
}

/// Why the booking was refused, on top of the form, and beside the number
/// of persons when there are too many.
fn refusal_errors(ctx: &Ctx, kind: BookingKind, r: Refusal) -> FormErrors {
    let text = refusal_text(ctx.m, ctx.locale, r);
    let mut e = FormErrors::general(text.clone());
    if matches!(
        r,
        Refusal::TooManySeats { .. } | Refusal::LargerThanSession { .. }
    ) {
        let field = if kind == BookingKind::Group {
            "pupils"
        } else {
            "seats"
        };
        e.add(field, text);
    }
    e
}

/// `GET /p/{slug}/a/{activity}/s/{session}/reserver`: the booking form.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(p): Path<FormPath>,
) -> Result<Response, AppError> {
    let place = public_place(&st, &p).await?;
    let mut v = BookForm::default();
    if place.rules.kind() == Some(BookingKind::Seats) {
        v.seats = "1".into();
    }
    html(form_page(&st, &ctx, &place, v, FormErrors::new(), None).await?)
}

/// `POST /p/{slug}/a/{activity}/s/{session}/reserver`: books, then shows the
/// booking's personal page.
pub async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(p): Path<FormPath>,
    Form(f): Form<BookForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let place = public_place(&st, &p).await?;
    let again = |errors: FormErrors, consent: Option<String>, status: StatusCode| {
        let st = st.clone();
        let ctx = ctx.clone();
        let f = f.clone();
        let place = &place;
        async move {
            html_status(
                status,
                form_page(&st, &ctx, place, f, errors, consent).await?,
            )
        }
    };
    if !f.website.trim().is_empty() {
        return again(
            FormErrors::general(m.bk_honeypot_filled),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let Some(kind) = place.rules.kind() else {
        return again(
            FormErrors::general(m.bk_not_bookable),
            None,
            StatusCode::CONFLICT,
        )
        .await;
    };
    let parsed = parse_request(
        kind,
        &f,
        ctx.locale,
        place.rules.settings.max_seats,
        BookingSource::Form,
    );
    let consent = f
        .consent
        .is_none()
        .then(|| m.bk_consent_required.to_owned());
    let mut req = match parsed {
        Ok(r) if consent.is_none() => r,
        Ok(_) => return again(FormErrors::new(), consent, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => {
            return again(
                FormErrors::from_fields(m, &e),
                consent,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if let Err(e) = school_from_directory(&st, &mut req).await? {
        let mut errors = FormErrors::new();
        errors.add("organisation_id", field_error(m, &e));
        return again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if let Some(wait) = rate_limited(&tx, &st, ctx.ip.as_deref(), now).await? {
        tx.commit().await?;
        return again(
            FormErrors::general(fill(m.bk_err_rate, &[("seconds", &wait.to_string())])),
            None,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let b = match bookings::book(&tx, place.session.id, &req, now).await? {
        Ok(b) => b,
        Err(r) => {
            // The attempt counts; nothing else was written.
            tx.commit().await?;
            let e = refusal_errors(&ctx, kind, r);
            return again(e, None, StatusCode::CONFLICT).await;
        }
    };
    notify_at(&tx, &st, BookingMail::Received, &b, &place).await?;
    if b.status == maillage_domain::booking::BookingStatus::Pending {
        crate::shared::team_mail::class_request(&tx, &st, &b, &place).await?;
    }
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect(
        &format!("/reservation/{}?fait={}", b.link_secret(), b.status.code()),
        [],
    ))
}
