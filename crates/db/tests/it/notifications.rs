//! What the team asked to be told: choices kept per person, subscribers by
//! topic and role, the daily digest claimed once a day across instances.

use chrono::NaiveDate;
use maillage_db::notifications::{self, Prefs, Topic};
use maillage_db::testing;
use maillage_domain::Role;

#[tokio::test]
async fn choices_subscribers_and_one_digest_a_day() {
    let db = crate::db().await;
    let c = db.conn();
    let staff = testing::user(c, "staff@example.org", Role::Staff).await;
    let intern = testing::user(c, "intern@example.org", Role::Intern).await;
    let quiet = testing::user(c, "quiet@example.org", Role::Staff).await;
    assert_eq!(
        notifications::get(c, staff.id).await.unwrap(),
        Prefs::default()
    );
    let all = Prefs {
        class_requests: true,
        call_answers: true,
        digest: true,
    };
    notifications::set(c, staff.id, all).await.unwrap();
    notifications::set(c, intern.id, all).await.unwrap();
    // Changed back: the last choice holds.
    notifications::set(c, quiet.id, all).await.unwrap();
    notifications::set(c, quiet.id, Prefs::default())
        .await
        .unwrap();
    assert_eq!(notifications::get(c, staff.id).await.unwrap(), all);
    assert_eq!(
        notifications::get(c, quiet.id).await.unwrap(),
        Prefs::default()
    );

    let emails = |users: Vec<maillage_db::users::User>| {
        let mut v: Vec<String> = users.into_iter().map(|u| u.email).collect();
        v.sort();
        v
    };
    let staff_only =
        notifications::subscribers(c, Topic::ClassRequests, &[Role::Admin, Role::Staff])
            .await
            .unwrap();
    assert_eq!(emails(staff_only), ["staff@example.org"]);
    let reviewers = notifications::subscribers(
        c,
        Topic::CallAnswers,
        &[Role::Admin, Role::Staff, Role::Intern],
    )
    .await
    .unwrap();
    assert_eq!(
        emails(reviewers),
        ["intern@example.org", "staff@example.org"]
    );

    // The digest: claimed once a day, whichever instance asks.
    let other = db.second_instance().await;
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let first = notifications::claim_digests(c, day).await.unwrap();
    let again = notifications::claim_digests(other.conn(), day)
        .await
        .unwrap();
    assert_eq!(emails(first), ["intern@example.org", "staff@example.org"]);
    assert!(again.is_empty());
    let next = notifications::claim_digests(other.conn(), day.succ_opt().unwrap())
        .await
        .unwrap();
    assert_eq!(next.len(), 2);
}
