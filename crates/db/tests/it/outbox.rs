use chrono::TimeDelta;
use maillage_db::outbox::{self, NewMail, Status};
use maillage_db::{PageRequest, now};
use std::collections::HashSet;

fn mail(i: usize) -> NewMail {
    NewMail {
        to_addr: format!("r{i}@example.org"),
        to_name: None,
        subject: format!("Message {i}"),
        body_text: "Bonjour".into(),
        body_html: None,
        ics: None,
    }
}

#[tokio::test]
async fn enqueue_in_transaction_is_atomic() {
    let db = crate::db().await;
    let tx = db.write().await.unwrap();
    outbox::enqueue(&tx, mail(1), now()).await.unwrap();
    tx.rollback().await.unwrap();
    let tx = db.write().await.unwrap();
    outbox::enqueue(&tx, mail(2), now()).await.unwrap();
    tx.commit().await.unwrap();
    let all = outbox::list(db.conn(), None, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(all.total, 1);
    assert_eq!(all.items[0].subject, "Message 2");
}

#[tokio::test]
async fn concurrent_workers_claim_each_message_once() {
    let db = crate::db().await;
    let t = now();
    let tx = db.write().await.unwrap();
    for i in 0..40 {
        outbox::enqueue(&tx, mail(i), t).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut handles = Vec::new();
    for w in 0..4 {
        let db = db.db.clone();
        handles.push(tokio::spawn(async move {
            let worker = format!("w{w}");
            let mut mine = Vec::new();
            loop {
                let tx = db.write().await.unwrap();
                let got = outbox::claim(&tx, &worker, t, TimeDelta::minutes(2), 3)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                if got.is_empty() {
                    break;
                }
                for m in got {
                    assert!(
                        outbox::mark_sent(db.conn(), m.id, &worker, t, "id")
                            .await
                            .unwrap()
                    );
                    mine.push(m.id);
                }
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for h in handles {
        for id in h.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "message {id} claimed twice");
        }
    }
    assert_eq!(total, 40);
    let counts = outbox::counts(db.conn()).await.unwrap();
    assert!(counts.contains(&(Status::Sent, 40)), "{counts:?}");
}

#[tokio::test]
async fn failures_back_off_then_give_up_and_leases_expire() {
    let db = crate::db().await;
    let t = now();
    let id = outbox::enqueue(db.conn(), mail(1), t).await.unwrap();
    let lease = TimeDelta::minutes(2);
    let m = outbox::claim(db.conn(), "a", t, lease, 10)
        .await
        .unwrap()
        .remove(0);
    // Another worker cannot take it while the lease runs, nor mark it.
    assert!(
        outbox::claim(db.conn(), "b", t, lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!outbox::mark_sent(db.conn(), id, "b", t, "x").await.unwrap());
    // The worker crashed: after the lease, it is claimable again.
    let after = t + lease + TimeDelta::seconds(1);
    let m2 = outbox::claim(db.conn(), "b", after, lease, 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(m2.id, m.id);
    assert!(
        outbox::mark_failed(db.conn(), &m2, "b", after, "550 refused", false)
            .await
            .unwrap()
    );
    let back = outbox::find(db.conn(), id).await.unwrap().unwrap();
    assert_eq!(back.status, Status::Pending);
    assert_eq!(back.attempts, 1);
    assert_eq!(back.next_attempt_at, after + outbox::backoff(1));
    assert!(
        outbox::claim(db.conn(), "c", after, lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    assert_eq!(
        outbox::next_due(db.conn()).await.unwrap(),
        Some(after + outbox::backoff(1))
    );
    // A permanent error stops retries.
    let due = back.next_attempt_at;
    let m3 = outbox::claim(db.conn(), "c", due, lease, 10)
        .await
        .unwrap()
        .remove(0);
    outbox::mark_failed(db.conn(), &m3, "c", due, "bad address", true)
        .await
        .unwrap();
    let failed = outbox::find(db.conn(), id).await.unwrap().unwrap();
    assert_eq!(failed.status, Status::Failed);
    assert_eq!(failed.last_error.as_deref(), Some("bad address"));
    assert!(outbox::retry(db.conn(), id, due).await.unwrap());
    assert_eq!(
        outbox::find(db.conn(), id).await.unwrap().unwrap().status,
        Status::Pending
    );
}
