use chrono::TimeDelta;
use maillage_db::{now, throttle};

#[tokio::test]
async fn locks_after_limit_and_escalates() {
    let db = crate::db().await;
    let key = throttle::account_key("x@example.org");
    let p = throttle::PER_ACCOUNT;
    let t = now();
    for i in 0..p.max_failures {
        let lock = throttle::record_failure(db.conn(), &key, p, t + TimeDelta::seconds(i.into()))
            .await
            .unwrap();
        assert!(lock.is_none(), "failure {i} must not lock");
    }
    let keys = [key.clone(), throttle::ip_key("10.0.0.1")];
    assert!(
        throttle::locked_until(db.conn(), &keys, t)
            .await
            .unwrap()
            .is_none()
    );
    let first = throttle::record_failure(db.conn(), &key, p, t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first, t + p.base_lock);
    assert_eq!(
        throttle::locked_until(db.conn(), &keys, t).await.unwrap(),
        Some(first)
    );
    let second = throttle::record_failure(db.conn(), &key, p, t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second, t + p.base_lock * 2);
    // After the lock, still locked? No: the time has passed.
    assert!(
        throttle::locked_until(db.conn(), &keys, t + TimeDelta::hours(2))
            .await
            .unwrap()
            .is_none()
    );
    throttle::clear(db.conn(), &key).await.unwrap();
    assert!(
        throttle::locked_until(db.conn(), &keys, t)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn window_resets_old_failures() {
    let db = crate::db().await;
    let key = throttle::ip_key("192.0.2.1");
    let p = throttle::PER_ACCOUNT;
    let t = now();
    for _ in 0..p.max_failures {
        throttle::record_failure(db.conn(), &key, p, t)
            .await
            .unwrap();
    }
    let much_later = t + p.window + TimeDelta::minutes(1);
    assert!(
        throttle::record_failure(db.conn(), &key, p, much_later)
            .await
            .unwrap()
            .is_none()
    );
}

#[test]
fn slowing_down_waits_what_remains_up_to_a_maximum() {
    let t = now();
    let max = std::time::Duration::from_secs(3);
    assert_eq!(throttle::slowdown(t + TimeDelta::minutes(10), t, max), max);
    assert_eq!(
        throttle::slowdown(t + TimeDelta::seconds(1), t, max),
        std::time::Duration::from_secs(1)
    );
    assert_eq!(
        throttle::slowdown(t - TimeDelta::seconds(1), t, max),
        std::time::Duration::ZERO
    );
}
