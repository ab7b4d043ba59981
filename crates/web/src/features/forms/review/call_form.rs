//! Creating and editing a call (`/team/calls/new`, `/team/calls/{id}/edit`):
//! its project, form, kind, title, address, opening and closing dates
//! (Europe/Paris), and new criteria to score its submissions on (label,
//! weight, maximum); the criteria already there are listed.

use super::find_call;
use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, Typed, check};
use crate::i18n::{Messages, field_error};
use crate::shared::audit::record;
use crate::shared::dates::{gap_message, paris_instant, parse_date, parse_time};
use crate::shared::{html_status, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use maillage_db::ConnectionTrait;
use maillage_db::forms::calls::{self, Call, CallData};
use maillage_db::programme::projects;
use maillage_domain::FieldError;
use maillage_domain::field::single_line;
use maillage_domain::forms::{CallKind, Purpose};
use maillage_domain::programme::{slug as programme_slug, slugify};
use serde::{Deserialize, Deserializer};
use serde_json::json;
use std::collections::HashMap;

/// New criteria offered at once on the call form.
const NEW_CRITERIA: usize = 3;

/// A new criterion as typed: the fields `criterion_label_{n}`,
/// `criterion_weight_{n}` and `criterion_max_{n}`.
#[derive(Clone)]
pub struct CriterionInput {
    pub n: usize,
    pub label: String,
    pub weight: String,
    pub max: String,
}

impl CriterionInput {
    /// Its three fields: name, label, input type, value.
    pub fn fields(&self, m: &Messages) -> Vec<(String, &'static str, &'static str, String)> {
        let n = self.n;
        vec![
            (
                format!("criterion_label_{n}"),
                m.rv_criterion_label,
                "text",
                self.label.clone(),
            ),
            (
                format!("criterion_weight_{n}"),
                m.rv_criterion_weight,
                "number",
                self.weight.clone(),
            ),
            (
                format!("criterion_max_{n}"),
                m.rv_criterion_max,
                "number",
                self.max.clone(),
            ),
        ]
    }
}

/// The new criteria of the form, as typed (none when not sent).
#[derive(Clone, Default)]
pub struct NewCriteria(Vec<CriterionInput>);

impl<'de> Deserialize<'de> for NewCriteria {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NewCriteria, D::Error> {
        let mut fields = HashMap::<String, String>::deserialize(d)?;
        let mut take = |name: &str, n: usize| {
            fields
                .remove(&format!("criterion_{name}_{n}"))
                .unwrap_or_default()
        };
        Ok(NewCriteria(
            (0..NEW_CRITERIA)
                .map(|n| CriterionInput {
                    n,
                    label: take("label", n),
                    weight: take("weight", n),
                    max: take("max", n),
                })
                .collect(),
        ))
    }
}

/// A new criterion, checked.
struct NewCriterion {
    label: String,
    weight: i32,
    max: i32,
}

/// The call form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CallForm {
    project: String,
    form: String,
    kind: String,
    title: String,
    slug: String,
    opens_date: String,
    opens_time: String,
    closes_date: String,
    closes_time: String,
    /// Months the applications not retained are kept.
    retention: String,
    #[serde(flatten)]
    criteria: NewCriteria,
}

impl CallForm {
    fn of_call(call: &Call) -> CallForm {
        let local = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Paris);
        let (o, c) = (local(call.data.opens_at), local(call.data.closes_at));
        CallForm {
            project: call.data.project_id.to_string(),
            form: call.data.form_id.to_string(),
            kind: call.data.kind.code().to_owned(),
            title: call.data.title.clone(),
            slug: call.data.slug.clone(),
            opens_date: o.format("%Y-%m-%d").to_string(),
            opens_time: o.format("%H:%M").to_string(),
            closes_date: c.format("%Y-%m-%d").to_string(),
            closes_time: c.format("%H:%M").to_string(),
            retention: call.data.retention_months.to_string(),
            criteria: NewCriteria::default(),
        }
    }

    /// Checks the form: the call's data and the new criteria (those with
    /// a label), or the messages beside their fields.
    async fn check(
        &self,
        c: &impl ConnectionTrait,
        m: &Messages,
        id: Option<i64>,
    ) -> Result<Result<(CallData, Vec<NewCriterion>), FormErrors>, AppError> {
        let mut e = FormErrors::new();
        let project = match self.project.trim().parse::<i64>() {
            Ok(p) => projects::find(c, p).await?.map(|p| p.id),
            Err(_) => None,
        };
        if project.is_none() {
            e.add("project", field_error(m, &FieldError::InvalidChoice));
        }
        let form = match self.form.trim().parse::<i64>() {
            Ok(f) => maillage_db::forms::find(c, f)
                .await?
                .filter(|f| {
                    matches!(
                        f.data.purpose,
                        Purpose::ParticipationCall | Purpose::ApplicationCall
                    )
                })
                .map(|f| f.id),
            Err(_) => None,
        };
        if form.is_none() {
            e.add("form", field_error(m, &FieldError::InvalidChoice));
        }
        let kind = check(&mut e, m, "kind", CallKind::parse(&self.kind));
        let title = check(&mut e, m, "title", single_line(&self.title, 2, 200));
        let slug = check(&mut e, m, "slug", programme_slug(&self.slug));
        if let Some(s) = &slug
            && let Some(other) = calls::find_by_slug(c, s).await?
            && Some(other.id) != id
        {
            e.add("slug", field_error(m, &FieldError::AlreadyTaken));
        }
        let opens = paris(&mut e, m, "opens", (&self.opens_date, &self.opens_time));
        let closes = paris(&mut e, m, "closes", (&self.closes_date, &self.closes_time));
        if let (Some(o), Some(cl)) = (opens, closes)
            && cl <= o
        {
            e.add("closes_date", field_error(m, &FieldError::EndBeforeStart));
        }
        let retention = check(
            &mut e,
            m,
            "retention",
            maillage_domain::booking::persons(&self.retention, 1, 120),
        );
        let mut criteria = Vec::new();
        for k in &self.criteria.0 {
            if k.label.trim().is_empty() {
                continue;
            }
            let n = k.n;
            let field = |name: &str| format!("criterion_{name}_{n}");
            let label = check(&mut e, m, &field("label"), single_line(&k.label, 1, 200));
            let weight = check(
                &mut e,
                m,
                &field("weight"),
                maillage_domain::booking::persons(&k.weight, 0, 100),
            );
            let max = check(
                &mut e,
                m,
                &field("max"),
                maillage_domain::booking::persons(&k.max, 1, 100),
            );
            if let (Some(label), Some(weight), Some(max)) = (label, weight, max) {
                criteria.push(NewCriterion { label, weight, max });
            }
        }
        Ok(
            match (project, form, kind, title, slug, opens, closes, retention) {
                (
                    Some(project_id),
                    Some(form_id),
                    Some(kind),
                    Some(title),
                    Some(slug),
                    Some(opens_at),
                    Some(closes_at),
                    Some(retention_months),
                ) if e.is_empty() => Ok((
                    CallData {
                        form_id,
                        project_id,
                        kind,
                        slug,
                        title,
                        opens_at,
                        closes_at,
                        retention_months,
                    },
                    criteria,
                )),
                _ => Err(e),
            },
        )
    }
}

/// A date and a time typed in Europe/Paris (fields `{prefix}_date` and
/// `{prefix}_time`), as an instant.
fn paris(
    e: &mut FormErrors,
    m: &Messages,
    prefix: &str,
    (date, time): (&str, &str),
) -> Option<DateTime<Utc>> {
    let time_field = format!("{prefix}_time");
    let d = check(e, m, &format!("{prefix}_date"), parse_date(date));
    let t = check(e, m, &time_field, parse_time(time));
    let (d, t) = (d?, t?);
    match paris_instant(d, t) {
        Ok(i) => Some(i),
        Err(_) => {
            e.add(&time_field, gap_message(m, d, t));
            None
        }
    }
}

pub struct ExistingCriterion {
    pub label: String,
    pub weight: i32,
    pub max: i32,
}

#[derive(Template)]
#[template(path = "forms/review/call_form.html")]
struct CallPage {
    l: Layout,
    /// `None` for a new call.
    id: Option<i64>,
    projects: Vec<Choice>,
    forms: Vec<Choice>,
    kinds: Vec<Choice>,
    /// The call's fields as typed (its new criteria in `criteria`).
    typed: CallForm,
    existing: Vec<ExistingCriterion>,
    criteria: Vec<CriterionInput>,
    errors: FormErrors,
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    mut input: CallForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let projects = projects::list(c, false)
        .await?
        .into_iter()
        .map(|p| {
            Choice::new(
                p.id.to_string(),
                p.data.name,
                input.project == p.id.to_string(),
            )
        })
        .collect();
    let mut forms = Vec::new();
    for purpose in [Purpose::ParticipationCall, Purpose::ApplicationCall] {
        for (fid, f) in maillage_db::forms::list(c, Some(purpose)).await? {
            forms.push(Choice::new(
                fid.to_string(),
                format!("{} ({})", f.title, purpose.label(l)),
                input.form == fid.to_string(),
            ));
        }
    }
    let kinds = CallKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(l), input.kind == k.code()))
        .collect();
    let existing = match id {
        Some(id) => calls::criteria(c, id)
            .await?
            .into_iter()
            .map(|k| ExistingCriterion {
                label: k.label,
                weight: k.weight,
                max: k.max_score,
            })
            .collect(),
        None => Vec::new(),
    };
    let mut criteria = std::mem::take(&mut input.criteria.0);
    if criteria.is_empty() {
        criteria = (0..NEW_CRITERIA)
            .map(|n| CriterionInput {
                n,
                label: String::new(),
                weight: "1".into(),
                max: "5".into(),
            })
            .collect();
    }
    let title = if id.is_some() {
        ctx.m.rv_edit_call
    } else {
        ctx.m.rv_new_call
    };
    html_status(
        status,
        CallPage {
            l: ctx.layout(title),
            id,
            projects,
            forms,
            kinds,
            typed: input,
            existing,
            criteria,
            errors,
        },
    )
}

/// `GET /team/calls/new`.
pub async fn new_call(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let input = CallForm {
        kind: CallKind::Participation.code().into(),
        opens_time: "09:00".into(),
        closes_time: "23:59".into(),
        retention: calls::DEFAULT_RETENTION_MONTHS.to_string(),
        ..Default::default()
    };
    render(&st, &ctx, None, input, FormErrors::new(), StatusCode::OK).await
}

/// `GET /team/calls/{id}/edit`.
pub async fn edit_call(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let call = find_call(&st, id).await?;
    let input = CallForm::of_call(&call);
    render(
        &st,
        &ctx,
        Some(id),
        input,
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// A key for a new criterion, unique within the call.
async fn criterion_key(
    c: &impl ConnectionTrait,
    call: i64,
    label: &str,
) -> Result<String, AppError> {
    let taken: Vec<String> = calls::criteria(c, call)
        .await?
        .into_iter()
        .map(|k| k.key)
        .collect();
    let mut base: String = slugify(label).replace('-', "_").chars().take(40).collect();
    if base.is_empty() {
        base = "criterion".into();
    }
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    Ok(key)
}

async fn save_call(
    st: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    input: CallForm,
) -> Result<Response, AppError> {
    let (data, criteria) = match input.check(st.db.conn(), ctx.m, id).await? {
        Ok(v) => v,
        Err(e) => return render(st, ctx, id, input, e, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let call_id = match id {
        Some(id) => {
            calls::update(&tx, id, &data).await?;
            id
        }
        None => calls::create(&tx, &data, now).await?.id,
    };
    for k in &criteria {
        let key = criterion_key(&tx, call_id, &k.label).await?;
        calls::add_criterion(&tx, call_id, &key, &k.label, k.weight, k.max).await?;
    }
    record(
        &tx,
        ctx,
        (if id.is_some() { "update" } else { "create" }, "call", call_id),
        data.title.clone(),
        json!({
            "slug": data.slug,
            "kind": data.kind.code(),
            "project": data.project_id,
            "form": data.form_id,
            "opens_at": data.opens_at.to_rfc3339(),
            "closes_at": data.closes_at.to_rfc3339(),
            "criteria": criteria.iter().map(|k| json!({"label": k.label, "weight": k.weight, "max": k.max})).collect::<Vec<_>>(),
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        st,
        &format!("/team/calls/{call_id}/submissions"),
        Flash::Saved,
    ))
}

/// `POST /team/calls`: creates a call.
pub async fn create_call(
    State(st): State<AppState>,
    ctx: Ctx,
    Typed(input): Typed<CallForm>,
) -> Result<Response, AppError> {
    save_call(&st, &ctx, None, input).await
}

/// `POST /team/calls/{id}`: saves a call and adds the new criteria.
pub async fn update_call(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(input): Typed<CallForm>,
) -> Result<Response, AppError> {
    find_call(&st, id).await?;
    save_call(&st, &ctx, Some(id), input).await
}
