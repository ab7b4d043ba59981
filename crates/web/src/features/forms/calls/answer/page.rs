//! The pages of an answer: one page of the form with what was typed and
//! the messages, and the page of an answer that can no longer change
//! (thanks, a summary, the withdrawal form while it is allowed).

use super::{Answering, Partner};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::view::{QItem, view_items};
use crate::forms::{FormErrors, Pairs};
use crate::i18n::fill;
use crate::shared::html_status;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::calls::Window;
use maillage_db::forms::submissions::Submission;
use maillage_domain::forms::review::{Actor, Status};
use maillage_domain::forms::{Answer, Answers, Item, Kind, Schema, format_number};
use serde::Deserialize;

/// The stored answers as form pairs, to draw them again.
pub(super) fn answer_pairs(a: &Answers) -> Vec<(String, String)> {
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
pub(super) fn page_keys(schema: &Schema, page: usize) -> Vec<String> {
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
pub(super) fn page_of(schema: &Schema, key: &str) -> Option<usize> {
    (0..schema.pages().len()).find(|p| page_keys(schema, *p).iter().any(|k| k == key))
}

/// Which questions of the form give the submitter's name and e-mail
/// (an anonymous applicant): fields `name` and of kind e-mail on the first
/// page, so nobody is asked twice; otherwise the page asks for them.
pub(super) struct IdentityKeys {
    pub name: Option<String>,
    pub email: Option<String>,
}

pub(super) fn identity_keys(schema: &Schema) -> IdentityKeys {
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

#[derive(Template)]
#[template(path = "forms/calls/answer/form.html")]
pub(super) struct AnswerPage {
    l: Layout,
    action: String,
    window: String,
    /// How long applications not retained are kept.
    retention: String,
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
#[template(path = "forms/calls/answer/done.html")]
pub(super) struct DonePage {
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
    pub withdraw_error: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<usize>,
    saved: Option<String>,
}

/// The message of a window that refuses answers.
pub(super) fn window_message(ctx: &Ctx, w: Window) -> String {
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

/// What a page of the form shows.
#[derive(Default)]
pub(super) struct View<'a> {
    pub page: usize,
    /// The answers, as sent or stored.
    pub pairs: &'a [(String, String)],
    /// The name and e-mail typed by a new anonymous submitter.
    pub name: String,
    pub email: String,
    pub errors: FormErrors,
    pub notice: Option<String>,
    /// Refused by the window: the message.
    pub refusal: Option<String>,
}

pub(super) fn render(st: &AppState, ctx: &Ctx, a: &Answering, v: View<'_>) -> AnswerPage {
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
    let or = |typed: String, default: String| if typed.is_empty() { default } else { typed };
    let name = or(v.name, default_name);
    let email = or(v.email, default_email);
    AnswerPage {
        l: ctx.layout(a.call.data.title.clone()),
        action: a.url(),
        window: fill(
            m.fm_call_open,
            &[("closes", &time::datetime(ctx.locale, a.call.data.closes_at))],
        ),
        retention: fill(
            m.sb_retention,
            &[("months", &a.call.data.retention_months.to_string())],
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
        items: view_items(ctx, &a.schema, shown, &Pairs(v.pairs.to_vec()), &v.errors),
        errors: {
            let mut e = v.errors;
            e.name_fields(
                ctx.locale,
                a.schema
                    .fields()
                    .map(|f| (f.key.as_str(), f.label.as_str())),
            );
            e
        },
        ask_name: anonymous_new && page == 0 && ids.name.is_none(),
        ask_email: anonymous_new && page == 0 && ids.email.is_none(),
        name,
        email,
        who,
        resume_link: a.resume_link(st),
        notice: v.notice,
        refusal: v.refusal,
    }
}

/// The answer as it stands, as pairs (with a partner's name and address
/// filled into the form's own `name` and e-mail questions when new).
fn current_pairs(a: &Answering) -> Vec<(String, String)> {
    match a.access.submission() {
        Some(s) => answer_pairs(&s.answers),
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
            pairs
        }
    }
}

/// The page of an answer that can no longer change: thanks and a summary.
pub(super) fn done_page(st: &AppState, ctx: &Ctx, a: &Answering, s: &Submission) -> DonePage {
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
        resume_link: a.resume_link(st),
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
pub(super) fn show(
    st: &AppState,
    ctx: &Ctx,
    a: &Answering,
    q: &PageQuery,
) -> Result<Response, AppError> {
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
    let notice = q.saved.as_deref().map(|saved| {
        if saved == "nomail" {
            ctx.m.sb_saved_no_mail.to_owned()
        } else if saved == "later" {
            ctx.m.sb_submit_later.to_owned()
        } else if a.partner.is_some() && a.secret().is_none() {
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
                notice,
                refusal,
                ..Default::default()
            },
        ),
    )
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
