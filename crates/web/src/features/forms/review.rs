//! The team's review of calls: every call with its counts by status, a
//! call's submissions with filters and their weighted average scores, one
//! submission (its answers read against the version of the form they
//! answered, its files, its history, internal comments, reviewers, scores
//! per criterion, status changes from the transition table, decisions
//! staged and sent in one batch), and the uploads served as attachments.
//!
//! Every change of status e-mails the submitter in the same transaction
//! (`crate::mail_review`). Reviewers assigned to a submission who are not
//! otherwise allowed to review (volunteers) may open that submission,
//! comment, score and download its files; deciding stays with the roles
//! of `Action::ReviewSubmissions`.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::forms::check;
use crate::forms::{Choice, FormErrors, Pairs};
use crate::i18n::{Messages, field_error, fill};
use crate::mail_review;
use crate::shared::audit::record;
use crate::shared::dates::{gap_message, paris_instant, parse_date, parse_time};
use crate::shared::{html, html_status, redirect_flash};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maillage_db::forms::calls::{self, Call, CallData, Criterion};
use maillage_db::forms::submissions::{self, EventKind, Refusal, Submission};
use maillage_db::forms::uploads;
use maillage_db::programme::projects;
use maillage_db::users::{self, User, UserFilter};
use maillage_db::{ConnectionTrait, PageRequest, organisations, outbox};
use maillage_domain::field::single_line;
use maillage_domain::forms::review::{self, Actor, Status};
use maillage_domain::forms::{Answer, CallKind, Purpose};
use maillage_domain::programme::{slug as programme_slug, slugify};
use maillage_domain::text::fold;
use maillage_domain::{Action, FieldError, Locale, authz};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// Longest comment or message, in characters.
const MAX_TEXT: usize = 5000;

// ---------------------------------------------------------------------------
// Shared helpers

/// Every user (names for the history and the reviewers' choices).
async fn all_users(c: &impl ConnectionTrait) -> Result<Vec<User>, AppError> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p = users::list(
            c,
            &UserFilter {
                include_disabled: true,
                ..Default::default()
            },
            PageRequest::new(page, PageRequest::MAX_PER_PAGE),
        )
        .await?;
        let more = p.has_next();
        out.extend(p.items);
        if !more {
            return Ok(out);
        }
        page += 1;
    }
}

/// Who may be assigned as a reviewer: active users of the team space.
fn is_team(u: &User) -> bool {
    u.is_active() && authz::allows(u.role, Action::TeamSpace)
}

/// A number with two decimals, with the decimal comma in French.
fn decimal(locale: Locale, x: f64) -> String {
    let s = format!("{x:.2}");
    match locale {
        Locale::Fr => s.replace('.', ","),
        Locale::En => s,
    }
}

/// Whether the signed-in user may see this submission: the roles that
/// review, or a reviewer assigned to it.
async fn may_see(st: &AppState, ctx: &Ctx, submission: i64) -> Result<bool, AppError> {
    if ctx.can(Action::ReviewSubmissions) {
        return Ok(true);
    }
    let user = ctx.user()?;
    Ok(submissions::reviewers(st.db.conn(), submission)
        .await?
        .contains(&user.id))
}

/// A submission the user may see, or 404 / 403.
async fn visible(st: &AppState, ctx: &Ctx, id: i64) -> Result<Submission, AppError> {
    let s = submissions::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(st, ctx, id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

fn status_label(l: Locale, s: Status) -> &'static str {
    s.label(l)
}

/// The text typed in a field, checked: at most [`MAX_TEXT`] characters.
fn text_field(p: &Pairs, name: &str) -> (String, Result<Option<String>, FieldError>) {
    let typed = p.get(name).to_owned();
    let t = typed.trim();
    let r = if t.chars().count() > MAX_TEXT {
        Err(FieldError::TooLong { max: MAX_TEXT })
    } else if t
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(FieldError::ControlCharacters)
    } else if t.is_empty() {
        Ok(None)
    } else {
        Ok(Some(t.replace("\r\n", "\n")))
    };
    (typed, r)
}

// ---------------------------------------------------------------------------
// The calls

pub struct CallRow {
    pub id: i64,
    pub title: String,
    pub project: String,
    pub kind: &'static str,
    pub closes: String,
    pub open: bool,
    /// Submissions in each status, in the order of `Status::ALL`.
    pub counts: Vec<i64>,
    pub total: i64,
    pub staged: usize,
}

#[derive(Template)]
#[template(path = "forms/review/calls.html")]
struct CallsPage {
    l: Layout,
    can_manage: bool,
    statuses: Vec<&'static str>,
    rows: Vec<CallRow>,
}

/// `GET /team/calls`: the calls of every project with their counts.
pub async fn calls_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let now = maillage_db::now();
    let mut rows = Vec::new();
    for p in projects::list(c, false).await? {
        for call in calls::of_project(c, p.id).await? {
            let counts = submissions::counts(c, call.id).await?;
            let staged = submissions::list(
                c,
                &submissions::Filter {
                    call_id: Some(call.id),
                    staged: true,
                    ..Default::default()
                },
            )
            .await?
            .len();
            rows.push(CallRow {
                id: call.id,
                title: call.data.title.clone(),
                project: p.data.name.clone(),
                kind: call.data.kind.label(l),
                closes: time::datetime(l, call.data.closes_at),
                open: call.is_open(now),
                total: counts
                    .iter()
                    .filter(|(s, _)| *s != Status::Draft)
                    .map(|(_, n)| n)
                    .sum(),
                counts: counts.iter().map(|(_, n)| *n).collect(),
                staged,
            });
        }
    }
    html(CallsPage {
        l: ctx.layout(ctx.m.rv_calls_title),
        can_manage: ctx.can(Action::ManageForms),
        statuses: Status::ALL.iter().map(|s| status_label(l, *s)).collect(),
        rows,
    })
}

// ---------------------------------------------------------------------------
// A call's submissions

pub struct SubmissionRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub staged: String,
    pub submitted: String,
    pub average: String,
    pub reviewers: i64,
}

pub struct CountRow {
    pub label: &'static str,
    pub code: &'static str,
    pub n: i64,
}

#[derive(Template)]
#[template(path = "forms/review/submissions.html")]
struct SubmissionsPage {
    l: Layout,
    call_id: i64,
    title: String,
    project: String,
    kind: &'static str,
    window: String,
    counts: Vec<CountRow>,
    statuses: Vec<Choice>,
    reviewers: Vec<Choice>,
    q: String,
    filtered: bool,
    rows: Vec<SubmissionRow>,
    staged: usize,
    has_criteria: bool,
    can_manage: bool,
}

async fn find_call(st: &AppState, id: i64) -> Result<Call, AppError> {
    calls::find(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The name of an organisation, cached.
async fn org_name(
    c: &impl ConnectionTrait,
    cache: &mut HashMap<i64, String>,
    id: Option<i64>,
) -> Result<String, AppError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    if let Some(n) = cache.get(&id) {
        return Ok(n.clone());
    }
    let n = organisations::find(c, id)
        .await?
        .map(|o| o.name().to_owned())
        .unwrap_or_default();
    cache.insert(id, n.clone());
    Ok(n)
}

/// `GET /team/calls/{id}/submissions`: filters `status`, `reviewer` (a
/// user id) and `q` (submitter's name, e-mail or organisation).
pub async fn submissions_list(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let c = st.db.conn();
    let l = ctx.locale;
    let m = ctx.m;
    let call = find_call(&st, id).await?;
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    };
    // Junk in the query string is ignored, never an error.
    let status = Status::parse(get("status")).ok();
    let reviewer = get("reviewer").trim().parse::<i64>().ok();
    let q = get("q").trim().to_owned();
    let folded = fold(&q);
    let list = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(id),
            status,
            reviewer_id: reviewer,
            include_drafts: status == Some(Status::Draft),
            ..Default::default()
        },
    )
    .await?;
    let averages: HashMap<i64, submissions::Average> = submissions::averages(c, id)
        .await?
        .into_iter()
        .map(|a| (a.submission_id, a))
        .collect();
    let mut orgs = HashMap::new();
    let mut rows = Vec::new();
    for s in &list {
        let organisation = org_name(c, &mut orgs, s.submitter.organisation_id).await?;
        if !folded.is_empty()
            && ![&s.submitter.name, &s.submitter.email, &organisation]
                .iter()
                .any(|t| fold(t).contains(&folded))
        {
            continue;
        }
        let avg = averages.get(&s.id);
        rows.push(SubmissionRow {
            id: s.id,
            name: s.submitter.name.clone(),
            email: s.submitter.email.clone(),
            organisation,
            status: status_label(l, s.status),
            status_code: s.status.code(),
            staged: s
                .staged
                .map(|d| status_label(l, d).to_owned())
                .unwrap_or_default(),
            submitted: s
                .submitted_at
                .map(|t| time::datetime(l, t))
                .unwrap_or_default(),
            average: avg.map_or_else(|| "—".into(), |a| decimal(l, a.average)),
            reviewers: submissions::reviewers(c, s.id).await?.len() as i64,
        });
    }
    let counts = submissions::counts(c, id).await?;
    let staged = submissions::list(
        c,
        &submissions::Filter {
            call_id: Some(id),
            staged: true,
            ..Default::default()
        },
    )
    .await?
    .len();
    let users = all_users(c).await?;
    let project = projects::find(c, call.data.project_id)
        .await?
        .map(|p| p.data.name)
        .unwrap_or_default();
    let now = maillage_db::now();
    let closes = time::datetime(l, call.data.closes_at);
    let opens = time::datetime(l, call.data.opens_at);
    let window = if call.is_open(now) {
        fill(m.rv_window_open, &[("opens", &opens), ("closes", &closes)])
    } else {
        fill(
            m.rv_window_closed,
            &[("opens", &opens), ("closes", &closes)],
        )
    };
    html(SubmissionsPage {
        l: ctx.layout(call.data.title.clone()),
        call_id: id,
        title: call.data.title.clone(),
        project,
        kind: call.data.kind.label(l),
        window,
        counts: counts
            .iter()
            .map(|(s, n)| CountRow {
                label: status_label(l, *s),
                code: s.code(),
                n: *n,
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Choice::new(s.code(), status_label(l, *s), status == Some(*s)))
            .collect(),
        reviewers: users
            .iter()
            .filter(|u| is_team(u) || reviewer == Some(u.id))
            .map(|u| Choice::new(u.id.to_string(), u.name.clone(), reviewer == Some(u.id)))
            .collect(),
        filtered: status.is_some() || reviewer.is_some() || !q.is_empty(),
        q,
        rows,
        staged,
        has_criteria: !calls::criteria(c, id).await?.is_empty(),
        can_manage: ctx.can(Action::ManageForms),
    })
}

/// `POST /team/calls/{id}/send`: sends every staged decision of the call
/// in one batch, one e-mail per submitter, in one transaction.
pub async fn send_staged(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let call = find_call(&st, id).await?;
    let user = ctx.user()?.id;
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    let sent = submissions::send_staged(&tx, id, Some(user), now).await?;
    for s in &sent {
        outbox::enqueue(
            &tx,
            mail_review::status_changed(
                &st.config.base_url,
                &s.submission,
                &call.data.title,
                s.message.as_deref(),
            ),
            now,
        )
        .await?;
    }
    record(
        &tx,
        &ctx,
        ("send_decisions", "call", id),
        call.data.title.clone(),
        json!({ "sent": sent.iter().map(|s| json!({
            "submission": s.submission.id,
            "from": s.from.code(),
            "to": s.submission.status.code(),
        })).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_flash(
        &st,
        &format!("/team/calls/{id}/submissions"),
        Flash::Saved,
    ))
}

// ---------------------------------------------------------------------------
// One submission

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
    id: i64,
    call_id: i64,
    call_title: String,
    name: String,
    email: String,
    organisation: String,
    status: &'static str,
    status_code: &'static str,
    staged: String,
    staged_message: String,
    submitted: String,
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
struct Typed {
    comment: String,
    message: String,
    stage: String,
    stage_message: String,
    scores: HashMap<i64, String>,
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} ko", bytes.div_ceil(1024))
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    s: Submission,
    typed: Typed,
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
    let answers = version
        .schema
        .read(&s.answers)
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
        .collect();
    let events = submissions::events(c, s.id, true)
        .await?
        .into_iter()
        .map(|e| EventRow {
            when: time::datetime(l, e.at),
            who: match e.actor {
                Actor::Submitter => s.submitter.name.clone(),
                Actor::Staff => user_name(e.user_id),
            },
            what: match e.kind {
                EventKind::Status { from, to } => fill(
                    m.rv_event_status,
                    &[("from", status_label(l, from)), ("to", status_label(l, to))],
                ),
                EventKind::Comment if e.internal => m.rv_event_internal.to_owned(),
                EventKind::Comment => m.rv_event_comment.to_owned(),
            },
            comment: e.comment.unwrap_or_default(),
            internal: e.internal,
        })
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
    let mut by_reviewer: BTreeMap<i64, Vec<&submissions::Score>> = BTreeMap::new();
    for sc in &scores {
        by_reviewer.entry(sc.reviewer_id).or_default().push(sc);
    }
    let weight_of = |cid: i64| {
        criteria
            .iter()
            .find(|k| k.id == cid)
            .map_or(0.0, |k| f64::from(k.weight))
    };
    let score_rows = by_reviewer
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
            average: review::weighted_average(
                &list
                    .iter()
                    .map(|x| (f64::from(x.score), weight_of(x.criterion_id)))
                    .collect::<Vec<_>>(),
            )
            .map_or_else(|| "—".into(), |a| decimal(l, a)),
        })
        .collect();
    let average = review::weighted_average(
        &scores
            .iter()
            .map(|x| (f64::from(x.score), weight_of(x.criterion_id)))
            .collect::<Vec<_>>(),
    )
    .map_or_else(|| "—".into(), |a| decimal(l, a));
    let criteria_rows = criteria
        .iter()
        .map(|k| {
            let given: Vec<f64> = scores
                .iter()
                .filter(|x| x.criterion_id == k.id)
                .map(|x| f64::from(x.score))
                .collect();
            let field = format!("score-{}", k.id);
            CriterionRow {
                id: k.id,
                label: k.label.clone(),
                weight: k.weight,
                max: k.max_score,
                mine: typed.scores.get(&k.id).cloned().unwrap_or_else(|| {
                    scores
                        .iter()
                        .find(|x| x.criterion_id == k.id && x.reviewer_id == me)
                        .map(|x| x.score.to_string())
                        .unwrap_or_default()
                }),
                error: errors.get(&field).map(str::to_owned),
                average: if given.is_empty() {
                    "—".into()
                } else {
                    decimal(l, given.iter().sum::<f64>() / given.len() as f64)
                },
            }
        })
        .collect();
    let transitions = Status::ALL
        .iter()
        .filter(|to| s.status.allows(**to, Actor::Staff))
        .map(|to| Transition {
            code: to.code(),
            label: status_label(l, *to),
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
            Choice::new(to.code(), status_label(l, *to), selected)
        })
        .collect();
    let organisation = org_name(c, &mut HashMap::new(), s.submitter.organisation_id).await?;
    let title = fill(m.rv_submission_title, &[("name", &s.submitter.name)]);
    html_status(
        status,
        SubmissionPage {
            l: ctx.layout(title),
            id: s.id,
            call_id: s.call_id.unwrap_or(0),
            call_title: call.map(|c| c.data.title).unwrap_or_default(),
            name: s.submitter.name.clone(),
            email: s.submitter.email.clone(),
            organisation,
            status: status_label(l, s.status),
            status_code: s.status.code(),
            staged: s
                .staged
                .map(|d| status_label(l, d).to_owned())
                .unwrap_or_default(),
            stage_message: if typed.stage_message.is_empty() {
                s.staged_message.clone().unwrap_or_default()
            } else {
                typed.stage_message
            },
            staged_message: s.staged_message.clone().unwrap_or_default(),
            submitted: s
                .submitted_at
                .map(|t| time::datetime(l, t))
                .unwrap_or_default(),
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
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    render(
        &st,
        &ctx,
        s,
        Typed::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

fn back(st: &AppState, id: i64) -> Response {
    redirect_flash(st, &format!("/team/submissions/{id}"), Flash::Saved)
}

/// The sentence for a refused change.
fn refusal_text(ctx: &Ctx, r: Refusal) -> String {
    let l = ctx.locale;
    match r {
        Refusal::Illegal { from, to } => fill(
            ctx.m.rv_err_transition,
            &[("from", status_label(l, from)), ("to", status_label(l, to))],
        ),
        Refusal::NotADecision => ctx.m.rv_err_not_decision.to_owned(),
        _ => ctx.m.rv_err_refused.to_owned(),
    }
}

/// `POST /team/submissions/{id}/comment`: an internal comment.
pub async fn comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let (typed, r) = text_field(&form, "comment");
    let text = match r {
        Ok(Some(t)) => t,
        other => {
            let err = other.err().unwrap_or(FieldError::Required);
            let mut e = FormErrors::new();
            e.add("comment", field_error(ctx.m, &err));
            let t = Typed {
                comment: typed,
                ..Default::default()
            };
            return render(&st, &ctx, s, t, e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    let cid = submissions::comment(&tx, id, Actor::Staff, Some(user), &text, true, now).await?;
    record(
        &tx,
        &ctx,
        ("comment", "submission", id),
        s.submitter.name.clone(),
        json!({ "event": cid }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

/// `POST /team/submissions/{id}/reviewers`: assigns the user `user`.
pub async fn assign(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let target = match form.get("user").trim().parse::<i64>() {
        Ok(u) => users::find(st.db.conn(), u).await?.filter(is_team),
        Err(_) => None,
    };
    let Some(target) = target else {
        let mut e = FormErrors::new();
        e.add("user", ctx.m.rv_err_reviewer.to_owned());
        return render(
            &st,
            &ctx,
            s,
            Typed::default(),
            e,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    submissions::assign_reviewer(&tx, id, target.id, now).await?;
    record(
        &tx,
        &ctx,
        ("assign_reviewer", "submission", id),
        s.submitter.name.clone(),
        json!({ "reviewer": target.id, "name": target.name }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

/// `POST /team/submissions/{id}/reviewers/remove`: unassigns `user`.
pub async fn unassign(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let Ok(user) = form.get("user").trim().parse::<i64>() else {
        return Err(AppError::BadRequest(None));
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    submissions::unassign_reviewer(&tx, id, user).await?;
    record(
        &tx,
        &ctx,
        ("unassign_reviewer", "submission", id),
        s.submitter.name.clone(),
        json!({ "reviewer": user }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

/// `POST /team/submissions/{id}/scores`: the signed-in reviewer's scores,
/// one field `score-{criterion}` each (empty: left as it was).
pub async fn score(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let criteria = match s.call_id {
        Some(call) => calls::criteria(st.db.conn(), call).await?,
        None => Vec::new(),
    };
    let mut errors = FormErrors::new();
    let mut typed = Typed::default();
    let mut given = Vec::new();
    for k in &criteria {
        let field = format!("score-{}", k.id);
        let v = form.get(&field).trim().to_owned();
        typed.scores.insert(k.id, v.clone());
        if v.is_empty() {
            continue;
        }
        match review::score(&v, k.max_score) {
            Ok(n) => given.push((k, n)),
            Err(e) => errors.add(&field, field_error(ctx.m, &e)),
        }
    }
    if !errors.is_empty() {
        return render(
            &st,
            &ctx,
            s,
            typed,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    for (k, n) in &given {
        submissions::score(&tx, id, user, k.id, *n, now).await?;
    }
    record(
        &tx,
        &ctx,
        ("score", "submission", id),
        s.submitter.name.clone(),
        json!(
            given
                .iter()
                .map(|(k, n)| (k.key.clone(), json!(n)))
                .collect::<serde_json::Map<_, _>>()
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

/// `POST /team/submissions/{id}/status`: moves the submission to `to` if
/// the transition table allows the team to, with `message` for the
/// submitter (required when asking for changes); the submitter is
/// e-mailed in the same transaction.
pub async fn change_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let (typed_message, message) = text_field(&form, "message");
    let typed = || Typed {
        message: typed_message.clone(),
        ..Default::default()
    };
    let Ok(to) = Status::parse(form.get("to")) else {
        let e = FormErrors::general(ctx.m.rv_err_refused);
        return render(&st, &ctx, s, typed(), e, StatusCode::CONFLICT).await;
    };
    if !s.status.allows(to, Actor::Staff) {
        let e = FormErrors::general(refusal_text(&ctx, Refusal::Illegal { from: s.status, to }));
        return render(&st, &ctx, s, typed(), e, StatusCode::CONFLICT).await;
    }
    let message = match message {
        Ok(None) if to == Status::ChangesRequested => Err(FieldError::Required),
        other => other,
    };
    let message = match message {
        Ok(m) => m,
        Err(err) => {
            let mut e = FormErrors::new();
            e.add("message", field_error(ctx.m, &err));
            return render(&st, &ctx, s, typed(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let now = maillage_db::now();
    let user = ctx.user()?.id;
    let tx = st.db.write().await?;
    let changed = match submissions::transition(
        &tx,
        id,
        to,
        Actor::Staff,
        Some(user),
        message.as_deref(),
        now,
    )
    .await?
    {
        Ok(changed) => changed,
        Err(r) => {
            drop(tx);
            let e = FormErrors::general(refusal_text(&ctx, r));
            return render(&st, &ctx, s, typed(), e, StatusCode::CONFLICT).await;
        }
    };
    let title = call_title(&tx, &changed).await?;
    outbox::enqueue(
        &tx,
        mail_review::status_changed(&st.config.base_url, &changed, &title, message.as_deref()),
        now,
    )
    .await?;
    record(
        &tx,
        &ctx,
        ("status", "submission", id),
        s.submitter.name.clone(),
        json!({ "status": { "from": s.status.code(), "to": to.code() },
                "activity": changed.activity_id }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

async fn call_title(c: &impl ConnectionTrait, s: &Submission) -> Result<String, AppError> {
    Ok(match s.call_id {
        Some(id) => calls::find(c, id)
            .await?
            .map(|c| c.data.title)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// `POST /team/submissions/{id}/stage`: stages a decision (`decision`
/// empty clears it) with its `message`, to send with the call's others.
pub async fn stage(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    let s = visible(&st, &ctx, id).await?;
    let (typed_message, message) = text_field(&form, "stage_message");
    let raw = form.get("decision").trim().to_owned();
    let typed = || Typed {
        stage: raw.clone(),
        stage_message: typed_message.clone(),
        ..Default::default()
    };
    let decision = if raw.is_empty() {
        None
    } else {
        let Ok(to) = Status::parse(&raw) else {
            let mut e = FormErrors::new();
            e.add("decision", field_error(ctx.m, &FieldError::InvalidChoice));
            return render(&st, &ctx, s, typed(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
        };
        let message = match message {
            Ok(None) if to == Status::ChangesRequested => Err(FieldError::Required),
            other => other,
        };
        match message {
            Ok(m) => Some((to, m)),
            Err(err) => {
                let mut e = FormErrors::new();
                e.add("stage_message", field_error(ctx.m, &err));
                return render(&st, &ctx, s, typed(), e, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    };
    let now = maillage_db::now();
    let tx = st.db.write().await?;
    if let Err(r) = submissions::stage(&tx, id, decision.clone(), now).await? {
        drop(tx);
        let e = FormErrors::general(refusal_text(&ctx, r));
        return render(&st, &ctx, s, typed(), e, StatusCode::CONFLICT).await;
    }
    record(
        &tx,
        &ctx,
        ("stage", "submission", id),
        s.submitter.name.clone(),
        json!({ "staged": decision.as_ref().map(|(d, _)| d.code()) }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(back(&st, id))
}

// ---------------------------------------------------------------------------
// Creating and editing a call

/// New criteria offered at once on the call form.
const NEW_CRITERIA: usize = 3;

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

pub struct ExistingCriterion {
    pub label: String,
    pub weight: i32,
    pub max: i32,
}

#[derive(Template)]
#[template(path = "forms/review/call_form.html")]
struct CallForm {
    l: Layout,
    /// `None` for a new call.
    id: Option<i64>,
    projects: Vec<Choice>,
    forms: Vec<Choice>,
    kinds: Vec<Choice>,
    title: String,
    slug: String,
    opens_date: String,
    opens_time: String,
    closes_date: String,
    closes_time: String,
    existing: Vec<ExistingCriterion>,
    criteria: Vec<CriterionInput>,
    errors: FormErrors,
}

/// What the call form holds, as typed.
#[derive(Default)]
struct CallInput {
    project: String,
    form: String,
    kind: String,
    title: String,
    slug: String,
    opens_date: String,
    opens_time: String,
    closes_date: String,
    closes_time: String,
    criteria: Vec<CriterionInput>,
}

impl CallInput {
    fn from_pairs(p: &Pairs) -> CallInput {
        CallInput {
            project: p.get("project").to_owned(),
            form: p.get("form").to_owned(),
            kind: p.get("kind").to_owned(),
            title: p.get("title").to_owned(),
            slug: p.get("slug").to_owned(),
            opens_date: p.get("opens_date").to_owned(),
            opens_time: p.get("opens_time").to_owned(),
            closes_date: p.get("closes_date").to_owned(),
            closes_time: p.get("closes_time").to_owned(),
            criteria: (0..NEW_CRITERIA)
                .map(|n| CriterionInput {
                    n,
                    label: p.get(&format!("criterion_label_{n}")).to_owned(),
                    weight: p.get(&format!("criterion_weight_{n}")).to_owned(),
                    max: p.get(&format!("criterion_max_{n}")).to_owned(),
                })
                .collect(),
        }
    }

    fn of_call(call: &Call) -> CallInput {
        let local = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Paris);
        let (o, c) = (local(call.data.opens_at), local(call.data.closes_at));
        CallInput {
            project: call.data.project_id.to_string(),
            form: call.data.form_id.to_string(),
            kind: call.data.kind.code().to_owned(),
            title: call.data.title.clone(),
            slug: call.data.slug.clone(),
            opens_date: o.format("%Y-%m-%d").to_string(),
            opens_time: o.format("%H:%M").to_string(),
            closes_date: c.format("%Y-%m-%d").to_string(),
            closes_time: c.format("%H:%M").to_string(),
            criteria: Vec::new(),
        }
    }
}

async fn render_call_form(
    st: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    mut input: CallInput,
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
    if input.criteria.is_empty() {
        input.criteria = (0..NEW_CRITERIA)
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
        CallForm {
            l: ctx.layout(title),
            id,
            projects,
            forms,
            kinds,
            title: input.title,
            slug: input.slug,
            opens_date: input.opens_date,
            opens_time: input.opens_time,
            closes_date: input.closes_date,
            closes_time: input.closes_time,
            existing,
            criteria: input.criteria,
            errors,
        },
    )
}

/// `GET /team/calls/new`.
pub async fn new_call(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let input = CallInput {
        kind: CallKind::Participation.code().into(),
        opens_time: "09:00".into(),
        closes_time: "23:59".into(),
        ..Default::default()
    };
    render_call_form(&st, &ctx, None, input, FormErrors::new(), StatusCode::OK).await
}

/// `GET /team/calls/{id}/edit`.
pub async fn edit_call(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let call = find_call(&st, id).await?;
    render_call_form(
        &st,
        &ctx,
        Some(id),
        CallInput::of_call(&call),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// A date and a time typed in Europe/Paris, as an instant.
fn paris(
    e: &mut FormErrors,
    ctx: &Ctx,
    (date_field, date): (&str, &str),
    (time_field, time): (&str, &str),
) -> Option<DateTime<Utc>> {
    let d = check(e, ctx.m, date_field, parse_date(date));
    let t = check(e, ctx.m, time_field, parse_time(time));
    let (d, t) = (d?, t?);
    match paris_instant(d, t) {
        Ok(i) => Some(i),
        Err(_) => {
            e.add(time_field, gap_message(ctx.m, d, t));
            None
        }
    }
}

/// Checks the call form: the call's data and the new criteria
/// (key, label, weight, maximum).
async fn check_call(
    st: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    input: &CallInput,
) -> Result<Result<(CallData, Vec<(String, i32, i32)>), FormErrors>, AppError> {
    let c = st.db.conn();
    let m = ctx.m;
    let mut e = FormErrors::new();
    let project = match input.project.trim().parse::<i64>() {
        Ok(p) => projects::find(c, p).await?.map(|p| p.id),
        Err(_) => None,
    };
    if project.is_none() {
        e.add("project", field_error(m, &FieldError::InvalidChoice));
    }
    let form = match input.form.trim().parse::<i64>() {
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
    let kind = check(&mut e, m, "kind", CallKind::parse(&input.kind));
    let title = check(&mut e, m, "title", single_line(&input.title, 2, 200));
    let slug = check(&mut e, m, "slug", programme_slug(&input.slug));
    if let Some(s) = &slug
        && let Some(other) = calls::find_by_slug(c, s).await?
        && Some(other.id) != id
    {
        e.add("slug", field_error(m, &FieldError::AlreadyTaken));
    }
    let opens = paris(
        &mut e,
        ctx,
        ("opens_date", &input.opens_date),
        ("opens_time", &input.opens_time),
    );
    let closes = paris(
        &mut e,
        ctx,
        ("closes_date", &input.closes_date),
        ("closes_time", &input.closes_time),
    );
    if let (Some(o), Some(cl)) = (opens, closes)
        && cl <= o
    {
        e.add("closes_date", field_error(m, &FieldError::EndBeforeStart));
    }
    let mut criteria = Vec::new();
    for k in &input.criteria {
        if k.label.trim().is_empty() {
            continue;
        }
        let n = k.n;
        let label = check(
            &mut e,
            m,
            &format!("criterion_label_{n}"),
            single_line(&k.label, 1, 200),
        );
        let weight = check(
            &mut e,
            m,
            &format!("criterion_weight_{n}"),
            maillage_domain::booking::persons(&k.weight, 0, 100),
        );
        let max = check(
            &mut e,
            m,
            &format!("criterion_max_{n}"),
            maillage_domain::booking::persons(&k.max, 1, 100),
        );
        if let (Some(label), Some(weight), Some(max)) = (label, weight, max) {
            criteria.push((label, weight, max));
        }
    }
    match (project, form, kind, title, slug, opens, closes) {
        (
            Some(project_id),
            Some(form_id),
            Some(kind),
            Some(title),
            Some(slug),
            Some(o),
            Some(cl),
        ) if e.is_empty() => Ok(Ok((
            CallData {
                form_id,
                project_id,
                kind,
                slug,
                title,
                opens_at: o,
                closes_at: cl,
            },
            criteria,
        ))),
        _ => Ok(Err(e)),
    }
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
    form: Pairs,
) -> Result<Response, AppError> {
    let input = CallInput::from_pairs(&form);
    let (data, criteria) = match check_call(st, ctx, id, &input).await? {
        Ok(v) => v,
        Err(e) => {
            return render_call_form(st, ctx, id, input, e, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
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
    for (label, weight, max) in &criteria {
        let key = criterion_key(&tx, call_id, label).await?;
        calls::add_criterion(&tx, call_id, &key, label, *weight, *max).await?;
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
            "criteria": criteria.iter().map(|(l, w, m)| json!({"label": l, "weight": w, "max": m})).collect::<Vec<_>>(),
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
    form: Pairs,
) -> Result<Response, AppError> {
    save_call(&st, &ctx, None, form).await
}

/// `POST /team/calls/{id}`: saves a call and adds the new criteria.
pub async fn update_call(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Pairs,
) -> Result<Response, AppError> {
    find_call(&st, id).await?;
    save_call(&st, &ctx, Some(id), form).await
}

// ---------------------------------------------------------------------------
// Uploads

/// `filename*` of RFC 6266 / 5987: UTF-8, percent-encoded.
fn ext_value(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The header `Content-Disposition: attachment` for `name`, with an ASCII
/// fallback for old clients.
pub(crate) fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*={}",
        ext_value(name)
    )
}

/// `GET /team/uploads/{id}`: a file of a submission, to the roles that
/// review and to the submission's reviewers, always as an attachment.
pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (u, bytes) = uploads::read(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(&st, &ctx, u.submission_id).await? {
        return Err(AppError::Forbidden);
    }
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(u.kind.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&attachment(&u.filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names() {
        assert_eq!(
            attachment("CV Ada.pdf"),
            "attachment; filename=\"CV Ada.pdf\"; filename*=UTF-8''CV%20Ada.pdf"
        );
        assert_eq!(
            attachment("Lettre Inès.pdf"),
            "attachment; filename=\"Lettre In_s.pdf\"; filename*=UTF-8''Lettre%20In%C3%A8s.pdf"
        );
        assert_eq!(decimal(Locale::Fr, 3.5), "3,50");
        assert_eq!(decimal(Locale::En, 3.5), "3.50");
    }
}
