use maillage_db::{now, organisations};
use sea_orm::{EntityTrait, PaginatorTrait};

/// 200 concurrent read-then-write transactions: none fails with "database is
/// locked" (SQLite) or anything else, and every write lands.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_then_write_transactions_all_succeed() {
    let db = crate::db().await;
    let mut handles = Vec::new();
    for i in 0..200 {
        let db = db.db.clone();
        handles.push(tokio::spawn(async move {
            let tx = db.write().await?;
            let n = organisations::entity::Entity::find().count(&tx).await?;
            organisations::create(&tx, &format!("Org {i} after {n}"), now()).await?;
            tx.commit().await
        }));
    }
    let mut failures = Vec::new();
    for h in handles {
        if let Err(e) = h.await.unwrap() {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    let n = organisations::entity::Entity::find()
        .count(db.conn())
        .await
        .unwrap();
    assert_eq!(n, 200);
}
