//! A person's applications to calls, found by e-mail address, for requests
//! about their data (`/team/calls/person`): see them, download everything
//! stored — answers, history and the files themselves — as JSON, or erase
//! them with their files.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{FormErrors, Typed};
use crate::shared::audit::record;
use crate::shared::download::download;
use crate::shared::personal::{Person, PersonForm};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, Utc};
use maillage_db::ConnectionTrait;
use maillage_db::forms::submissions::{self, EventKind, Submission};
use maillage_db::forms::{calls, uploads};
use serde::Serialize;
use serde_json::json;

pub struct Row {
    pub id: i64,
    pub call: String,
    pub status: &'static str,
    pub when: String,
    pub name: String,
    pub files: usize,
}

#[derive(Template)]
#[template(path = "forms/review/person.html")]
struct PersonPage {
    l: Layout,
    email: String,
    errors: FormErrors,
    rows: Option<Vec<Row>>,
}

fn page(
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    rows: Option<Vec<Row>>,
    code: StatusCode,
) -> Result<Response, AppError> {
    html_status(
        code,
        PersonPage {
            l: ctx.layout(ctx.m.ap_title),
            email,
            errors,
            rows,
        },
    )
}

/// The request, or the search form again with the message beside the
/// address and what was typed kept.
fn checked(ctx: &Ctx, f: &PersonForm) -> Result<Person, Box<Response>> {
    f.check(ctx.m).map_err(|(typed, e)| {
        Box::new(
            page(ctx, typed, e, None, StatusCode::UNPROCESSABLE_ENTITY)
                .unwrap_or_else(IntoResponse::into_response),
        )
    })
}

/// `GET /team/calls/person`: the search form.
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
    page(&ctx, String::new(), FormErrors::new(), None, StatusCode::OK)
}

/// The title of a submission's call ("" when it has none any more).
async fn call_title(c: &impl ConnectionTrait, s: &Submission) -> Result<String, AppError> {
    Ok(match s.call_id {
        Some(id) => calls::find(c, id).await?.map(|k| k.data.title),
        None => None,
    }
    .unwrap_or_default())
}

async fn results(
    st: &AppState,
    ctx: &Ctx,
    email: String,
    errors: FormErrors,
    code: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let mut rows = Vec::new();
    for s in submissions::of_email(c, &email).await? {
        rows.push(Row {
            id: s.id,
            call: call_title(c, &s).await?,
            status: s.status.label(ctx.locale),
            when: time::datetime(ctx.locale, s.submitted_at.unwrap_or(s.created_at)),
            files: uploads::of_submission(c, s.id).await?.len(),
            name: s.submitter.name,
        });
    }
    page(ctx, email, errors, Some(rows), code)
}

/// `POST /team/calls/person` with `email`: that address's applications.
pub async fn lookup(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<PersonForm>,
) -> Result<Response, AppError> {
    let person = match checked(&ctx, &f) {
        Ok(p) => p,
        Err(page) => return Ok(*page),
    };
    results(&st, &ctx, person.email, FormErrors::new(), StatusCode::OK).await
}

#[derive(Serialize)]
struct FileExport {
    question: String,
    filename: String,
    kind: &'static str,
    size: u64,
    sha256: String,
    /// The file itself, in base64.
    content: String,
}

#[derive(Serialize)]
struct EventExport {
    at: DateTime<Utc>,
    /// A status change (`from` → `to`) or a comment.
    from: Option<&'static str>,
    to: Option<&'static str>,
    comment: Option<String>,
    internal: bool,
}

#[derive(Serialize)]
struct ApplicationExport {
    id: i64,
    call: String,
    status: &'static str,
    name: String,
    email: String,
    language: &'static str,
    answers: serde_json::Value,
    files: Vec<FileExport>,
    history: Vec<EventExport>,
    created_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

async fn export_of(c: &impl ConnectionTrait, s: Submission) -> Result<ApplicationExport, AppError> {
    let mut files = Vec::new();
    for u in uploads::of_submission(c, s.id).await? {
        if let Some((u, bytes)) = uploads::read(c, u.id).await? {
            files.push(FileExport {
                question: u.field_key,
                filename: u.filename,
                kind: u.kind.code(),
                size: u.size,
                sha256: u.sha256,
                content: base64::engine::general_purpose::STANDARD.encode(bytes),
            });
        }
    }
    // The team's own comments are data about the person too.
    let history = submissions::events(c, s.id, true)
        .await?
        .into_iter()
        .map(|e| {
            let (from, to) = match e.kind {
                EventKind::Status { from, to } => (Some(from.code()), Some(to.code())),
                EventKind::Comment => (None, None),
            };
            EventExport {
                at: e.at,
                from,
                to,
                comment: e.comment,
                internal: e.internal,
            }
        })
        .collect();
    Ok(ApplicationExport {
        id: s.id,
        call: call_title(c, &s).await?,
        status: s.status.code(),
        name: s.submitter.name,
        email: s.submitter.email,
        language: s.submitter.locale.as_str(),
        answers: serde_json::from_str(&s.answers.to_json()).unwrap_or_default(),
        files,
        history,
        created_at: s.created_at,
        submitted_at: s.submitted_at,
        updated_at: s.updated_at,
    })
}

#[derive(Serialize)]
struct PersonExport {
    email: String,
    exported_at: DateTime<Utc>,
    applications: Vec<ApplicationExport>,
}

/// `POST /team/calls/person/export` with `email`: everything stored about
/// that address's applications, files included, as JSON.
pub async fn export(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<PersonForm>,
) -> Result<Response, AppError> {
    let person = match checked(&ctx, &f) {
        Ok(p) => p,
        Err(page) => return Ok(*page),
    };
    let c = st.db.conn();
    let mut out = Vec::new();
    for s in submissions::of_email(c, &person.email).await? {
        out.push(export_of(c, s).await?);
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    record(
        &tx,
        &ctx,
        ("export_data", "submission_person", 0),
        format!("{} applications", out.len()),
        json!({"submissions": out.iter().map(|a| a.id).collect::<Vec<_>>()}),
        now,
    )
    .await?;
    tx.commit().await?;
    let body = serde_json::to_vec_pretty(&PersonExport {
        email: person.email,
        exported_at: now,
        applications: out,
    })
    .map_err(AppError::internal)?;
    Ok(download(
        body,
        "application/json",
        "applications-person.json",
    ))
}

/// `POST /team/calls/person/erase` with `email` and `confirm`: the
/// person's applications are deleted with their files, scores and history.
pub async fn erase(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(f): Typed<PersonForm>,
) -> Result<Response, AppError> {
    let person = match checked(&ctx, &f) {
        Ok(p) => p,
        Err(page) => return Ok(*page),
    };
    if !person.confirm {
        let mut e = FormErrors::new();
        e.add("confirm", ctx.m.ap_erase_confirm_missing);
        let code = StatusCode::UNPROCESSABLE_ENTITY;
        return results(&st, &ctx, person.email, e, code).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let ids: Vec<i64> = submissions::of_email(&tx, &person.email)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let n = submissions::erase_email(&tx, &person.email).await?;
    record(
        &tx,
        &ctx,
        ("erase", "submission_person", 0),
        format!("{n} applications"),
        json!({"submissions": ids}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(&st, "/team/calls/person", Flash::Erased))
}
