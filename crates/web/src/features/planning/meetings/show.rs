//! A meeting's page: when and where, its attendees (and the form adding
//! one), the open actions carried from earlier meetings of its series, its
//! agenda with each item's minutes and outcome (an action with its task),
//! the forms writing them, and the buttons sending the invitation and the
//! minutes. A refused form comes back here beside its fields, as typed.

use super::super::scope::Scope;
use super::minutes::{ItemForm, MinutesForm};
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors};
use crate::shared::html_status;
use crate::shared::records::{NoQuery, Shown, found};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use chrono_tz::Europe::Paris;
use maillage_db::planning::meetings::{self, Attendee, Meeting};
use maillage_db::planning::tasks::{self, Task};
use maillage_db::programme::projects;
use maillage_db::users::{self, UserFilter};
use maillage_db::{PageRequest, people, venues};
use maillage_domain::planning::Outcome;
use maillage_domain::{Action, Role};
use std::collections::HashMap;

/// A form of the page refused: which, what was typed, why.
#[derive(Default)]
pub enum Problem {
    #[default]
    None,
    Attendee(FormErrors),
    Item(ItemForm, FormErrors),
    Minutes(i64, MinutesForm, FormErrors),
}

pub struct ItemRow {
    pub id: i64,
    pub title: String,
    pub minutes: String,
    pub outcome: &'static str,
    /// The action's task: title, who, due, late.
    pub task: Option<TaskRow>,
    pub form: MinutesForm,
    pub errors: FormErrors,
    pub outcomes: Vec<Choice>,
    pub assignees: Vec<Choice>,
}

pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub who: String,
    pub due: String,
    pub status: &'static str,
    pub late: bool,
}

pub struct AttendeeRow {
    pub id: i64,
    pub name: String,
    pub organisation: String,
}

#[derive(Template)]
#[template(path = "planning/meetings/show.html")]
struct ShowPage {
    l: Layout,
    m: Meeting,
    when: String,
    place: String,
    project: Option<(i64, String)>,
    attendees: Vec<AttendeeRow>,
    people: Vec<Choice>,
    attendee_errors: FormErrors,
    carried: Vec<TaskRow>,
    items: Vec<ItemRow>,
    item_form: ItemForm,
    item_errors: FormErrors,
    sent: Option<String>,
    can_manage: bool,
    can_edit: bool,
}

impl Shown for Meeting {
    type Query = NoQuery;

    async fn page(st: &AppState, ctx: &Ctx, id: i64, _: NoQuery) -> Result<Response, AppError> {
        let m: Meeting = found(st, id).await?;
        render(st, ctx, m, Problem::None).await
    }
}

/// The names of the accounts `ids`.
async fn user_names(
    st: &AppState,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let mut out = HashMap::new();
    for id in ids {
        if !out.contains_key(&id)
            && let Some(u) = users::find(st.db.conn(), id).await?
        {
            out.insert(id, u.name);
        }
    }
    Ok(out)
}

/// Tasks as the page lists them, with who does them.
pub async fn task_rows(st: &AppState, ctx: &Ctx, list: &[Task]) -> Result<Vec<TaskRow>, AppError> {
    let ids: Vec<i64> = list.iter().map(|t| t.id).collect();
    let who = tasks::assignees(st.db.conn(), &ids).await?;
    let names = user_names(st, who.values().flatten().copied()).await?;
    let today = Utc::now().with_timezone(&Paris).date_naive();
    Ok(list
        .iter()
        .map(|t| TaskRow {
            id: t.id,
            title: t.title.clone(),
            who: who
                .get(&t.id)
                .map(|v| {
                    v.iter()
                        .filter_map(|u| names.get(u).cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            due: t
                .due_on
                .map_or_else(String::new, |d| crate::time::long_date(ctx.locale, d)),
            status: t.status.label(ctx.locale),
            late: t.is_late(today),
        })
        .collect())
}

/// Who an action may be given to: the team's active accounts and the
/// partners' accounts among the attendees.
async fn assignable(st: &AppState, attendees: &[Attendee]) -> Result<Vec<(i64, String)>, AppError> {
    let mut out = Vec::new();
    let team = users::list(
        st.db.conn(),
        &UserFilter::default(),
        PageRequest::new(1, 500),
    )
    .await?;
    for u in team.items {
        if u.role != Role::Partner || attendees.iter().any(|a| a.user_id == Some(u.id)) {
            out.push((u.id, u.name));
        }
    }
    Ok(out)
}

/// Who may be added: the team's and partners' accounts, and the people of
/// the project's partner organisations who have an e-mail address.
async fn candidates(
    st: &AppState,
    m: &Meeting,
    attendees: &[Attendee],
) -> Result<Vec<Choice>, AppError> {
    let mut out = Vec::new();
    let accounts = users::list(
        st.db.conn(),
        &UserFilter::default(),
        PageRequest::new(1, 500),
    )
    .await?;
    for u in accounts.items {
        if !attendees.iter().any(|a| a.user_id == Some(u.id)) {
            out.push(Choice::new(format!("u{}", u.id), u.name, false));
        }
    }
    if let Some(p) = m.data.project_id
        && let Some(p) = projects::find(st.db.conn(), p).await?
    {
        for partner in &p.partners {
            for (person, _) in people::members_of(st.db.conn(), partner.organisation_id).await? {
                if person.data.email.is_some()
                    && !attendees.iter().any(|a| a.person_id == Some(person.id))
                {
                    out.push(Choice::new(
                        format!("p{}-{}", person.id, partner.organisation_id),
                        format!("{} ({})", person.name(), partner.organisation_name),
                        false,
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Where a meeting takes place, in a line.
pub async fn place(st: &AppState, m: &Meeting) -> Result<String, AppError> {
    let venue = match m.data.venue_id {
        Some(v) => venues::find(st.db.conn(), v).await?.map(|v| {
            let mut line = v.data.name;
            if let Some(a) = v.data.address {
                line = format!("{line}, {a}");
            }
            line
        }),
        None => None,
    };
    Ok([venue, m.data.online_url.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — "))
}

/// "mardi 2 mars 2027, 9:00–11:00".
pub fn when(ctx: &Ctx, m: &Meeting) -> String {
    let start = m.data.starts_at.with_timezone(&Paris);
    let end = m.data.ends_at.with_timezone(&Paris);
    format!(
        "{}, {}–{}",
        crate::time::long_date(ctx.locale, start.date_naive()),
        start.format("%H:%M"),
        end.format("%H:%M")
    )
}

/// The page of `m`, with the refused form of `problem` if any (422).
pub async fn render(
    st: &AppState,
    ctx: &Ctx,
    m: Meeting,
    problem: Problem,
) -> Result<Response, AppError> {
    Scope::of(st, ctx).await?.meeting(&m)?;
    let status = match problem {
        Problem::None => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let attendees = meetings::attendees(st.db.conn(), m.id).await?;
    let mut orgs: HashMap<i64, String> = HashMap::new();
    for o in attendees.iter().filter_map(|a| a.organisation_id) {
        if !orgs.contains_key(&o)
            && let Some(org) = maillage_db::organisations::find(st.db.conn(), o).await?
        {
            orgs.insert(o, org.data.name);
        }
    }
    let assignable = assignable(st, &attendees).await?;
    let items = meetings::items(st.db.conn(), m.id).await?;
    let made: Vec<Task> = tasks::of_meetings(st.db.conn(), &[m.id]).await?;
    let made_rows = task_rows(st, ctx, &made).await?;
    let (mut attendee_errors, mut item_form, mut item_errors) =
        (FormErrors::new(), ItemForm::default(), FormErrors::new());
    let mut refused = None;
    match problem {
        Problem::None => {}
        Problem::Attendee(e) => attendee_errors = e,
        Problem::Item(f, e) => (item_form, item_errors) = (f, e),
        Problem::Minutes(id, f, e) => refused = Some((id, f, e)),
    }
    let who =
        tasks::assignees(st.db.conn(), &made.iter().map(|t| t.id).collect::<Vec<_>>()).await?;
    let mut rows = Vec::new();
    for it in items {
        let task = it
            .task_id
            .and_then(|t| made_rows.iter().find(|r| r.id == t))
            .map(|r| TaskRow {
                id: r.id,
                title: r.title.clone(),
                who: r.who.clone(),
                due: r.due.clone(),
                status: r.status,
                late: r.late,
            });
        let (form, errors) = match refused.take() {
            Some((id, f, e)) if id == it.id => (f, e),
            other => {
                refused = other;
                let t = it.task_id.and_then(|t| made.iter().find(|x| x.id == t));
                (
                    MinutesForm {
                        minutes: it.minutes.clone().unwrap_or_default(),
                        outcome: it.outcome.map(|o| o.code().to_owned()).unwrap_or_default(),
                        action_title: t.map(|t| t.title.clone()).unwrap_or_default(),
                        assignee: t
                            .and_then(|t| who.get(&t.id))
                            .and_then(|v| v.first())
                            .map(|u| u.to_string())
                            .unwrap_or_default(),
                        due: t
                            .and_then(|t| t.due_on)
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        shared: t.is_some_and(|t| t.shared),
                    },
                    FormErrors::new(),
                )
            }
        };
        let outcomes = std::iter::once(Choice::new(
            "",
            ctx.m.mt_outcome_none,
            form.outcome.is_empty(),
        ))
        .chain(
            Outcome::ALL
                .iter()
                .map(|o| Choice::new(o.code(), o.label(ctx.locale), form.outcome == o.code())),
        )
        .collect();
        let assignees = assignable
            .iter()
            .map(|(id, n)| Choice::new(id.to_string(), n.clone(), form.assignee == id.to_string()))
            .collect();
        rows.push(ItemRow {
            id: it.id,
            title: it.title,
            minutes: it.minutes.unwrap_or_default(),
            outcome: it.outcome.map_or("", |o| o.label(ctx.locale)),
            task,
            form,
            errors,
            outcomes,
            assignees,
        });
    }
    let carried = meetings::carried(st.db.conn(), &m).await?;
    let project = match m.data.project_id {
        Some(p) => projects::find(st.db.conn(), p)
            .await?
            .map(|p| (p.id, p.data.name)),
        None => None,
    };
    let page = ShowPage {
        l: ctx.layout(m.data.title.clone()),
        when: when(ctx, &m),
        place: place(st, &m).await?,
        project,
        people: candidates(st, &m, &attendees).await?,
        attendees: attendees
            .iter()
            .map(|a| AttendeeRow {
                id: a.id,
                name: a.name.clone(),
                organisation: a
                    .organisation_id
                    .and_then(|o| orgs.get(&o).cloned())
                    .unwrap_or_default(),
            })
            .collect(),
        attendee_errors,
        carried: task_rows(st, ctx, &carried).await?,
        items: rows,
        item_form,
        item_errors,
        sent: m
            .minutes_sent_at
            .map(|t| crate::time::datetime(ctx.locale, t)),
        can_manage: ctx.can(Action::ManageMeetings),
        can_edit: ctx.can(Action::ManagePlanning),
        m,
    };
    html_status(status, page)
}
