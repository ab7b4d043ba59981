//! What changes a meeting from its page: attendees added and removed,
//! agenda items added, each item's minutes and outcome (an action becomes
//! a task with its assignee and due date), the invitation (`.ics`) and the
//! minutes e-mailed to the attendees in their language.

use super::super::scope::Scope;
use super::show::{Problem, place, render, task_rows, when};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::{FormErrors, Typed, check};
use crate::i18n::{field_error, fill, messages};
use crate::shared::records::{found, saved, write};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maillage_db::outbox::{self, NewMail};
use maillage_db::planning::meetings::{self, Action, Attendee, Meeting, Who};
use maillage_db::planning::tasks;
use maillage_db::users;
use maillage_domain::field::{single_line, text_block};
use maillage_domain::planning::Outcome;
use maillage_domain::{FieldError, Locale, Role, Vocabulary};
use serde::Deserialize;

/// The meeting `id` if the signed-in person sees it, or 404.
async fn meeting(st: &AppState, ctx: &Ctx, id: i64) -> Result<Meeting, AppError> {
    let m: Meeting = found(st, id).await?;
    Scope::of(st, ctx).await?.meeting(&m)?;
    Ok(m)
}

fn back(id: i64, anchor: &str) -> String {
    format!("/team/meetings/{id}{anchor}")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AttendeeForm {
    who: String,
}

/// `u12` (an account) or `p34-5` (person 34 of organisation 5).
fn parse_who(s: &str) -> Option<(Who, Option<i64>)> {
    if let Some(u) = s.strip_prefix('u') {
        return Some((Who::User(u.parse().ok()?), None));
    }
    let (p, o) = s.strip_prefix('p')?.split_once('-')?;
    Some((Who::Person(p.parse().ok()?), Some(o.parse().ok()?)))
}

pub async fn add_attendee(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<AttendeeForm>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let c = st.db.conn();
    let who = match parse_who(f.who.trim()) {
        Some((Who::User(u), _)) => users::find(c, u)
            .await?
            .map(|u| (Who::User(u.id), u.organisation_id)),
        Some((Who::Person(p), Some(o))) => maillage_db::people::find(c, p)
            .await?
            .filter(|p| p.memberships.iter().any(|ms| ms.organisation_id == o))
            .map(|p| (Who::Person(p.id), Some(o))),
        _ => None,
    };
    let Some((who, organisation)) = who else {
        let mut e = FormErrors::new();
        let err = if f.who.trim().is_empty() {
            FieldError::Required
        } else {
            FieldError::InvalidChoice
        };
        e.add("who", field_error(ctx.m, &err));
        return render(&st, &ctx, m, Problem::Attendee(e)).await;
    };
    write(&st, &ctx, async |tx, _| {
        meetings::add_attendee(tx, &m, who, organisation).await
    })
    .await?;
    Ok(saved(&st, &back(id, "#attendees")))
}

pub async fn remove_attendee(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, attendee)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let gone = write(&st, &ctx, async |tx, _| {
        meetings::remove_attendee(tx, &m, attendee).await
    })
    .await?;
    if !gone {
        return Err(AppError::NotFound);
    }
    Ok(saved(&st, &back(id, "#attendees")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemForm {
    pub title: String,
}

pub async fn add_item(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<ItemForm>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let mut e = FormErrors::new();
    let Some(title) = check(&mut e, ctx.m, "title", single_line(&f.title, 1, 200)) else {
        return render(&st, &ctx, m, Problem::Item(f, e)).await;
    };
    write(&st, &ctx, async |tx, _| {
        meetings::add_item(tx, &m, &title).await
    })
    .await?;
    Ok(saved(&st, &back(id, "#agenda")))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MinutesForm {
    pub minutes: String,
    pub outcome: String,
    pub action_title: String,
    pub assignee: String,
    pub due: String,
    #[serde(deserialize_with = "crate::forms::ticked")]
    pub shared: bool,
}

/// Minutes longer than this are refused (characters).
const MINUTES_MAX: usize = 10_000;

pub async fn record(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, item)): Path<(i64, i64)>,
    Typed(f): Typed<MinutesForm>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let it = meetings::find_item(st.db.conn(), item)
        .await?
        .filter(|i| i.meeting_id == id)
        .ok_or(AppError::NotFound)?;
    let msg = ctx.m;
    let mut e = FormErrors::new();
    let minutes = check(&mut e, msg, "minutes", text_block(&f.minutes, MINUTES_MAX));
    let outcome = match f.outcome.trim() {
        "" => Some(None),
        o => match Outcome::from_code(o) {
            Some(o) => Some(Some(o)),
            None => {
                e.add("outcome", field_error(msg, &FieldError::InvalidChoice));
                None
            }
        },
    };
    let mut action = None;
    if outcome == Some(Some(Outcome::Action)) {
        let title = match f.action_title.trim() {
            "" => Some(it.title.clone()),
            t => check(&mut e, msg, "action_title", single_line(t, 1, 200)),
        };
        let assignee = match f.assignee.trim().parse::<i64>() {
            Ok(u) => users::find(st.db.conn(), u)
                .await?
                .filter(|u| u.is_active()),
            Err(_) => None,
        };
        if assignee.is_none() {
            let err = if f.assignee.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::InvalidChoice
            };
            e.add("assignee", field_error(msg, &err));
        }
        let due = check(&mut e, msg, "due", crate::shared::dates::parse_date(&f.due));
        if let (Some(title), Some(u), Some(due_on)) = (title, assignee, due) {
            // A partner's action concerns their organisation, and they see it.
            let organisation_id = (u.role == Role::Partner)
                .then_some(u.organisation_id)
                .flatten();
            action = Some(Action {
                title,
                assignee: u.id,
                due_on,
                shared: f.shared || organisation_id.is_some(),
                organisation_id,
            });
        }
    }
    let (Some(minutes), Some(outcome)) = (minutes, outcome) else {
        return render(&st, &ctx, m, Problem::Minutes(item, f, e)).await;
    };
    if !e.is_empty() {
        return render(&st, &ctx, m, Problem::Minutes(item, f, e)).await;
    }
    write(&st, &ctx, async |tx, now| {
        meetings::record_minutes(tx, &m, &it, minutes, outcome, action.as_ref(), now).await
    })
    .await?;
    Ok(saved(&st, &back(id, &format!("#item-{item}"))))
}

/// The meeting as an iCalendar event.
pub fn event(base: &str, m: &Meeting, place: &str) -> maillage_ical::Event {
    maillage_ical::Event {
        uid: format!(
            "meeting-{}@{}",
            m.id,
            crate::shared::programme::uid_host(base)
        ),
        starts_at: m.data.starts_at,
        ends_at: m.data.ends_at,
        summary: m.data.title.clone(),
        description: m.data.online_url.clone(),
        location: (!place.is_empty()).then(|| place.to_owned()),
        geo: None,
        url: Some(format!("{base}/team/meetings/{}", m.id)),
        status: maillage_ical::EventStatus::Confirmed,
        categories: Vec::new(),
        last_modified: m.minutes_sent_at.unwrap_or(m.data.starts_at),
        sequence: 0,
        day: None,
    }
}

fn calendar(base: &str, m: &Meeting, place: &str) -> String {
    maillage_ical::render(
        &maillage_ical::Calendar {
            name: m.data.title.clone(),
            description: None,
            url: None,
            events: vec![event(base, m, place)],
        },
        Utc::now(),
    )
}

/// `GET …/invite.ics`: the meeting for one's calendar.
pub async fn ics(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let body = calendar(&st.config.base_url, &m, &place(&st, &m).await?);
    Ok((
        [
            (header::CONTENT_TYPE, maillage_ical::CONTENT_TYPE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"reunion-{id}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// An attendee's language and the page their link opens (none for a
/// person without an account).
async fn reader(
    st: &AppState,
    a: &Attendee,
    id: i64,
) -> Result<(Locale, Option<String>), AppError> {
    let base = &st.config.base_url;
    Ok(match a.user_id {
        Some(u) => match users::find(st.db.conn(), u).await? {
            Some(u) if u.role == Role::Partner => {
                (u.locale, Some(format!("{base}/partner/meetings/{id}")))
            }
            Some(u) => (u.locale, Some(format!("{base}/team/meetings/{id}"))),
            None => (Locale::Fr, None),
        },
        None => (Locale::Fr, None),
    })
}

/// One attendee with an address, as an e-mail to them begins: in their
/// language, greeted by name, with the link they may open.
struct Letter {
    to: String,
    name: String,
    locale: Locale,
    hello: String,
    link: String,
}

async fn letters(st: &AppState, id: i64) -> Result<Vec<Letter>, AppError> {
    let mut out = Vec::new();
    for a in meetings::attendees(st.db.conn(), id).await? {
        let Some(to) = a.email.clone() else { continue };
        let (locale, link) = reader(st, &a, id).await?;
        let words = messages(locale);
        out.push(Letter {
            to,
            hello: fill(words.mt_mail_hello, &[("name", &a.name)]),
            link: link
                .map(|l| fill(words.mt_mail_link, &[("link", &l)]))
                .unwrap_or_default(),
            name: a.name,
            locale,
        });
    }
    Ok(out)
}

/// Queues `mails` with the audit entry `entry`, in one transaction.
async fn queue(
    st: &AppState,
    ctx: &Ctx,
    mails: Vec<NewMail>,
    change: impl AsyncFnOnce(
        &maillage_db::WriteTx,
        chrono::DateTime<Utc>,
        usize,
    ) -> Result<maillage_db::records::Audited<()>, maillage_db::DbErr>,
) -> Result<(), AppError> {
    let n = mails.len();
    write(st, ctx, async |tx, now| {
        for mail in mails {
            outbox::enqueue(tx, mail, now).await?;
        }
        change(tx, now, n).await
    })
    .await?;
    Ok(())
}

/// `POST …/invite`: each attendee gets the meeting by e-mail, with its
/// `.ics` attached.
pub async fn invite(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    let where_ = place(&st, &m).await?;
    let ics = calendar(&st.config.base_url, &m, &where_);
    let mails = letters(&st, id)
        .await?
        .into_iter()
        .map(|l| {
            let words = messages(l.locale);
            NewMail {
                subject: fill(words.mt_invite_subject, &[("title", &m.data.title)]),
                body_text: fill(
                    words.mt_invite_body,
                    &[
                        ("hello", &l.hello),
                        ("title", &m.data.title),
                        ("when", &when(&Ctx::new(l.locale), &m)),
                        ("place", &where_),
                        ("link", &l.link),
                    ],
                ),
                body_html: None,
                ics: Some(ics.clone()),
                to_addr: l.to,
                to_name: Some(l.name),
            }
        })
        .collect();
    queue(&st, &ctx, mails, async |_, _, n| {
        Ok(maillage_db::records::Audited::new(
            (),
            maillage_db::records::Entry::new(
                "send_invitation",
                "meeting",
                m.id,
                m.data.title.clone(),
                serde_json::json!({ "recipients": n }),
            ),
        ))
    })
    .await?;
    Ok(saved(&st, &back(id, "")))
}

/// The minutes as an e-mail's text, in `locale`.
async fn minutes_text(st: &AppState, m: &Meeting, locale: Locale) -> Result<String, AppError> {
    let ctx = Ctx::new(locale);
    let words = ctx.m;
    let items = meetings::items(st.db.conn(), m.id).await?;
    let made = tasks::of_meetings(st.db.conn(), &[m.id]).await?;
    let rows = task_rows(st, &ctx, &made).await?;
    let mut out = String::new();
    for (n, it) in items.iter().enumerate() {
        out.push_str(&format!("{}. {}", n + 1, it.title));
        if let Some(o) = it.outcome {
            out.push_str(&format!(" — {}", o.label(locale)));
        }
        out.push('\n');
        if let Some(text) = &it.minutes {
            for line in text.lines() {
                out.push_str(&format!("   {line}\n"));
            }
        }
        if let Some(t) = it.task_id.and_then(|t| rows.iter().find(|r| r.id == t)) {
            out.push_str(&format!(
                "   → {}\n",
                fill(
                    words.mt_mail_action,
                    &[("title", &t.title), ("who", &t.who), ("due", &t.due)]
                )
            ));
        }
        out.push('\n');
    }
    let carried = meetings::carried(st.db.conn(), m).await?;
    if !carried.is_empty() {
        out.push_str(words.mt_carried);
        out.push('\n');
        for t in task_rows(st, &ctx, &carried).await? {
            out.push_str(&format!(
                "   → {}\n",
                fill(
                    words.mt_mail_action,
                    &[("title", &t.title), ("who", &t.who), ("due", &t.due)]
                )
            ));
        }
    }
    Ok(out)
}

/// `POST …/send`: the minutes to every attendee with an address, each in
/// their language, queued with the change that records it.
pub async fn send(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = meeting(&st, &ctx, id).await?;
    // The minutes written once per language, not once per attendee.
    let mut texts: std::collections::HashMap<Locale, String> = Default::default();
    let mut mails = Vec::new();
    for l in letters(&st, id).await? {
        if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(l.locale) {
            e.insert(minutes_text(&st, &m, l.locale).await?);
        }
        let words = messages(l.locale);
        mails.push(NewMail {
            subject: fill(words.mt_minutes_subject, &[("title", &m.data.title)]),
            body_text: fill(
                words.mt_minutes_body,
                &[
                    ("hello", &l.hello),
                    ("title", &m.data.title),
                    ("when", &when(&Ctx::new(l.locale), &m)),
                    ("minutes", &texts[&l.locale]),
                    ("link", &l.link),
                ],
            ),
            body_html: None,
            ics: None,
            to_addr: l.to,
            to_name: Some(l.name),
        });
    }
    queue(&st, &ctx, mails, async |tx, now, n| {
        meetings::minutes_sent(tx, &m, n, now).await
    })
    .await?;
    Ok(saved(&st, &back(id, "")))
}
