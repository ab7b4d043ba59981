use maillage_db::testing::{self, TestDb};
use maillage_db::{Backend, introspect, migrate};

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema.snapshot");

/// The migrated schema matches the committed snapshot on the backend under
/// test; CI runs this on SQLite and on PostgreSQL, so both end identical.
/// `UPDATE_SNAPSHOTS=1` rewrites the snapshot after a new migration.
#[tokio::test]
async fn schema_matches_snapshot() {
    let db = crate::db().await;
    let rendered = introspect::render(&introspect::schema(&db).await.unwrap());
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(SNAPSHOT, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(SNAPSHOT).expect("snapshot file");
    assert_eq!(
        rendered,
        expected,
        "schema on {:?} differs from tests/schema.snapshot",
        db.backend()
    );
}

/// With PostgreSQL configured, both engines are migrated side by side and
/// compared directly.
#[tokio::test]
async fn sqlite_and_postgres_end_with_the_same_schema() {
    if testing::backend() != Backend::Postgres {
        return;
    }
    let pg = TestDb::new().await;
    let lite = TestDb::sqlite().await;
    let a = introspect::schema(&pg).await.unwrap();
    let b = introspect::schema(&lite).await.unwrap();
    assert_eq!(introspect::render(&a), introspect::render(&b));
}

#[tokio::test]
async fn migrations_are_idempotent_and_recorded() {
    let db = crate::db().await;
    assert_eq!(migrate::pending(&db).await.unwrap(), 0);
    assert!(migrate::run(&db).await.unwrap().is_empty());
}

#[tokio::test]
async fn fresh_database_gets_every_migration() {
    let db = TestDb::sqlite_unmigrated().await;
    assert_eq!(
        migrate::pending(&db).await.unwrap(),
        migrate::MIGRATIONS.len()
    );
    let applied = migrate::run(&db).await.unwrap();
    assert_eq!(applied.len(), migrate::MIGRATIONS.len());
    assert_eq!(migrate::pending(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_migrations_apply_once() {
    // Several instances starting at once on one database.
    let db = TestDb::sqlite_unmigrated().await;
    let runs = (0..4).map(|_| {
        let d = db.db.clone();
        tokio::spawn(async move { migrate::run(&d).await })
    });
    let mut applied = 0;
    for r in runs {
        applied += r.await.unwrap().unwrap().len();
    }
    assert_eq!(applied, migrate::MIGRATIONS.len());
}
