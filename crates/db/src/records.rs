//! One audited write path for the team's records (organisations, people,
//! venues, projects, activities, sessions, and the records still to come):
//! a change is a function that returns what it changed *together with* the
//! audit entries that describe it ([`Audited`]); [`write`] runs it in the
//! caller's transaction and records those entries in the same transaction.
//! There is no way to hand [`write`] a change without saying what its audit
//! entries are: an [`Audited`] value is built from its entries, and the
//! rare change that turns out to change nothing says so by name
//! ([`Audited::unchanged`]).
//!
//! The caller commits, as with every storage function.
//!
//! The queries the storage of several record types shares are here too: a
//! list in order ([`ordered`]), a page of it with its total ([`paged`]),
//! ids and names for
//! choice lists ([`names`]).

use crate::audit::{self, Actor, Change};
use crate::page::PageRequest;
use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect, Select,
};
use serde_json::Value;

/// The audit entry of one change of a team record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `create`, `update`, `delete`, `merge`, or a verb of the record type
    /// (`add_space`, `reconduct`…).
    pub action: &'static str,
    /// The record type as the audit log names it (`organisation`…).
    pub entity: &'static str,
    pub id: i64,
    /// A short description (the record's name).
    pub summary: String,
    /// The values of a creation or deletion, the differences of an update
    /// (as [`audit::diff`] makes them), or what the verb did.
    pub changes: Value,
}

impl Entry {
    pub fn new(
        action: &'static str,
        entity: &'static str,
        id: i64,
        summary: impl Into<String>,
        changes: Value,
    ) -> Entry {
        Entry {
            action,
            entity,
            id,
            summary: summary.into(),
            changes,
        }
    }

    /// The entry of an update from the values before and after, or `None`
    /// when no value differs.
    pub fn update(
        entity: &'static str,
        id: i64,
        summary: impl Into<String>,
        before: &Value,
        after: &Value,
    ) -> Option<Entry> {
        let changes = audit::diff(before, after);
        changes
            .as_object()
            .is_some_and(|o| !o.is_empty())
            .then(|| Entry::new("update", entity, id, summary, changes))
    }
}

/// What a change returns: its result and the audit entries describing it.
#[must_use = "an audited change is written by records::write"]
#[derive(Debug)]
pub struct Audited<T> {
    value: T,
    entries: Vec<Entry>,
}

impl<T> Audited<T> {
    /// A change described by one entry.
    pub fn new(value: T, entry: Entry) -> Audited<T> {
        Audited {
            value,
            entries: vec![entry],
        }
    }

    /// A change described by one entry when something changed (an update
    /// whose values all stayed the same records nothing).
    pub fn maybe(value: T, entry: Option<Entry>) -> Audited<T> {
        Audited {
            value,
            entries: entry.into_iter().collect(),
        }
    }

    /// A change that turned out to change nothing (a person already erased).
    pub fn unchanged(value: T) -> Audited<T> {
        Audited {
            value,
            entries: Vec::new(),
        }
    }

    /// Another entry for the same change (a merge records one for each
    /// record).
    pub fn and(mut self, entry: Entry) -> Audited<T> {
        self.entries.push(entry);
        self
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

/// Runs `change` on the transaction `tx` at `now`, then records the audit
/// entries it returned, as `actor`, in the same transaction. An error of
/// the change records nothing (and the caller drops the transaction).
pub async fn write<C, T, E>(
    tx: &C,
    actor: &Actor,
    now: DateTime<Utc>,
    change: impl AsyncFnOnce(&C, DateTime<Utc>) -> Result<Audited<T>, E>,
) -> Result<T, E>
where
    C: ConnectionTrait,
    E: From<DbErr>,
{
    let done = change(tx, now).await?;
    for e in done.entries {
        audit::record(
            tx,
            actor,
            Change {
                action: e.action,
                entity_type: e.entity,
                entity_id: e.id.to_string(),
                summary: e.summary,
                changes: e.changes,
            },
            now,
        )
        .await?;
    }
    Ok(done.value)
}

/// `q` ordered by `columns`, each ascending (a list by folded name, then
/// id).
pub fn ordered<E: EntityTrait>(
    q: Select<E>,
    columns: impl IntoIterator<Item = E::Column>,
) -> Select<E> {
    columns.into_iter().fold(q, |q, c| q.order_by_asc(c))
}

/// The rows of the ordered query `q` on `page`, and how many rows `q` has.
pub async fn paged<E: EntityTrait>(
    c: &impl ConnectionTrait,
    q: Select<E>,
    page: PageRequest,
) -> Result<(Vec<E::Model>, u64), DbErr>
where
    E::Model: Sync,
{
    let total = q.clone().count(c).await?;
    let rows = q.offset(page.offset()).limit(page.per_page).all(c).await?;
    Ok((rows, total))
}

/// Every record's id and `name`, ordered by `order` (for choice lists).
pub async fn names<E: EntityTrait>(
    c: &impl ConnectionTrait,
    (id, name, order): (E::Column, E::Column, E::Column),
) -> Result<Vec<(i64, String)>, DbErr> {
    E::find()
        .select_only()
        .column(id)
        .column(name)
        .order_by_asc(order)
        .into_tuple()
        .all(c)
        .await
}
