//! Bookings' personal links: only digests are stored, a booking may have
//! several, they stop working when its personal data goes, and the links
//! already sent before the digests survive the migration.

use chrono::TimeDelta;
use maillage_db::bookings::{self, links};
use maillage_db::testing::{self, TestDb, seats};
use maillage_db::{migrate, now};
use maillage_domain::programme::RegistrationMode;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

/// The digests the links table holds; and the bookings table has no
/// secret column any more.
async fn stored_digests(db: &TestDb) -> Vec<String> {
    let old = db
        .conn()
        // Unquoted: SQLite reads an unknown quoted name as a string.
        .query_all(Query::select().expr(Expr::cust("secret")).from("bookings"))
        .await;
    assert!(old.is_err(), "bookings.secret is gone");
    db.conn()
        .query_all(Query::select().column("digest").from("booking_links"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<String>("", "digest").unwrap())
        .collect()
}

#[tokio::test]
async fn links_are_stored_as_digests_and_die_with_the_personal_data() {
    let db = crate::db().await;
    let s = testing::bookable_session(&db, RegistrationMode::Booking, 10, None)
        .await
        .session();
    let tx = db.write().await.unwrap();
    let b = bookings::book(&tx, s, &seats("Ada", 2), now())
        .await
        .unwrap()
        .unwrap();
    let later = links::issue(&tx, b.id, now()).await.unwrap();
    tx.commit().await.unwrap();
    let first = b.link_secret().to_owned();
    assert_ne!(first, later);

    // Both links open the booking, which carries the secret it was opened by.
    for secret in [&first, &later] {
        let found = bookings::find_by_secret(db.conn(), secret)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, b.id);
        assert_eq!(found.link_secret(), secret.as_str());
    }
    // Read back otherwise, it has none; the tables hold no secret.
    assert_eq!(
        bookings::find(db.conn(), b.id)
            .await
            .unwrap()
            .unwrap()
            .secret,
        None
    );
    let stored = stored_digests(&db).await;
    assert!(!stored.contains(&first) && !stored.contains(&later));
    assert!(stored.contains(&maillage_domain::token::digest(&first)));
    assert!(stored.contains(&maillage_domain::token::digest(&later)));
    // Junk is not looked up.
    assert!(
        bookings::find_by_secret(db.conn(), "nope")
            .await
            .unwrap()
            .is_none()
    );

    // Once anonymised, no link opens it.
    let tx = db.write().await.unwrap();
    let n = bookings::anonymise_ended_before(&tx, now() + TimeDelta::days(400), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 1);
    for secret in [&first, &later] {
        assert!(
            bookings::find_by_secret(db.conn(), secret)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn erasing_an_address_revokes_its_links() {
    let db = crate::db().await;
    let s = testing::bookable_session(&db, RegistrationMode::Booking, 10, None)
        .await
        .session();
    let tx = db.write().await.unwrap();
    let mut req = seats("Bea", 1);
    req.email = "bea@example.org".into();
    let b = bookings::book(&tx, s, &req, now()).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let tx = db.write().await.unwrap();
    bookings::erase_email(&tx, "bea@example.org", now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        bookings::find_by_secret(db.conn(), b.link_secret())
            .await
            .unwrap()
            .is_none()
    );
}

/// A link sent before the digests existed keeps opening its booking; the
/// secret in clear is gone.
#[tokio::test]
async fn links_sent_before_the_migration_keep_working() {
    let db = TestDb::unmigrated().await;
    migrate::run_until(&db, 11).await.unwrap();
    let s = v11_session(&db).await;
    let secret = maillage_domain::token::generate();
    let insert = |name: &str, secret: &str, anonymised: bool| {
        Query::insert()
            .into_table("bookings")
            .columns([
                "session_id",
                "kind",
                "status",
                "seats",
                "pupils",
                "adults",
                "name",
                "email",
                "locale",
                "secret",
                "source",
                "created_at",
                "updated_at",
                "anonymised_at",
            ])
            .values_panic([
                s.into(),
                "seats".into(),
                "confirmed".into(),
                1.into(),
                0.into(),
                0.into(),
                name.into(),
                "old@example.org".into(),
                "fr".into(),
                secret.into(),
                "form".into(),
                now().into(),
                now().into(),
                anonymised.then(now).into(),
            ])
            .to_owned()
    };
    db.conn()
        .execute(&insert("Old", &secret, false))
        .await
        .unwrap();
    db.conn()
        .execute(&insert("", "anonymised-2", true))
        .await
        .unwrap();
    assert!(migrate::run(&db).await.unwrap().contains(&12));
    let b = bookings::find_by_secret(db.conn(), &secret)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.name, "Old");
    let stored = stored_digests(&db).await;
    assert_eq!(stored, [maillage_domain::token::digest(&secret)]);
    let kept = db
        .conn()
        .query_all(
            Query::select()
                .column("booking_id")
                .from("booking_links")
                .and_where(Expr::col("booking_id").ne(b.id)),
        )
        .await
        .unwrap();
    assert!(kept.is_empty(), "no link for an anonymised booking");
}

/// A session written as version 11 of the schema had it (today's storage
/// code reads columns added since).
async fn v11_session(db: &TestDb) -> i64 {
    let c = db.conn();
    let t = now();
    let insert = |table: &str, columns: &[&str], values: Vec<sea_orm::Value>| {
        Query::insert()
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|c| Alias::new(*c)))
            .values_panic(values.into_iter().map(Into::into))
            .returning_col(Alias::new("id"))
            .to_owned()
    };
    let id = |row: Option<sea_orm::QueryResult>| row.unwrap().try_get::<i64>("", "id").unwrap();
    let project = id(c
        .query_one(&insert(
            "projects",
            &[
                "slug",
                "name",
                "kind",
                "starts_on",
                "ends_on",
                "status",
                "created_at",
                "updated_at",
            ],
            vec![
                "fds".into(),
                "Fête de la science".into(),
                "festival".into(),
                t.date_naive().into(),
                t.date_naive().into(),
                "published".into(),
                t.into(),
                t.into(),
            ],
        ))
        .await
        .unwrap());
    let activity = id(c
        .query_one(&insert(
            "activities",
            &[
                "project_id",
                "slug",
                "title",
                "format",
                "free",
                "registration_mode",
                "status",
                "wheelchair",
                "hearing_loop",
                "visual",
                "cognitive",
                "created_at",
                "updated_at",
            ],
            vec![
                project.into(),
                "atelier".into(),
                "Atelier".into(),
                "workshop".into(),
                true.into(),
                "booking".into(),
                "published".into(),
                false.into(),
                false.into(),
                false.into(),
                false.into(),
                t.into(),
                t.into(),
            ],
        ))
        .await
        .unwrap());
    id(c.query_one(&insert(
        "activity_sessions",
        &[
            "activity_id",
            "starts_at",
            "ends_at",
            "capacity",
            "status",
            "created_at",
            "updated_at",
        ],
        vec![
            activity.into(),
            (t + TimeDelta::days(10)).into(),
            (t + TimeDelta::days(10) + TimeDelta::hours(1)).into(),
            10.into(),
            "scheduled".into(),
            t.into(),
            t.into(),
        ],
    ))
    .await
    .unwrap())
}
