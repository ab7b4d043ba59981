//! The submitter's withdrawal of an answer, from its thanks page: once the
//! box confirming it is ticked, while the transition table allows it.

use super::page::done_page;
use super::{Answering, by_partner, by_secret, sub_after};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::features::forms::mail;
use crate::forms::Typed;
use crate::shared::{html_status, redirect};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::submissions;
use maillage_db::outbox;
use maillage_domain::forms::review::{Actor, Status};
use serde::Deserialize;

/// The withdrawal form: the box says the submitter means it.
#[derive(Deserialize, Default)]
pub struct WithdrawForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /appel/{slug}/reponse/{secret}/retrait`: the submitter withdraws
/// the answer the secret link opens.
pub async fn withdraw_by_secret(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, secret)): Path<(String, String)>,
    Typed(f): Typed<WithdrawForm>,
) -> Result<Response, AppError> {
    let a = by_secret(&st, &ctx, &slug, secret.clone()).await?;
    let back = format!("/appel/{slug}/reponse/{secret}");
    withdraw(&st, &ctx, a, f, &back).await
}

/// `POST /appel/{slug}/merci/{id}/retrait`: a partner withdraws their own
/// answer.
pub async fn withdraw_by_partner(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Typed(f): Typed<WithdrawForm>,
) -> Result<Response, AppError> {
    let (a, _) = by_partner(&st, &ctx, &slug, id).await?;
    let back = format!("/appel/{slug}/merci/{id}");
    withdraw(&st, &ctx, a, f, &back).await
}

/// Withdraws the answer of `a` once confirmed: the status changes (the
/// transition table says whether the submitter still may), the history
/// keeps who did it and the submitter gets the usual e-mail.
async fn withdraw(
    st: &AppState,
    ctx: &Ctx,
    a: Answering,
    f: WithdrawForm,
    back: &str,
) -> Result<Response, AppError> {
    let Some(s) = a.access.submission().cloned() else {
        return Err(AppError::NotFound);
    };
    if f.confirm.as_deref() != Some("1") {
        let mut page = done_page(st, ctx, &a, &s);
        page.withdraw_error = Some(ctx.m.sb_withdraw_confirm_missing);
        return html_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    match submissions::transition(
        &tx,
        s.id,
        Status::Withdrawn,
        Actor::Submitter,
        None,
        None,
        now,
    )
    .await?
    {
        Ok(changed) => {
            outbox::enqueue(
                &tx,
                mail::status_changed(&st.config.base_url, &changed, &a.call.data.title, None),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(redirect(back, []))
        }
        Err(_) => {
            drop(tx);
            // Decided meanwhile: the page says where it stands now.
            let now_s = sub_after(st, s.id).await?;
            let mut page = done_page(st, ctx, &a, &now_s);
            page.withdraw_error = Some(ctx.m.sb_withdraw_too_late);
            html_status(StatusCode::CONFLICT, page)
        }
    }
}
