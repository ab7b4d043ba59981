//! Applications' personal data: those not retained go once their call's
//! retention has run, with their files; a person's applications are found
//! and erased by their address.

use super::{open_call, submitted};
use chrono::{Months, TimeDelta};
use maillage_db::forms::submissions;
use maillage_db::now;
use maillage_domain::forms::CallKind;
use maillage_domain::forms::review::{Actor, Status};

#[tokio::test]
async fn refused_applications_go_after_the_retention_accepted_ones_stay() {
    let db = crate::db().await;
    let call = open_call(&db, CallKind::Participation).await;
    let refused = submitted(&db, &call, "Refusée").await;
    let accepted = submitted(&db, &call, "Acceptée").await;
    let pending = submitted(&db, &call, "En attente").await;
    let t = now();
    let tx = db.write().await.unwrap();
    for (s, to) in [(&refused, Status::Rejected), (&accepted, Status::Accepted)] {
        submissions::transition(&tx, s.id, Status::UnderReview, Actor::Staff, None, None, t)
            .await
            .unwrap()
            .unwrap();
        submissions::transition(&tx, s.id, to, Actor::Staff, None, None, t)
            .await
            .unwrap()
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Eleven months on: nothing goes.
    let later = |months: u32| t.checked_add_months(Months::new(months)).unwrap();
    let tx = db.write().await.unwrap();
    assert_eq!(submissions::purge_expired(&tx, later(11)).await.unwrap(), 0);
    tx.commit().await.unwrap();
    // Twelve months and a day after the decision: the refused one goes.
    let tx = db.write().await.unwrap();
    let n = submissions::purge_expired(&tx, later(12) + TimeDelta::days(1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 1);
    let find = |id| {
        let db = db.db.clone();
        async move { submissions::find(db.conn(), id).await.unwrap() }
    };
    assert!(find(refused.id).await.is_none());
    assert!(find(accepted.id).await.is_some());
    assert!(find(pending.id).await.is_some());
}

#[tokio::test]
async fn a_persons_applications_are_found_and_erased_by_address() {
    let db = crate::db().await;
    let call = open_call(&db, CallKind::Participation).await;
    let a = submitted(&db, &call, "Atelier fusées").await;
    let b = submitted(&db, &call, "Conférence").await;
    let mine = submissions::of_email(db.conn(), " ADA@example.org ")
        .await
        .unwrap();
    assert_eq!(mine.iter().map(|s| s.id).collect::<Vec<_>>(), [a.id, b.id]);
    assert!(
        submissions::of_email(db.conn(), "bob@example.org")
            .await
            .unwrap()
            .is_empty()
    );
    let tx = db.write().await.unwrap();
    assert_eq!(
        submissions::erase_email(&tx, "ada@example.org")
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    assert!(
        submissions::of_email(db.conn(), "ada@example.org")
            .await
            .unwrap()
            .is_empty()
    );
}
