//! One submission (`/team/submissions/{id}`): its answers read against the
//! version of the form they answered, its files, its history, its
//! reviewers and scores per criterion with their weighted averages, and
//! the forms of what the team may do on it (`notes`, `decisions`), drawn
//! again with what was typed and the messages when a change is refused.

use super::{Summary, Visible, all_users, is_team, org_name};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors};
use crate::i18n::{Messages, fill};
use crate::shared::html_status;
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::forms::calls::{self, Criterion};
use maillage_db::forms::submissions::{self, Event, EventKind, Score, Submission};
use maillage_db::forms::uploads;
use maillage_domain::forms::review::{self, Actor, Status};
use maillage_domain::forms::{Answer, Answers, Schema};
use maillage_domain::{Action, Locale};
use std::collections::{BTreeMap, HashMap};

pub struct AnswerRow {
    pub label: String,
    pub text: String,
    /// An uploaded file: its id and name.
    pub file: Option<(i64, String)>,
}

pub struct UploadRow {
    pub id: i64,
    pub field: String,
    pub filename: String,
    pub size: String,
    pub kind: &'static str,
}

pub struct EventRow {
    pub when: String,
    pub who: String,
    pub what: String,
    pub comment: String,
    pub internal: bool,
}

pub struct ReviewerRow {
    pub id: i64,
    pub name: String,
}

pub struct CriterionRow {
    pub id: i64,
    pub label: String,
    pub weight: i32,
    pub max: i32,
    /// What the signed-in reviewer gave (or typed).
    pub mine: String,
    pub error: Option<String>,
    pub average: String,
}

pub struct ScoreRow {
    pub reviewer: String,
    pub scores: Vec<String>,
    pub average: String,
}

pub struct Transition {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "forms/review/submission.html")]
struct SubmissionPage {
    l: Layout,
    sub: Summary,
    call_id: i64,
    call_title: String,
    staged_message: String,
    version: i32,
    current_version: i32,
    answers: Vec<AnswerRow>,
    uploads: Vec<UploadRow>,
    events: Vec<EventRow>,
    reviewers: Vec<ReviewerRow>,
    candidates: Vec<Choice>,
    criteria: Vec<CriterionRow>,
    score_rows: Vec<ScoreRow>,
    average: String,
    transitions: Vec<Transition>,
    decisions: Vec<Choice>,
    can_review: bool,
    activity_id: Option<i64>,
    errors: FormErrors,
    comment: String,
    message: String,
    stage_message: String,
}

/// What was typed in the forms of the page, kept when it is shown again
/// with errors.
#[derive(Default)]
pub(super) struct Kept {
    pub comment: String,
    pub message: String,
    pub stage: String,
    pub stage_message: String,
    pub scores: HashMap<i64, String>,
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} ko", bytes.div_ceil(1024))
    }
}

/// The answers read against the version they answered.
fn answer_rows(m: &Messages, schema: &Schema, answers: &Answers) -> Vec<AnswerRow> {
    schema
        .read(answers)
        .into_iter()
        .map(|r| {
            let file = match r.answer {
                Some(Answer::File(f)) => Some((f.upload_id, f.name.clone())),
                _ => None,
            };
            let text = match r.answer {
                Some(Answer::Bool(true)) => m.fm_yes.to_owned(),
                Some(Answer::Bool(false)) => m.fm_no.to_owned(),
                _ => r.text,
            };
            AnswerRow {
                label: r.field.label.clone(),
                text,
                file,
            }
        })
        .collect()
}

/// An entry of the history: when, who (the submitter or a user of the
/// team, by `user_name`), what.
fn event_row(
    ctx: &Ctx,
    s: &Submission,
    e: Event,
    user_name: &impl Fn(Option<i64>) -> String,
) -> EventRow {
    let (l, m) = (ctx.locale, ctx.m);
    EventRow {
        when: time::datetime(l, e.at),
        who: match e.actor {
            Actor::Submitter => s.submitter.name.clone(),
            Actor::Staff => user_name(e.user_id),
        },
        what: match e.kind {
            EventKind::Status { from, to } => fill(
                m.rv_event_status,
                &[("from", from.label(l)), ("to", to.label(l))],
            ),
            EventKind::Comment if e.internal => m.rv_event_internal.to_owned(),
            EventKind::Comment => m.rv_event_comment.to_owned(),
        },
        comment: e.comment.unwrap_or_default(),
        internal: e.internal,
    }
}

/// The plain average of the scores given on criterion `k`, or a dash.
fn criterion_average(l: Locale, k: &Criterion, scores: &[Score]) -> String {
    let given: Vec<f64> = scores
        .iter()
        .filter(|x| x.criterion_id == k.id)
        .map(|x| f64::from(x.score))
        .collect();
    if given.is_empty() {
        "—".into()
    } else {
        l.decimal(given.iter().sum::<f64>() / given.len() as f64, 2)
    }
}

/// Each reviewer's scores with their weighted average, and the weighted
/// average of all the scores (a dash when none).
fn score_rows(
    l: Locale,
    criteria: &[Criterion],
    scores: &[Score],
    user_name: &impl Fn(Option<i64>) -> String,
) -> (Vec<ScoreRow>, String) {
    let weight_of = |cid: i64| {
        criteria
            .iter()
            .find(|k| k.id == cid)
            .map_or(0.0, |k| f64::from(k.weight))
    };
    let average = |list: &mut dyn Iterator<Item = &Score>| {
        let weighted: Vec<(f64, f64)> = list
            .map(|x| (f64::from(x.score), weight_of(x.criterion_id)))
            .collect();
        review::weighted_average(&weighted).map_or_else(|| "—".into(), |a| l.decimal(a, 2))
    };
    let mut by_reviewer: BTreeMap<i64, Vec<&Score>> = BTreeMap::new();
    for sc in scores {
        by_reviewer.entry(sc.reviewer_id).or_default().push(sc);
    }
    let rows = by_reviewer
        .iter()
        .map(|(r, list)| ScoreRow {
            reviewer: user_name(Some(*r)),
            scores: criteria
                .iter()
                .map(|k| {
                    list.iter()
                        .find(|x| x.criterion_id == k.id)
                        .map_or_else(|| "—".to_owned(), |x| x.score.to_string())
                })
                .collect(),
            average: average(&mut list.iter().copied()),
        })
        .collect();
    (rows, average(&mut scores.iter()))
}

pub(super) async fn render(
    st: &AppState,
    ctx: &Ctx,
    s: Submission,
    typed: Kept,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let m = ctx.m;
    let me = ctx.user()?.id;
    let (s, version) = submissions::with_version(c, s.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current_version = maillage_db::forms::find(c, s.form_id)
        .await?
        .map_or(version.number, |f| f.version.number);
    let call = match s.call_id {
        Some(id) => calls::find(c, id).await?,
        None => None,
    };
    let users = all_users(c).await?;
    let user_name = |id: Option<i64>| -> String {
        id.and_then(|id| users.iter().find(|u| u.id == id))
            .map_or_else(|| m.rv_team.to_owned(), |u| u.name.clone())
    };
    let files = uploads::of_submission(c, s.id).await?;
    let answers = answer_rows(m, &version.schema, &s.answers);
    let events = submissions::events(c, s.id, true).await?;
    let events = events
        .into_iter()
        .map(|e| event_row(ctx, &s, e, &user_name))
        .collect();
    let assigned = submissions::reviewers(c, s.id).await?;
    let reviewers = assigned
        .iter()
        .map(|id| ReviewerRow {
            id: *id,
            name: user_name(Some(*id)),
        })
        .collect();
    let candidates = users
        .iter()
        .filter(|u| is_team(u) && !assigned.contains(&u.id))
        .map(|u| Choice::new(u.id.to_string(), u.name.clone(), false))
        .collect();
    let criteria: Vec<Criterion> = match &call {
        Some(call) => calls::criteria(c, call.id).await?,
        None => Vec::new(),
    };
    let scores = submissions::scores(c, s.id).await?;
    let mine = |k: &Criterion| {
        typed.scores.get(&k.id).cloned().unwrap_or_else(|| {
            scores
                .iter()
                .find(|x| x.criterion_id == k.id && x.reviewer_id == me)
                .map(|x| x.score.to_string())
                .unwrap_or_default()
        })
    };
    let criteria_rows = criteria
        .iter()
        .map(|k| CriterionRow {
            id: k.id,
            label: k.label.clone(),
            weight: k.weight,
            max: k.max_score,
            mine: mine(k),
            error: errors.get(&format!("score-{}", k.id)).map(str::to_owned),
            average: criterion_average(l, k, &scores),
        })
        .collect();
    let (score_rows, average) = score_rows(l, &criteria, &scores, &user_name);
    let transitions = Status::ALL
        .iter()
        .filter(|to| s.status.allows(**to, Actor::Staff))
        .map(|to| Transition {
            code: to.code(),
            label: to.label(l),
        })
        .collect();
    let decisions = Status::ALL
        .iter()
        .filter(|to| to.is_decision() && s.status.allows(**to, Actor::Staff))
        .map(|to| {
            let selected = if typed.stage.is_empty() {
                s.staged == Some(*to)
            } else {
                typed.stage == to.code()
            };
            Choice::new(to.code(), to.label(l), selected)
        })
        .collect();
    let organisation = org_name(c, &mut HashMap::new(), s.submitter.organisation_id).await?;
    let title = fill(m.rv_submission_title, &[("name", &s.submitter.name)]);
    html_status(
        status,
        SubmissionPage {
            l: ctx.layout(title),
            sub: Summary::of(l, &s, organisation),
            call_id: s.call_id.unwrap_or(0),
            call_title: call.map(|c| c.data.title).unwrap_or_default(),
            stage_message: if typed.stage_message.is_empty() {
                s.staged_message.clone().unwrap_or_default()
            } else {
                typed.stage_message
            },
            staged_message: s.staged_message.clone().unwrap_or_default(),
            version: version.number,
            current_version,
            answers,
            uploads: files
                .iter()
                .map(|u| UploadRow {
                    id: u.id,
                    field: version
                        .schema
                        .field(&u.field_key)
                        .map_or_else(|| u.field_key.clone(), |f| f.label.clone()),
                    filename: u.filename.clone(),
                    size: size_text(u.size),
                    kind: u.kind.mime(),
                })
                .collect(),
            events,
            reviewers,
            candidates,
            criteria: criteria_rows,
            score_rows,
            average,
            transitions,
            decisions,
            can_review: ctx.can(Action::ReviewSubmissions),
            activity_id: s.activity_id,
            errors,
            comment: typed.comment,
            message: typed.message,
        },
    )
}

/// `GET /team/submissions/{id}`.
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Visible(s): Visible,
) -> Result<Response, AppError> {
    let no_errors = FormErrors::new();
    render(&st, &ctx, s, Kept::default(), no_errors, StatusCode::OK).await
}
