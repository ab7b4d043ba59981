//! The public directory of actors: organisations that agreed to appear,
//! with their commune, themes and upcoming public activities.

use super::common as dir;
use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::forms::Choice;
use crate::shared::places::commune_label;
use crate::shared::{Pager, html, page_number};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maillage_db::PageRequest;
use maillage_db::organisations::{self, Filter, Organisation};
use maillage_domain::directory::{OrgKind, Theme};
use maillage_domain::programme::{ActivityStatus, SessionStatus};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActorsQuery {
    q: String,
    kind: String,
    commune: String,
    theme: String,
    page: Option<String>,
}

struct Card {
    id: i64,
    name: String,
    kind: &'static str,
    commune: String,
    themes: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "directory/actors/list.html")]
struct ListPage {
    l: Layout,
    q: String,
    commune: String,
    commune_error: Option<String>,
    kinds: Vec<Choice>,
    themes: Vec<Choice>,
    cards: Vec<Card>,
    pager: Pager,
}

fn card(ctx: &Ctx, o: &Organisation) -> Card {
    Card {
        id: o.id,
        name: o.data.name.clone(),
        kind: o.kind.label(ctx.locale),
        commune: commune_label(o.data.commune_insee.as_deref()),
        themes: o.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
    }
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ActorsQuery>,
) -> Result<Response, AppError> {
    let (communes, commune_error) =
        match crate::shared::places::commune_filter(ctx.m, &q.commune, "") {
            Ok(c) => (c, None),
            Err(e) => (Some(Vec::new()), Some(e)),
        };
    let filter = Filter {
        query: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        kind: OrgKind::parse(&q.kind).ok(),
        communes,
        theme: Theme::parse(&q.theme).ok(),
        public_only: true,
        sort: organisations::Sort::Name,
    };
    let page = organisations::list(
        st.db.conn(),
        &filter,
        PageRequest::new(page_number(q.page.as_deref()), 30),
    )
    .await?;
    let params = [
        ("q", q.q.clone()),
        ("kind", q.kind.clone()),
        ("commune", q.commune.clone()),
        ("theme", q.theme.clone()),
    ];
    let pager = Pager::new(&page, "/annuaire", &params);
    html(ListPage {
        l: ctx.layout(ctx.m.actors_title),
        kinds: dir::kind_choices(ctx.locale, OrgKind::parse(&q.kind).ok()),
        themes: dir::theme_choices(
            ctx.locale,
            &Theme::parse(&q.theme).ok().into_iter().collect::<Vec<_>>(),
        ),
        cards: page.items.iter().map(|o| card(&ctx, o)).collect(),
        pager,
        q: q.q,
        commune: q.commune,
        commune_error,
    })
}

/// An upcoming public activity of the actor: its next session.
struct Upcoming {
    href: String,
    title: String,
    when: String,
    place: String,
}

/// Upcoming activities shown at most on an actor's page.
const UPCOMING: usize = 12;

#[derive(Template)]
#[template(path = "directory/actors/show.html")]
struct ShowPage {
    l: Layout,
    c: Card,
    o: Organisation,
    epci: String,
    upcoming: Vec<Upcoming>,
}

/// The actor's public activities of published projects with a session to
/// come, by their next session.
async fn upcoming(st: &AppState, ctx: &Ctx, org: i64) -> Result<Vec<Upcoming>, AppError> {
    let c = st.db.conn();
    let published: std::collections::BTreeMap<i64, String> =
        maillage_db::programme::projects::list(c, true)
            .await?
            .into_iter()
            .map(|p| (p.id, p.data.slug))
            .collect();
    let now = chrono::Utc::now();
    let mut list: Vec<(chrono::DateTime<chrono::Utc>, Upcoming)> =
        maillage_db::programme::activities::of_organisation(c, org)
            .await?
            .into_iter()
            .filter(|a| a.status.is_public() && a.status != ActivityStatus::Cancelled)
            .filter_map(|a| {
                let slug = published.get(&a.data.project_id)?;
                let next = a
                    .sessions
                    .iter()
                    .filter(|s| s.data.ends_at > now && s.data.status != SessionStatus::Cancelled)
                    .min_by_key(|s| s.data.starts_at)?;
                let place = a
                    .venue_of(next)
                    .map(|v| crate::shared::places::venue_label(&v.data))
                    .unwrap_or_default();
                Some((
                    next.data.starts_at,
                    Upcoming {
                        href: format!("/p/{slug}/a/{}", a.data.slug),
                        when: crate::shared::programme::when(
                            ctx.locale,
                            next.data.starts_at,
                            next.data.ends_at,
                        ),
                        place,
                        title: a.data.title,
                    },
                ))
            })
            .collect();
    list.sort_by_key(|(t, _)| *t);
    Ok(list.into_iter().take(UPCOMING).map(|(_, u)| u).collect())
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = organisations::find(st.db.conn(), id)
        .await?
        .filter(|o| o.data.public_listing)
        .ok_or(AppError::NotFound)?;
    let upcoming = upcoming(&st, &ctx, o.id).await?;
    html(ShowPage {
        upcoming,
        l: ctx.layout(o.data.name.clone()),
        c: card(&ctx, &o),
        epci: crate::shared::places::epci_label(o.data.commune_insee.as_deref()),
        o,
    })
}
