//! A person's page: facts, memberships (added by searching organisations),
//! history; the export of everything held about them, and their erasure.

use crate::ctx::{Ctx, Flash, Layout};
use crate::error::AppError;
use crate::features::directory::organisations;
use crate::shared::records::{
    Audited, Candidate, Entry, HistoryRow, Record, Shown, Typed, found, history, write,
};
use crate::shared::{html, redirect_flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_db::PageRequest;
use maillage_db::people::{self, Person};
use maillage_domain::Action;
use serde::Deserialize;
use serde_json::json;

#[derive(Template)]
#[template(path = "directory/people/show.html")]
struct ShowPage {
    l: Layout,
    p: Person,
    gender: &'static str,
    roles: Vec<&'static str>,
    history: Vec<HistoryRow>,
    org_q: String,
    candidates: Vec<Candidate>,
    can_edit: bool,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    org_q: String,
}

impl Shown for Person {
    type Query = ShowQuery;

    async fn page(st: &AppState, ctx: &Ctx, id: i64, q: ShowQuery) -> Result<Response, AppError> {
        let p: Person = found(st, id).await?;
        let candidates = if q.org_q.trim().is_empty() {
            Vec::new()
        } else {
            let filter = maillage_db::organisations::Filter {
                query: Some(q.org_q.clone()),
                ..Default::default()
            };
            let page =
                maillage_db::organisations::list(st.db.conn(), &filter, PageRequest::new(1, 10))
                    .await?;
            organisations::candidates(ctx, &page.items)
        };
        html(ShowPage {
            l: ctx.layout(p.name()),
            gender: p.data.gender.map_or("", |g| g.label(ctx.locale)),
            roles: p.data.roles.iter().map(|r| r.label(ctx.locale)).collect(),
            history: history::<Person>(st, ctx, id).await?,
            org_q: q.org_q,
            candidates,
            can_edit: ctx.can(Action::EditDirectory),
            can_manage: ctx.can(Action::ManageDirectory),
            p,
        })
    }
}

/// `GET /team/people/{id}/export.json`: everything held about the person.
pub async fn export_person(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let data = people::export(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p: Person = found(&st, id).await?;
    write(&st, &ctx, async |_, _| {
        let entry = Entry::new("export_data", Person::ENTITY, id, p.name(), json!({}));
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    let body = serde_json::to_vec_pretty(&data).map_err(AppError::internal)?;
    Ok(crate::shared::download::download(
        body,
        "application/json",
        &format!("person-{id}.json"),
    ))
}

/// `POST /team/people/{id}/erase`: anonymises, keeping statistics; the
/// person's earlier audit entries lose their values.
pub async fn erase(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let _: Person = found(&st, id).await?;
    write(&st, &ctx, async |tx, now| {
        if !people::erase(tx, id, now).await? {
            return Ok::<_, AppError>(Audited::unchanged(()));
        }
        maillage_db::audit::redact(tx, Person::ENTITY, &id.to_string()).await?;
        let entry = Entry::new(
            "erase",
            Person::ENTITY,
            id,
            format!("#{id}"),
            json!({"erased": true}),
        );
        Ok(Audited::new((), entry))
    })
    .await?;
    Ok(redirect_flash(&st, &Person::href(id), Flash::Erased))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembershipForm {
    organisation: String,
    function: String,
}

/// `POST /team/people/{id}/memberships` with `organisation` and `function`.
pub async fn add_membership(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<MembershipForm>,
) -> Result<Response, AppError> {
    let organisation: i64 = f
        .organisation
        .parse()
        .map_err(|_| AppError::BadRequest(None))?;
    let member = organisations::show::MemberForm {
        person: id.to_string(),
        function: f.function,
        back: Person::href(id),
    };
    organisations::show::add(&st, &ctx, organisation, &member).await
}
