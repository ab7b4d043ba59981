//! "I lost my link": the personal links of someone's bookings still to
//! come, e-mailed to the address typed; the page says the same whether
//! there are some or not.

use super::super::{place, rate_limited};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::{field_error, fill};
use crate::mail::session_when;
use crate::shared::{html, html_status};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::bookings;
use maillage_domain::Email;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "bookings/public/lookup.html")]
struct LookupPage {
    l: Layout,
    email: String,
    errors: FormErrors,
    sent: bool,
}

/// `GET /reservation`: "I lost my link".
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
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
pub async fn send(
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
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if let Some(wait) = rate_limited(&tx, &st, ctx.ip.as_deref(), now).await? {
        tx.commit().await?;
        return page(
            FormErrors::general(fill(m.bk_err_rate, &[("seconds", &wait.to_string())])),
            false,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let mut lines = Vec::new();
    for b in bookings::of_email(&tx, email.as_str()).await? {
        if !b.status.is_active() {
            continue;
        }
        let Some(p) = place(&tx, b.session_id).await? else {
            continue;
        };
        if p.session.data.starts_at <= now {
            continue;
        }
        let secret = bookings::links::issue(&tx, b.id, now).await?;
        lines.push((
            format!(
                "{} — {}",
                p.activity.data.title,
                session_when(ctx.locale, p.session.data.starts_at)
            ),
            format!("{}/reservation/{secret}", st.config.base_url),
        ));
    }
    if !lines.is_empty() {
        maillage_db::outbox::enqueue(
            &tx,
            crate::mail::booking_links(ctx.locale, email.as_str(), &lines),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    if !lines.is_empty() {
        st.mail_wakeup.notify_one();
    }
    page(FormErrors::new(), true, StatusCode::OK)
}
