//! Signing in and out, and setting a password from an e-mailed link
//! (forgotten password or invitation).

use crate::cookies;
use crate::ctx::{Ctx, Flash, Layout, safe_next};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::i18n::fill;
use crate::mail;
use crate::shared::audit::record_as;
use crate::shared::{hashing, html, html_status, redirect};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use maillage_db::password_tokens::{self, Purpose};
use maillage_db::users::User;
use maillage_db::{outbox, sessions, throttle, users};
use maillage_domain::{Email, FieldError, FieldErrors, Password, PasswordHash, Role, token};
use serde::Deserialize;
use serde_json::json;

/// Where a user lands after signing in.
fn home_of(user: &User) -> &'static str {
    if user.role == Role::Partner {
        "/partner"
    } else {
        "/team"
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    l: Layout,
    email: String,
    next: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response, AppError> {
    if let Some(user) = &ctx.user {
        return Ok(redirect(home_of(user), []));
    }
    html(LoginPage {
        l: ctx.layout(ctx.m.login_title),
        email: String::new(),
        next: q
            .next
            .as_deref()
            .and_then(safe_next)
            .unwrap_or("")
            .to_owned(),
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn login(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let again = |status: StatusCode, errors: FormErrors| {
        html_status(
            status,
            LoginPage {
                l: ctx.layout(m.login_title),
                email: f.email.clone(),
                next: safe_next(&f.next).unwrap_or("").to_owned(),
                errors,
            },
        )
    };
    let mut fe = FieldErrors::new();
    let email = fe.check("email", Email::parse(&f.email));
    if f.password.is_empty() {
        fe.add("password", FieldError::Required);
    }
    let Some(email) = email.filter(|_| fe.is_empty()) else {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_fields(m, &fe),
        );
    };
    let now = maillage_db::now();
    // Failures are counted three ways. Guessing one account from one
    // address locks that pair; many failures on an account (from anywhere)
    // or from an address (on any account, as an office behind one address
    // may) only slow the answers down: the right password still signs in,
    // so nobody can lock a colleague or a whole office out.
    let ip = ctx.ip.as_deref().unwrap_or("unknown");
    let pair_key = throttle::pair_key(email.as_str(), ip);
    let account_key = throttle::account_key(email.as_str());
    let ip_key = throttle::ip_key(ip);
    let throttled = |until: chrono::DateTime<chrono::Utc>| {
        let minutes = ((until - now).num_seconds().max(1) + 59) / 60;
        FormErrors::general(fill(
            m.login_throttled,
            &[("minutes", &minutes.to_string())],
        ))
    };
    let conn = st.db.conn();
    if let Some(until) = throttle::locked_until(conn, std::slice::from_ref(&pair_key), now).await? {
        return again(StatusCode::TOO_MANY_REQUESTS, throttled(until));
    }
    let slow = [account_key.clone(), ip_key.clone()];
    if let Some(until) = throttle::locked_until(conn, &slow, now).await? {
        tokio::time::sleep(throttle::slowdown(until, now, st.config.login_slowdown)).await;
    }

    let credentials = users::credentials(st.db.conn(), &email).await?;
    let password = f.password.clone();
    let user = hashing::run(move || match credentials {
        Some((user, Some(hash))) => (hash.verify(&password) && user.is_active()).then_some(user),
        _ => {
            PasswordHash::verify_dummy(&password);
            None
        }
    })
    .await?;

    let Some(user) = user else {
        let tx = st.db.write().await?;
        let locked = throttle::record_failure(&tx, &pair_key, throttle::PER_PAIR, now).await?;
        throttle::record_failure(&tx, &account_key, throttle::PER_ACCOUNT, now).await?;
        throttle::record_failure(&tx, &ip_key, throttle::PER_IP, now).await?;
        tx.commit().await?;
        if let Some(until) = locked {
            return again(StatusCode::TOO_MANY_REQUESTS, throttled(until));
        }
        return again(
            StatusCode::UNAUTHORIZED,
            FormErrors::general(m.login_failed),
        );
    };

    let tx = st.db.write().await?;
    // Checked again inside the write: attempts sent together all passed the
    // first check before any failure was recorded.
    if let Some(until) = throttle::locked_until(&tx, std::slice::from_ref(&pair_key), now).await? {
        drop(tx);
        return again(StatusCode::TOO_MANY_REQUESTS, throttled(until));
    }
    throttle::clear(&tx, &pair_key).await?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let session = sessions::create(&tx, user.id, now, ctx.ip.as_deref(), user_agent).await?;
    users::record_login(&tx, user.id, now).await?;
    tx.commit().await?;
    let to = safe_next(&f.next).unwrap_or(home_of(&user));
    Ok(signed_in(&st, to, &session, None))
}

/// A redirect to `to` that sets the new session's cookie, a new CSRF token
/// for the new identity, and the flash to show.
fn signed_in(st: &AppState, to: &str, session: &str, flash: Option<Flash>) -> Response {
    let secure = st.config.secure_cookies();
    let mut cookies = vec![
        cookies::set(
            cookies::SESSION,
            session,
            Some(sessions::ABSOLUTE.num_seconds()),
            secure,
        ),
        cookies::set(
            cookies::CSRF,
            &crate::frame::csrf_of_session(session),
            None,
            secure,
        ),
    ];
    if let Some(flash) = flash {
        cookies.push(cookies::set(cookies::FLASH, flash.code(), Some(60), secure));
    }
    redirect(to, cookies)
}

pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION, st.config.secure_cookies()) {
        sessions::delete(st.db.conn(), token).await?;
    }
    let secure = st.config.secure_cookies();
    Ok(redirect(
        "/",
        [
            cookies::clear(cookies::SESSION, secure),
            cookies::set(cookies::CSRF, &token::generate(), None, secure),
            cookies::set(cookies::FLASH, Flash::LoggedOut.code(), Some(60), secure),
        ],
    ))
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    l: Layout,
    email: String,
    sent: bool,
    errors: FormErrors,
}

pub async fn forgot_form(ctx: Ctx) -> Result<Response, AppError> {
    html(ForgotPage {
        l: ctx.layout(ctx.m.forgot_title),
        email: String::new(),
        sent: false,
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

/// Always answers the same way, whether the address has an account or not.
pub async fn forgot(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let email = match Email::parse(&f.email) {
        Ok(e) => e,
        Err(e) => {
            let mut errors = FormErrors::new();
            errors.add("email", crate::i18n::field_error(m, &e));
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                ForgotPage {
                    l: ctx.layout(m.forgot_title),
                    email: f.email,
                    sent: false,
                    errors,
                },
            );
        }
    };
    let now = maillage_db::now();
    let key = throttle::reset_key(email.as_str());
    let tx = st.db.write().await?;
    let locked = throttle::locked_until(&tx, std::slice::from_ref(&key), now).await?;
    let mut queued = false;
    let allowed = locked.is_none()
        && throttle::record_failure(&tx, &key, throttle::PER_RESET_REQUEST, now)
            .await?
            .is_none();
    if allowed
        && let Some(user) = users::find_by_email(&tx, &email).await?
        && user.is_active()
    {
        let token = password_tokens::issue(&tx, user.id, Purpose::Reset, now).await?;
        outbox::enqueue(
            &tx,
            mail::password_reset(&st.config.base_url, &user, &token),
            now,
        )
        .await?;
        queued = true;
    }
    tx.commit().await?;
    if queued {
        st.mail_wakeup.notify_one();
    }
    html(ForgotPage {
        l: ctx.layout(m.forgot_title),
        email: email.into_inner(),
        sent: true,
        errors: FormErrors::new(),
    })
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    l: Layout,
    valid: bool,
    invitation: bool,
    email: String,
    errors: FormErrors,
}

async fn reset_target(st: &AppState, token: &str) -> Result<Option<(User, Purpose)>, AppError> {
    let now = maillage_db::now();
    let Some((user_id, purpose)) = password_tokens::peek(st.db.conn(), token, now).await? else {
        return Ok(None);
    };
    Ok(users::find(st.db.conn(), user_id)
        .await?
        .filter(User::is_active)
        .map(|u| (u, purpose)))
}

pub async fn reset_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    match reset_target(&st, &token).await? {
        Some((user, purpose)) => html(ResetPage {
            l: ctx.layout(if purpose == Purpose::Invite {
                m.invite_title
            } else {
                m.reset_title
            }),
            valid: true,
            invitation: purpose == Purpose::Invite,
            email: user.email,
            errors: FormErrors::new(),
        }),
        None => html_status(
            StatusCode::NOT_FOUND,
            ResetPage {
                l: ctx.layout(m.reset_invalid_title),
                valid: false,
                invitation: false,
                email: String::new(),
                errors: FormErrors::new(),
            },
        ),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    confirm: String,
}

pub async fn reset(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let Some((user, purpose)) = reset_target(&st, &token).await? else {
        return reset_form(State(st), ctx, Path(token)).await;
    };
    let mut fe = FieldErrors::new();
    let password = fe.check("password", Password::new(&f.password));
    if password.is_some() && f.password != f.confirm {
        fe.add("confirm", FieldError::Mismatch);
    }
    let Some(password) = password.filter(|_| fe.is_empty()) else {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            ResetPage {
                l: ctx.layout(if purpose == Purpose::Invite {
                    m.invite_title
                } else {
                    m.reset_title
                }),
                valid: true,
                invitation: purpose == Purpose::Invite,
                email: user.email,
                errors: FormErrors::from_fields(m, &fe),
            },
        );
    };
    let hash = hashing::run(move || password.hash()).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if password_tokens::consume(&tx, &token, now).await? != Some(user.id) {
        drop(tx);
        return reset_form(State(st), ctx, Path(token)).await;
    }
    users::set_password(&tx, user.id, &hash, now).await?;
    sessions::delete_for_user(&tx, user.id, None).await?;
    let mut actor = ctx.actor();
    if actor.user_id.is_none() {
        actor.user_id = Some(user.id);
        actor.label = user.email.clone();
    }
    let action = if purpose == Purpose::Invite {
        "accept_invitation"
    } else {
        "reset_password"
    };
    record_as(
        &tx,
        &actor,
        (action, "user", user.id),
        user.email.clone(),
        json!({"password": "changed"}),
        now,
    )
    .await?;
    let session = sessions::create(&tx, user.id, now, ctx.ip.as_deref(), None).await?;
    users::record_login(&tx, user.id, now).await?;
    tx.commit().await?;
    Ok(signed_in(
        &st,
        home_of(&user),
        &session,
        Some(Flash::PasswordChanged),
    ))
}
