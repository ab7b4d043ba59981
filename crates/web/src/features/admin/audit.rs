//! The audit log, for administrators.

use crate::ctx::{Ctx, Layout};
use crate::error::AppError;
use crate::shared::audit::describe_changes;
use crate::shared::{Pager, html, page_number};
use crate::state::AppState;
use crate::time;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use maillage_db::PageRequest;
use maillage_db::audit::{self, AuditFilter};
use serde::Deserialize;

struct Row {
    when: String,
    who: String,
    action: String,
    entity: String,
    summary: String,
    changes: Vec<String>,
    ip: String,
}

struct TypeChoice {
    value: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    l: Layout,
    types: Vec<TypeChoice>,
    entity_id: String,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    entity_type: String,
    entity_id: String,
    page: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let filter = AuditFilter {
        entity_type: Some(q.entity_type.trim().to_owned()).filter(|s| !s.is_empty()),
        entity_id: Some(q.entity_id.trim().to_owned()).filter(|s| !s.is_empty()),
        actor_user_id: None,
    };
    let page = audit::list(
        st.db.conn(),
        &filter,
        PageRequest::new(page_number(q.page.as_deref()), 50),
    )
    .await?;
    let params = [
        ("entity_type", q.entity_type.clone()),
        ("entity_id", q.entity_id.clone()),
    ];
    let pager = Pager::new(&page, "/team/admin/audit", &params);
    let types = audit::entity_types(st.db.conn())
        .await?
        .into_iter()
        .map(|t| TypeChoice {
            selected: t == q.entity_type,
            value: t,
        })
        .collect();
    let rows = page
        .items
        .into_iter()
        .map(|e| Row {
            when: time::datetime(ctx.locale, e.at),
            who: e.actor_label,
            action: e.action,
            entity: format!("{} #{}", e.entity_type, e.entity_id),
            summary: e.summary,
            changes: describe_changes(&e.changes),
            ip: e.ip.unwrap_or_default(),
        })
        .collect();
    html(AuditPage {
        l: ctx.layout(ctx.m.audit_title),
        types,
        entity_id: q.entity_id,
        rows,
        pager,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_read_as_lines() {
        let lines =
            describe_changes(&json!({"role": {"from": "staff", "to": "admin"}, "name": "Ada"}));
        assert!(lines.contains(&"role: staff → admin".to_owned()));
        assert!(lines.contains(&"name: Ada".to_owned()));
    }
}
