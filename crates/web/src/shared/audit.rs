//! The audit entry of a change made by the signed-in user, written in the
//! transaction of the change.

use crate::ctx::Ctx;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use maillage_db::audit::{self, Change};
use serde_json::Value;

/// Records `action` ("create", "update", "delete"…) on `entity_type` #`id`
/// in the audit log, with a summary and the changed fields, as done by the
/// signed-in user.
pub async fn record(
    tx: &impl maillage_db::ConnectionTrait,
    ctx: &Ctx,
    what: (&str, &str, i64),
    summary: String,
    changes: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    record_as(tx, &ctx.actor(), what, summary, changes, now).await
}

/// [`record`] for another actor (someone signing in with a link, the
/// system).
pub async fn record_as(
    tx: &impl maillage_db::ConnectionTrait,
    actor: &audit::Actor,
    (action, entity_type, id): (&str, &str, i64),
    summary: String,
    changes: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        tx,
        actor,
        Change {
            action,
            entity_type,
            entity_id: id.to_string(),
            summary,
            changes,
        },
        now,
    )
    .await?;
    Ok(())
}

/// `field: old → new` lines of an entry's changes.
pub fn describe_changes(changes: &Value) -> Vec<String> {
    let show = |v: &Value| match v {
        Value::Null => "∅".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match changes.as_object() {
        Some(map) => map
            .iter()
            .map(|(k, v)| match (v.get("from"), v.get("to")) {
                (Some(from), Some(to)) if v.as_object().is_some_and(|o| o.len() == 2) => {
                    format!("{k}: {} → {}", show(from), show(to))
                }
                _ => format!("{k}: {}", show(v)),
            })
            .collect(),
        None => Vec::new(),
    }
}
