//! The personal page of a booking, reached by its secret link: see it,
//! confirm the address, accept offered places, change the number of seats,
//! cancel; and the booked session for a calendar.

use super::super::{notify, notify_offers, place, refusal_text, ticked};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::i18n::{Messages, field_error, fill};
use crate::mail::{BookingMail, booking_persons, session_when};
use crate::shared::{html, html_status, redirect};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maillage_db::WriteTx;
use maillage_db::bookings::{self, Booking, NotConfirmed};
use maillage_domain::booking::{BookingKind, BookingStatus, MAX_PARTY, persons};
use serde::Deserialize;

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
    /// The code of the e-mailed confirmation link, when the page was opened
    /// from it: only then does it carry the button that confirms.
    confirm_code: Option<String>,
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
            // "unconfirmed": the page's own notice says what to do.
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

/// What went wrong with a request of the page, each beside its form.
#[derive(Debug, Default)]
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
    confirm_code: Option<&str>,
) -> Result<ManagePage, AppError> {
    let m = ctx.m;
    let unconfirmed = b.status == BookingStatus::Unconfirmed;
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
        secret: b.link_secret().to_owned(),
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
        hold: unconfirmed.then_some(b.hold_expires_at).flatten().map(|t| {
            let text = if confirm_code.is_some() {
                m.bk_hold_until
            } else {
                m.bk_hold_check_mail
            };
            fill(text, &[("when", &crate::time::time(t))])
        }),
        confirm_code: confirm_code.filter(|_| unconfirmed).map(str::to_owned),
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
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let b = booking_of(&st, &secret).await?;
    let done = done_text(ctx.m, &q.fait);
    let page = manage_page(&st, &ctx, &b, done, Problems::default(), None, None).await?;
    private(html(page)?)
}

/// `GET /reservation/{secret}/confirmer/{code}`: the link of the e-mail
/// that confirms the address; the page's button sends the code.
pub async fn confirm_link(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((secret, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let b = booking_of(&st, &secret).await?;
    let page = manage_page(&st, &ctx, &b, None, Problems::default(), None, Some(&code)).await?;
    private(html(page)?)
}

/// A page reached by a secret link: kept out of shared caches and
/// referrers.
fn private(mut res: Response) -> Result<Response, AppError> {
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

/// The forms of the personal page as sent: `seats` (change the number),
/// `confirm` (to cancel) and `code` (the e-mailed code that confirms the
/// address).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ManageForm {
    seats: String,
    code: String,
    #[serde(deserialize_with = "ticked")]
    confirm: bool,
}

/// What the booker asks, checked: the last segment of the form's address
/// with what its form sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// `confirmer`: the address is the booker's.
    ConfirmAddress,
    /// `accepter`: the places offered are taken.
    Accept,
    /// `places`: this many seats instead.
    Seats(i32),
    /// `annuler`, confirmed.
    Cancel,
}

impl ManageForm {
    /// What `action` asks with this form: `None` for an unknown action,
    /// or what is wrong beside its field (what was typed kept).
    fn ask(&self, m: &Messages, action: &str) -> Option<Result<Ask, (Problems, Option<String>)>> {
        Some(match action {
            "confirmer" => Ok(Ask::ConfirmAddress),
            "accepter" => Ok(Ask::Accept),
            "places" => persons(&self.seats, 1, MAX_PARTY)
                .map(Ask::Seats)
                .map_err(|e| {
                    let seats = Some(field_error(m, &e));
                    (
                        Problems {
                            seats,
                            ..Problems::default()
                        },
                        Some(self.seats.clone()),
                    )
                }),
            "annuler" if self.confirm => Ok(Ask::Cancel),
            "annuler" => {
                let cancel = Some(m.bk_cancel_confirm_missing.to_owned());
                Err((
                    Problems {
                        cancel,
                        ..Problems::default()
                    },
                    None,
                ))
            }
            _ => return None,
        })
    }
}

/// What a request did: the code of the message shown after it, or why it
/// was refused (nothing changes then).
type Outcome = Result<&'static str, Problems>;

/// Does what `ask` asks of `b` in `tx`, with its e-mails.
async fn apply(
    st: &AppState,
    ctx: &Ctx,
    tx: &WriteTx,
    b: &Booking,
    ask: Ask,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let m = ctx.m;
    let with = |status| Booking {
        status,
        ..b.clone()
    };
    Ok(match ask {
        Ask::ConfirmAddress => match bookings::confirm_address(tx, b, code, now).await? {
            Ok(status) => {
                notify(tx, st, BookingMail::Received, &with(status)).await?;
                Ok(status.code())
            }
            Err(why) => Err(Problems {
                error: Some(
                    match why {
                        NotConfirmed::NotWaiting => m.bk_err_status,
                        NotConfirmed::WrongCode => m.bk_err_confirm_code,
                    }
                    .to_owned(),
                ),
                ..Problems::default()
            }),
        },
        Ask::Accept => match bookings::accept_offer(tx, b, now).await? {
            Ok(status) => {
                let mail = if status == BookingStatus::Pending {
                    BookingMail::Received
                } else {
                    BookingMail::Approved
                };
                notify(tx, st, mail, &with(status)).await?;
                Ok("accepted")
            }
            Err(offered) => {
                notify_offers(tx, st, &offered).await?;
                Ok("offer-expired")
            }
        },
        Ask::Seats(seats) => match bookings::change_seats(tx, b, seats, now).await? {
            Ok(offered) => {
                notify_offers(tx, st, &offered).await?;
                Ok("changed")
            }
            Err(r) => Err(Problems {
                seats: Some(refusal_text(m, ctx.locale, r)),
                ..Problems::default()
            }),
        },
        Ask::Cancel => {
            if let Some(offered) = bookings::cancel(tx, b, now).await? {
                let cancelled = with(BookingStatus::Cancelled);
                notify(tx, st, BookingMail::Cancelled, &cancelled).await?;
                notify_offers(tx, st, &offered).await?;
            }
            Ok("cancelled")
        }
    })
}

/// `POST /reservation/{secret}/{action}`: `confirmer` (the address),
/// `accepter` (offered places), `places` (change the number), `annuler`.
pub async fn act(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((secret, action)): Path<(String, String)>,
    Form(f): Form<ManageForm>,
) -> Result<Response, AppError> {
    let b = booking_of(&st, &secret).await?;
    let again = |problems: Problems, seats: Option<String>| {
        let (st, ctx, b) = (&st, &ctx, &b);
        async move {
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                manage_page(st, ctx, b, None, problems, seats, None).await?,
            )
        }
    };
    let ask = match f.ask(ctx.m, &action).ok_or(AppError::NotFound)? {
        Ok(ask) => ask,
        Err((problems, seats)) => return again(problems, seats).await,
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    match apply(&st, &ctx, &tx, &b, ask, &f.code, now).await? {
        Ok(done) => {
            tx.commit().await?;
            st.mail_wakeup.notify_one();
            Ok(redirect(
                &format!("/reservation/{}?fait={done}", b.link_secret()),
                [],
            ))
        }
        Err(problems) => {
            drop(tx);
            let typed = matches!(ask, Ask::Seats(_)).then(|| f.seats.clone());
            again(problems, typed).await
        }
    }
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
