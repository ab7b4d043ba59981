//! The kit of the team's records: organisations, people, venues, projects,
//! activities and sessions today; tasks, meetings, agreements, resources,
//! shifts, content items and internships next. A record type brings what
//! is its own; the kit does the rest, the same way for every type.
//!
//! # What a record type provides
//!
//! - **[`Record`]**: its name in the audit log (`ENTITY`), its id, the
//!   summary of its audit entries (its name), its values as its audit
//!   entries keep them (`snapshot`), its page (`href`), and how to read one.
//! - **[`Editable`]** (create and edit): its typed form (`Form`, a struct
//!   deriving `Deserialize`, read by [`typed`]), what the valid form becomes
//!   (`Data`, the storage type), the conversion of the one into the other
//!   with errors beside the fields (`validate`, given its [`Checking`]
//!   context, through the domain's validated types), the storage calls (`insert`, `update`), the
//!   duplicates to warn about, and its form page (`form_page`, its template
//!   block of fields inside the `record_form` macro of `macros.html`).
//!   A record created under another (an activity under its project) also
//!   implements [`Nested`].
//! - **[`Deletable`]**: where the list is, the refusal of a deletion (a
//!   confirmation missing, bookings still held), the storage call, and the
//!   page when storage refuses (a foreign key).
//! - **[`Listed`]** (list and export): its query string (typed), the storage
//!   filter made from it, the filter fields, the columns and a row, a page
//!   of records, the export table.
//! - **[`Mergeable`]**: the candidates to merge, the storage merge.
//! - **[`Shown`]**: its page (facts, related records, its own verbs).
//!
//! # What the kit provides
//!
//! - generic handlers, declared by the feature's `routes()` for its type
//!   (`records::list::<Organisation>`): the list with filters, sort, pages
//!   and CSV/XLSX export ([`list`], [`export`], one template for every
//!   type); create and edit ([`new_form`], [`create`], [`edit_form`],
//!   [`update`], and [`new_form_in`], [`create_in`] under a parent) with the
//!   errors beside the fields, what was typed kept (422), and duplicates
//!   flagged until confirmed (409); delete ([`delete`]) with the type's
//!   confirmation; merge ([`merge_form`], [`merge`], one template); the
//!   record's page ([`show`], its content the type's own through
//!   [`Shown`]) and its history ([`history`]);
//! - **one audited write path**, [`write`]: every change of a team record
//!   runs inside it. It opens the write transaction, runs the change, which
//!   must return its result *with* its audit entries
//!   (`maillage_db::records::Audited`: there is no other way to return from
//!   the change), records the entries in the same transaction, commits,
//!   and the handler redirects with a flash ([`saved`], [`deleted`]). The
//!   storage writes of team records are called from inside `write` only: the
//!   record modules never open a transaction nor record an audit entry
//!   themselves (a test checks their sources), and a router test walks every
//!   changing route of these records and counts its entries.
//!
//! What stays a record type's own: its show page (its template uses the
//! shared blocks of `macros.html`: `history`, `duplicates`, `record_form`),
//! and its own verbs (members, spaces, sessions, erasure, reconduction),
//! which are handlers of their own that still write through [`write`].
//!
//! # Adding a record type (a task, an agreement, a shift…)
//!
//! 1. Its storage in `crates/db`: data type, `insert`, `update`, `delete`,
//!    `find`, a filtered list (`maillage_db::records::{ordered, paged}`).
//! 2. A folder `features/<feature>/<record>/`: `mod.rs` ([`Record`],
//!    [`Deletable`]), `form.rs` (the form struct, [`Editable`], the form
//!    template: its fields inside `record_form`), `list.rs` ([`Listed`]: no
//!    template), `show.rs` ([`Shown`] and its template).
//! 3. Its routes in the feature's `routes()`: `records::create::<Task>`…
//! 4. Its routes' prefix in the router test `tests/it/records/`, and their
//!    cases: the test fails while a changing route under a listed prefix
//!    is not walked, and checks the audit entries of each.

mod edit;
mod list;
mod merge;
pub mod typed;
mod write;

pub use edit::{
    Checked, Checking, Editable, FormView, Nested, create, create_in, edit_form, new_form,
    new_form_in, save, update,
};
pub use list::{FilterField, Listed, Table, export, list};
pub use merge::{Mergeable, merge, merge_form};
pub use typed::Typed;

pub use write::{Deletable, Refusal, delete, deleted, saved, write};

pub use maillage_db::records::{Audited, Entry};

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use maillage_db::audit::{self, AuditFilter};
use maillage_db::{DbErr, PageRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;

/// A record of the team space, as the kit and the audit log see it.
pub trait Record: Sized + Send + Sync + 'static {
    /// Its name in the audit log (`organisation`).
    const ENTITY: &'static str;

    fn id(&self) -> i64;

    /// How its audit entries and its pages name it.
    fn summary(&self) -> String;

    /// Its values as its audit entries keep them (all of them on creation
    /// and deletion, the differences on update).
    fn snapshot(&self) -> Value;

    /// Its page in the team space.
    fn href(id: i64) -> String;

    /// Reads one.
    fn find(st: &AppState, id: i64) -> impl Future<Output = Result<Option<Self>, DbErr>> + Send;
}

/// The record `id` of type `R`, or 404.
pub async fn found<R: Record>(st: &AppState, id: i64) -> Result<R, AppError> {
    R::find(st, id).await?.ok_or(AppError::NotFound)
}

/// The entry of a record's creation.
pub fn created<R: Record>(r: &R) -> Entry {
    Entry::new("create", R::ENTITY, r.id(), r.summary(), r.snapshot())
}

/// The entry of a record's deletion.
pub fn removed<R: Record>(r: &R) -> Entry {
    Entry::new("delete", R::ENTITY, r.id(), r.summary(), r.snapshot())
}

/// The entry of a record's update, when a value changed.
pub fn updated<R: Record>(before: &R, after: &R) -> Option<Entry> {
    Entry::update(
        R::ENTITY,
        before.id(),
        after.summary(),
        &before.snapshot(),
        &after.snapshot(),
    )
}

/// A record with its page in the team space (what the page shows is the
/// type's own: its template uses the shared blocks of `macros.html`).
pub trait Shown: Record {
    /// The page's query string (a search or a filter on the page), typed.
    type Query: DeserializeOwned + Default + Send;

    /// The page of record `id`.
    fn page(
        st: &AppState,
        ctx: &Ctx,
        id: i64,
        q: Self::Query,
    ) -> impl Future<Output = Result<Response, AppError>> + Send;
}

/// The query string of a page that takes none.
#[derive(serde::Deserialize, Default)]
pub struct NoQuery {}

/// `GET …/{id}`: a record's page.
pub async fn show<R: Shown>(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<R::Query>,
) -> Result<Response, AppError> {
    R::page(&st, &ctx, id, q).await
}

/// A record proposed to the user: a possible duplicate, a merge candidate,
/// a person to add to an organisation.
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub detail: String,
}

/// One entry of a record's history as its page shows it.
pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub changes: Vec<String>,
}

/// The latest audit entries of a record, newest first.
pub async fn history<R: Record>(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<Vec<HistoryRow>, AppError> {
    Ok(audit::list(
        st.db.conn(),
        &AuditFilter {
            entity_type: Some(R::ENTITY.into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        },
        PageRequest::new(1, 30),
    )
    .await?
    .items
    .into_iter()
    .map(|e| HistoryRow {
        when: crate::time::datetime(ctx.locale, e.at),
        who: e.actor_label,
        action: e.action,
        changes: crate::shared::audit::describe_changes(&e.changes),
    })
    .collect())
}
