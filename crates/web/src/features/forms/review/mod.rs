//! The team's review of calls: every call with its counts by status
//! (`calls`), creating and editing a call with its criteria
//! (`call_form`), a call's submissions with filters and their weighted
//! average scores, and the staged decisions sent in one batch
//! (`submissions`), one submission — its answers read against the version
//! of the form they answered, its files, its history (`submission`) —,
//! what the team does on it: internal comments, reviewers, scores
//! (`notes`), status changes from the transition table and staged
//! decisions (`decisions`), and the uploads served as attachments
//! (`uploads`).
//!
//! Every change of status e-mails the submitter in the same transaction
//! (`super::mail`). Reviewers assigned to a submission who are not
//! otherwise allowed to review (volunteers) may open that submission,
//! comment, score and download its files; deciding stays with the roles
//! of `Action::ReviewSubmissions`.

pub(crate) mod call_form;
pub(crate) mod calls;
pub(crate) mod decisions;
pub(crate) mod notes;
pub(crate) mod person;
pub(crate) mod submission;
pub(crate) mod submissions;
pub(crate) mod uploads;

use crate::ctx::{Ctx, Flash};
use crate::error::AppError;
use crate::shared::audit::record;
use crate::shared::redirect_flash;
use crate::state::AppState;
use crate::time;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::forms::calls::Call;
use maillage_db::forms::submissions::Submission;
use maillage_db::users::{self, User, UserFilter};
use maillage_db::{ConnectionTrait, PageRequest, WriteTx, organisations};
use maillage_domain::{Action, Locale, authz};
use std::collections::HashMap;

/// Every user (names for the history and the reviewers' choices).
async fn all_users(c: &impl ConnectionTrait) -> Result<Vec<User>, AppError> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p = users::list(
            c,
            &UserFilter {
                include_disabled: true,
                ..Default::default()
            },
            PageRequest::new(page, PageRequest::MAX_PER_PAGE),
        )
        .await?;
        let more = p.has_next();
        out.extend(p.items);
        if !more {
            return Ok(out);
        }
        page += 1;
    }
}

/// Who may be assigned as a reviewer: active users of the team space.
fn is_team(u: &User) -> bool {
    u.is_active() && authz::allows(u.role, Action::TeamSpace)
}

/// Whether the signed-in user may see this submission: the roles that
/// review, or a reviewer assigned to it.
async fn may_see(st: &AppState, ctx: &Ctx, submission: i64) -> Result<bool, AppError> {
    if ctx.can(Action::ReviewSubmissions) {
        return Ok(true);
    }
    let user = ctx.user()?;
    Ok(
        maillage_db::forms::submissions::reviewers(st.db.conn(), submission)
            .await?
            .contains(&user.id),
    )
}

/// A submission the user may see, or 404 / 403.
async fn visible(st: &AppState, ctx: &Ctx, id: i64) -> Result<Submission, AppError> {
    let s = maillage_db::forms::submissions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(st, ctx, id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

async fn find_call(st: &AppState, id: i64) -> Result<Call, AppError> {
    maillage_db::forms::calls::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The name of an organisation, cached.
async fn org_name(
    c: &impl ConnectionTrait,
    cache: &mut HashMap<i64, String>,
    id: Option<i64>,
) -> Result<String, AppError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    if let Some(n) = cache.get(&id) {
        return Ok(n.clone());
    }
    let n = organisations::find(c, id)
        .await?
        .map(|o| o.name().to_owned())
        .unwrap_or_default();
    cache.insert(id, n.clone());
    Ok(n)
}

/// What the list of a call's submissions and the page of one show of a
/// submission.
pub struct Summary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    /// The answer's own title (a proposal's), empty when the form asks none.
    pub title: String,
    pub status: &'static str,
    pub status_code: &'static str,
    /// The decision staged, if any.
    pub staged: String,
    pub submitted: String,
}

impl Summary {
    fn of(l: Locale, s: &Submission, organisation: String) -> Summary {
        Summary {
            id: s.id,
            name: s.submitter.name.clone(),
            email: s.submitter.email.clone(),
            organisation,
            title: s.answers.text("title").to_owned(),
            status: s.status.label(l),
            status_code: s.status.code(),
            staged: s.staged.map(|d| d.label(l).to_owned()).unwrap_or_default(),
            submitted: s
                .submitted_at
                .map(|t| time::datetime(l, t))
                .unwrap_or_default(),
        }
    }
}

/// The submission of the route's `{id}`, when the signed-in user may see
/// it (404 or 403 otherwise).
pub(super) struct Visible(pub Submission);

impl FromRequestParts<AppState> for Visible {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Visible, AppError> {
        let Path(id) = Path::<i64>::from_request_parts(parts, st)
            .await
            .map_err(|_| AppError::BadRequest(None))?;
        let ctx = Ctx::from_request_parts(parts, st).await?;
        Ok(Visible(visible(st, &ctx, id).await?))
    }
}

/// The end of a change of submission `s`: its audit entry (`action`,
/// `changes`), the commit, and back to the submission.
async fn done(
    st: &AppState,
    ctx: &Ctx,
    tx: WriteTx,
    (action, s): (&str, &Submission),
    changes: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<Response, AppError> {
    record(
        &tx,
        ctx,
        (action, "submission", s.id),
        s.submitter.name.clone(),
        changes,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        st,
        &format!("/team/submissions/{}", s.id),
        Flash::Saved,
    ))
}
