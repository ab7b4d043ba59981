//! What the pages of forms share: finding a form (or a questionnaire) or
//! answering 404, and what a form is attached to, in words.

use crate::error::AppError;
use crate::state::AppState;
use maillage_db::ConnectionTrait;
use maillage_db::forms::{self, Form, FormData};
use maillage_db::programme::{activities, projects, sessions};
use maillage_domain::Locale;
use maillage_domain::forms::Purpose;

/// The form `id`, or 404.
pub(crate) async fn find_form(st: &AppState, id: i64) -> Result<Form, AppError> {
    forms::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The questionnaire `id`, or 404 (another kind of form is not one).
pub(crate) async fn find_questionnaire(st: &AppState, id: i64) -> Result<Form, AppError> {
    match find_form(st, id).await? {
        f if f.data.purpose == Purpose::Questionnaire => Ok(f),
        _ => Err(AppError::NotFound),
    }
}

/// The questionnaire whose public key is `key`, or 404.
pub(crate) async fn find_questionnaire_by_key(st: &AppState, key: &str) -> Result<Form, AppError> {
    match forms::find_by_key(st.db.conn(), key).await? {
        Some(f) if f.data.purpose == Purpose::Questionnaire => Ok(f),
        _ => Err(AppError::NotFound),
    }
}

/// What a form is attached to, its parts joined by `sep`: "Fête de la
/// science 2025 · Atelier fusées · 11/10/2025 14:00".
pub(crate) async fn attached(
    c: &impl ConnectionTrait,
    locale: Locale,
    d: &FormData,
    sep: &str,
) -> Result<String, AppError> {
    let mut parts = Vec::new();
    if let Some(p) = d.project_id
        && let Some(p) = projects::find(c, p).await?
    {
        parts.push(p.data.name);
    }
    if let Some(a) = d.activity_id
        && let Some(a) = activities::find(c, a).await?
    {
        parts.push(a.data.title);
    }
    if let Some(s) = d.session_id
        && let Some(s) = sessions::find(c, s).await?
    {
        parts.push(crate::time::datetime(locale, s.data.starts_at));
    }
    Ok(parts.join(sep))
}
