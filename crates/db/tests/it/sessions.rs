use chrono::TimeDelta;
use maillage_db::users::{self, Changes};
use maillage_db::{now, sessions, testing};
use maillage_domain::Role;

#[tokio::test]
async fn session_lifecycle() {
    let db = crate::db().await;
    let u = testing::user(db.conn(), "s@example.org", Role::Staff).await;
    let t0 = now();
    let tx = db.write().await.unwrap();
    let token = sessions::create(&tx, u.id, t0, Some("127.0.0.1"), Some("test"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (s, found) = sessions::lookup(db.conn(), &token, t0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, u.id);
    assert!(
        sessions::lookup(db.conn(), "not-a-token", t0)
            .await
            .unwrap()
            .is_none()
    );
    let other = maillage_domain::token::generate();
    assert!(
        sessions::lookup(db.conn(), &other, t0)
            .await
            .unwrap()
            .is_none()
    );

    // Idle expiry, and sliding renewal.
    let later = t0 + sessions::IDLE + TimeDelta::seconds(1);
    assert!(
        sessions::lookup(db.conn(), &token, later)
            .await
            .unwrap()
            .is_none()
    );
    let t1 = t0 + TimeDelta::days(10);
    assert!(sessions::needs_touch(&s, t1));
    sessions::touch(db.conn(), &s, t1).await.unwrap();
    assert!(
        sessions::lookup(db.conn(), &token, later)
            .await
            .unwrap()
            .is_some()
    );
    // Never past the absolute limit.
    let s2 = sessions::lookup(db.conn(), &token, t1)
        .await
        .unwrap()
        .unwrap()
        .0;
    sessions::touch(db.conn(), &s2, t0 + TimeDelta::days(29))
        .await
        .unwrap();
    assert!(
        sessions::lookup(
            db.conn(),
            &token,
            t0 + sessions::ABSOLUTE + TimeDelta::seconds(1)
        )
        .await
        .unwrap()
        .is_none()
    );

    // A disabled user's session is not valid.
    let tx = db.write().await.unwrap();
    users::update(
        &tx,
        u.id,
        Changes {
            disabled: Some(true),
            ..Changes::NONE
        },
        t0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(
        sessions::lookup(db.conn(), &token, t0)
            .await
            .unwrap()
            .is_none()
    );

    sessions::delete(db.conn(), &token).await.unwrap();
    assert_eq!(sessions::purge_expired(db.conn(), later).await.unwrap(), 0);
}

#[tokio::test]
async fn delete_for_user_keeps_current() {
    let db = crate::db().await;
    let u = testing::user(db.conn(), "k@example.org", Role::Staff).await;
    let t = now();
    let a = sessions::create(db.conn(), u.id, t, None, None)
        .await
        .unwrap();
    let b = sessions::create(db.conn(), u.id, t, None, None)
        .await
        .unwrap();
    let keep = sessions::lookup(db.conn(), &a, t)
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    assert_eq!(
        sessions::delete_for_user(db.conn(), u.id, Some(keep))
            .await
            .unwrap(),
        1
    );
    assert!(sessions::lookup(db.conn(), &a, t).await.unwrap().is_some());
    assert!(sessions::lookup(db.conn(), &b, t).await.unwrap().is_none());
}
