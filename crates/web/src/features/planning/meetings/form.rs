//! The meeting form, typed: title, series, project, day and hours (Paris
//! time), a venue of the directory or an online link, and for a new
//! meeting its agenda (one item a line). Whoever plans it attends it.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::{Choice, FormErrors, check};
use crate::i18n::field_error;
use crate::shared::dates::{gap_message, paris_instant, parse_date, parse_time};
use crate::shared::html_status;
use crate::shared::records::{Checked, Checking, Editable, FormView};
use crate::state::AppState;
use askama::Template;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;
use maillage_db::planning::meetings::{self, Meeting, MeetingData, Who};
use maillage_db::programme::projects;
use maillage_db::{DbErr, WriteTx, venues};
use maillage_domain::FieldError;
use maillage_domain::field::{lines, single_line};
use serde::Deserialize;

/// Items of an agenda typed at once, and their length.
pub const AGENDA_MAX: usize = 30;
pub const ITEM_MAX: usize = 200;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MeetingForm {
    pub title: String,
    pub series: String,
    pub project: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub venue: String,
    pub online_url: String,
    /// A new meeting's agenda, one item a line.
    pub agenda: String,
}

/// What a valid form gives: the meeting, its first agenda and who plans it.
pub struct NewMeeting {
    pub data: MeetingData,
    pub agenda: Vec<String>,
    pub planner: Option<i64>,
}

#[derive(Template)]
#[template(path = "planning/meetings/form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    f: MeetingForm,
    errors: FormErrors,
    projects: Vec<Choice>,
    venues: Vec<Choice>,
    new: bool,
}

fn id_of(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

impl Editable for Meeting {
    type Form = MeetingForm;
    type Data = NewMeeting;
    type Parent = ();

    fn new_title(m: &'static crate::i18n::Messages) -> &'static str {
        m.mt_new
    }

    fn create_hrefs(_: &()) -> (String, String) {
        ("/team/meetings".into(), "/team/meetings".into())
    }

    async fn form_of(&self, _: &AppState) -> Result<MeetingForm, AppError> {
        let d = &self.data;
        let local = |t: DateTime<Utc>| t.with_timezone(&Paris);
        Ok(MeetingForm {
            title: d.title.clone(),
            series: d.series.clone().unwrap_or_default(),
            project: d.project_id.map(|p| p.to_string()).unwrap_or_default(),
            date: local(d.starts_at).format("%Y-%m-%d").to_string(),
            start: local(d.starts_at).format("%H:%M").to_string(),
            end: local(d.ends_at).format("%H:%M").to_string(),
            venue: d.venue_id.map(|v| v.to_string()).unwrap_or_default(),
            online_url: d.online_url.clone().unwrap_or_default(),
            agenda: String::new(),
        })
    }

    async fn parent_of(&self, _: &AppState) -> Result<(), AppError> {
        Ok(())
    }

    async fn validate(f: &MeetingForm, at: Checking<'_, Self>) -> Checked<NewMeeting> {
        let (st, m) = (at.st, at.ctx.m);
        let mut e = FormErrors::new();
        let title = check(&mut e, m, "title", single_line(&f.title, 1, 200));
        let series = match f.series.trim() {
            "" => None,
            s => check(&mut e, m, "series", single_line(s, 1, 120)),
        };
        let project_id = match f.project.trim() {
            "" => None,
            s => match id_of(s) {
                Some(p) if projects::find(st.db.conn(), p).await?.is_some() => Some(p),
                _ => {
                    e.add("project", field_error(m, &FieldError::InvalidChoice));
                    None
                }
            },
        };
        let venue_id = match f.venue.trim() {
            "" => None,
            s => match id_of(s) {
                Some(v) if venues::find(st.db.conn(), v).await?.is_some() => Some(v),
                _ => {
                    e.add("venue", field_error(m, &FieldError::InvalidChoice));
                    None
                }
            },
        };
        let online_url = match f.online_url.trim() {
            "" => None,
            s => check(
                &mut e,
                m,
                "online_url",
                maillage_domain::directory::website(s),
            ),
        };
        let date = check(&mut e, m, "date", parse_date(&f.date));
        let start = check(&mut e, m, "start", parse_time(&f.start));
        let end = check(&mut e, m, "end", parse_time(&f.end));
        let mut when = None;
        if let (Some(d), Some(s), Some(en)) = (date, start, end) {
            match (paris_instant(d, s), paris_instant(d, en)) {
                (Err(_), _) => e.add("start", gap_message(m, d, s)),
                (_, Err(_)) => e.add("end", gap_message(m, d, en)),
                (Ok(a), Ok(b)) if b <= a => {
                    e.add("end", field_error(m, &FieldError::EndBeforeStart))
                }
                (Ok(a), Ok(b)) => when = Some((a, b)),
            }
        }
        let agenda = if at.before.is_none() {
            check(&mut e, m, "agenda", lines(&f.agenda, AGENDA_MAX, ITEM_MAX))
        } else {
            Some(Vec::new())
        };
        match (title, when, agenda) {
            (Some(title), Some((starts_at, ends_at)), Some(agenda)) if e.is_empty() => {
                Ok(Ok(NewMeeting {
                    data: MeetingData {
                        project_id,
                        series,
                        title,
                        starts_at,
                        ends_at,
                        venue_id,
                        online_url,
                    },
                    agenda,
                    planner: at.ctx.user.as_ref().map(|u| u.id),
                }))
            }
            _ => Ok(Err(e)),
        }
    }

    async fn insert(
        tx: &WriteTx,
        _: &(),
        new: &NewMeeting,
        now: DateTime<Utc>,
    ) -> Result<Meeting, DbErr> {
        let m = meetings::insert(tx, &new.data, now).await?;
        for item in &new.agenda {
            // Recorded with the meeting's creation (its snapshot), not one
            // entry each.
            let _ = meetings::add_item(tx, &m, item).await?;
        }
        if let Some(u) = new.planner {
            let organisation = maillage_db::users::find(tx, u)
                .await?
                .and_then(|u| u.organisation_id);
            let _ = meetings::add_attendee(tx, &m, Who::User(u), organisation).await?;
        }
        Ok(m)
    }

    async fn update(
        tx: &WriteTx,
        before: &Meeting,
        new: &NewMeeting,
        now: DateTime<Utc>,
    ) -> Result<Meeting, DbErr> {
        meetings::update(tx, before.id, &new.data, now).await
    }

    async fn form_page(
        st: &AppState,
        ctx: &Ctx,
        v: FormView<'_, Meeting>,
    ) -> Result<Response, AppError> {
        let project_choices = projects::list(st.db.conn(), false)
            .await?
            .into_iter()
            .map(|p| {
                let id = p.id.to_string();
                let selected = v.form.project == id;
                Choice::new(id, p.data.name, selected)
            })
            .collect();
        let venue_choices = venues::names(st.db.conn())
            .await?
            .into_iter()
            .map(|(id, name)| {
                let id = id.to_string();
                let selected = v.form.venue == id;
                Choice::new(id, name, selected)
            })
            .collect();
        html_status(
            v.status,
            FormPage {
                l: ctx.layout(v.title),
                action: v.action,
                cancel: v.cancel,
                new: v.record.is_none(),
                f: v.form,
                errors: v.errors,
                projects: project_choices,
                venues: venue_choices,
            },
        )
    }
}
