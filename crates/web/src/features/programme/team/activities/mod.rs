//! Activities in the team space, on the records kit: the page of an
//! activity with its sessions and their conflicts (`show`), create under a
//! project and edit (`form`), delete (confirmed, refused while bookings
//! are held), reconduction into another project.

pub(super) mod form;
pub(super) mod show;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::fill;
use crate::shared::records::{
    Audited, Deletable, Entry, Record, Refusal, Typed, found, saved, write,
};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maillage_db::programme::activities::{self, Activity, ActivityData};
use maillage_db::programme::projects;
use maillage_db::{DbErr, WriteTx};
use maillage_domain::programme::{ActivityStatus, Format, RegistrationMode};
use serde::Deserialize;
use serde_json::{Value, json};
use show::{Extra, page};

/// The record as the audit log sees it.
pub fn snapshot(d: &ActivityData) -> Value {
    json!({
        "project_id": d.project_id, "parent_id": d.parent_id, "slug": d.slug,
        "title": d.title, "summary": d.summary, "description": d.description,
        "format": d.format.map(Format::code),
        "audiences": d.audiences.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "levels": d.levels.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "min_age": d.min_age,
        "themes": d.themes.iter().map(|a| a.code()).collect::<Vec<_>>(),
        "organisations": d.organisations, "venue_id": d.venue_id, "space_id": d.space_id,
        "access": [d.access.wheelchair, d.access.hearing_loop, d.access.visual, d.access.cognitive],
        "free": d.free, "price": d.price,
        "registration": d.registration.map(RegistrationMode::code),
        "registration_url": d.registration_url, "online_url": d.online_url,
        "status": d.status.map(ActivityStatus::code),
    })
}

impl Record for Activity {
    const ENTITY: &'static str = "activity";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.data.title.clone()
    }

    fn snapshot(&self) -> Value {
        snapshot(&self.data)
    }

    fn href(id: i64) -> String {
        format!("/team/programme/activities/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Activity>, DbErr> {
        activities::find(st.db.conn(), id).await
    }
}

impl Deletable for Activity {
    fn after_delete(&self) -> String {
        format!("/team/programme/projects/{}", self.data.project_id)
    }

    /// The box must be ticked; an activity whose sessions hold bookings
    /// stays (its sessions are cancelled instead).
    async fn refuse(&self, st: &AppState, ctx: &Ctx, confirm: &str) -> Refusal {
        let refused = |message: String, status| async move {
            let x = Extra {
                delete_error: Some(message),
                ..Default::default()
            };
            page(st, ctx, self.id, x, status).await.map(Some)
        };
        if confirm.is_empty() {
            let message = ctx.m.pt_delete_activity_confirm_missing.to_owned();
            return refused(message, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        let ids: Vec<i64> = self.sessions.iter().map(|s| s.id).collect();
        let booked = maillage_db::bookings::active_count(st.db.conn(), &ids).await?;
        if booked > 0 {
            let n = booked.to_string();
            let message = fill(ctx.m.pt_activity_has_bookings, &[("n", &n)]);
            return refused(message, StatusCode::CONFLICT).await;
        }
        Ok(None)
    }

    /// With its sessions.
    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        activities::delete(tx, id).await.map(drop)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CopyForm {
    project: String,
}

/// `POST /team/programme/activities/{id}/copy` with `project`: reconduction
/// of the activity into another project, as a draft without sessions.
pub async fn copy(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Typed(f): Typed<CopyForm>,
) -> Result<Response, AppError> {
    let _: Activity = found(&st, id).await?;
    let target = match f.project.trim().parse::<i64>() {
        Ok(t) => projects::find(st.db.conn(), t).await?,
        _ => None,
    };
    let Some(target) = target else {
        let x = Extra {
            copy_error: Some(ctx.m.pt_copy_choose.into()),
            ..Default::default()
        };
        return page(&st, &ctx, id, x, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let copy = write(&st, &ctx, async |tx, now| {
        let copy = activities::copy_to_project(tx, id, target.id, now).await?;
        let entry = Entry::new(
            "reconduct",
            Activity::ENTITY,
            copy.id,
            format!("{} → {}", copy.data.title, target.data.name),
            json!({"from_activity": id, "project_id": target.id}),
        );
        Ok::<_, AppError>(Audited::new(copy, entry))
    })
    .await?;
    Ok(saved(&st, &Activity::href(copy.id)))
}
