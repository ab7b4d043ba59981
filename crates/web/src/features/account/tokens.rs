//! Personal API tokens: create (shown once), list, revoke.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::shared::audit::record;
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::api_tokens;
use maillage_domain::FieldErrors;
use maillage_domain::field::single_line;
use serde::Deserialize;
use serde_json::json;

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    /// What it may do: read only, or read and write.
    access: &'static str,
    /// Until when it works ("never expires" otherwise).
    expires: String,
    revoked: bool,
}

/// How long a new token lasts: the choices of the form, in days (0: no
/// expiry), the default first.
const LIFETIMES: [i64; 4] = [90, 30, 365, 0];

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<TokenRow>,
    name: String,
    lifetimes: Vec<crate::forms::Choice>,
    write: bool,
    errors: FormErrors,
    /// The secret of a token just created, shown this once.
    created_secret: Option<String>,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    f: &CreateForm,
    errors: FormErrors,
    created_secret: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let m = ctx.m;
    let chosen = f.days().unwrap_or(LIFETIMES[0]);
    let tokens = api_tokens::list_for_user(st.db.conn(), user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: time::datetime(ctx.locale, t.created_at),
            last_used: t.last_used_at.map_or_else(
                || ctx.m.tokens_never_used.to_owned(),
                |d| time::datetime(ctx.locale, d),
            ),
            access: if t.read_only {
                m.tokens_read_only
            } else {
                m.tokens_read_write
            },
            expires: t.expires_at.map_or_else(
                || m.tokens_no_expiry.to_owned(),
                |d| time::datetime(ctx.locale, d),
            ),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let lifetimes = LIFETIMES
        .iter()
        .map(|&d| crate::forms::Choice {
            value: d.to_string(),
            label: if d == 0 {
                m.tokens_no_expiry.to_owned()
            } else {
                crate::i18n::fill(m.tokens_days, &[("n", &d.to_string())])
            },
            selected: d == chosen,
        })
        .collect();
    html_status(
        status,
        TokensPage {
            l: ctx.layout(ctx.m.tokens_title),
            tokens,
            name: f.name.clone(),
            lifetimes,
            write: f.access == "write",
            errors,
            created_secret,
        },
    )
}

pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    page(
        &st,
        &ctx,
        &CreateForm::default(),
        FormErrors::new(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    name: String,
    /// `read` (the default) or `write`.
    access: String,
    /// Days it lasts, one of [`LIFETIMES`].
    days: String,
}

impl CreateForm {
    /// The lifetime chosen, when it is one of the choices.
    fn days(&self) -> Option<i64> {
        match self.days.trim() {
            "" => Some(LIFETIMES[0]),
            d => d.parse().ok().filter(|d| LIFETIMES.contains(d)),
        }
    }
}

pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let mut fe = FieldErrors::new();
    let name = fe.check("name", single_line(&f.name, 1, 80));
    let days = f.days();
    if days.is_none() {
        fe.add("days", maillage_domain::FieldError::InvalidChoice);
    }
    if !matches!(f.access.as_str(), "" | "read" | "write") {
        fe.add("access", maillage_domain::FieldError::InvalidChoice);
    }
    let (Some(name), Some(days)) = (name.filter(|_| fe.is_empty()), days) else {
        let errors = FormErrors::from_fields(ctx.m, &fe);
        return page(
            &st,
            &ctx,
            &f,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let now = maillage_db::now();
    let grant = api_tokens::Grant {
        read_only: f.access != "write",
        expires_at: (days > 0).then(|| now + chrono::TimeDelta::days(days)),
    };
    let tx = st.db.write().await?;
    let (token, secret) = api_tokens::create_with(&tx, user.id, &name, grant, now).await?;
    record(
        &tx,
        &ctx,
        ("create", "api_token", token.id),
        name.clone(),
        json!({
            "name": name,
            "prefix": token.prefix,
            "read_only": token.read_only,
            "expires_at": token.expires_at,
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    page(
        &st,
        &ctx,
        &CreateForm::default(),
        FormErrors::new(),
        Some(secret),
        StatusCode::CREATED,
    )
    .await
}

pub async fn revoke(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if !api_tokens::revoke(&tx, user.id, id, now).await? {
        return Err(AppError::NotFound);
    }
    record(
        &tx,
        &ctx,
        ("revoke", "api_token", id),
        String::new(),
        json!({"revoked": true}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/tokens", Flash::TokenRevoked))
}
