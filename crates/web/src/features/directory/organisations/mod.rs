//! Organisations in the team space, on the records kit: the list with
//! search and filters and its export (`list`), the page with members and
//! venues (`show`), create and edit with duplicate detection (`form`),
//! delete, merge.

pub(super) mod form;
mod list;
pub(super) mod show;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::Messages;
use crate::shared::places::commune_label;
use crate::shared::records::{Candidate, Deletable, Mergeable, Record, Refusal};
use crate::state::AppState;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use maillage_db::organisations::{self, Filter, Organisation, OrganisationData};
use maillage_db::{DbErr, PageRequest, WriteTx};
use maillage_domain::directory::OrgKind;
use serde_json::{Value, json};

/// The record as the audit log and the JSON API see it.
pub fn snapshot(d: &OrganisationData) -> Value {
    json!({
        "name": d.name, "kind": d.kind.map(OrgKind::code), "siret": d.siret, "uai": d.uai,
        "address": d.address, "postcode": d.postcode, "commune_insee": d.commune_insee,
        "website": d.website, "email": d.email, "phone": d.phone, "description": d.description,
        "public_listing": d.public_listing,
        "themes": d.themes.iter().map(|t| t.code()).collect::<Vec<_>>(),
    })
}

impl Record for Organisation {
    const ENTITY: &'static str = "organisation";

    fn id(&self) -> i64 {
        self.id
    }

    fn summary(&self) -> String {
        self.name().to_owned()
    }

    fn snapshot(&self) -> Value {
        snapshot(&self.data)
    }

    fn href(id: i64) -> String {
        format!("/team/organisations/{id}")
    }

    async fn find(st: &AppState, id: i64) -> Result<Option<Organisation>, DbErr> {
        organisations::find(st.db.conn(), id).await
    }
}

/// Organisations as proposed to the user, with their kind and commune.
pub fn candidates(ctx: &Ctx, list: &[Organisation]) -> Vec<Candidate> {
    list.iter()
        .map(|o| Candidate {
            id: o.id,
            name: o.data.name.clone(),
            detail: [
                o.kind.label(ctx.locale).to_owned(),
                commune_label(o.data.commune_insee.as_deref()),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        })
        .collect()
}

impl Deletable for Organisation {
    fn after_delete(&self) -> String {
        "/team/organisations".into()
    }

    async fn delete(tx: &WriteTx, id: i64) -> Result<(), DbErr> {
        organisations::delete(tx, id).await.map(drop)
    }

    /// Partner accounts still attached to it.
    async fn blocked(&self, st: &AppState, ctx: &Ctx) -> Refusal {
        let why = Some(ctx.m.org_delete_blocked.into());
        show::page(st, ctx, self.id, String::new(), why, StatusCode::CONFLICT)
            .await
            .map(Some)
    }
}

impl Mergeable for Organisation {
    fn intro(m: &'static Messages) -> &'static str {
        m.merge_org_intro
    }

    fn detail(&self) -> String {
        commune_label(self.data.commune_insee.as_deref())
    }

    async fn candidates(
        &self,
        st: &AppState,
        ctx: &Ctx,
        q: &str,
    ) -> Result<Vec<Candidate>, AppError> {
        let c = st.db.conn();
        // Without a search, propose the likely duplicates.
        let list = if q.trim().is_empty() {
            organisations::duplicates(c, &self.data, Some(self.id)).await?
        } else {
            let filter = Filter {
                query: Some(q.to_owned()),
                ..Default::default()
            };
            let page = organisations::list(c, &filter, PageRequest::new(1, 20)).await?;
            page.items.into_iter().filter(|x| x.id != self.id).collect()
        };
        Ok(candidates(ctx, &list))
    }

    async fn merge(
        tx: &WriteTx,
        kept: i64,
        removed: i64,
        now: DateTime<Utc>,
    ) -> Result<Organisation, DbErr> {
        organisations::merge(tx, kept, removed, now).await
    }
}
