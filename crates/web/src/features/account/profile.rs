//! One's own account: name, language, password, other sessions.

use crate::cookies;
use crate::ctx::{Ctx, Flash, Layout, role_label};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::shared::audit::record;
use crate::shared::{hashing, html_status, redirect, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit;
use maillage_db::users::{self, Changes};
use maillage_db::{organisations, sessions};
use maillage_domain::{FieldError, FieldErrors, Locale, Password, PersonName};
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "account/profile.html")]
struct AccountPage {
    l: Layout,
    email: String,
    role: &'static str,
    organisation: Option<String>,
    name: String,
    locale: &'static str,
    profile_errors: FormErrors,
    password_errors: FormErrors,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    name: Option<String>,
    locale: Option<&'static str>,
    profile_errors: FormErrors,
    password_errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let organisation = match user.organisation_id {
        Some(id) => organisations::find(st.db.conn(), id)
            .await?
            .map(|o| o.data.name),
        None => None,
    };
    html_status(
        status,
        AccountPage {
            l: ctx.layout(ctx.m.account_title),
            email: user.email.clone(),
            role: role_label(ctx.m, user.role),
            organisation,
            name: name.unwrap_or_else(|| user.name.clone()),
            locale: locale.unwrap_or(user.locale.as_str()),
            profile_errors,
            password_errors,
        },
    )
}

pub async fn show(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    page(
        &st,
        &ctx,
        None,
        None,
        FormErrors::new(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    name: String,
    locale: String,
}

pub async fn save_profile(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let mut fe = FieldErrors::new();
    let name = fe.check("name", PersonName::parse(&f.name));
    let locale = fe.check(
        "locale",
        Locale::parse(&f.locale).ok_or(FieldError::InvalidChoice),
    );
    let (Some(name), Some(locale)) = (name, locale) else {
        let kept_locale = Locale::parse(&f.locale).map(Locale::as_str);
        return page(
            &st,
            &ctx,
            Some(f.name),
            kept_locale,
            FormErrors::from_fields(ctx.m, &fe),
            FormErrors::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let after = users::update(
        &tx,
        user.id,
        Changes {
            name: Some(name.as_str()),
            locale: Some(locale),
            ..Changes::NONE
        },
        now,
    )
    .await?;
    let changes = audit::diff(
        &json!({"name": user.name, "locale": user.locale.as_str()}),
        &json!({"name": after.name, "locale": after.locale.as_str()}),
    );
    if changes.as_object().is_some_and(|o| !o.is_empty()) {
        record(
            &tx,
            &ctx,
            ("update", "user", user.id),
            after.email.clone(),
            changes,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    let secure = st.config.secure_cookies();
    Ok(redirect(
        "/account",
        [
            cookies::set(
                cookies::LANG,
                locale.as_str(),
                Some(365 * 24 * 3600),
                secure,
            ),
            cookies::set(cookies::FLASH, Flash::ProfileSaved.code(), Some(60), secure),
        ],
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

pub async fn change_password(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let email = maillage_domain::Email::parse(&user.email).map_err(|_| AppError::Internal)?;
    let stored = users::credentials(st.db.conn(), &email)
        .await?
        .and_then(|(_, h)| h);
    let mut fe = FieldErrors::new();
    let current = f.current.clone();
    let current_ok = match stored {
        Some(h) => hashing::run(move || h.verify(&current)).await?,
        None => false,
    };
    if f.current.is_empty() {
        fe.add("current", FieldError::Required);
    } else if !current_ok {
        fe.add("current", FieldError::Mismatch);
    }
    let password = fe.check("password", Password::new(&f.password));
    if password.is_some() && f.password != f.confirm {
        fe.add("confirm", FieldError::Mismatch);
    }
    let Some(password) = password.filter(|_| fe.is_empty()) else {
        let mut errors = FormErrors::from_fields(ctx.m, &fe);
        if fe.get("current") == Some(&FieldError::Mismatch) {
            errors = {
                let mut e = FormErrors::new();
                for (field, msg) in errors.fields() {
                    if field == "current" {
                        e.add(field, ctx.m.account_current_wrong);
                    } else {
                        e.add(field, msg.clone());
                    }
                }
                e
            };
        }
        return page(
            &st,
            &ctx,
            None,
            None,
            FormErrors::new(),
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let hash = hashing::run(move || password.hash()).await?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    users::set_password(&tx, user.id, &hash, now).await?;
    sessions::delete_for_user(&tx, user.id, ctx.session_id).await?;
    record(
        &tx,
        &ctx,
        ("change_password", "user", user.id),
        user.email.clone(),
        json!({"password": "changed"}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/account", Flash::PasswordChanged))
}

/// Signs out every other browser of this account.
pub async fn end_other_sessions(
    State(st): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    sessions::delete_for_user(st.db.conn(), user.id, ctx.session_id).await?;
    Ok(redirect_flash(&st, "/account", Flash::SessionsEnded))
}
