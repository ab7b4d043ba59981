use maillage_db::audit::{self, Actor, AuditFilter, Change};
use maillage_db::{PageRequest, now};
use serde_json::json;

#[tokio::test]
async fn records_and_lists_with_json_changes() {
    let db = crate::db().await;
    let actor = Actor {
        user_id: None,
        label: "admin@example.org".into(),
        ip: Some("127.0.0.1".into()),
    };
    let tx = db.write().await.unwrap();
    for i in 0..3 {
        audit::record(
            &tx,
            &actor,
            Change {
                action: "update",
                entity_type: if i == 2 { "organisation" } else { "user" },
                entity_id: i.to_string(),
                summary: format!("thing {i}"),
                changes: audit::diff(&json!({"role": "staff"}), &json!({"role": "admin", "n": i})),
            },
            now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let page = audit::list(db.conn(), &AuditFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.items[0].entity_id, "2", "newest first");
    assert_eq!(
        page.items[0].changes["role"],
        json!({"from": "staff", "to": "admin"})
    );
    assert_eq!(page.items[0].changes["n"]["to"], json!(2));
    let users = audit::list(
        db.conn(),
        &AuditFilter {
            entity_type: Some("user".into()),
            ..Default::default()
        },
        PageRequest::default(),
    )
    .await
    .unwrap();
    assert_eq!(users.total, 2);
    assert_eq!(
        audit::entity_types(db.conn()).await.unwrap(),
        vec!["organisation".to_string(), "user".to_string()]
    );
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_entry() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    audit::record(
        &tx,
        &Actor::system("test"),
        Change {
            action: "create",
            entity_type: "user",
            entity_id: "1".into(),
            summary: String::new(),
            changes: json!({}),
        },
        now(),
    )
    .await
    .unwrap();
    drop(tx);
    let page = audit::list(db.conn(), &AuditFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}
