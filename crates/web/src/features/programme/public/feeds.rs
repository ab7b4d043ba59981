//! The programme and its activities as iCalendar files and an Atom feed.

use super::*;
use crate::cache::Cached;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::shared::programme::ics_event;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use chrono::Utc;
use maillage_db::PageRequest;
use maillage_db::programme::activities::{self, Activity};
use maillage_domain::Locale;

fn calendar_response(body: String) -> (StatusCode, Cached) {
    (
        StatusCode::OK,
        Cached {
            content_type: "text/calendar; charset=utf-8",
            body: Bytes::from(body),
        },
    )
}

/// `GET /p/{slug}/programme.ics?filters`: the programme (or its filtered
/// part) as a calendar, up to 2,000 activities.
pub async fn programme_ics(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q = ProgrammeQuery::parse(raw.as_deref())?;
    let key = format!("ics|{slug}|{}", raw.as_deref().unwrap_or(""));
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let (filter, errors, _) = q.filter(ctx.m, Some(p.id));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let list = activities::list(st.db.conn(), &filter, PageRequest::new(1, 2000)).await?;
        let base = &st.config.base_url;
        let cal = maillage_ical::Calendar {
            name: p.data.name.clone(),
            description: None,
            url: Some(format!("{base}/p/{slug}")),
            events: list
                .items
                .iter()
                .flat_map(|a| {
                    a.sessions
                        .iter()
                        .map(|s| ics_event(base, &p, a, s))
                        .collect::<Vec<_>>()
                })
                .collect(),
        };
        Ok(calendar_response(maillage_ical::render(&cal, Utc::now())))
    };
    cached(&st, &ctx, &headers, key, render).await
}

/// `GET /p/{slug}/a/{activity}/activity.ics`.
pub async fn activity_ics(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, activity_slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let key = format!("aics|{slug}|{activity_slug}");
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let a = activities::find_by_slug(st.db.conn(), p.id, &activity_slug)
            .await?
            .filter(|a| a.status.is_public())
            .ok_or(AppError::NotFound)?;
        let base = &st.config.base_url;
        let cal = maillage_ical::Calendar {
            name: a.data.title.clone(),
            description: None,
            url: Some(format!("{base}/p/{slug}/a/{activity_slug}")),
            events: a
                .sessions
                .iter()
                .map(|s| ics_event(base, &p, &a, s))
                .collect(),
        };
        Ok(calendar_response(maillage_ical::render(&cal, Utc::now())))
    };
    cached(&st, &ctx, &headers, key, render).await
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /p/{slug}/feed.atom`: the programme's activities, latest changes first.
pub async fn atom(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let key = format!("atom|{slug}");
    let render = async {
        let p = published_project(&st, &ctx, &slug).await?;
        let mut list: Vec<Activity> = activities::of_project(st.db.conn(), p.id)
            .await?
            .into_iter()
            .filter(|a| a.status.is_public())
            .collect();
        list.sort_by_key(|a| std::cmp::Reverse(a.created_at));
        list.truncate(50);
        let base = &st.config.base_url;
        let updated = list
            .iter()
            .map(|a| a.updated_at)
            .max()
            .unwrap_or(p.updated_at);
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n",
        );
        out.push_str(&format!(
            "<title>{}</title>\n<id>{base}/p/{slug}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}/p/{slug}\"/>\n<link rel=\"self\" href=\"{base}/p/{slug}/feed.atom\"/>\n<updated>{}</updated>\n",
            xml(&p.data.name),
            updated.to_rfc3339()
        ));
        for a in &list {
            let url = format!("{base}/p/{slug}/a/{}", a.data.slug);
            let first = a
                .sessions
                .first()
                .map(|s| when(Locale::Fr, s.data.starts_at, s.data.ends_at))
                .unwrap_or_default();
            let summary = [first, place(a), a.data.summary.clone().unwrap_or_default()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            out.push_str(&format!(
                "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
                xml(&a.data.title),
                a.created_at.to_rfc3339(),
                a.updated_at.to_rfc3339(),
                xml(&summary)
            ));
        }
        out.push_str("</feed>\n");
        Ok((
            StatusCode::OK,
            Cached {
                content_type: "application/atom+xml; charset=utf-8",
                body: Bytes::from(out),
            },
        ))
    };
    cached(&st, &ctx, &headers, key, render).await
}
