//! Personal links of a questionnaire answered once per link
//! (`/team/questionnaires/{id}/liens`): the team e-mails one to each
//! address of a list, or downloads a number of them to print (one per
//! pupil of a class, say). Each link answers once; only digests are kept
//! and nothing records which address got which link, so responses stay
//! anonymous.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::find_questionnaire;
use crate::forms::{Choice, FormErrors, Typed};
use crate::i18n::{fill, messages};
use crate::shared::download::download;
use crate::shared::{audit, html_status, redirect};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::{Form, links};
use maillage_db::outbox::{self, NewMail};
use maillage_domain::{Email, Locale};
use serde::Deserialize;

/// Addresses e-mailed at once.
const MAX_ADDRESSES: usize = 500;

#[derive(Template)]
#[template(path = "forms/questionnaires/links.html")]
struct LinksPage {
    l: Layout,
    id: i64,
    one_per_link: bool,
    issued: String,
    answered: String,
    sent: Option<String>,
    addresses: String,
    langs: Vec<Choice>,
    count: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    envoyes: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SendForm {
    addresses: String,
    lang: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PrintForm {
    count: String,
}

struct Shown<'a> {
    addresses: &'a str,
    lang: Locale,
    count: &'a str,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    typed: Shown<'_>,
    sent: Option<usize>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let n = links::counts(st.db.conn(), f.id).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html_status(
        status,
        LinksPage {
            l: ctx.layout(fill(m.ql_page_title, &[("title", &f.data.title)])),
            id: f.id,
            one_per_link: f.data.one_per_link,
            issued: int(ctx.locale, n.issued),
            answered: int(ctx.locale, n.answered),
            sent: sent.map(|k| fill(m.ql_sent, &[("n", &k.to_string())])),
            addresses: typed.addresses.to_owned(),
            langs: Locale::ALL
                .iter()
                .map(|l| Choice::new(l.as_str(), language_name(*l), *l == typed.lang))
                .collect(),
            count: typed.count.to_owned(),
            errors,
        },
    )
}

fn int(l: Locale, n: u64) -> String {
    maillage_reports::text::int(l, i64::try_from(n).unwrap_or(i64::MAX))
}

/// A language by its own name, as language menus show it.
fn language_name(l: Locale) -> &'static str {
    match l {
        Locale::Fr => "Français",
        Locale::En => "English",
    }
}

/// `GET /team/questionnaires/{id}/liens`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    let typed = Shown {
        addresses: "",
        lang: ctx.locale,
        count: "30",
    };
    page(&st, &ctx, &f, typed, done.envoyes, FormErrors::new()).await
}

/// The addresses of a list typed one per line (or separated by commas or
/// semicolons), each once; the lines that are no address, quoted.
fn parse_addresses(text: &str) -> (Vec<Email>, Vec<String>) {
    let mut good: Vec<Email> = Vec::new();
    let mut bad = Vec::new();
    for part in text.split(['\n', ',', ';']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        match Email::parse(part) {
            Ok(e) if !good.contains(&e) => good.push(e),
            Ok(_) => {}
            Err(_) => bad.push(part.to_owned()),
        }
    }
    (good, bad)
}

/// The e-mail carrying one personal link.
fn link_mail(locale: Locale, to: &Email, title: &str, url: &str) -> NewMail {
    let m = messages(locale);
    NewMail {
        to_addr: to.as_str().to_owned(),
        to_name: None,
        subject: fill(m.mail_ql_subject, &[("title", title)]),
        body_text: fill(m.mail_ql_body, &[("title", title), ("link", url)]),
        body_html: None,
        ics: None,
    }
}

/// `POST /team/questionnaires/{id}/liens/envoyer`: one new link e-mailed to
/// each address.
pub async fn send(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(form): Typed<SendForm>,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    let m = ctx.m;
    let lang = Locale::parse(&form.lang).unwrap_or(ctx.locale);
    let typed = Shown {
        addresses: &form.addresses,
        lang,
        count: "30",
    };
    let (good, bad) = parse_addresses(&form.addresses);
    let mut errors = FormErrors::new();
    if !f.data.one_per_link {
        errors.general = Some(m.ql_not_one_per_link.to_owned());
    } else if !bad.is_empty() {
        let list = bad.join(", ");
        errors.add("addresses", fill(m.ql_err_bad, &[("list", &list)]));
    } else if good.is_empty() {
        errors.add("addresses", m.ql_err_none.to_owned());
    } else if good.len() > MAX_ADDRESSES {
        let max = MAX_ADDRESSES.to_string();
        errors.add("addresses", fill(m.ql_err_too_many, &[("max", &max)]));
    }
    if !errors.is_empty() {
        return page(&st, &ctx, &f, typed, None, errors).await;
    }
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let tokens = links::issue(&tx, f.id, good.len(), now).await?;
    for (to, token) in good.iter().zip(&tokens) {
        let url = format!("{}/q/{}?lien={token}", st.config.base_url, f.public_key);
        outbox::enqueue(&tx, link_mail(lang, to, &f.data.title, &url), now).await?;
    }
    let summary = fill(
        messages(Locale::Fr).ql_audit_sent,
        &[("n", &good.len().to_string()), ("title", &f.data.title)],
    );
    let changes = serde_json::json!({ "links_sent": good.len() });
    audit::record(&tx, &ctx, ("update", "form", f.id), summary, changes, now).await?;
    tx.commit().await?;
    st.mail_wakeup.notify_one();
    Ok(redirect(
        &format!("/team/questionnaires/{id}/liens?envoyes={}", good.len()),
        [],
    ))
}

/// `POST /team/questionnaires/{id}/liens.csv`: that many new links, as a
/// CSV file to print or merge (they are shown only in it).
pub async fn print(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(form): Typed<PrintForm>,
) -> Result<Response, AppError> {
    let f = find_questionnaire(&st, id).await?;
    let m = ctx.m;
    let count = form.count.trim().parse::<usize>().ok();
    let mut errors = FormErrors::new();
    if !f.data.one_per_link {
        errors.general = Some(m.ql_not_one_per_link.to_owned());
    } else if !count.is_some_and(|n| (1..=links::MAX_AT_ONCE).contains(&n)) {
        let max = links::MAX_AT_ONCE.to_string();
        errors.add("count", fill(m.ql_err_count, &[("max", &max)]));
    }
    let Some(n) = count.filter(|_| errors.is_empty()) else {
        let typed = Shown {
            addresses: "",
            lang: ctx.locale,
            count: &form.count,
        };
        return page(&st, &ctx, &f, typed, None, errors).await;
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let tokens = links::issue(&tx, f.id, n, now).await?;
    let summary = fill(
        messages(Locale::Fr).ql_audit_printed,
        &[("n", &n.to_string()), ("title", &f.data.title)],
    );
    let changes = serde_json::json!({ "links_printed": n });
    audit::record(&tx, &ctx, ("update", "form", f.id), summary, changes, now).await?;
    tx.commit().await?;
    let rows: Vec<Vec<String>> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                format!("{}/q/{}?lien={t}", st.config.base_url, f.public_key),
            ]
        })
        .collect();
    let bytes = maillage_tabular::write_csv(&[m.ql_col_number, m.ql_col_link], &rows);
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        &format!("questionnaire-{id}-liens.csv"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_one_per_line_or_separated() {
        let (good, bad) = parse_addresses(
            "ada@example.org\n bob@example.org ; ADA@example.org,\n\nnot an address",
        );
        assert_eq!(
            good.iter().map(Email::as_str).collect::<Vec<_>>(),
            ["ada@example.org", "bob@example.org"]
        );
        assert_eq!(bad, ["not an address"]);
    }
}
