//! The audit log: who changed what, when. Every change made in the team space
//! records one entry in the same transaction as the change.

use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use serde_json::{Map, Value, json};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub at: DateTimeUtc,
        pub actor_user_id: Option<i64>,
        pub actor_label: String,
        pub action: String,
        pub entity_type: String,
        pub entity_id: String,
        pub summary: String,
        pub changes: Json,
        pub ip: Option<String>,
    }

    crate::query::no_relations!();
}

pub use entity::Model as AuditEntry;
use entity::{ActiveModel, Column, Entity};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The user's e-mail at the time, or "system", "cli", "demo"…
    pub label: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            user_id: None,
            label: label.to_owned(),
            ip: None,
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// `create`, `update`, `delete`, or a verb such as `disable`, `invite`.
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    /// A short human description (e.g. the record's name).
    pub summary: String,
    /// What changed: for an update, `{"field": {"from": …, "to": …}}` as
    /// [`diff`] makes it; for a create, the new values.
    pub changes: Value,
}

pub async fn record(
    c: &impl ConnectionTrait,
    actor: &Actor,
    change: Change<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    ActiveModel {
        at: Set(now),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        action: Set(change.action.to_owned()),
        entity_type: Set(change.entity_type.to_owned()),
        entity_id: Set(change.entity_id),
        summary: Set(change.summary),
        changes: Set(change.changes),
        ip: Set(actor.ip.clone()),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// Removes the personal data of one record from its audit entries (after an
/// erasure): who did what and when stays; the values are replaced.
pub async fn redact(
    c: &impl ConnectionTrait,
    entity_type: &str,
    entity_id: &str,
) -> Result<u64, DbErr> {
    redact_many(c, entity_type, &[entity_id.to_owned()]).await
}

/// [`redact`] for several records of one type (ids bound a chunk at a time).
pub async fn redact_many(
    c: &impl ConnectionTrait,
    entity_type: &str,
    entity_ids: &[String],
) -> Result<u64, DbErr> {
    let mut n = 0;
    for chunk in entity_ids.chunks(crate::query::IDS_PER_QUERY) {
        n += redact_chunk(c, entity_type, chunk).await?;
    }
    Ok(n)
}

async fn redact_chunk(
    c: &impl ConnectionTrait,
    entity_type: &str,
    entity_ids: &[String],
) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(
            Column::Summary,
            sea_orm::sea_query::Expr::cust("'#' || entity_id"),
        )
        .col_expr(
            Column::Changes,
            sea_orm::sea_query::Expr::value(json!({"redacted": true})),
        )
        .filter(Column::EntityType.eq(entity_type))
        .filter(Column::EntityId.is_in(entity_ids.iter().cloned()))
        .exec(c)
        .await?
        .rows_affected)
}

/// The fields that differ between two JSON objects, as
/// `{"field": {"from": old, "to": new}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for (k, new) in a {
        let old = b.get(k).unwrap_or(&Value::Null);
        if old != new {
            out.insert(k.clone(), json!({"from": old, "to": new}));
        }
    }
    for (k, old) in b {
        if !a.contains_key(k) {
            out.insert(k.clone(), json!({"from": old, "to": Value::Null}));
        }
    }
    Value::Object(out)
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_user_id: Option<i64>,
}

/// Entries newest first.
pub async fn list(
    c: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEntry>, DbErr> {
    let mut q = Entity::find();
    if let Some(t) = &filter.entity_type {
        q = q.filter(Column::EntityType.eq(t.as_str()));
    }
    if let Some(id) = &filter.entity_id {
        q = q.filter(Column::EntityId.eq(id.as_str()));
    }
    if let Some(a) = filter.actor_user_id {
        q = q.filter(Column::ActorUserId.eq(a));
    }
    crate::query::page(c, q, page, |q| q.order_by_desc(Column::Id), Ok).await
}

/// The entity types present in the log (for the filter).
pub async fn entity_types(c: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::EntityType)
        .distinct()
        .order_by_asc(Column::EntityType)
        .into_tuple()
        .all(c)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_fields_only() {
        let d = diff(
            &json!({"name": "A", "role": "staff", "gone": 1}),
            &json!({"name": "A", "role": "admin"}),
        );
        assert_eq!(
            d,
            json!({"role": {"from": "staff", "to": "admin"}, "gone": {"from": 1, "to": null}})
        );
    }
}
