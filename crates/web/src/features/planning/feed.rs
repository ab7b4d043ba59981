//! `GET /calendar/{secret}.ics`: a person's private calendar, for their
//! calendar application — their open tasks on the day they are due, and
//! the meetings they attend. The secret is made, replaced and revoked on
//! the account page; an unknown or revoked one answers 404.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use maillage_db::planning::{meetings, tasks};
use maillage_db::programme::projects;
use maillage_db::{calendar_feeds, users};
use maillage_ical::{Calendar, Event, EventStatus};

pub async fn feed(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let secret = token.strip_suffix(".ics").unwrap_or(&token);
    let c = st.db.conn();
    let user = match calendar_feeds::owner(c, secret).await? {
        Some(u) => users::find(c, u).await?.filter(|u| u.is_active()),
        None => None,
    }
    .ok_or(AppError::NotFound)?;
    let m = crate::i18n::messages(user.locale);
    let base = &st.config.base_url;
    let host = crate::shared::programme::uid_host(base);
    let mut events = Vec::new();
    let mut names = std::collections::HashMap::new();
    for t in tasks::open_for(c, user.id).await? {
        let Some(day) = t.due_on else { continue };
        let project = match t.project_id {
            Some(p) => {
                if !names.contains_key(&p)
                    && let Some(found) = projects::find(c, p).await?
                {
                    names.insert(p, found.data.name);
                }
                names.get(&p).cloned()
            }
            None => None,
        };
        let start = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        events.push(Event {
            uid: format!("task-{}@{host}", t.id),
            starts_at: start,
            ends_at: start,
            summary: format!("{} {}", m.cal_task_prefix, t.title),
            description: project,
            location: None,
            geo: None,
            url: Some(match t.project_id {
                Some(p) => format!("{base}/team/projects/{p}/plan#task-{}", t.id),
                None => format!("{base}/team/tasks"),
            }),
            status: EventStatus::Confirmed,
            categories: Vec::new(),
            last_modified: start,
            sequence: 0,
            day: Some(day),
        });
    }
    for mt in meetings::of_user(c, user.id).await? {
        let place = super::meetings::show::place(&st, &mt).await?;
        events.push(super::meetings::minutes::event(base, &mt, &place));
    }
    let body = maillage_ical::render(
        &Calendar {
            name: crate::i18n::fill(m.cal_name, &[("name", &user.name)]),
            description: None,
            url: None,
            events,
        },
        Utc::now(),
    );
    Ok((
        [
            (header::CONTENT_TYPE, maillage_ical::CONTENT_TYPE),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}
