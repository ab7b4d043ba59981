//! What the team decides on a submission: a change of status from the
//! transition table, e-mailed to the submitter in the same transaction,
//! or a decision staged with its message, to be sent with the call's
//! others (`submissions::send_staged`).

use super::submission::{Kept, render};
use super::{Visible, done};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::features::forms::mail;
use crate::forms::{FormErrors, Typed};
use crate::i18n::{field_error, fill};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::calls;
use maillage_db::forms::submissions::{self, Refusal, Submission};
use maillage_db::{ConnectionTrait, outbox};
use maillage_domain::FieldError;
use maillage_domain::forms::review::{self, Actor, Status};
use serde::Deserialize;
use serde_json::json;

/// The sentence for a refused change.
fn refusal_text(ctx: &Ctx, r: Refusal) -> String {
    let l = ctx.locale;
    match r {
        Refusal::Illegal { from, to } => fill(
            ctx.m.rv_err_transition,
            &[("from", from.label(l)), ("to", to.label(l))],
        ),
        Refusal::NotADecision => ctx.m.rv_err_not_decision.to_owned(),
        _ => ctx.m.rv_err_refused.to_owned(),
    }
}

/// The message to the submitter of a move to `to`, checked (required
/// when `to` needs one).
fn message_for(to: Status, input: &str) -> Result<Option<String>, FieldError> {
    match review::message(input)? {
        None if to.needs_message() => Err(FieldError::Required),
        m => Ok(m),
    }
}

/// The status form: one button per status the team may move to.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    to: String,
    message: String,
}

/// `POST /team/submissions/{id}/status`: moves the submission to `to` if
/// the transition table allows the team to, with `message` for the
/// submitter (required when asking for changes); the submitter is
/// e-mailed in the same transaction.
pub async fn change_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<StatusForm>,
) -> Result<Response, AppError> {
    let kept = || Kept {
        message: form.message.clone(),
        ..Default::default()
    };
    let Ok(to) = Status::parse(&form.to) else {
        let e = FormErrors::general(ctx.m.rv_err_refused);
        return render(&st, &ctx, s, kept(), e, StatusCode::CONFLICT).await;
    };
    if !s.status.allows(to, Actor::Staff) {
        let e = FormErrors::general(refusal_text(&ctx, Refusal::Illegal { from: s.status, to }));
        return render(&st, &ctx, s, kept(), e, StatusCode::CONFLICT).await;
    }
    let message = match message_for(to, &form.message) {
        Ok(m) => m,
        Err(err) => {
            let mut e = FormErrors::new();
            e.add("message", field_error(ctx.m, &err));
            return render(&st, &ctx, s, kept(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    let changed = match submissions::transition(
        &tx,
        s.id,
        to,
        Actor::Staff,
        Some(user),
        message.as_deref(),
        now,
    )
    .await?
    {
        Ok(changed) => changed,
        Err(r) => {
            drop(tx);
            let e = FormErrors::general(refusal_text(&ctx, r));
            return render(&st, &ctx, s, kept(), e, StatusCode::CONFLICT).await;
        }
    };
    let title = call_title(&tx, &changed).await?;
    outbox::enqueue(
        &tx,
        mail::status_changed(&st.config.base_url, &changed, &title, message.as_deref()),
        now,
    )
    .await?;
    let changes = json!({ "status": { "from": s.status.code(), "to": to.code() },
                          "activity": changed.activity_id });
    done(&st, &ctx, tx, ("status", &s), changes, now).await
}

async fn call_title(c: &impl ConnectionTrait, s: &Submission) -> Result<String, AppError> {
    Ok(match s.call_id {
        Some(id) => calls::find(c, id)
            .await?
            .map(|c| c.data.title)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// The staging form: a decision (none clears it) and its message.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StageForm {
    decision: String,
    stage_message: String,
}

/// `POST /team/submissions/{id}/stage`: stages a decision (`decision`
/// empty clears it) with its `message`, to send with the call's others.
pub async fn stage(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<StageForm>,
) -> Result<Response, AppError> {
    let raw = form.decision.trim();
    let kept = || Kept {
        stage: raw.to_owned(),
        stage_message: form.stage_message.clone(),
        ..Default::default()
    };
    let refused = |field: &str, err: FieldError| {
        let mut e = FormErrors::new();
        e.add(field, field_error(ctx.m, &err));
        e
    };
    let decision = if raw.is_empty() {
        None
    } else {
        let Ok(to) = Status::parse(raw) else {
            let e = refused("decision", FieldError::InvalidChoice);
            return render(&st, &ctx, s, kept(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
        };
        match message_for(to, &form.stage_message) {
            Ok(m) => Some((to, m)),
            Err(err) => {
                let e = refused("stage_message", err);
                return render(&st, &ctx, s, kept(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if let Err(r) = submissions::stage(&tx, s.id, decision.clone(), now).await? {
        drop(tx);
        let e = FormErrors::general(refusal_text(&ctx, r));
        return render(&st, &ctx, s, kept(), e, StatusCode::CONFLICT).await;
    }
    let changes = json!({ "staged": decision.as_ref().map(|(d, _)| d.code()) });
    done(&st, &ctx, tx, ("stage", &s), changes, now).await
}
