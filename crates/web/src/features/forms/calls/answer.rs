//! Answering a call online, without JavaScript: `GET /appel/{slug}/repondre`
//! shows the form (a signed-in partner's draft for the call is resumed);
//! the first `POST` starts the submission, and an anonymous submitter then
//! works under `/appel/{slug}/reponse/{secret}`, the secret link that
//! resumes it (shown on screen, e-mailed on "Save for later").
//!
//! A schema with section headings is answered page by page: each page's
//! answers are saved as a draft (`Schema::parse_draft`; "Next" also checks
//! the page's required questions), messages beside the fields, what was
//! typed kept, and what was valid saved even when something else was not.
//! Files are sent with the page (`multipart/form-data`), stored by
//! `uploads::insert` (type checked by content, size limited) and kept
//! across pages; a new file replaces the old one.
//!
//! A partner answers with their login: name, e-mail and organisation come
//! from the account, and for a call for participation whose form asks for
//! a `venue`, their organisation's venues are offered first. Outside the
//! call's window the form refuses (403) with the dates in Europe/Paris
//! time, and a draft stays as it was. Submitting queues the confirmation
//! e-mail, with a copy of the answers, in the same transaction.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::view::{QItem, view_items};
use crate::forms::{FormErrors, Pairs};
use crate::i18n::{field_error, fill};
use crate::mail_forms::{self, CallMail};
use crate::shared::{html_status, redirect};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use maillage_db::forms::calls::{self, Call, Window};
use maillage_db::forms::submissions::{self, Refusal, Submission, Submitter};
use maillage_db::forms::{self, uploads};
use maillage_db::{organisations, outbox, venues};
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{
    Answer, Answers, CallKind, Choice, FileKind, Item, Kind, Schema, format_number,
};
use maillage_domain::{Email, FieldError, FieldErrors, PersonName, Role};
use serde::Deserialize;
use std::collections::HashSet;

/// Field names of the page itself (not questions of the form).
const PAGE: &str = "_page";
const ACTION: &str = "_action";
const NAME: &str = "_name";
const EMAIL: &str = "_email";

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

/// The stored answers as form pairs, to draw them again.
fn answer_pairs(a: &Answers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in &a.0 {
        match v {
            Answer::Text(t) => out.push((k.clone(), t.clone())),
            Answer::Number(n) => out.push((k.clone(), format_number(*n))),
            Answer::Date(d) => out.push((k.clone(), d.format("%Y-%m-%d").to_string())),
            Answer::Choice(c) => out.push((k.clone(), c.clone())),
            Answer::Choices(cs) => out.extend(cs.iter().map(|c| (k.clone(), c.clone()))),
            Answer::Bool(b) => out.push((k.clone(), if *b { "yes" } else { "no" }.into())),
            Answer::File(f) => out.push((k.clone(), format!("{}:{}", f.upload_id, f.name))),
        }
    }
    out
}

/// The keys of the questions on page `page`.
fn page_keys(schema: &Schema, page: usize) -> Vec<String> {
    schema
        .pages()
        .get(page)
        .map(|p| {
            p.items
                .iter()
                .filter_map(|i| match i {
                    Item::Field(f) => Some(f.key.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The page holding the question `key`.
fn page_of(schema: &Schema, key: &str) -> Option<usize> {
    (0..schema.pages().len()).find(|p| page_keys(schema, *p).iter().any(|k| k == key))
}

/// Which questions of the form give the submitter's name and e-mail
/// (an anonymous applicant): fields `name` and of kind e-mail on the first
/// page, so nobody is asked twice; otherwise the page asks for them.
struct IdentityKeys {
    name: Option<String>,
    email: Option<String>,
}

fn identity_keys(schema: &Schema) -> IdentityKeys {
    let first = page_keys(schema, 0);
    let on_first = |k: &str| first.iter().any(|x| x == k);
    IdentityKeys {
        name: schema
            .fields()
            .find(|f| f.key == "name" && f.kind == Kind::ShortText && on_first(&f.key))
            .map(|f| f.key.clone()),
        email: schema
            .fields()
            .find(|f| f.kind == Kind::Email && on_first(&f.key))
            .map(|f| f.key.clone()),
    }
}

/// What a POST carried: the fields, and the files chosen.
#[derive(Default)]
struct Sent {
    pairs: Vec<(String, String)>,
    files: Vec<(String, String, Vec<u8>)>,
}

async fn read_body(st: &AppState, req: Request) -> Result<Sent, AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Pairs(pairs) = Pairs::from_request(req, st).await?;
        return Ok(Sent {
            pairs,
            files: Vec::new(),
        });
    }
    let mut mp = Multipart::from_request(req, st)
        .await
        .map_err(|_| AppError::BadRequest(None))?;
    let mut sent = Sent::default();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest(None))?
    {
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?;
                // A file input left empty sends an empty part.
                if !bytes.is_empty() || !file_name.is_empty() {
                    sent.files.push((name, file_name, bytes.to_vec()));
                }
            }
            None => {
                let v = field.text().await.map_err(|_| AppError::BadRequest(None))?;
                sent.pairs.push((name, v));
            }
        }
    }
    Ok(sent)
}

#[derive(Template)]
#[template(path = "forms/calls/answer.html")]
struct AnswerPage {
    l: Layout,
    action: String,
    window: String,
    page: usize,
    pages: usize,
    step: String,
    items: Vec<QItem>,
    errors: FormErrors,
    /// Anonymous, nothing started: ask for the name and e-mail here.
    ask_name: bool,
    ask_email: bool,
    name: String,
    email: String,
    /// "You are answering as …".
    who: Option<String>,
    resume_link: Option<String>,
    notice: Option<String>,
    /// Refused by the window: a warning and no buttons.
    refusal: Option<String>,
}

#[derive(Template)]
#[template(path = "forms/calls/done.html")]
struct DonePage {
    l: Layout,
    heading: String,
    message: String,
    status: &'static str,
    rows: Vec<(String, String)>,
    resume_link: Option<String>,
    call_url: String,
    call_title: String,
    /// Where to send a withdrawal, while the submitter may still withdraw.
    withdraw: Option<String>,
    /// Why a withdrawal was not made (the confirmation box unticked).
    withdraw_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<usize>,
    saved: Option<String>,
}

/// The message of a window that refuses answers.
fn window_message(ctx: &Ctx, w: Window) -> String {
    match w {
        Window::NotYetOpen(t) => fill(
            ctx.m.sb_not_yet,
            &[("opens", &time::datetime(ctx.locale, t))],
        ),
        Window::Closed(t) => fill(
            ctx.m.sb_closed,
            &[("closes", &time::datetime(ctx.locale, t))],
        ),
    }
}

struct View<'a> {
    page: usize,
    pairs: &'a Pairs,
    errors: FormErrors,
    notice: Option<String>,
    refusal: Option<String>,
}

fn render(st: &AppState, ctx: &Ctx, a: &Answering, v: View<'_>) -> AnswerPage {
    let m = ctx.m;
    let pages = a.schema.pages();
    let page = v.page.min(pages.len().saturating_sub(1));
    let shown: &[Item] = pages.get(page).map_or(&[], |p| p.items);
    let started = a.access.submission();
    let ids = identity_keys(&a.schema);
    let anonymous_new = a.partner.is_none() && started.is_none();
    let as_partner = |p: &Partner| {
        fill(
            m.sb_as_partner,
            &[
                ("org", &p.organisation),
                ("name", &p.name),
                ("email", &p.email),
            ],
        )
    };
    let who = match (&a.partner, started) {
        (Some(p), Some(s)) if s.submitter.user_id == Some(p.user_id) => Some(as_partner(p)),
        (_, Some(s)) => Some(fill(
            m.sb_as_person,
            &[("name", &s.submitter.name), ("email", &s.submitter.email)],
        )),
        (Some(p), None) => Some(as_partner(p)),
        (None, None) => None,
    };
    // A signed-in user starting an answer finds their name and address.
    let (default_name, default_email) = ctx
        .user
        .as_ref()
        .map(|u| (u.name.clone(), u.email.clone()))
        .unwrap_or_default();
    let name = match v.pairs.get(NAME) {
        "" => default_name,
        s => s.to_owned(),
    };
    let email = match v.pairs.get(EMAIL) {
        "" => default_email,
        s => s.to_owned(),
    };
    AnswerPage {
        l: ctx.layout(a.call.data.title.clone()),
        action: a.url(),
        window: fill(
            m.fm_call_open,
            &[("closes", &time::datetime(ctx.locale, a.call.data.closes_at))],
        ),
        page,
        pages: pages.len(),
        step: fill(
            m.sb_page,
            &[
                ("n", &(page + 1).to_string()),
                ("total", &pages.len().to_string()),
            ],
        ),
        items: view_items(ctx, &a.schema, shown, v.pairs, &v.errors),
        errors: v.errors,
        ask_name: anonymous_new && page == 0 && ids.name.is_none(),
        ask_email: anonymous_new && page == 0 && ids.email.is_none(),
        name,
        email,
        who,
        resume_link: a.secret().map(|s| {
            format!(
                "{}/appel/{}/reponse/{s}",
                st.config.base_url, a.call.data.slug
            )
        }),
        notice: v.notice,
        refusal: v.refusal,
    }
}

/// The answer as it stands, as pairs (with a partner's name and address
/// filled into the form's own `name` and e-mail questions when new).
fn current_pairs(a: &Answering) -> Pairs {
    match a.access.submission() {
        Some(s) => Pairs(answer_pairs(&s.answers)),
        None => {
            let mut pairs = Vec::new();
            if let Some(p) = &a.partner {
                let ids = identity_keys(&a.schema);
                if let Some(k) = ids.name {
                    pairs.push((k, p.name.clone()));
                }
                if let Some(k) = ids.email {
                    pairs.push((k, p.email.clone()));
                }
            }
            Pairs(pairs)
        }
    }
}

/// The page of an answer that can no longer change: thanks and a summary.
fn done_page(st: &AppState, ctx: &Ctx, a: &Answering, s: &Submission) -> DonePage {
    let m = ctx.m;
    let rows = a
        .schema
        .read(&s.answers)
        .into_iter()
        .filter(|r| r.answer.is_some())
        .map(|r| {
            let text = match r.answer {
                Some(Answer::Bool(true)) => m.fm_yes.to_owned(),
                Some(Answer::Bool(false)) => m.fm_no.to_owned(),
                _ => r.text.clone(),
            };
            (r.field.label.clone(), text)
        })
        .collect();
    let (heading, message) = match s.submitted_at {
        Some(at) if s.status != Status::Draft => (
            m.sb_thanks_title.to_owned(),
            fill(m.sb_thanks, &[("at", &time::datetime(ctx.locale, at))]),
        ),
        _ => (a.call.data.title.clone(), m.sb_not_editable.to_owned()),
    };
    DonePage {
        l: ctx.layout(heading.clone()),
        heading,
        message,
        status: s.status.label(ctx.locale),
        rows,
        resume_link: a.secret().map(|x| {
            format!(
                "{}/appel/{}/reponse/{x}",
                st.config.base_url, a.call.data.slug
            )
        }),
        call_url: format!("/appel/{}", a.call.data.slug),
        call_title: a.call.data.title.clone(),
        withdraw: (s.status.who(Status::Withdrawn) == Some(Actor::Submitter)).then(|| {
            match a.secret() {
                Some(x) => format!("/appel/{}/reponse/{x}/retrait", a.call.data.slug),
                None => format!("/appel/{}/merci/{}/retrait", a.call.data.slug, s.id),
            }
        }),
        withdraw_error: None,
    }
}

/// Draws the answer at `page` (GET).
fn show(st: &AppState, ctx: &Ctx, a: &Answering, q: &PageQuery) -> Result<Response, AppError> {
    if let Some(s) = a.access.submission()
        && !s.status.editable()
    {
        return html_status(StatusCode::OK, done_page(st, ctx, a, s));
    }
    let now = maillage_db::now();
    // Outside the window, a draft only shows why (a request for changes
    // may be answered after the closing date).
    let draft = a
        .access
        .submission()
        .is_none_or(|s| s.status == Status::Draft);
    let refusal = match a.call.window(now) {
        Err(w) if draft => Some(window_message(ctx, w)),
        _ => None,
    };
    let notice = q.saved.as_ref().map(|_| {
        if a.partner.is_some() && a.secret().is_none() {
            ctx.m.sb_saved_partner.to_owned()
        } else {
            ctx.m.sb_saved.to_owned()
        }
    });
    let pairs = current_pairs(a);
    let status = if refusal.is_some() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::OK
    };
    html_status(
        status,
        render(
            st,
            ctx,
            a,
            View {
                page: q.page.unwrap_or(0),
                pairs: &pairs,
                errors: FormErrors::new(),
                notice,
                refusal,
            },
        ),
    )
}

/// `GET /appel/{slug}/repondre`: the form; a partner's draft is resumed.
pub async fn start_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let call = call_by_slug(&st, &slug).await?;
    let draft = match partner_of(&st, &ctx).await? {
        Some(p) => partner_draft(&st, &call, &p).await?,
        None => None,
    };
    let a = answering(&st, &ctx, call, Access::Start(draft)).await?;
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
    let call = call_by_slug(&st, &slug).await?;
    let draft = match partner_of(&st, &ctx).await? {
        Some(p) => partner_draft(&st, &call, &p).await?,
        None => None,
    };
    let a = answering(&st, &ctx, call, Access::Start(draft)).await?;
    let sent = read_body(&st, req).await?;
    post(&st, &ctx, a, sent).await
}

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
    let sent = read_body(&st, req).await?;
    post(&st, &ctx, a, sent).await
}

/// `GET /appel/{slug}/merci/{id}`: a partner's submitted answer (their own).
pub async fn partner_done(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let call = call_by_slug(&st, &slug).await?;
    let p = partner_of(&st, &ctx).await?.ok_or(AppError::NotFound)?;
    let s = submissions::find(st.db.conn(), id)
        .await?
        .filter(|s| s.call_id == Some(call.id) && s.submitter.user_id == Some(p.user_id))
        .ok_or(AppError::NotFound)?;
    let a = answering(&st, &ctx, call, Access::Start(Some(s.clone()))).await?;
    html_status(StatusCode::OK, done_page(&st, &ctx, &a, &s))
}

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
    axum::Form(f): axum::Form<WithdrawForm>,
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
    axum::Form(f): axum::Form<WithdrawForm>,
) -> Result<Response, AppError> {
    let call = call_by_slug(&st, &slug).await?;
    let p = partner_of(&st, &ctx).await?.ok_or(AppError::NotFound)?;
    let s = submissions::find(st.db.conn(), id)
        .await?
        .filter(|s| s.call_id == Some(call.id) && s.submitter.user_id == Some(p.user_id))
        .ok_or(AppError::NotFound)?;
    let a = answering(&st, &ctx, call, Access::Start(Some(s))).await?;
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
                crate::mail_review::status_changed(
                    &st.config.base_url,
                    &changed,
                    &a.call.data.title,
                    None,
                ),
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Prev,
    Next,
    Save,
    Submit,
}

/// A refusal of a file, in words, with the limit or the types accepted.
fn file_error(ctx: &Ctx, kind: &Kind, e: &FieldError, size: usize) -> String {
    let m = ctx.m;
    match (e, kind) {
        (FieldError::FileTooLarge { max }, _) => fill(
            m.sb_file_too_large,
            &[
                (
                    "size",
                    &crate::features::forms::view::megabytes(ctx.locale, size as u64),
                ),
                (
                    "max",
                    &crate::features::forms::view::megabytes(ctx.locale, *max),
                ),
            ],
        ),
        (FieldError::FileType, Kind::File { types, .. }) => fill(
            m.sb_file_type,
            &[(
                "types",
                &types
                    .iter()
                    .map(|t: &FileKind| t.extension().to_uppercase())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        ),
        _ => field_error(m, e),
    }
}

/// The answers that are valid, when some are not: what the draft keeps.
fn valid_part(
    schema: &Schema,
    pairs: &[(String, String)],
    errors: &FieldErrors,
) -> Option<Answers> {
    let bad: HashSet<&str> = errors.iter().map(|(k, _)| k).collect();
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !bad.contains(k.as_str()))
        .cloned()
        .collect();
    schema.parse_draft(&kept).ok()
}

/// One POST of a page: store its files, save the page's answers as a
/// draft, then go back, on, stay (save for later) or submit.
async fn post(st: &AppState, ctx: &Ctx, a: Answering, sent: Sent) -> Result<Response, AppError> {
    let m = ctx.m;
    let now = maillage_db::now();
    let raw = Pairs(sent.pairs);
    let pages = a.schema.pages().len().max(1);
    let page = raw.get(PAGE).parse::<usize>().unwrap_or(0).min(pages - 1);
    let step = match raw.get(ACTION) {
        "prev" => Step::Prev,
        "save" => Step::Save,
        "submit" => Step::Submit,
        "next" => Step::Next,
        _ if page + 1 >= pages => Step::Submit,
        _ => Step::Next,
    };
    let existing = a.access.submission().cloned();
    if let Some(s) = &existing
        && !s.status.editable()
    {
        return html_status(StatusCode::CONFLICT, done_page(st, ctx, &a, s));
    }
    // What the answer becomes: the stored answers, this page's replaced
    // by what was sent (files aside: a file input sends no value).
    let on_page = page_keys(&a.schema, page);
    let file_keys: HashSet<String> = a
        .schema
        .fields()
        .filter(|f| matches!(f.kind, Kind::File { .. }))
        .map(|f| f.key.clone())
        .collect();
    let stored = existing
        .as_ref()
        .map(|s| answer_pairs(&s.answers))
        .unwrap_or_default();
    let mut pairs: Vec<(String, String)> = stored
        .iter()
        .filter(|(k, _)| !on_page.contains(k) || file_keys.contains(k.as_str()))
        .cloned()
        .collect();
    pairs.extend(
        raw.0
            .iter()
            .filter(|(k, _)| on_page.contains(k) && !file_keys.contains(k.as_str()))
            .cloned(),
    );
    let draft = existing.as_ref().is_none_or(|s| s.status == Status::Draft);
    // Outside the window nothing is stored: the page comes back with the
    // message and what was typed.
    if draft && let Err(w) = a.call.window(now) {
        return refused_page(st, ctx, &a, page, pairs, &raw, window_message(ctx, w));
    }
    let mut errors = FormErrors::new();
    // Who answers (a new anonymous answer).
    let ids = identity_keys(&a.schema);
    let mut submitter = None;
    if existing.is_none() {
        submitter = match &a.partner {
            Some(p) => Some(Submitter {
                name: p.name.clone(),
                email: p.email.clone(),
                locale: ctx.locale,
                organisation_id: Some(p.organisation_id),
                user_id: Some(p.user_id),
            }),
            None => {
                let mut e = FieldErrors::new();
                let name_key = ids.name.clone().unwrap_or_else(|| NAME.into());
                let email_key = ids.email.clone().unwrap_or_else(|| EMAIL.into());
                let name = e.check(&name_key, PersonName::parse(raw.get(&name_key)));
                let email = e.check(&email_key, Email::parse(raw.get(&email_key)));
                for (k, err) in e.iter() {
                    errors.add(k, field_error(m, err));
                }
                match (name, email) {
                    (Some(n), Some(e)) => Some(Submitter {
                        name: n.into_inner(),
                        email: e.into_inner(),
                        locale: ctx.locale,
                        organisation_id: None,
                        user_id: ctx.user.as_ref().map(|u| u.id),
                    }),
                    _ => None,
                }
            }
        };
        if submitter.is_none() {
            if !sent.files.iter().all(|(_, _, b)| b.is_empty()) {
                errors.general = Some(m.sb_file_again.to_owned());
            }
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    st,
                    ctx,
                    &a,
                    View {
                        page,
                        pairs: &Pairs(with_identity(pairs, &raw)),
                        errors,
                        notice: None,
                        refusal: None,
                    },
                ),
            );
        }
    }
    let tx = st.db.write().await?;
    // The submission: started now if new.
    let (sub, new_secret) = match existing {
        Some(s) => (s, None),
        None => {
            let who = submitter.ok_or(AppError::Internal)?;
            match submissions::start(&tx, &a.call, &who, &Answers::default(), now).await? {
                Ok((s, secret)) => (s, Some(secret)),
                Err(r) => {
                    drop(tx);
                    return refusal(st, ctx, &a, page, pairs, &raw, r);
                }
            }
        }
    };
    // Files of this page: stored, replacing what they answered before.
    let mut replaced = Vec::new();
    for (key, file_name, bytes) in &sent.files {
        if bytes.is_empty() || !on_page.contains(key) {
            continue;
        }
        let Some(f) = a.schema.field(key) else {
            continue;
        };
        match uploads::insert(&tx, sub.id, key, &f.kind, file_name, bytes, now).await? {
            Ok(u) => {
                if let Some(Answer::File(old)) = sub.answers.get(key) {
                    replaced.push(old.upload_id);
                }
                pairs.retain(|(k, _)| k != key);
                pairs.push((key.clone(), format!("{}:{}", u.id, u.filename)));
            }
            Err(e) => errors.add(key, file_error(ctx, &f.kind, &e, bytes.len())),
        }
    }
    // Checked as the step asks: a draft, this page's required questions,
    // or everything.
    let parsed = match step {
        Step::Prev | Step::Save => a.schema.parse_draft(&pairs),
        Step::Next => a.schema.parse_answers(&pairs, Some(page)),
        Step::Submit => a.schema.parse_answers(&pairs, None),
    };
    let answers = match parsed {
        Ok(ans) => Some(ans),
        Err(e) => {
            for (k, err) in e.iter() {
                if errors.get(k).is_none() {
                    errors.add(k, field_error(m, err));
                }
            }
            None
        }
    };
    // What is valid is saved even when something is not.
    let to_save = match &answers {
        Some(ans) if errors.is_empty() => ans.clone(),
        _ => {
            let mut e = FieldErrors::new();
            for (k, _) in errors.fields() {
                e.add(k.clone(), FieldError::Required);
            }
            valid_part(&a.schema, &pairs, &e).unwrap_or_else(|| sub.answers.clone())
        }
    };
    match submissions::save_answers(&tx, sub.id, &to_save, now).await? {
        Ok(_) => {}
        Err(r) => {
            drop(tx);
            return refusal(st, ctx, &a, page, pairs, &raw, r);
        }
    }
    for id in replaced {
        if !to_save.uploads().contains(&id) {
            uploads::delete(&tx, id).await?;
        }
    }
    let secret = new_secret.or_else(|| a.secret().map(str::to_owned));
    // Where the answer goes on: its secret link, or for a partner the
    // page that finds their draft by their login.
    let by_link = match (&a.access, &secret) {
        (Access::Secret(..), Some(s)) => Some(s.clone()),
        (Access::Start(_), Some(s)) if a.partner.is_none() => Some(s.clone()),
        _ => None,
    };
    let base = match &by_link {
        Some(s) => format!("/appel/{}/reponse/{s}", a.call.data.slug),
        None => format!("/appel/{}/repondre", a.call.data.slug),
    };
    if !errors.is_empty() {
        tx.commit().await?;
        // The page of the first message, for a submission of every page.
        let shown = errors
            .fields()
            .iter()
            .find_map(|(k, _)| page_of(&a.schema, k))
            .filter(|_| step == Step::Submit)
            .unwrap_or(page);
        let a = Answering {
            access: match by_link.clone() {
                Some(s) => Access::Secret(sub_after(st, sub.id).await?, s),
                None => Access::Start(Some(sub_after(st, sub.id).await?)),
            },
            ..a
        };
        // Files kept show their name again.
        let mut shown_pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(k, _)| !file_keys.contains(k.as_str()))
            .collect();
        if let Some(s) = a.access.submission() {
            shown_pairs.extend(
                answer_pairs(&s.answers)
                    .into_iter()
                    .filter(|(k, _)| file_keys.contains(k.as_str())),
            );
        }
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                st,
                ctx,
                &a,
                View {
                    page: shown,
                    pairs: &Pairs(shown_pairs),
                    errors,
                    notice: None,
                    refusal: None,
                },
            ),
        );
    }
    let link = format!("{}{base}", st.config.base_url);
    match step {
        Step::Prev => {
            tx.commit().await?;
            Ok(redirect(
                &format!("{base}?page={}", page.saturating_sub(1)),
                [],
            ))
        }
        Step::Next => {
            tx.commit().await?;
            Ok(redirect(
                &format!("{base}?page={}", (page + 1).min(pages - 1)),
                [],
            ))
        }
        Step::Save => {
            let mail = CallMail {
                locale: sub.submitter.locale,
                name: &sub.submitter.name,
                email: &sub.submitter.email,
                call: &a.call.data.title,
                link: &link,
            };
            let closes = time::datetime(sub.submitter.locale, a.call.data.closes_at);
            outbox::enqueue(&tx, mail_forms::resume_link(&mail, &closes), now).await?;
            tx.commit().await?;
            Ok(redirect(&format!("{base}?page={page}&saved=1"), []))
        }
        Step::Submit => {
            let done = match submissions::submit(&tx, sub.id, now).await? {
                Ok(s) => s,
                Err(r) => {
                    drop(tx);
                    return refusal(st, ctx, &a, page, pairs, &raw, r);
                }
            };
            let (thanks, link) = match &by_link {
                Some(_) => (base.clone(), link),
                _ => {
                    let url = format!("/appel/{}/merci/{}", a.call.data.slug, done.id);
                    (url.clone(), format!("{}{url}", st.config.base_url))
                }
            };
            let mail = CallMail {
                locale: done.submitter.locale,
                name: &done.submitter.name,
                email: &done.submitter.email,
                call: &a.call.data.title,
                link: &link,
            };
            let copy = mail_forms::copy_of_answers(done.submitter.locale, &a.schema, &done.answers);
            let at = time::datetime(done.submitter.locale, done.submitted_at.unwrap_or(now));
            outbox::enqueue(&tx, mail_forms::confirmation(&mail, &at, &copy), now).await?;
            tx.commit().await?;
            Ok(redirect(&thanks, []))
        }
    }
}

async fn sub_after(st: &AppState, id: i64) -> Result<Submission, AppError> {
    submissions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The identity fields sent, kept beside the answers to draw them again.
fn with_identity(mut pairs: Vec<(String, String)>, raw: &Pairs) -> Vec<(String, String)> {
    for k in [NAME, EMAIL] {
        pairs.push((k.to_owned(), raw.get(k).to_owned()));
    }
    pairs
}

/// The page again, refused: nothing was stored.
fn refused_page(
    st: &AppState,
    ctx: &Ctx,
    a: &Answering,
    page: usize,
    pairs: Vec<(String, String)>,
    raw: &Pairs,
    message: String,
) -> Result<Response, AppError> {
    html_status(
        StatusCode::FORBIDDEN,
        render(
            st,
            ctx,
            a,
            View {
                page,
                pairs: &Pairs(with_identity(pairs, raw)),
                errors: FormErrors::new(),
                notice: None,
                refusal: Some(message),
            },
        ),
    )
}

fn refusal(
    st: &AppState,
    ctx: &Ctx,
    a: &Answering,
    page: usize,
    pairs: Vec<(String, String)>,
    raw: &Pairs,
    r: Refusal,
) -> Result<Response, AppError> {
    let message = match r {
        Refusal::NotYetOpen(t) => window_message(ctx, Window::NotYetOpen(t)),
        Refusal::Closed(t) => window_message(ctx, Window::Closed(t)),
        Refusal::NotFound => return Err(AppError::NotFound),
        Refusal::ForeignUpload => return Err(AppError::BadRequest(None)),
        _ => ctx.m.sb_not_editable.to_owned(),
    };
    refused_page(st, ctx, a, page, pairs, raw, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_pairs_again() {
        let mut a = Answers::default();
        a.insert("t", Answer::Text("x".into()));
        a.insert("n", Answer::Number(4.0));
        a.insert("cs", Answer::Choices(vec!["a".into(), "b".into()]));
        a.insert("b", Answer::Bool(false));
        let p = answer_pairs(&a);
        assert!(p.contains(&("n".into(), "4".into())));
        assert!(p.contains(&("cs".into(), "a".into())) && p.contains(&("cs".into(), "b".into())));
        assert!(p.contains(&("b".into(), "no".into())));
    }
}
