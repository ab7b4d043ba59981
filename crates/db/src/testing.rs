//! Test support: a fresh, migrated database per test. SQLite (a temporary
//! file) by default; PostgreSQL when `MAILLAGE_TEST_DATABASE_URL` is a
//! `postgres://` URL, each test in a schema of its own, dropped afterwards.

use crate::{Backend, Db, PoolConfig, migrate};

pub mod bench;
mod bookable;
mod fixtures;
mod planning;

pub use bookable::{Bookable, BookableFixture, bookable, bookable_session, seats};
pub use fixtures::{
    activity, call_form_data, paris, project, project_data, published_activity, questionnaire,
    session, user, user_named, venue,
};
pub use planning::task;

pub const ENV: &str = "MAILLAGE_TEST_DATABASE_URL";

pub struct TestDb {
    pub db: Db,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl std::ops::Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// The backend the tests run on, from the environment.
pub fn backend() -> Backend {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => {
            Backend::from_url(&url).unwrap_or_else(|e| panic!("{ENV}: {e}"))
        }
        _ => Backend::Sqlite,
    }
}

impl TestDb {
    /// A fresh migrated database on the configured backend.
    pub async fn new() -> TestDb {
        match backend() {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres(std::env::var(ENV).unwrap_or_default()).await,
        }
    }

    /// A fresh database on the configured backend, without migrations (to
    /// test a migration on data written before it).
    pub async fn unmigrated() -> TestDb {
        match backend() {
            Backend::Sqlite => TestDb::sqlite_unmigrated().await,
            Backend::Postgres => {
                TestDb::postgres_unmigrated(std::env::var(ENV).unwrap_or_default()).await
            }
        }
    }

    /// A fresh migrated SQLite database, whatever the environment says.
    pub async fn sqlite() -> TestDb {
        let db = TestDb::sqlite_unmigrated().await;
        migrate::run(&db.db).await.expect("migrations");
        db
    }

    /// A fresh SQLite database without migrations.
    pub async fn sqlite_unmigrated() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url, PoolConfig::default())
            .await
            .expect("open sqlite");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    async fn postgres(admin_url: String) -> TestDb {
        let db = TestDb::postgres_unmigrated(admin_url).await;
        migrate::run(&db.db).await.expect("migrations");
        db
    }

    async fn postgres_unmigrated(admin_url: String) -> TestDb {
        let schema = format!(
            "t_{}",
            maillage_domain::token::generate()
                .to_lowercase()
                .replace(['-', '_'], "")[..16]
                .to_owned()
        );
        let admin = Db::connect(
            &admin_url,
            PoolConfig {
                max_connections: 2,
                ..PoolConfig::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {admin_url}: {e}"));
        sea_orm::ConnectionTrait::execute_unprepared(
            admin.conn(),
            &format!("CREATE SCHEMA {schema}"),
        )
        .await
        .expect("create schema");
        let _ = admin.close().await;
        let db = Db::connect(
            &admin_url,
            PoolConfig {
                max_connections: 8,
                pg_schema: Some(schema.clone()),
                application_name: Some(format!("maillage-test-{schema}")),
            },
        )
        .await
        .expect("connect to test schema");
        let sep = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{sep}options=-csearch_path%3D{schema}");
        TestDb {
            db,
            url,
            cleanup: Cleanup::Postgres { admin_url, schema },
        }
    }

    /// A second pool on this same database, as another instance of the
    /// application would open it.
    pub async fn second_instance(&self) -> Db {
        let config = match &self.cleanup {
            Cleanup::Sqlite(_) => PoolConfig::default(),
            Cleanup::Postgres { schema, .. } => PoolConfig {
                max_connections: 8,
                pg_schema: Some(schema.clone()),
                application_name: Some(format!("maillage-test-{schema}")),
            },
        };
        let url = match &self.cleanup {
            Cleanup::Postgres { admin_url, .. } => admin_url.clone(),
            Cleanup::Sqlite(_) => self.url.clone(),
        };
        Db::connect(&url, config).await.expect("second pool")
    }

    /// A URL that opens this same database (for spawning the binary).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, schema } = &self.cleanup {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Drop runs outside async; use a private runtime on a plain thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Db::connect(
                        &admin_url,
                        PoolConfig {
                            max_connections: 2,
                            ..PoolConfig::default()
                        },
                    )
                    .await
                    {
                        // The test's pool may hold a connection idle in a
                        // transaction whose rollback this blocked thread
                        // would wait for: end those connections first.
                        let _ = sea_orm::ConnectionTrait::execute_unprepared(
                            admin.conn(),
                            &format!(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                                 WHERE application_name = 'maillage-test-{schema}'"
                            ),
                        )
                        .await;
                        let _ = sea_orm::ConnectionTrait::execute_unprepared(
                            admin.conn(),
                            &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                        )
                        .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}
