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
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<TokenRow>,
    name: String,
    errors: FormErrors,
    /// The secret of a token just created, shown this once.
    created_secret: Option<String>,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    name: String,
    errors: FormErrors,
    created_secret: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
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
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    html_status(
        status,
        TokensPage {
            l: ctx.layout(ctx.m.tokens_title),
            tokens,
            name,
            errors,
            created_secret,
        },
    )
}

pub async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    page(
        &st,
        &ctx,
        String::new(),
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
}

pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?.clone();
    let name = match single_line(&f.name, 1, 80) {
        Ok(n) => n,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &FieldErrors::from(("name", e)));
            return page(
                &st,
                &ctx,
                f.name,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let (token, secret) = api_tokens::create(&tx, user.id, &name, now).await?;
    record(
        &tx,
        &ctx,
        ("create", "api_token", token.id),
        name.clone(),
        json!({"name": name, "prefix": token.prefix}),
        now,
    )
    .await?;
    tx.commit().await?;
    page(
        &st,
        &ctx,
        String::new(),
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
