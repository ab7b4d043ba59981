//! The public page of a questionnaire, `/q/{id}`: no account, no
//! JavaScript needed. The current version of its questions is shown as an
//! HTML form (radio groups and check boxes in fieldsets with legends,
//! scales and NPS as rows of radio buttons with their ends labelled);
//! what is sent is checked by `Schema::parse_answers` and, when refused,
//! shown again with the messages beside the fields and what was typed
//! kept. A conditional question is always shown, with a note saying when
//! to answer it; the server drops the answer when the condition is not
//! met. The response is stored without any person, dated to its day.

use super::{html, html_status, redirect};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{FormErrors, Pairs};
use crate::i18n::fill;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::questionnaires::{self, NewResponse, Refused};
use maillage_db::forms::{self, Form};
use maillage_domain::forms::{Field, Item, Kind, Purpose, Schema};

/// One option of a choice, a scale or yes/no.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question as the template shows it.
pub struct QField {
    pub key: String,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    /// "(answer only if …)" for a conditional question.
    pub note: Option<String>,
    /// How it is drawn: text, email, tel, number, date, textarea, radio,
    /// row (scale, NPS), checkbox, select.
    pub widget: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    pub error: Option<String>,
}

/// An item of the page: a heading, a paragraph or a question.
pub struct QItem {
    pub heading: Option<String>,
    pub text: Option<String>,
    pub field: Option<QField>,
}

#[derive(Template)]
#[template(path = "questionnaire/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    items: Vec<QItem>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "questionnaire/thanks.html")]
struct ThanksPage {
    l: Layout,
}

#[derive(Template)]
#[template(path = "questionnaire/closed.html")]
struct ClosedPage {
    l: Layout,
    message: &'static str,
}

/// The questionnaire `id`, or 404 (other forms are not answered here).
async fn find(st: &AppState, id: i64) -> Result<Form, AppError> {
    match forms::find(st.db.conn(), id).await? {
        Some(f) if f.data.purpose == Purpose::Questionnaire => Ok(f),
        _ => Err(AppError::NotFound),
    }
}

fn values<'a>(pairs: &'a Pairs, key: &str) -> Vec<&'a str> {
    pairs.all(key).into_iter().map(str::trim).collect()
}

fn field_view(ctx: &Ctx, schema: &Schema, f: &Field, pairs: &Pairs, errors: &FormErrors) -> QField {
    let m = ctx.m;
    let sent = values(pairs, &f.key);
    let first = sent.first().copied().unwrap_or("").to_owned();
    let opt = |value: String, label: String| Opt {
        checked: sent.contains(&value.as_str()),
        value,
        label,
    };
    let (widget, options, min_label, max_label) = match &f.kind {
        Kind::ShortText => ("text", Vec::new(), None, None),
        Kind::LongText => ("textarea", Vec::new(), None, None),
        Kind::Email => ("email", Vec::new(), None, None),
        Kind::Phone => ("tel", Vec::new(), None, None),
        Kind::Number { .. } => ("number", Vec::new(), None, None),
        Kind::Date => ("date", Vec::new(), None, None),
        Kind::SingleChoice { options } => (
            "radio",
            options
                .iter()
                .map(|o| opt(o.key.clone(), o.label.clone()))
                .collect(),
            None,
            None,
        ),
        Kind::Dropdown { options } => (
            "select",
            options
                .iter()
                .map(|o| opt(o.key.clone(), o.label.clone()))
                .collect(),
            None,
            None,
        ),
        Kind::MultipleChoice { options, .. } => (
            "checkbox",
            options
                .iter()
                .map(|o| opt(o.key.clone(), o.label.clone()))
                .collect(),
            None,
            None,
        ),
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => (
            "row",
            (*min..=*max)
                .map(|n| opt(n.to_string(), n.to_string()))
                .collect(),
            min_label.clone(),
            max_label.clone(),
        ),
        Kind::Nps => (
            "row",
            (0..=10)
                .map(|n| opt(n.to_string(), n.to_string()))
                .collect(),
            Some(m.fm_nps_low.to_owned()),
            Some(m.fm_nps_high.to_owned()),
        ),
        Kind::YesNo => (
            "radio",
            vec![
                opt("yes".into(), m.fm_yes.into()),
                opt("no".into(), m.fm_no.into()),
            ],
            None,
            None,
        ),
        // Files are for calls; a questionnaire does not take them here.
        Kind::File { .. } => ("text", Vec::new(), None, None),
    };
    let note = f.condition.as_ref().and_then(|c| {
        let target = schema.field(&c.field)?;
        let answer = match &target.kind {
            Kind::YesNo if c.value == "yes" => m.fm_yes.to_owned(),
            Kind::YesNo => m.fm_no.to_owned(),
            k => k
                .options()
                .iter()
                .find(|o| o.key == c.value)
                .map_or_else(|| c.value.clone(), |o| o.label.clone()),
        };
        Some(fill(
            m.fm_only_if,
            &[("question", &target.label), ("answer", &answer)],
        ))
    });
    QField {
        key: f.key.clone(),
        label: f.label.clone(),
        help: f.help.clone(),
        required: f.required,
        note,
        widget,
        value: first,
        options,
        min_label,
        max_label,
        error: errors.get(&f.key).map(str::to_owned),
    }
}

fn items(ctx: &Ctx, schema: &Schema, pairs: &Pairs, errors: &FormErrors) -> Vec<QItem> {
    schema
        .items
        .iter()
        .filter(|i| !matches!(i, Item::Field(f) if matches!(f.kind, Kind::File { .. })))
        .map(|i| match i {
            Item::Section { title, help } => QItem {
                heading: Some(title.clone()),
                text: help.clone(),
                field: None,
            },
            Item::HelpText { text } => QItem {
                heading: None,
                text: Some(text.clone()),
                field: None,
            },
            Item::Field(f) => QItem {
                heading: None,
                text: None,
                field: Some(field_view(ctx, schema, f, pairs, errors)),
            },
        })
        .collect()
}

fn form_page(ctx: &Ctx, f: &Form, pairs: &Pairs, errors: FormErrors) -> FormPage {
    FormPage {
        l: ctx.layout(f.data.title.clone()),
        action: format!("/q/{}", f.id),
        items: items(ctx, &f.version.schema, pairs, &errors),
        errors,
    }
}

/// A questionnaire answered through personal links only cannot be
/// answered here.
fn closed(ctx: &Ctx, f: &Form) -> Option<ClosedPage> {
    f.data.one_per_link.then(|| ClosedPage {
        l: ctx.layout(f.data.title.clone()),
        message: ctx.m.fm_link_required,
    })
}

/// `GET /q/{id}`: the questionnaire.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    if let Some(page) = closed(&ctx, &f) {
        return html(page);
    }
    html(form_page(&ctx, &f, &Pairs::default(), FormErrors::new()))
}

/// `POST /q/{id}`: records the response, or shows the form again with
/// the messages.
pub async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    pairs: Pairs,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    if let Some(page) = closed(&ctx, &f) {
        return html_status(StatusCode::FORBIDDEN, page);
    }
    let answers = match f.version.schema.parse_answers(&pairs.0, None) {
        Ok(a) => a,
        Err(e) => {
            let errors = FormErrors::from_fields(ctx.m, &e);
            return html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&ctx, &f, &pairs, errors),
            );
        }
    };
    if answers.is_empty() {
        return html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&ctx, &f, &pairs, FormErrors::general(ctx.m.fm_empty)),
        );
    }
    let tx = st.db.write().await?;
    let r = questionnaires::respond(
        &tx,
        f.id,
        &NewResponse {
            answers,
            ..Default::default()
        },
        maillage_db::now(),
    )
    .await?;
    match r {
        Ok(_) => {
            tx.commit().await?;
            Ok(redirect(&format!("/q/{id}/merci"), []))
        }
        Err(Refused::NotFound) => Err(AppError::NotFound),
        Err(Refused::AlreadyAnswered | Refused::LinkRequired) => html_status(
            StatusCode::FORBIDDEN,
            ClosedPage {
                l: ctx.layout(f.data.title.clone()),
                message: ctx.m.fm_link_required,
            },
        ),
    }
}

/// `GET /q/{id}/merci`: thanks.
pub async fn thanks(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = find(&st, id).await?;
    html(ThanksPage {
        l: ctx.layout(f.data.title),
    })
}
