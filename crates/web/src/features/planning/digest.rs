//! The daily digest of tasks, e-mailed from 7:00 (Paris) to each member of
//! the team with open tasks late or due within the next 7 days, in their
//! language, unless they turned it off (`/account/notifications`): the late
//! ones with how late, then those due soon, each with its project and the
//! link to its plan. Each person's day is claimed in the transaction that
//! queues the e-mail, so that it goes out once whichever instance sends it.

use crate::error::AppError;
use crate::i18n::{Messages, count, fill, messages};
use crate::state::AppState;
use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::outbox::{self, NewMail};
use maillage_db::planning::digest;
use maillage_db::planning::queries::{self, Filter, Line};
use maillage_domain::Locale;

/// The hour (Paris) from which the day's digest goes out.
const FROM_HOUR: u32 = 7;

/// Tasks due within this many days are "due soon".
const SOON_DAYS: u64 = 7;

/// Days claimed are kept this long, then forgotten.
const KEEP_DAYS: u64 = 7;

/// Sends the digests due at `now`; returns how many went out.
pub async fn send_task_digests(st: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let local = now.with_timezone(&Paris);
    if local.hour() < FROM_HOUR {
        return Ok(0);
    }
    let today = local.date_naive();
    let until = today + Days::new(SOON_DAYS);
    // Most minutes nobody is due: no write transaction then.
    if digest::recipients(st.db.conn(), today, until)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let tx = st.db.write().await?;
    let mut sent = 0;
    for u in digest::recipients(&tx, today, until).await? {
        if !digest::claim(&tx, u.id, today).await? {
            continue;
        }
        let filter = Filter {
            assignee: Some(u.id),
            open: true,
            due_to: Some(until),
            ..Filter::new(today)
        };
        let tasks = queries::all(&tx, &filter).await?;
        if let Some((subject, body_text)) =
            compose(u.locale, &st.config.base_url, &u.name, today, &tasks)
        {
            let mail = NewMail {
                to_addr: u.email.clone(),
                to_name: Some(u.name.clone()),
                subject,
                body_text,
                body_html: None,
                ics: None,
            };
            outbox::enqueue(&tx, mail, now).await?;
            sent += 1;
        }
    }
    digest::forget_before(&tx, today - Days::new(KEEP_DAYS)).await?;
    tx.commit().await?;
    if sent > 0 {
        st.mail_wakeup.notify_one();
    }
    Ok(sent)
}

/// One task's lines: its title, project and when, then the link to it.
fn line(m: &Messages, base_url: &str, when: &str, t: &Line) -> String {
    let project = t
        .project
        .as_ref()
        .map_or(m.plx_team_task, |p| p.name.as_str());
    let href = match &t.project {
        Some(p) => format!("/team/projects/{}/plan#task-{}", p.id, t.id),
        None => "/team/tasks".to_owned(),
    };
    format!("- {} — {project} — {when}\n  {base_url}{href}\n", t.title)
}

/// The subject and text of the digest of `tasks` (open, due by the end of
/// the next 7 days) on `today`; none when there is nothing to say.
pub fn compose(
    locale: Locale,
    base_url: &str,
    name: &str,
    today: NaiveDate,
    tasks: &[Line],
) -> Option<(String, String)> {
    let m = messages(locale);
    let (late, soon): (Vec<&Line>, Vec<&Line>) = tasks
        .iter()
        .filter(|t| t.status.is_open() && t.due_on.is_some())
        .partition(|t| t.is_late(today));
    if late.is_empty() && soon.is_empty() {
        return None;
    }
    let due = |d: NaiveDate| fill(m.pld_due, &[("date", &crate::time::long_date(locale, d))]);
    let mut body = fill(m.pld_intro, &[("name", name)]);
    if !late.is_empty() {
        body.push_str(&format!("\n\n{} ({})\n", m.pld_late, late.len()));
        for t in &late {
            let Some(d) = t.due_on else { continue };
            let days = (today - d).num_days();
            let when = format!(
                "{} ({})",
                count(locale, days, m.pld_days_late_one, m.pld_days_late_many),
                due(d)
            );
            body.push_str(&line(m, base_url, &when, t));
        }
    }
    if !soon.is_empty() {
        body.push_str(&format!("\n\n{} ({})\n", m.pld_soon, soon.len()));
        for t in &soon {
            let Some(d) = t.due_on else { continue };
            let when = if d == today {
                m.pld_due_today.to_owned()
            } else {
                due(d)
            };
            body.push_str(&line(m, base_url, &when, t));
        }
    }
    body.push_str(&fill(
        m.pld_footer,
        &[
            ("mine", &format!("{base_url}/team/tasks")),
            ("prefs", &format!("{base_url}/account/notifications")),
        ],
    ));
    let subject = match late.len() {
        0 => m.pld_subject.to_owned(),
        n => fill(
            m.pld_subject_late,
            &[(
                "late",
                &count(locale, n as i64, m.pld_late_one, m.pld_late_many),
            )],
        ),
    };
    Some((subject, body))
}
