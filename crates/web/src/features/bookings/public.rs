//! The public booking forms (individual seats, classes) and the personal
//! page of a booking reached by its secret link: see it, confirm the
//! address, accept offered places, change the number of seats, cancel.
//! Everything works without JavaScript.

use super::{
    Place, cached_place, notify, notify_at, notify_offers, place, rate_limited, refusal_text,
};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors};
use crate::i18n::{Messages, field_error, fill};
use crate::mail::{BookingMail, booking_persons, session_when};
use crate::shared::{html, html_status, redirect};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maillage_db::bookings::{self, Booking, Refusal, Request};
use maillage_db::organisations;
use maillage_domain::booking::{
    BookingKind, BookingSource, BookingStatus, ClassLevel, MAX_PARTY, persons,
};
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

/// `GET /p/{slug}/a/{activity}/s/{session}/reserver`: the booking form.
pub async fn form(
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
    if let Some(id) = req.organisation_id {
        match organisations::find(st.db.conn(), id).await? {
            Some(o) if o.kind == maillage_domain::directory::OrgKind::School => {
                req.school_name.get_or_insert_with(|| o.name().to_owned());
                if req.school_commune.is_none() {
                    req.school_commune = o.data.commune_insee.clone();
                }
            }
            _ => {
                let mut e = FormErrors::new();
                e.add(
                    "organisation_id",
                    field_error(m, &FieldError::InvalidChoice),
                );
                return again(e, None, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    }
    if let Some(wait) = rate_limited(&st, ctx.ip.as_deref()) {
        return again(
            FormErrors::general(fill(m.bk_err_rate, &[("seconds", &wait.to_string())])),
            None,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let b = match bookings::book(&tx, place.session.id, &req, now).await? {
        Ok(b) => b,
        Err(r) => {
            drop(tx);
            let mut e = FormErrors::general(refusal_text(m, ctx.locale, r));
            if matches!(
                r,
                Refusal::TooManySeats { .. } | Refusal::LargerThanSession { .. }
            ) {
                e.add(
                    if kind == BookingKind::Group {
                        "pupils"
                    } else {
                        "seats"
                    },
                    refusal_text(m, ctx.locale, r),
                );
            }
            return again(e, None, StatusCode::CONFLICT).await;
        }
    };
    notify_at(&tx, &st, BookingMail::Received, &b, &place).await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect(
        &format!("/reservation/{}?fait={}", b.secret, b.status.code()),
        [],
    ))
}

#[derive(Template)]
#[template(path = "bookings/public/manage.html")]
struct ManagePage {
    l: Layout,
    secret: String,
    done: Option<String>,
    error: Option<String>,
    activity_title: String,
    activity_href: String,
    when: String,
    venue: Option<String>,
    persons: String,
    class_line: Option<String>,
    status: &'static str,
    position: Option<String>,
    offer: Option<String>,
    hold: Option<String>,
    can_change: bool,
    can_cancel: bool,
    waitlisted: bool,
    holds: bool,
    seats: String,
    seats_hint: String,
    seats_error: Option<String>,
    cancel_error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    fait: String,
}

fn done_text(m: &Messages, code: &str) -> Option<String> {
    Some(
        match code {
            "confirmed" => m.bk_done_confirmed,
            "pending" => m.bk_done_pending,
            "unconfirmed" => m.bk_done_unconfirmed,
            "waitlisted" => m.bk_done_waitlisted,
            "changed" => m.bk_done_changed,
            "cancelled" => m.bk_done_cancelled,
            "accepted" => m.bk_done_accepted,
            "offer-expired" => m.bk_done_offer_expired,
            _ => return None,
        }
        .to_owned(),
    )
}

async fn booking_of(st: &AppState, secret: &str) -> Result<Booking, AppError> {
    bookings::find_by_secret(st.db.conn(), secret)
        .await?
        .filter(|b| b.anonymised_at.is_none() && b.kind != BookingKind::WalkIn)
        .ok_or(AppError::NotFound)
}

struct Problems {
    error: Option<String>,
    seats: Option<String>,
    cancel: Option<String>,
}

async fn manage_page(
    st: &AppState,
    ctx: &Ctx,
    b: &Booking,
    done: Option<String>,
    problems: Problems,
    seats_value: Option<String>,
) -> Result<ManagePage, AppError> {
    let m = ctx.m;
    let place = place(st.db.conn(), b.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = maillage_db::now();
    let open = place.rules.window(now).is_ok();
    let position = if b.status == BookingStatus::Waitlisted {
        Some(fill(
            m.bk_position,
            &[("n", &bookings::position(st.db.conn(), b).await?.to_string())],
        ))
    } else {
        None
    };
    let class_line = (b.kind == BookingKind::Group).then(|| {
        fill(
            m.bk_class_of,
            &[
                ("level", b.class_level.map_or("", |l| l.label(ctx.locale))),
                ("pupils", &b.pupils.to_string()),
                ("adults", &b.adults.to_string()),
            ],
        )
    });
    Ok(ManagePage {
        l: ctx.layout(m.bk_manage_title),
        secret: b.secret.clone(),
        done,
        error: problems.error,
        activity_title: place.activity.data.title.clone(),
        activity_href: place.activity_path(),
        when: session_when(ctx.locale, place.session.data.starts_at),
        venue: place.venue_text(),
        persons: booking_persons(&Booking {
            locale: ctx.locale,
            ..b.clone()
        }),
        class_line,
        status: b.status.label(ctx.locale),
        position,
        offer: (b.status == BookingStatus::Offered)
            .then_some(b.offer_expires_at)
            .flatten()
            .map(|t| fill(m.bk_offer_until, &[("when", &session_when(ctx.locale, t))])),
        hold: (b.status == BookingStatus::Unconfirmed)
            .then_some(b.hold_expires_at)
            .flatten()
            .map(|t| fill(m.bk_hold_until, &[("when", &crate::time::time(t))])),
        can_change: open && b.kind == BookingKind::Seats && b.status.is_active(),
        can_cancel: b.status.is_active() && now < place.session.data.starts_at,
        waitlisted: b.status == BookingStatus::Waitlisted,
        holds: b.status.holds_places(),
        seats: seats_value.unwrap_or_else(|| b.seats.to_string()),
        seats_hint: fill(
            m.bk_seats_hint,
            &[("max", &place.rules.settings.max_seats.to_string())],
        ),
        seats_error: problems.seats,
        cancel_error: problems.cancel,
    })
}

/// `GET /reservation/{secret}`: the booking's personal page.
pub async fn manage(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let b = booking_of(&st, &secret).await?;
    let page = manage_page(
        &st,
        &ctx,
        &b,
        done_text(ctx.m, &q.fait),
        Problems {
            error: None,
            seats: None,
            cancel: None,
        },
        None,
    )
    .await?;
    let mut res = html(page)?;
    // A secret link: keep it out of shared caches and referrers.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ManageForm {
    seats: String,
    confirm: Option<String>,
}

/// `POST /reservation/{secret}/{action}`: `confirmer` (the address),
/// `accepter` (offered places), `places` (change the number), `annuler`.
pub async fn act(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((secret, action)): Path<(String, String)>,
    Form(f): Form<ManageForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let b = booking_of(&st, &secret).await?;
    let now = maillage_db::now();
    let again = |problems: Problems, seats: Option<String>| {
        let st = st.clone();
        let ctx = ctx.clone();
        let b = b.clone();
        async move {
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                manage_page(&st, &ctx, &b, None, problems, seats).await?,
            )
        }
    };
    let back = |done: &str| {
        Ok(redirect(
            &format!("/reservation/{}?fait={done}", b.secret),
            [],
        ))
    };
    let tx = st.db.write().await?;
    let done = match action.as_str() {
        "confirmer" => match bookings::confirm_address(&tx, &b, now).await? {
            Some(status) => {
                let b2 = Booking {
                    status,
                    ..b.clone()
                };
                notify(&tx, &st, BookingMail::Received, &b2).await?;
                status.code()
            }
            None => {
                drop(tx);
                return again(
                    Problems {
                        error: Some(m.bk_err_status.to_owned()),
                        seats: None,
                        cancel: None,
                    },
                    None,
                )
                .await;
            }
        },
        "accepter" => match bookings::accept_offer(&tx, &b, now).await? {
            Ok(status) => {
                let b2 = Booking {
                    status,
                    ..b.clone()
                };
                let kind = if status == BookingStatus::Pending {
                    BookingMail::Received
                } else {
                    BookingMail::Approved
                };
                notify(&tx, &st, kind, &b2).await?;
                "accepted"
            }
            Err(offered) => {
                notify_offers(&tx, &st, &offered).await?;
                tx.commit().await?;
                return back("offer-expired");
            }
        },
        "places" => {
            let seats = match persons(&f.seats, 1, MAX_PARTY) {
                Ok(n) => n,
                Err(e) => {
                    drop(tx);
                    return again(
                        Problems {
                            error: None,
                            seats: Some(field_error(m, &e)),
                            cancel: None,
                        },
                        Some(f.seats.clone()),
                    )
                    .await;
                }
            };
            match bookings::change_seats(&tx, &b, seats, now).await? {
                Ok(offered) => {
                    notify_offers(&tx, &st, &offered).await?;
                    "changed"
                }
                Err(r) => {
                    drop(tx);
                    return again(
                        Problems {
                            error: None,
                            seats: Some(refusal_text(m, ctx.locale, r)),
                            cancel: None,
                        },
                        Some(f.seats.clone()),
                    )
                    .await;
                }
            }
        }
        "annuler" => {
            if f.confirm.is_none() {
                drop(tx);
                return again(
                    Problems {
                        error: None,
                        seats: None,
                        cancel: Some(m.bk_cancel_confirm_missing.to_owned()),
                    },
                    None,
                )
                .await;
            }
            match bookings::cancel(&tx, &b, now).await? {
                Some(offered) => {
                    let b2 = Booking {
                        status: BookingStatus::Cancelled,
                        ..b.clone()
                    };
                    notify(&tx, &st, BookingMail::Cancelled, &b2).await?;
                    notify_offers(&tx, &st, &offered).await?;
                    "cancelled"
                }
                None => "cancelled",
            }
        }
        _ => return Err(AppError::NotFound),
    };
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    back(done)
}

/// `GET /reservation/{secret}/seance.ics`: the booked session for a calendar.
pub async fn ics(
    State(st): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let b = booking_of(&st, &secret).await?;
    let place = place(st.db.conn(), b.session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        place.ics(&st.config.base_url),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "bookings/public/lookup.html")]
struct LookupPage {
    l: Layout,
    email: String,
    errors: FormErrors,
    sent: bool,
}

/// `GET /reservation`: "I lost my link".
pub async fn lookup_form(ctx: Ctx) -> Result<Response, AppError> {
    html(LookupPage {
        l: ctx.layout(ctx.m.bk_lookup_title),
        email: String::new(),
        errors: FormErrors::new(),
        sent: false,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LookupForm {
    email: String,
}

/// `POST /reservation`: e-mails the personal links of the bookings still to
/// come made with this address. The page says the same whether there are
/// some or not, so it tells nobody who booked what.
pub async fn lookup(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LookupForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let page = |errors: FormErrors, sent: bool, status: StatusCode| {
        html_status(
            status,
            LookupPage {
                l: ctx.layout(m.bk_lookup_title),
                email: f.email.clone(),
                errors,
                sent,
            },
        )
    };
    let email = match Email::parse(&f.email) {
        Ok(e) => e,
        Err(e) => {
            let mut errors = FormErrors::new();
            errors.add("email", field_error(m, &e));
            return page(errors, false, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if let Some(wait) = rate_limited(&st, ctx.ip.as_deref()) {
        return page(
            FormErrors::general(fill(m.bk_err_rate, &[("seconds", &wait.to_string())])),
            false,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let now = maillage_db::now();
    let mut lines = Vec::new();
    for b in bookings::of_email(st.db.conn(), email.as_str()).await? {
        if !b.status.is_active() {
            continue;
        }
        let Some(p) = place(st.db.conn(), b.session_id).await? else {
            continue;
        };
        if p.session.data.starts_at <= now {
            continue;
        }
        lines.push((
            format!(
                "{} — {}",
                p.activity.data.title,
                session_when(ctx.locale, p.session.data.starts_at)
            ),
            format!("{}/reservation/{}", st.config.base_url, b.secret),
        ));
    }
    if !lines.is_empty() {
        let tx = st.db.write().await?;
        maillage_db::outbox::enqueue(
            &tx,
            crate::mail::booking_links(ctx.locale, email.as_str(), &lines),
            now,
        )
        .await?;
        tx.commit().await?;
        st.mail_wakeup.notify_one();
    }
    page(FormErrors::new(), true, StatusCode::OK)
}
