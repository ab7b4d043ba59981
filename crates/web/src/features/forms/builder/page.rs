//! The builder page (`/team/forms/{id}`): the form's facts and versions,
//! its items in order with their settings and conditions, each with edit,
//! move and delete, and the forms adding a field, a section heading or a
//! help text — drawn again with what was typed and the messages when an
//! addition is refused. The forms of an item are made here for the item
//! page too.

use super::edit_form::{EditForm, Fb, Group, Spec, choices};
use super::items::{ItemForm, What};
use super::{answers_count, file_kind_label, has_answers, kind_label, kinds, rev};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::features::forms::common::{attached, find_form};
use crate::features::forms::view::answer_label;
use crate::forms::{Choice, FormErrors};
use crate::i18n::{Messages, fill};
use crate::shared::html_status;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::{self, Form, calls};
use maillage_domain::forms::{Field, FileKind, Item, Kind, Purpose, Schema, format_number};
use serde::Deserialize;

pub struct ItemRow {
    pub n: usize,
    pub what: &'static str,
    pub text: String,
    pub key: String,
    pub required: bool,
    pub details: String,
    pub condition: Option<String>,
    pub first: bool,
    pub last: bool,
}

pub struct VersionRow {
    pub number: i32,
    pub created: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "forms/builder/page.html")]
struct BuilderPage {
    l: Layout,
    id: i64,
    purpose: &'static str,
    attached: String,
    audience: Option<&'static str>,
    version: i32,
    versions: Vec<VersionRow>,
    answers: u64,
    has_answers: bool,
    new_version: bool,
    rev: String,
    rows: Vec<ItemRow>,
    general: Option<String>,
    /// The add form below that was refused, for a link at the top.
    refused: Option<&'static str>,
    add_field: EditForm,
    add_section: EditForm,
    add_text: EditForm,
    public_link: Option<String>,
    results_link: Option<String>,
}

/// The `condition` choices of an item at `at`: "always", then each
/// answer of each choice or yes/no field before it.
fn condition_choices(m: &Messages, schema: &Schema, at: usize, current: &str) -> Vec<Choice> {
    let mut all = vec![(String::new(), m.fb_always.to_owned())];
    for it in schema.items.iter().take(at) {
        let Item::Field(f) = it else { continue };
        for (v, l) in answers_of(m, &f.kind) {
            all.push((
                format!("{}={v}", f.key),
                fill(m.fb_when, &[("question", &f.label), ("answer", &l)]),
            ));
        }
    }
    // A condition no longer offered (its target moved) stays shown.
    if !current.is_empty() && !all.iter().any(|(v, _)| v == current) {
        all.push((current.to_owned(), current.to_owned()));
    }
    choices(all, current)
}

/// The answers a condition may name: yes and no, or the options.
fn answers_of(m: &Messages, kind: &Kind) -> Vec<(String, String)> {
    match kind {
        Kind::YesNo => vec![
            ("yes".into(), m.fm_yes.into()),
            ("no".into(), m.fm_no.into()),
        ],
        k => k
            .options()
            .iter()
            .map(|o| (o.key.clone(), o.label.clone()))
            .collect(),
    }
}

/// The form of an item of kind `what`: a field's for adding (`at` = the
/// end) or editing item `at`, a heading's or a help text's.
pub(super) fn item_form(
    m: &Messages,
    f: &Form,
    (what, at): (What, usize),
    typed: &ItemForm,
    errors: &FormErrors,
    spec: Spec,
) -> EditForm {
    let fb = Fb {
        prefix: spec.prefix,
        errors,
    };
    let groups = match what {
        What::Field => field_groups(m, &fb, f, at, typed),
        What::Section => vec![Group::loose(vec![
            fb.text("title", m.fb_section_title, &typed.title)
                .required(),
            fb.text("help", m.fb_help, &typed.help)
                .hint(m.fb_section_help_hint),
        ])],
        What::Text => vec![Group::loose(vec![
            fb.textarea("text", m.fb_help_text, &typed.text).required(),
        ])],
    };
    fb.form(spec, groups)
}

fn field_groups(m: &Messages, fb: &Fb<'_>, f: &Form, at: usize, t: &ItemForm) -> Vec<Group> {
    let kinds = kinds(m).map(|(k, l)| (k.to_owned(), l.to_owned()));
    let types = FileKind::ALL
        .iter()
        .map(|k| {
            let ticked = t.types.iter().any(|x| x == k.code());
            Choice::new(k.code(), file_kind_label(*k), ticked)
        })
        .collect();
    let conditions = condition_choices(m, &f.version.schema, at, &t.condition);
    vec![
        Group::loose(vec![
            fb.select("kind", m.fb_kind, choices(kinds, &t.kind))
                .required(),
            fb.text("label", m.fb_label, &t.label).required(),
            fb.text("key", m.fb_key, &t.key).hint(m.fb_key_hint),
            fb.text("help", m.fb_help, &t.help),
            fb.check("required", m.fb_required, t.required),
        ]),
        Group::set(
            m.fb_options,
            m.fb_options_group_hint,
            vec![
                fb.textarea("options", m.fb_options_lines, &t.options)
                    .hint(m.fb_options_hint),
            ],
        ),
        Group::set(
            m.fb_bounds,
            m.fb_bounds_hint,
            vec![
                fb.text("min", m.fb_min, &t.min),
                fb.text("max", m.fb_max, &t.max),
                fb.check("integer", m.fb_integer, t.integer),
            ],
        ),
        Group::set(
            m.fb_scale,
            m.fb_scale_hint,
            vec![
                fb.text("scale_min", m.fb_min, &t.scale_min),
                fb.text("scale_max", m.fb_max, &t.scale_max),
                fb.text("min_label", m.fb_min_label, &t.min_label),
                fb.text("max_label", m.fb_max_label, &t.max_label),
            ],
        ),
        Group::set(
            m.fb_file,
            m.fb_file_hint,
            vec![
                fb.checkboxes("types", m.fb_file_types, types),
                fb.text("max_mb", m.fb_max_mb, &t.max_mb),
            ],
        ),
        Group::set(
            m.fb_condition,
            m.fb_condition_hint,
            vec![fb.select("condition", m.fb_show, conditions)],
        ),
    ]
}

/// Description of a field's settings for the list of items.
pub(super) fn details(ctx: &Ctx, f: &Field) -> String {
    let m = ctx.m;
    match &f.kind {
        Kind::Number { min, max, integer } => {
            let mut s = Vec::new();
            if let Some(a) = min {
                s.push(format!("≥ {a}"));
            }
            if let Some(b) = max {
                s.push(format!("≤ {b}"));
            }
            if *integer {
                s.push(m.fb_integer.to_owned());
            }
            s.join(", ")
        }
        Kind::Scale {
            min,
            max,
            min_label,
            max_label,
        } => {
            let end = |l: &Option<String>| l.as_deref().map(|l| format!(" ({l})"));
            let (lo, hi) = (end(min_label), end(max_label));
            format!(
                "{min}{} → {max}{}",
                lo.unwrap_or_default(),
                hi.unwrap_or_default()
            )
        }
        Kind::File { types, max_bytes } => format!(
            "{} · {} Mo",
            types
                .iter()
                .map(|t| file_kind_label(*t))
                .collect::<Vec<_>>()
                .join(", "),
            format_number(*max_bytes as f64 / 1e6)
        ),
        k => k
            .options()
            .iter()
            .map(|o| o.label.as_str())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// An item as the list of items shows it.
fn row(ctx: &Ctx, schema: &Schema, (i, it): (usize, &Item)) -> ItemRow {
    let m = ctx.m;
    let (what, text, key, required, details, condition) = match it {
        Item::Section { title, help } => (
            m.fb_section,
            title.clone(),
            String::new(),
            false,
            help.clone().unwrap_or_default(),
            None,
        ),
        Item::HelpText { text } => (
            m.fb_help_text,
            text.clone(),
            String::new(),
            false,
            String::new(),
            None,
        ),
        Item::Field(fd) => (
            kind_label(m, fd.kind.code()),
            fd.label.clone(),
            fd.key.clone(),
            fd.required,
            details(ctx, fd),
            fd.condition.as_ref().map(|cd| {
                let q = schema.field(&cd.field);
                let answer =
                    q.map_or_else(|| cd.value.clone(), |q| answer_label(m, &q.kind, &cd.value));
                let question = q.map_or(cd.field.as_str(), |q| q.label.as_str());
                fill(m.fb_when, &[("question", question), ("answer", &answer)])
            }),
        ),
    };
    ItemRow {
        n: i,
        what,
        text,
        key,
        required,
        details,
        condition,
        first: i == 0,
        last: i + 1 == schema.items.len(),
    }
}

/// What the builder shows in place of its empty "add" forms: the form
/// that was sent, with its messages.
#[derive(Default)]
pub(super) struct Sent {
    pub added: Option<(What, ItemForm, FormErrors)>,
    pub general: Option<String>,
    pub new_version: bool,
}

/// The builder page of `f`.
pub(super) async fn builder(
    st: &AppState,
    ctx: &Ctx,
    f: &Form,
    sent: Sent,
    status: StatusCode,
) -> Result<Response, AppError> {
    let m = ctx.m;
    let c = st.db.conn();
    let schema = &f.version.schema;
    let n = schema.items.len();
    let rev = rev(f);
    let rows = schema
        .items
        .iter()
        .enumerate()
        .map(|r| row(ctx, schema, r))
        .collect();
    let refused = sent.added.as_ref().map(|(what, ..)| match what {
        What::Field => "af",
        What::Section => "as",
        What::Text => "at",
    });
    let mut added = sent.added;
    let mut add = |what: What, prefix, heading, submit, code: &str| {
        let (typed, errors) = match added.take() {
            Some((w, typed, errors)) if w == what => (typed, errors),
            other => {
                added = other;
                let typed = match what {
                    What::Field => ItemForm::new_field(),
                    _ => ItemForm::default(),
                };
                (typed, FormErrors::new())
            }
        };
        let spec = Spec {
            prefix,
            action: format!("/team/forms/{}/items", f.id),
            heading,
            submit,
            hidden: vec![("rev", rev.clone()), ("type", code.to_owned())],
        };
        item_form(m, f, (what, n), &typed, &errors, spec)
    };
    let add_field = add(
        What::Field,
        "af",
        m.fb_add_field,
        m.fb_add_field_submit,
        "field",
    );
    let add_section = add(
        What::Section,
        "as",
        m.fb_add_section,
        m.fb_add_section_submit,
        "section",
    );
    let add_text = add(
        What::Text,
        "at",
        m.fb_add_text,
        m.fb_add_text_submit,
        "text",
    );
    let versions = forms::versions(c, f.id)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            number: v.number,
            created: time::datetime(ctx.locale, v.created_at),
            current: v.id == f.version.id,
        })
        .collect();
    let (public_link, results_link) = match f.data.purpose {
        Purpose::Questionnaire => (
            Some(format!("/q/{}", f.public_key)),
            Some(format!("/team/questionnaires/{}", f.id)),
        ),
        _ => {
            let found = match f.data.project_id {
                Some(p) => calls::of_project(c, p).await?,
                None => calls::open(c, maillage_db::now()).await?,
            };
            let call = found.iter().find(|x| x.data.form_id == f.id);
            (call.map(|call| format!("/appel/{}", call.data.slug)), None)
        }
    };
    html_status(
        status,
        BuilderPage {
            l: ctx.layout(f.data.title.clone()),
            id: f.id,
            purpose: f.data.purpose.label(ctx.locale),
            attached: attached(c, ctx.locale, &f.data, " — ").await?,
            audience: f.data.audience.map(|a| a.label(ctx.locale)),
            version: f.version.number,
            versions,
            answers: answers_count(st, f).await?,
            has_answers: has_answers(st, f).await?,
            new_version: sent.new_version,
            rev,
            rows,
            general: sent.general,
            refused,
            add_field,
            add_section,
            add_text,
            public_link,
            results_link,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BuilderQuery {
    /// Set after a change that made a new version.
    pub version: String,
}

/// `GET /team/forms/{id}`: the builder.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<BuilderQuery>,
) -> Result<Response, AppError> {
    let f = find_form(&st, id).await?;
    let sent = Sent {
        new_version: q.version == f.version.number.to_string() && f.version.number > 1,
        ..Default::default()
    };
    builder(&st, &ctx, &f, sent, StatusCode::OK).await
}
