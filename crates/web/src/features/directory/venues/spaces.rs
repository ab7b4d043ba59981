//! The spaces of a venue (rooms, halls, outdoor areas): added, edited and
//! deleted from the venue's page, each change an entry of the venue.

use super::show::page;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::shared::records::{Audited, Entry, Record, Typed, deleted, found, saved, write};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::audit;
use maillage_db::venues::{self, SpaceData, Venue};
use maillage_directory::validate::{self, SpaceInput};
use serde::Deserialize;
use serde_json::{Value, json};

fn snapshot(d: &SpaceData) -> Value {
    json!({"name": d.name, "kind": d.kind.code(), "capacity": d.capacity, "notes": d.notes})
}

/// The space form as typed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SpaceForm {
    pub name: String,
    pub kind: String,
    pub capacity: String,
    pub notes: String,
}

impl SpaceForm {
    fn parse(&self, ctx: &Ctx) -> Result<SpaceData, FormErrors> {
        validate::space(&SpaceInput {
            name: &self.name,
            kind: &self.kind,
            capacity: &self.capacity,
            notes: &self.notes,
        })
        .map_err(|e| FormErrors::from_fields(ctx.m, &e))
    }
}

async fn space(st: &AppState, id: i64) -> Result<venues::Space, AppError> {
    venues::find_space(st.db.conn(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `POST /team/venues/{id}/spaces`: adds a space.
pub async fn add_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<SpaceForm>,
) -> Result<Response, AppError> {
    let v: Venue = found(&st, id).await?;
    let data = match f.parse(&ctx) {
        Ok(d) => d,
        Err(e) => return page(&st, &ctx, id, Some(f), e, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    write(&st, &ctx, async |tx, now| {
        let sid = venues::add_space(tx, id, &data, now).await?;
        let entry = Entry::new(
            "add_space",
            Venue::ENTITY,
            id,
            format!("{} — {}", v.data.name, data.name),
            json!({"space_id": sid, "space": snapshot(&data)}),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(&st, &Venue::href(id)))
}

/// `POST /team/spaces/{id}`: edits a space.
pub async fn update_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<SpaceForm>,
) -> Result<Response, AppError> {
    let s = space(&st, id).await?;
    let data = match f.parse(&ctx) {
        Ok(d) => d,
        Err(e) => {
            return page(
                &st,
                &ctx,
                s.venue_id,
                None,
                e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    write(&st, &ctx, async |tx, now| {
        venues::update_space(tx, id, &data, now).await?;
        let entry = Entry::new(
            "update_space",
            Venue::ENTITY,
            s.venue_id,
            data.name.clone(),
            audit::diff(&snapshot(&s.data), &snapshot(&data)),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(saved(&st, &Venue::href(s.venue_id)))
}

/// `POST /team/spaces/{id}/delete`.
pub async fn delete_space(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = space(&st, id).await?;
    write(&st, &ctx, async |tx, _| {
        venues::delete_space(tx, id).await?;
        let entry = Entry::new(
            "delete_space",
            Venue::ENTITY,
            s.venue_id,
            s.data.name.clone(),
            snapshot(&s.data),
        );
        Ok::<_, AppError>(Audited::new((), entry))
    })
    .await?;
    Ok(deleted(&st, &Venue::href(s.venue_id)))
}
