//! What the team notes on a submission without deciding: internal
//! comments, reviewers assigned and unassigned, each reviewer's scores per
//! criterion. Open to the submission's assigned reviewers too.

use super::submission::{Kept, render};
use super::{Visible, done, is_team};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, Typed};
use crate::i18n::field_error;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::{calls, submissions};
use maillage_db::users;
use maillage_domain::FieldError;
use maillage_domain::forms::review::{self, Actor};
use serde::{Deserialize, Deserializer};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The comment form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    comment: String,
}

/// `POST /team/submissions/{id}/comment`: an internal comment.
pub async fn comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<CommentForm>,
) -> Result<Response, AppError> {
    let text = match review::message(&form.comment) {
        Ok(Some(t)) => t,
        other => {
            let err = other.err().unwrap_or(FieldError::Required);
            let mut e = FormErrors::new();
            e.add("comment", field_error(ctx.m, &err));
            let kept = Kept {
                comment: form.comment,
                ..Default::default()
            };
            return render(&st, &ctx, s, kept, e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    let cid = submissions::comment(&tx, s.id, Actor::Staff, Some(user), &text, true, now).await?;
    done(&st, &ctx, tx, ("comment", &s), json!({ "event": cid }), now).await
}

/// The reviewer forms: the user assigned or unassigned.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewerForm {
    user: String,
}

impl ReviewerForm {
    fn user(&self) -> Option<i64> {
        self.user.trim().parse().ok()
    }
}

/// `POST /team/submissions/{id}/reviewers`: assigns the user `user`.
pub async fn assign(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<ReviewerForm>,
) -> Result<Response, AppError> {
    let target = match form.user() {
        Some(u) => users::find(st.db.conn(), u).await?.filter(is_team),
        None => None,
    };
    let Some(target) = target else {
        let mut e = FormErrors::new();
        e.add("user", ctx.m.rv_err_reviewer.to_owned());
        let kept = Kept::default();
        return render(&st, &ctx, s, kept, e, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    submissions::assign_reviewer(&tx, s.id, target.id, now).await?;
    let changes = json!({ "reviewer": target.id, "name": target.name });
    done(&st, &ctx, tx, ("assign_reviewer", &s), changes, now).await
}

/// `POST /team/submissions/{id}/reviewers/remove`: unassigns `user`.
pub async fn unassign(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<ReviewerForm>,
) -> Result<Response, AppError> {
    let user = form.user().ok_or(AppError::BadRequest(None))?;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    submissions::unassign_reviewer(&tx, s.id, user).await?;
    let changes = json!({ "reviewer": user });
    done(&st, &ctx, tx, ("unassign_reviewer", &s), changes, now).await
}

/// The scores form: a field `score-{criterion}` per criterion of the
/// call, as typed (trimmed).
#[derive(Default)]
pub struct ScoresForm(BTreeMap<i64, String>);

impl<'de> Deserialize<'de> for ScoresForm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ScoresForm, D::Error> {
        let fields = HashMap::<String, String>::deserialize(d)?;
        Ok(ScoresForm(
            fields
                .into_iter()
                .filter_map(|(k, v)| {
                    let id = k.strip_prefix("score-")?.parse().ok()?;
                    Some((id, v.trim().to_owned()))
                })
                .collect(),
        ))
    }
}

/// `POST /team/submissions/{id}/scores`: the signed-in reviewer's scores
/// (a score left empty stays as it was).
pub async fn score(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
    Typed(form): Typed<ScoresForm>,
) -> Result<Response, AppError> {
    let criteria = match s.call_id {
        Some(call) => calls::criteria(st.db.conn(), call).await?,
        None => Vec::new(),
    };
    let mut errors = FormErrors::new();
    let mut kept = Kept::default();
    let mut given = Vec::new();
    for k in &criteria {
        let v = form.0.get(&k.id).cloned().unwrap_or_default();
        kept.scores.insert(k.id, v.clone());
        if v.is_empty() {
            continue;
        }
        match review::score(&v, k.max_score) {
            Ok(n) => given.push((k, n)),
            Err(e) => errors.add(&format!("score-{}", k.id), field_error(ctx.m, &e)),
        }
    }
    if !errors.is_empty() {
        return render(&st, &ctx, s, kept, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    for (k, n) in &given {
        submissions::score(&tx, s.id, user, k.id, *n, now).await?;
    }
    let changes = json!(
        given
            .iter()
            .map(|(k, n)| (k.key.clone(), json!(n)))
            .collect::<serde_json::Map<_, _>>()
    );
    done(&st, &ctx, tx, ("score", &s), changes, now).await
}
