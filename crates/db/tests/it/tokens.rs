use chrono::TimeDelta;
use maillage_db::password_tokens::{self, Purpose};
use maillage_db::{api_tokens, now};
use maillage_domain::Role;

#[tokio::test]
async fn password_links_are_single_use_and_expire() {
    let db = crate::db().await;
    let u = maillage_db::testing::user(db.conn(), "p@example.org", Role::Staff).await;
    let t = now();
    let a = password_tokens::issue(db.conn(), u.id, Purpose::Reset, t)
        .await
        .unwrap();
    let b = password_tokens::issue(db.conn(), u.id, Purpose::Reset, t)
        .await
        .unwrap();
    assert_eq!(
        password_tokens::peek(db.conn(), &a, t).await.unwrap(),
        Some((u.id, Purpose::Reset))
    );
    let late = t + Purpose::Reset.lifetime() + TimeDelta::seconds(1);
    assert_eq!(
        password_tokens::consume(db.conn(), &a, late).await.unwrap(),
        None
    );
    assert_eq!(
        password_tokens::consume(db.conn(), &a, t).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        password_tokens::consume(db.conn(), &a, t).await.unwrap(),
        None,
        "single use"
    );
    assert_eq!(
        password_tokens::consume(db.conn(), &b, t).await.unwrap(),
        None,
        "others voided"
    );
    assert_eq!(
        password_tokens::consume(db.conn(), "garbage", t)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    let db = crate::db().await;
    let u = maillage_db::testing::user(db.conn(), "api@example.org", Role::Staff).await;
    let t = now();
    let (tok, secret) = api_tokens::create(db.conn(), u.id, "script", t)
        .await
        .unwrap();
    assert!(secret.starts_with(api_tokens::PREFIX));
    assert!(secret.starts_with(&tok.prefix));
    assert_ne!(tok.token_hash, secret);
    let (_, owner) = api_tokens::authenticate(db.conn(), &secret, maillage_db::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.id, u.id);
    assert!(
        api_tokens::authenticate(db.conn(), "mlg_nope", maillage_db::now())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        api_tokens::authenticate(db.conn(), &secret[4..], maillage_db::now())
            .await
            .unwrap()
            .is_none()
    );
    assert!(api_tokens::needs_touch(&tok, t));
    api_tokens::touch(db.conn(), tok.id, t).await.unwrap();
    // Someone else cannot revoke it.
    assert!(
        !api_tokens::revoke(db.conn(), u.id + 1000, tok.id, t)
            .await
            .unwrap()
    );
    assert!(
        api_tokens::revoke(db.conn(), u.id, tok.id, t)
            .await
            .unwrap()
    );
    assert!(
        api_tokens::authenticate(db.conn(), &secret, maillage_db::now())
            .await
            .unwrap()
            .is_none()
    );
    let list = api_tokens::list_for_user(db.conn(), u.id).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].revoked_at.is_some());
    assert_eq!(list[0].last_used_at, Some(t));
}
