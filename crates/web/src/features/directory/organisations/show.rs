//! An organisation's page: its facts, members (added by search, removed),
//! venues, history; and the membership changes made from it.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::shared::html_status;
use crate::shared::places::{commune_label, epci_label};
use crate::shared::records::{
    Audited, Candidate, Entry, HistoryRow, Record, Shown, Typed, found, history, saved, write,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::organisations::Organisation;
use maillage_db::{PageRequest, people, venues};
use maillage_domain::Action;
use serde::Deserialize;
use serde_json::json;

pub struct MemberRow {
    pub membership_id: i64,
    pub person_id: i64,
    pub name: String,
    pub function: String,
    pub roles: String,
}

pub struct VenueRow {
    pub id: i64,
    pub name: String,
    pub commune: String,
    pub spaces: usize,
}

#[derive(Template)]
#[template(path = "directory/organisations/show.html")]
struct ShowPage {
    l: Layout,
    o: Organisation,
    kind: &'static str,
    commune: String,
    epci: String,
    themes: Vec<&'static str>,
    members: Vec<MemberRow>,
    venues: Vec<VenueRow>,
    history: Vec<HistoryRow>,
    member_q: String,
    candidates: Vec<Candidate>,
    can_edit: bool,
    can_manage: bool,
    /// May open people's records (contact details): not volunteers.
    can_people: bool,
    error: Option<String>,
    /// Its meetings (admins and staff): id, title, when.
    meetings: Vec<(i64, String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    member_q: String,
}

async fn members(st: &AppState, ctx: &Ctx, id: i64) -> Result<Vec<MemberRow>, AppError> {
    Ok(people::members_of(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|(p, function)| MemberRow {
            membership_id: p
                .memberships
                .iter()
                .find(|m| m.organisation_id == id)
                .map_or(0, |m| m.id),
            person_id: p.id,
            name: p.name(),
            function: function.unwrap_or_default(),
            roles: p
                .data
                .roles
                .iter()
                .map(|r| r.label(ctx.locale))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect())
}

/// People matching `q`, to add as members.
async fn people_matching(st: &AppState, q: &str) -> Result<Vec<Candidate>, AppError> {
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let filter = people::Filter {
        query: Some(q.to_owned()),
        ..Default::default()
    };
    let page = people::list(st.db.conn(), &filter, PageRequest::new(1, 10)).await?;
    Ok(page
        .items
        .into_iter()
        .map(|p| Candidate {
            id: p.id,
            detail: p
                .memberships
                .iter()
                .map(|m| m.organisation_name.clone())
                .collect::<Vec<_>>()
                .join(", "),
            name: p.name(),
        })
        .collect())
}

/// The page of organisation `id`, with an `error` about it.
pub async fn page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    member_q: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let o: Organisation = found(st, id).await?;
    let venues = venues::of_organisation(st.db.conn(), id)
        .await?
        .into_iter()
        .map(|v| VenueRow {
            id: v.id,
            name: v.data.name.clone(),
            commune: commune_label(v.data.commune_insee.as_deref()),
            spaces: v.spaces.len(),
        })
        .collect();
    html_status(
        status,
        ShowPage {
            l: ctx.layout(o.data.name.clone()),
            kind: o.kind.label(ctx.locale),
            commune: commune_label(o.data.commune_insee.as_deref()),
            epci: epci_label(o.data.commune_insee.as_deref()),
            themes: o.data.themes.iter().map(|t| t.label(ctx.locale)).collect(),
            members: members(st, ctx, id).await?,
            venues,
            meetings: if ctx.can(Action::ReadTeamPlanning) {
                maillage_db::planning::meetings::of_organisation(st.db.conn(), id)
                    .await?
                    .into_iter()
                    .map(|m| {
                        let when = crate::time::datetime(ctx.locale, m.data.starts_at);
                        (m.id, m.data.title, when)
                    })
                    .collect()
            } else {
                Vec::new()
            },
            history: history::<Organisation>(st, ctx, id).await?,
            candidates: people_matching(st, &member_q).await?,
            member_q,
            can_edit: ctx.can(Action::EditDirectory),
            can_manage: ctx.can(Action::ManageDirectory),
            can_people: ctx.can(Action::ReadPeople),
            error,
            o,
        },
    )
}

impl Shown for Organisation {
    type Query = ShowQuery;

    async fn page(st: &AppState, ctx: &Ctx, id: i64, q: ShowQuery) -> Result<Response, AppError> {
        page(st, ctx, id, q.member_q, None, StatusCode::OK).await
    }
}

/// The form adding a member (from the organisation's page or the person's).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    pub person: String,
    pub function: String,
    /// The page to go back to.
    pub back: String,
}

/// `POST /team/organisations/{id}/members` with `person` and `function`.
pub async fn add_member(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<MemberForm>,
) -> Result<Response, AppError> {
    add(&st, &ctx, id, &f).await
}

/// Adds a member to organisation `id`, with its audit entry.
pub async fn add(st: &AppState, ctx: &Ctx, id: i64, f: &MemberForm) -> Result<Response, AppError> {
    let o: Organisation = found(st, id).await?;
    let person_id: i64 = f.person.parse().map_err(|_| AppError::BadRequest(None))?;
    people::find(st.db.conn(), person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let function = match f.function.trim() {
        "" => None,
        v => Some(
            maillage_domain::field::single_line(v, 1, 120)
                .map_err(|_| AppError::BadRequest(Some(ctx.m.member_function_invalid.into())))?,
        ),
    };
    write(st, ctx, async |tx, now| {
        people::add_membership(tx, person_id, id, function.as_deref(), now).await?;
        let changes = json!({"person_id": person_id, "function": function});
        let entry = Entry::new("add_member", Organisation::ENTITY, id, o.summary(), changes);
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let to = crate::ctx::safe_next(&f.back).unwrap_or("/team/organisations");
    Ok(saved(st, to))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackForm {
    back: String,
}

/// `POST /team/memberships/{id}/delete`.
pub async fn remove_member(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<BackForm>,
) -> Result<Response, AppError> {
    let m = people::find_membership(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    write(&st, &ctx, async |tx, _| {
        people::remove_membership(tx, id).await?;
        let entry = Entry::new(
            "remove_member",
            Organisation::ENTITY,
            m.organisation_id,
            format!("person #{}", m.person_id),
            json!({"person_id": m.person_id, "function": m.function}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let to = crate::ctx::safe_next(&f.back).unwrap_or("/team/organisations");
    Ok(saved(&st, to))
}
