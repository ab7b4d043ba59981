//! Request limits counted in the database: exact under concurrency from two
//! pools (two instances), a fresh window once the last one ended.

use chrono::TimeDelta;
use maillage_db::now;
use maillage_db::ratelimit::{self, Limit};

const THIRTY_A_MINUTE: Limit = Limit {
    max: 30,
    per: TimeDelta::minutes(1),
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_count() {
    let db = crate::db().await;
    let other = db.second_instance().await;
    let t = now();
    let mut handles = Vec::new();
    for i in 0..45 {
        let pool = if i % 2 == 0 {
            db.db.clone()
        } else {
            other.clone()
        };
        handles.push(tokio::spawn(async move {
            let tx = pool.write().await?;
            let r = ratelimit::hit(&tx, "booking:198.51.100.7", THIRTY_A_MINUTE, t).await?;
            tx.commit().await?;
            Ok::<_, sea_orm::DbErr>(r)
        }));
    }
    let mut allowed = 0;
    let mut waits = Vec::new();
    for h in handles {
        match h.await.unwrap().unwrap() {
            Ok(()) => allowed += 1,
            Err(wait) => waits.push(wait),
        }
    }
    assert_eq!(allowed, 30);
    assert_eq!(waits.len(), 15);
    assert!(waits.iter().all(|w| (1..=60).contains(w)), "{waits:?}");
    // Another client has its own count.
    let tx = db.write().await.unwrap();
    assert_eq!(
        ratelimit::hit(&tx, "booking:198.51.100.8", THIRTY_A_MINUTE, t)
            .await
            .unwrap(),
        Ok(())
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_window_ends_and_old_ones_are_purged() {
    let db = crate::db().await;
    let limit = Limit {
        max: 2,
        per: TimeDelta::minutes(1),
    };
    let t = now();
    let tx = db.write().await.unwrap();
    let key = "call-mail:192.0.2.1";
    assert_eq!(ratelimit::hit(&tx, key, limit, t).await.unwrap(), Ok(()));
    assert_eq!(
        ratelimit::hit(&tx, key, limit, t + TimeDelta::seconds(10))
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        ratelimit::hit(&tx, key, limit, t + TimeDelta::seconds(20))
            .await
            .unwrap(),
        Err(40)
    );
    // The window that began at `t` has ended a minute later.
    assert_eq!(
        ratelimit::hit(&tx, key, limit, t + TimeDelta::seconds(61))
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        ratelimit::purge(&tx, t + TimeDelta::seconds(30))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        ratelimit::purge(&tx, t + TimeDelta::hours(1))
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
}
