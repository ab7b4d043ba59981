//! One POST of a page of an answer: who answers (a new anonymous answer
//! gives a name and an e-mail), the page's files stored, its answers saved
//! as a draft (what is valid is kept even when something is not), then
//! back, on, save for later (the resume link e-mailed) or submit (the
//! confirmation e-mailed with a copy of the answers).

use super::page::{
    View, answer_pairs, done_page, identity_keys, page_keys, page_of, render, window_message,
};
use super::{Access, Answering, sub_after};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::features::forms::mail::{self, CallMail};
use crate::features::forms::view::megabytes;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::{field_error, fill};
use crate::ratelimit::RateLimit;
use crate::shared::{html_status, limits, redirect};
use crate::state::AppState;
use crate::time;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::forms::calls::Window;
use maillage_db::forms::submissions::{self, Refusal, Submission, Submitter};
use maillage_db::forms::uploads;
use maillage_db::{WriteTx, outbox};
use maillage_domain::forms::review::Status;
use maillage_domain::forms::{Answer, Answers, FileKind, Kind, Schema};
use maillage_domain::{Email, FieldError, FieldErrors, PersonName};
use serde::Deserialize;
use std::collections::HashSet;

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

/// The fields of the page itself, beside the questions of the form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PageFields {
    /// The page sent, from 0.
    #[serde(rename = "_page")]
    page: String,
    /// The button: prev, next, save or submit.
    #[serde(rename = "_action")]
    action: String,
    /// A new anonymous submitter, when the form does not ask for them.
    #[serde(rename = "_name")]
    name: String,
    #[serde(rename = "_email")]
    email: String,
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
                ("size", &megabytes(ctx.locale, size as u64)),
                ("max", &megabytes(ctx.locale, *max)),
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

/// The request of one POST, read: the answer it changes, what was sent,
/// the page and the step.
struct Post<'a> {
    st: &'a AppState,
    ctx: &'a Ctx,
    a: Answering,
    fields: PageFields,
    /// The answers sent, as they came (the form's questions are dynamic).
    raw: Pairs,
    files: Vec<(String, String, Vec<u8>)>,
    page: usize,
    pages: usize,
    step: Step,
    now: DateTime<Utc>,
}

impl Post<'_> {
    /// The page again with `errors` (or the `refusal` of the window), the
    /// answers `pairs` and the name and e-mail typed.
    fn page(
        &self,
        status: StatusCode,
        pairs: &[(String, String)],
        errors: FormErrors,
        refusal: Option<String>,
    ) -> Result<Response, AppError> {
        let view = View {
            page: self.page,
            pairs,
            name: self.fields.name.clone(),
            email: self.fields.email.clone(),
            errors,
            notice: None,
            refusal,
        };
        html_status(status, render(self.st, self.ctx, &self.a, view))
    }

    /// The page again, refused by `r`: nothing was stored.
    fn refused(&self, pairs: &[(String, String)], r: Refusal) -> Result<Response, AppError> {
        let message = match r {
            Refusal::NotYetOpen(t) => window_message(self.ctx, Window::NotYetOpen(t)),
            Refusal::Closed(t) => window_message(self.ctx, Window::Closed(t)),
            Refusal::NotFound => return Err(AppError::NotFound),
            Refusal::ForeignUpload => return Err(AppError::BadRequest(None)),
            Refusal::TooManyDrafts => self.ctx.m.sb_too_many_drafts.to_owned(),
            _ => self.ctx.m.sb_not_editable.to_owned(),
        };
        self.page(
            StatusCode::FORBIDDEN,
            pairs,
            FormErrors::new(),
            Some(message),
        )
    }

    /// Who answers, for a new answer: the partner, or the name and
    /// e-mail typed (their messages in `errors` when refused).
    fn submitter(&self, errors: &mut FormErrors) -> Option<Submitter> {
        let ctx = self.ctx;
        if let Some(p) = &self.a.partner {
            return Some(Submitter {
                name: p.name.clone(),
                email: p.email.clone(),
                locale: ctx.locale,
                organisation_id: Some(p.organisation_id),
                user_id: Some(p.user_id),
            });
        }
        // The form's own questions when it asks for them, else the page's.
        let ids = identity_keys(&self.a.schema);
        let typed = |key: &Option<String>, own: &'static str, typed: &str| match key {
            Some(k) => (k.clone(), self.raw.get(k).to_owned()),
            None => (own.to_owned(), typed.to_owned()),
        };
        let (name_key, name) = typed(&ids.name, "_name", &self.fields.name);
        let (email_key, email) = typed(&ids.email, "_email", &self.fields.email);
        let mut e = FieldErrors::new();
        let name = e.check(&name_key, PersonName::parse(&name));
        let email = e.check(&email_key, Email::parse(&email));
        for (k, err) in e.iter() {
            errors.add(k, field_error(ctx.m, err));
        }
        Some(Submitter {
            name: name?.into_inner(),
            email: email?.into_inner(),
            locale: ctx.locale,
            organisation_id: None,
            user_id: ctx.user.as_ref().map(|u| u.id),
        })
    }

    /// What the answer becomes: the stored answers, this page's replaced
    /// by what was sent (files aside: a file input sends no value).
    fn merged(
        &self,
        existing: Option<&Submission>,
        on_page: &[String],
        file_keys: &HashSet<String>,
    ) -> Vec<(String, String)> {
        let stored = existing
            .map(|s| answer_pairs(&s.answers))
            .unwrap_or_default();
        let file = |k: &str| file_keys.contains(k);
        let mut pairs: Vec<(String, String)> = stored
            .into_iter()
            .filter(|(k, _)| !on_page.contains(k) || file(k))
            .collect();
        let sent = self.raw.0.iter();
        pairs.extend(
            sent.filter(|(k, _)| on_page.contains(k) && !file(k))
                .cloned(),
        );
        pairs
    }

    /// The answers checked as the step asks (a draft, this page's required
    /// questions, or everything), their messages added to `errors`; what
    /// is saved: all of them, or when something is refused what is valid.
    fn checked(
        &self,
        pairs: &[(String, String)],
        errors: &mut FormErrors,
        sub: &Submission,
    ) -> Answers {
        let schema = &self.a.schema;
        // A proposed session's commune must name one commune: the
        // accepted proposal places its session there.
        for (k, v) in pairs {
            if maillage_domain::forms::is_commune_key(k)
                && !v.trim().is_empty()
                && let Err(e) = maillage_directory::commune::resolve(v, None)
                && errors.get(k).is_none()
            {
                errors.add(k, field_error(self.ctx.m, &e));
            }
        }
        let parsed = match self.step {
            Step::Prev | Step::Save => schema.parse_draft(pairs),
            Step::Next => schema.parse_answers(pairs, Some(self.page)),
            Step::Submit => schema.parse_answers(pairs, None),
        };
        match parsed {
            Ok(answers) if errors.is_empty() => return answers,
            Ok(_) => {}
            Err(e) => {
                for (k, err) in e.iter() {
                    if errors.get(k).is_none() {
                        errors.add(k, field_error(self.ctx.m, err));
                    }
                }
            }
        }
        let mut refused = FieldErrors::new();
        for (k, _) in errors.fields() {
            refused.add(k.clone(), FieldError::Required);
        }
        valid_part(schema, pairs, &refused).unwrap_or_else(|| sub.answers.clone())
    }
}

/// One POST of a page: store its files, save the page's answers as a
/// draft, then go back, on, stay (save for later) or submit.
pub(super) async fn post(
    st: &AppState,
    ctx: &Ctx,
    a: Answering,
    req: Request,
) -> Result<Response, AppError> {
    let sent = read_body(st, req).await?;
    let raw = Pairs(sent.pairs);
    let fields: PageFields = raw.parse()?;
    let pages = a.schema.pages().len().max(1);
    let page = fields.page.parse::<usize>().unwrap_or(0).min(pages - 1);
    let step = match fields.action.as_str() {
        "prev" => Step::Prev,
        "save" => Step::Save,
        "submit" => Step::Submit,
        "next" => Step::Next,
        _ if page + 1 >= pages => Step::Submit,
        _ => Step::Next,
    };
    let p = Post {
        st,
        ctx,
        a,
        fields,
        raw,
        files: sent.files,
        page,
        pages,
        step,
        now: maillage_db::now(),
    };
    if let Some(s) = p.a.access.submission()
        && !s.status.editable()
    {
        return html_status(StatusCode::CONFLICT, done_page(st, ctx, &p.a, s));
    }
    let on_page = page_keys(&p.a.schema, page);
    let file_keys = file_keys(&p.a.schema);
    let existing = p.a.access.submission().cloned();
    let mut pairs = p.merged(existing.as_ref(), &on_page, &file_keys);
    let draft = existing.as_ref().is_none_or(|s| s.status == Status::Draft);
    // Outside the window nothing is stored: the page comes back with the
    // message and what was typed.
    if draft && let Err(w) = p.a.call.window(p.now) {
        let message = window_message(ctx, w);
        return p.page(
            StatusCode::FORBIDDEN,
            &pairs,
            FormErrors::new(),
            Some(message),
        );
    }
    let mut errors = FormErrors::new();
    let submitter = match existing {
        Some(_) => None,
        None => match p.submitter(&mut errors) {
            Some(who) => Some(who),
            None => {
                if !p.files.iter().all(|(_, _, b)| b.is_empty()) {
                    errors.general = Some(ctx.m.sb_file_again.to_owned());
                }
                return p.page(StatusCode::UNPROCESSABLE_ENTITY, &pairs, errors, None);
            }
        },
    };
    let now = p.now;
    let tx = st.db.write().await?;
    // The submission: started now if new.
    let (sub, new_secret) = match (existing, submitter) {
        (Some(s), _) => (s, None),
        (None, who) => {
            let who = who.ok_or(AppError::Internal)?;
            match submissions::start(&tx, &p.a.call, &who, &Answers::default(), now).await? {
                Ok((s, secret)) => (s, Some(secret)),
                Err(r) => {
                    drop(tx);
                    return p.refused(&pairs, r);
                }
            }
        }
    };
    let replaced = store_files(&p, &tx, &sub, &on_page, &mut pairs, &mut errors).await?;
    let to_save = p.checked(&pairs, &mut errors, &sub);
    if let Err(r) = submissions::save_answers(&tx, sub.id, &to_save, now).await? {
        drop(tx);
        return p.refused(&pairs, r);
    }
    for id in replaced {
        if !to_save.uploads().contains(&id) {
            uploads::delete(&tx, id).await?;
        }
    }
    let secret = new_secret.or_else(|| p.a.secret().map(str::to_owned));
    // Where the answer goes on: its secret link, or for a partner the
    // page that finds their draft by their login.
    let by_link = match (&p.a.access, secret) {
        (Access::Secret(..), Some(s)) => Some(s),
        (Access::Start(_), Some(s)) if p.a.partner.is_none() => Some(s),
        _ => None,
    };
    if !errors.is_empty() {
        tx.commit().await?;
        return again(p, sub.id, by_link, pairs, errors).await;
    }
    go_on(p, tx, sub, by_link, &pairs).await
}

/// The keys of the form's file questions.
fn file_keys(schema: &Schema) -> HashSet<String> {
    schema
        .fields()
        .filter(|f| matches!(f.kind, Kind::File { .. }))
        .map(|f| f.key.clone())
        .collect()
}

/// Stores the files sent for the page's questions; each one answers its
/// question in `pairs` (a refused one gets its message in `errors`).
/// Returns the uploads the new files replace.
async fn store_files(
    p: &Post<'_>,
    tx: &WriteTx,
    sub: &Submission,
    on_page: &[String],
    pairs: &mut Vec<(String, String)>,
    errors: &mut FormErrors,
) -> Result<Vec<i64>, AppError> {
    let now = p.now;
    let mut replaced = Vec::new();
    for (key, file_name, bytes) in &p.files {
        if bytes.is_empty() || !on_page.contains(key) {
            continue;
        }
        let Some(f) = p.a.schema.field(key) else {
            continue;
        };
        match uploads::insert(tx, sub.id, key, &f.kind, file_name, bytes, now).await? {
            Ok(u) => {
                if let Some(Answer::File(old)) = sub.answers.get(key) {
                    replaced.push(old.upload_id);
                }
                pairs.retain(|(k, _)| k != key);
                pairs.push((key.clone(), format!("{}:{}", u.id, u.filename)));
            }
            Err(e) => errors.add(key, file_error(p.ctx, &f.kind, &e, bytes.len())),
        }
    }
    Ok(replaced)
}

/// The page again with the messages, after what was valid was saved: the
/// page of the first message for a submission of every page, the files
/// kept showing their names.
async fn again(
    p: Post<'_>,
    id: i64,
    by_link: Option<String>,
    pairs: Vec<(String, String)>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let shown = errors
        .fields()
        .iter()
        .find_map(|(k, _)| page_of(&p.a.schema, k))
        .filter(|_| p.step == Step::Submit)
        .unwrap_or(p.page);
    let now = sub_after(p.st, id).await?;
    let file_keys = file_keys(&p.a.schema);
    let mut shown_pairs: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| !file_keys.contains(k.as_str()))
        .collect();
    shown_pairs.extend(
        answer_pairs(&now.answers)
            .into_iter()
            .filter(|(k, _)| file_keys.contains(k.as_str())),
    );
    let p = Post {
        a: Answering {
            access: match by_link {
                Some(s) => Access::Secret(now, s),
                None => Access::Start(Some(now)),
            },
            ..p.a
        },
        page: shown,
        ..p
    };
    p.page(StatusCode::UNPROCESSABLE_ENTITY, &shown_pairs, errors, None)
}

/// Once the page is saved: back, on, stay (the resume link e-mailed) or
/// submit (the confirmation e-mailed with a copy of the answers).
async fn go_on(
    p: Post<'_>,
    tx: WriteTx,
    sub: Submission,
    by_link: Option<String>,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let (st, a, page, now) = (p.st, &p.a, p.page, p.now);
    let base = match &by_link {
        Some(s) => format!("/appel/{}/reponse/{s}", a.call.data.slug),
        None => format!("/appel/{}/repondre", a.call.data.slug),
    };
    let link = format!("{}{base}", st.config.base_url);
    // Each e-mail goes to an address the sender typed: a few an hour per
    // client and per address, so that the form cannot flood a mailbox.
    let mailing = matches!(p.step, Step::Save | Step::Submit);
    let may_mail = !mailing || !mail_limited(&tx, p.ctx, &sub.submitter.email, now).await?;
    let to = match p.step {
        Step::Prev => format!("{base}?page={}", page.saturating_sub(1)),
        Step::Next => format!("{base}?page={}", (page + 1).min(p.pages - 1)),
        Step::Save => {
            let mail = CallMail {
                locale: sub.submitter.locale,
                name: &sub.submitter.name,
                email: &sub.submitter.email,
                call: &a.call.data.title,
                link: &link,
            };
            let closes = time::datetime(sub.submitter.locale, a.call.data.closes_at);
            if !may_mail {
                // Saved all the same; the page's address is the link.
                tx.commit().await?;
                return Ok(redirect(&format!("{base}?page={page}&saved=nomail"), []));
            }
            outbox::enqueue(&tx, mail::resume_link(&mail, &closes), now).await?;
            format!("{base}?page={page}&saved=1")
        }
        Step::Submit if !may_mail => {
            // Too many e-mails: the draft is kept, to be sent later.
            tx.commit().await?;
            return Ok(redirect(&format!("{base}?page={page}&saved=later"), []));
        }
        Step::Submit => {
            let done = match submissions::submit(&tx, sub.id, now).await? {
                Ok(s) => s,
                Err(r) => {
                    drop(tx);
                    return p.refused(pairs, r);
                }
            };
            let (thanks, link) = match &by_link {
                Some(_) => (base.clone(), link),
                None => {
                    let url = format!("/appel/{}/merci/{}", a.call.data.slug, done.id);
                    (url.clone(), format!("{}{url}", st.config.base_url))
                }
            };
            let locale = done.submitter.locale;
            let mail = CallMail {
                locale,
                name: &done.submitter.name,
                email: &done.submitter.email,
                call: &a.call.data.title,
                link: &link,
            };
            let copy = mail::copy_of_answers(locale, &a.schema, &done.answers);
            let at = time::datetime(locale, done.submitted_at.unwrap_or(now));
            outbox::enqueue(&tx, mail::confirmation(&mail, &at, &copy), now).await?;
            let (call, name) = (&a.call.data.title, &done.submitter.name);
            crate::shared::team_mail::call_answer(&tx, st, call, done.id, name).await?;
            thanks
        }
    };
    tx.commit().await?;
    Ok(redirect(&to, []))
}

/// E-mails of answers to calls: per client address, and per address
/// mailed (whoever sends).
const MAILS_PER_CLIENT: RateLimit = RateLimit {
    max: 10,
    per: std::time::Duration::from_secs(3600),
};
const MAILS_PER_ADDRESS: RateLimit = RateLimit {
    max: 5,
    per: std::time::Duration::from_secs(3600),
};

/// Whether an e-mail to `to` is over the limits (counted in the
/// transaction of the change that sends it).
async fn mail_limited(
    tx: &WriteTx,
    ctx: &Ctx,
    to: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let client = limits::client_key("call-mail", ctx.ip.as_deref());
    if limits::hit(tx, &client, Some(MAILS_PER_CLIENT), now)
        .await?
        .is_some()
    {
        return Ok(true);
    }
    let address = format!("call-mail-to:{}", to.to_lowercase());
    Ok(limits::hit(tx, &address, Some(MAILS_PER_ADDRESS), now)
        .await?
        .is_some())
}
