//! Answering a call online, without JavaScript: `GET /appel/{slug}/repondre`
//! shows the form (a signed-in partner's draft for the call is resumed);
//! the first `POST` starts the submission, and an anonymous submitter then
//! works under `/appel/{slug}/reponse/{secret}`, the secret link that
//! resumes it (shown on screen, e-mailed on "Save for later").
//!
//! A schema with section headings is answered page by page (`page` draws
//! them): each page's answers are saved as a draft (`save`;
//! `Schema::parse_draft`, "Next" also checks the page's required
//! questions), messages beside the fields, what was typed kept, and what
//! was valid saved even when something else was not. Files are sent with
//! the page (`multipart/form-data`), stored by `uploads::insert` (type
//! checked by content, size limited) and kept across pages; a new file
//! replaces the old one.
//!
//! A partner answers with their login: name, e-mail and organisation come
//! from the account, and for a call for participation whose form asks for
//! a `venue`, their organisation's venues are offered first. Outside the
//! call's window the form refuses (403) with the dates in Europe/Paris
//! time, and a draft stays as it was. Submitting queues the confirmation
//! e-mail, with a copy of the answers, in the same transaction. The
//! submitter may withdraw a submitted answer, once confirmed, while the
//! transition table allows it (`withdraw`).

mod page;
mod save;
pub(crate) mod withdraw;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::html_status;
use crate::state::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::calls::{self, Call};
use maillage_db::forms::submissions::{self, Submission};
use maillage_db::{forms, organisations, venues};
use maillage_domain::Role;
use maillage_domain::forms::{CallKind, Choice, Item, Kind, Schema};
use page::{PageQuery, done_page, show};

/// The signed-in partner answering for their organisation.
#[derive(Clone)]
struct Partner {
    user_id: i64,
    name: String,
    email: String,
    organisation_id: i64,
    organisation: String,
}

/// How the answer was reached.
enum Access {
    /// `/repondre`: nothing started yet, or a partner's draft found by login.
    Start(Option<Submission>),
    /// `/reponse/{secret}`.
    Secret(Submission, String),
}

impl Access {
    fn submission(&self) -> Option<&Submission> {
        match self {
            Access::Start(s) => s.as_ref(),
            Access::Secret(s, _) => Some(s),
        }
    }
}

/// Everything a request about one answer needs.
struct Answering {
    call: Call,
    /// The questions, as this submitter sees them (a partner's venues).
    schema: Schema,
    partner: Option<Partner>,
    access: Access,
}

impl Answering {
    /// Where the form is sent and the pages are shown.
    fn url(&self) -> String {
        match &self.access {
            Access::Secret(_, secret) => {
                format!("/appel/{}/reponse/{secret}", self.call.data.slug)
            }
            Access::Start(_) => format!("/appel/{}/repondre", self.call.data.slug),
        }
    }

    fn secret(&self) -> Option<&str> {
        match &self.access {
            Access::Secret(_, s) => Some(s),
            Access::Start(_) => None,
        }
    }
}

async fn partner_of(st: &AppState, ctx: &Ctx) -> Result<Option<Partner>, AppError> {
    let Some(u) = &ctx.user else { return Ok(None) };
    if u.role != Role::Partner {
        return Ok(None);
    }
    let Some(org) = u.organisation_id else {
        return Ok(None);
    };
    let Some(o) = organisations::find(st.db.conn(), org).await? else {
        return Ok(None);
    };
    Ok(Some(Partner {
        user_id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        organisation_id: o.id,
        organisation: o.data.name,
    }))
}

async fn call_by_slug(st: &AppState, slug: &str) -> Result<Call, AppError> {
    calls::find_by_slug(st.db.conn(), slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The partner's draft for the call (the latest one they may still edit).
async fn partner_draft(
    st: &AppState,
    call: &Call,
    p: &Partner,
) -> Result<Option<Submission>, AppError> {
    let list = submissions::list(
        st.db.conn(),
        &submissions::Filter {
            call_id: Some(call.id),
            organisation_id: Some(p.organisation_id),
            include_drafts: true,
            ..Default::default()
        },
    )
    .await?;
    Ok(list
        .into_iter()
        .rev()
        .find(|s| s.submitter.user_id == Some(p.user_id) && s.status.editable()))
}

/// The schema a submission answers (its version), or the form's current one.
async fn schema_of(
    st: &AppState,
    call: &Call,
    sub: Option<&Submission>,
) -> Result<Schema, AppError> {
    if let Some(s) = sub {
        let (_, v) = submissions::with_version(st.db.conn(), s.id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(v.schema);
    }
    let f = forms::find(st.db.conn(), call.data.form_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(f.version.schema)
}

/// For a partner answering a call for participation, the `venue` question
/// offers their organisation's venues first (then the form's own options).
async fn with_partner_venues(
    st: &AppState,
    call: &Call,
    partner: Option<&Partner>,
    mut schema: Schema,
) -> Result<Schema, AppError> {
    let Some(p) = partner else { return Ok(schema) };
    if call.data.kind != CallKind::Participation {
        return Ok(schema);
    }
    let own = venues::of_organisation(st.db.conn(), p.organisation_id).await?;
    if own.is_empty() {
        return Ok(schema);
    }
    for item in &mut schema.items {
        let Item::Field(f) = item else { continue };
        if f.key != "venue" {
            continue;
        }
        let mut options: Vec<Choice> = own
            .iter()
            .map(|v| Choice {
                key: v.id.to_string(),
                label: v.data.name.clone(),
            })
            .collect();
        for o in f.kind.options() {
            if !options.iter().any(|x| x.key == o.key) {
                options.push(o.clone());
            }
        }
        f.kind = Kind::Dropdown { options };
    }
    Ok(schema)
}

async fn answering(
    st: &AppState,
    ctx: &Ctx,
    call: Call,
    access: Access,
) -> Result<Answering, AppError> {
    let partner = partner_of(st, ctx).await?;
    let schema = schema_of(st, &call, access.submission()).await?;
    let schema = with_partner_venues(st, &call, partner.as_ref(), schema).await?;
    Ok(Answering {
        call,
        schema,
        partner,
        access,
    })
}

impl Answering {
    /// The absolute secret link that resumes the answer, if it has one.
    fn resume_link(&self, st: &AppState) -> Option<String> {
        self.secret().map(|s| {
            format!(
                "{}/appel/{}/reponse/{s}",
                st.config.base_url, self.call.data.slug
            )
        })
    }
}

/// `GET /appel/{slug}/repondre`: the form; a partner's draft is resumed.
pub async fn start_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let a = by_login(&st, &ctx, &slug).await?;
    show(&st, &ctx, &a, &q)
}

/// `POST /appel/{slug}/repondre`: starts the answer (or goes on with a
/// partner's draft).
pub async fn start(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    let a = by_login(&st, &ctx, &slug).await?;
    save::post(&st, &ctx, a, req).await
}

/// The answer of `/repondre`: nothing started yet, or the signed-in
/// partner's draft.
async fn by_login(st: &AppState, ctx: &Ctx, slug: &str) -> Result<Answering, AppError> {
    let call = call_by_slug(st, slug).await?;
    let draft = match partner_of(st, ctx).await? {
        Some(p) => partner_draft(st, &call, &p).await?,
        None => None,
    };
    answering(st, ctx, call, Access::Start(draft)).await
}

/// The answer the secret link opens.
async fn by_secret(
    st: &AppState,
    ctx: &Ctx,
    slug: &str,
    secret: String,
) -> Result<Answering, AppError> {
    let call = call_by_slug(st, slug).await?;
    let s = submissions::resume(st.db.conn(), &secret)
        .await?
        .filter(|s| s.call_id == Some(call.id))
        .ok_or(AppError::NotFound)?;
    answering(st, ctx, call, Access::Secret(s, secret)).await
}

/// The signed-in partner's own submission `id` to the call, or 404.
async fn by_partner(
    st: &AppState,
    ctx: &Ctx,
    slug: &str,
    id: i64,
) -> Result<(Answering, Submission), AppError> {
    let call = call_by_slug(st, slug).await?;
    let p = partner_of(st, ctx).await?.ok_or(AppError::NotFound)?;
    let s = submissions::find(st.db.conn(), id)
        .await?
        .filter(|s| s.call_id == Some(call.id) && s.submitter.user_id == Some(p.user_id))
        .ok_or(AppError::NotFound)?;
    let a = answering(st, ctx, call, Access::Start(Some(s.clone()))).await?;
    Ok((a, s))
}

/// `GET /appel/{slug}/reponse/{secret}`: the answer the secret link opens.
pub async fn resume(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, secret)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let a = by_secret(&st, &ctx, &slug, secret).await?;
    show(&st, &ctx, &a, &q)
}

/// `POST /appel/{slug}/reponse/{secret}`.
pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, secret)): Path<(String, String)>,
    req: Request,
) -> Result<Response, AppError> {
    let a = by_secret(&st, &ctx, &slug, secret).await?;
    save::post(&st, &ctx, a, req).await
}

/// `GET /appel/{slug}/merci/{id}`: a partner's submitted answer (their own).
pub async fn partner_done(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (a, s) = by_partner(&st, &ctx, &slug, id).await?;
    html_status(StatusCode::OK, done_page(&st, &ctx, &a, &s))
}

/// The submission `id` as it is now.
async fn sub_after(st: &AppState, id: i64) -> Result<Submission, AppError> {
    submissions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}
