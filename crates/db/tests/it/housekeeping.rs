//! The hourly housekeeping deletes what has run its course, and only that.

use chrono::TimeDelta;
use maillage_db::housekeeping::{self, Purged};
use maillage_db::imports::{self, BatchKind};
use maillage_db::ratelimit::{self, Limit};
use maillage_db::{now, sessions, testing};
use maillage_domain::Role;

#[tokio::test]
async fn expired_sessions_imports_and_limits_are_deleted() {
    let db = crate::db().await;
    let u = testing::user(db.conn(), "h@example.org", Role::Staff).await;
    let t0 = now();
    let limit = Limit {
        max: 5,
        per: TimeDelta::minutes(1),
    };
    let tx = db.write().await.unwrap();
    sessions::create(&tx, u.id, t0, None, None).await.unwrap();
    let old = imports::save(&tx, u.id, BatchKind::People, "old.csv", b"a".to_vec(), t0)
        .await
        .unwrap();
    ratelimit::hit(&tx, "booking:192.0.2.1", limit, t0)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();

    // An hour later nothing has run its course.
    let soon = t0 + TimeDelta::hours(1);
    let tx = db.write().await.unwrap();
    let fresh = imports::save(&tx, u.id, BatchKind::People, "new.csv", b"b".to_vec(), soon)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        housekeeping::hourly(&db, soon).await.unwrap(),
        Purged::default()
    );

    // Two days later: the session, the first import file and the window.
    let later = t0 + imports::LIFETIME + TimeDelta::minutes(30);
    let later = later.max(t0 + sessions::IDLE + TimeDelta::minutes(1));
    let p = housekeeping::hourly(&db, later + TimeDelta::days(1))
        .await
        .unwrap();
    assert_eq!(p.sessions, 1);
    assert_eq!(p.imports, 2, "{p:?}");
    assert_eq!(p.rate_limits, 1);
    for id in [old, fresh] {
        assert!(
            imports::find(db.conn(), id, u.id, t0)
                .await
                .unwrap()
                .is_none()
        );
    }
    // A second round (another instance) finds nothing left.
    assert!(
        housekeeping::hourly(&db, later + TimeDelta::days(1))
            .await
            .unwrap()
            .is_empty()
    );
}

/// A delivered e-mail loses its body after a month, its record after a
/// year; one waiting to be sent keeps everything.
#[tokio::test]
async fn delivered_mails_lose_their_body_then_their_record() {
    use maillage_db::outbox::{self, NewMail};
    let db = crate::db().await;
    let t0 = now();
    let mail = |to: &str| NewMail {
        to_addr: to.into(),
        to_name: Some("Ada Lovelace".into()),
        subject: "Réservation confirmée".into(),
        body_text: "Bonjour Ada, votre lien : https://example.org/reservation/secret".into(),
        body_html: None,
        ics: Some("BEGIN:VCALENDAR".into()),
    };
    let tx = db.write().await.unwrap();
    let sent = outbox::enqueue(&tx, mail("ada@example.org"), t0)
        .await
        .unwrap();
    let waiting = outbox::enqueue(&tx, mail("bea@example.org"), t0 + TimeDelta::days(400))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let claimed = outbox::claim(db.conn(), "w1", t0, TimeDelta::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(
        outbox::mark_sent(db.conn(), sent, "w1", t0, "<id@example.org>")
            .await
            .unwrap()
    );

    let p = housekeeping::hourly(&db, t0 + TimeDelta::days(29))
        .await
        .unwrap();
    assert_eq!(p.mail_bodies, 0);
    let p = housekeeping::hourly(&db, t0 + TimeDelta::days(31))
        .await
        .unwrap();
    assert_eq!((p.mail_bodies, p.mails), (1, 0));
    let m = outbox::find(db.conn(), sent).await.unwrap().unwrap();
    assert_eq!(m.body_text, "");
    assert!(m.ics.is_none());
    assert_eq!(m.to_addr, "ada@example.org");
    let w = outbox::find(db.conn(), waiting).await.unwrap().unwrap();
    assert!(w.body_text.contains("Bonjour Ada"));
    let p = housekeeping::hourly(&db, t0 + TimeDelta::days(366))
        .await
        .unwrap();
    assert_eq!(p.mails, 1);
    assert!(outbox::find(db.conn(), sent).await.unwrap().is_none());
    assert!(outbox::find(db.conn(), waiting).await.unwrap().is_some());
}
