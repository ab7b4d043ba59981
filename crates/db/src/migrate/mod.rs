//! Versioned migrations, written once for both databases with sea-query's
//! schema builder. They run in one write transaction: on PostgreSQL under an
//! advisory lock, so that several instances starting together apply each
//! migration once; on SQLite with foreign keys not enforced, so that a
//! migration may rebuild a table (SQLite's procedure to change one), and
//! `PRAGMA foreign_key_check` must find nothing before the commit.

pub mod checks;
mod dsl;
mod m0001_foundation;
mod m0002_directory;
mod m0003_search_facets;
mod m0004_programme;
mod m0005_public_project_facet;
mod m0006_images;
mod m0007_bookings;
mod m0008_forms;
mod m0009_report_indexes;
mod m0010_vocabulary_checks;
mod m0011_hardening;
mod m0012_booking_links;
mod m0013_questionnaire_links;
mod m0014_application_retention;
mod m0015_team_notifications;
mod m0016_session_venues;
mod m0017_bookings_changed;
mod m0018_report_notes;
mod m0019_planning;
mod m0020_meetings;
mod m0021_task_digest;
mod m0022_task_details;

use crate::{Backend, Db, DbErr};
use sea_orm::sea_query::{Query, Table};
use sea_orm::{ConnectionTrait, StatementBuilder};

/// One migration: its version, a name, its statements, then the CHECK
/// constraints it adds to existing tables.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub statements: fn() -> Vec<Box<dyn StatementBuilder + Send + Sync>>,
    pub checks: &'static [checks::Check],
}

/// Every migration, in order. Append only.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        statements: m0001_foundation::statements,
        checks: &[],
    },
    Migration {
        version: 2,
        name: "directory",
        statements: m0002_directory::statements,
        checks: &[],
    },
    Migration {
        version: 3,
        name: "search_facets",
        statements: m0003_search_facets::statements,
        checks: &[],
    },
    Migration {
        version: 4,
        name: "programme",
        statements: m0004_programme::statements,
        checks: &[],
    },
    Migration {
        version: 5,
        name: "public_project_facet",
        statements: m0005_public_project_facet::statements,
        checks: &[],
    },
    Migration {
        version: 6,
        name: "images",
        statements: m0006_images::statements,
        checks: &[],
    },
    Migration {
        version: 7,
        name: "bookings",
        statements: m0007_bookings::statements,
        checks: &[],
    },
    Migration {
        version: 8,
        name: "forms",
        statements: m0008_forms::statements,
        checks: &[],
    },
    Migration {
        version: 9,
        name: "report_indexes",
        statements: m0009_report_indexes::statements,
        checks: &[],
    },
    Migration {
        version: 10,
        name: "vocabulary_checks",
        statements: m0010_vocabulary_checks::statements,
        checks: m0010_vocabulary_checks::CHECKS,
    },
    Migration {
        version: 11,
        name: "hardening",
        statements: m0011_hardening::statements,
        checks: &[],
    },
    Migration {
        version: 12,
        name: "booking_links",
        statements: m0012_booking_links::statements,
        checks: &[],
    },
    Migration {
        version: 13,
        name: "questionnaire_links",
        statements: m0013_questionnaire_links::statements,
        checks: &[],
    },
    Migration {
        version: 14,
        name: "application_retention",
        statements: m0014_application_retention::statements,
        checks: &[],
    },
    Migration {
        version: 15,
        name: "team_notifications",
        statements: m0015_team_notifications::statements,
        checks: &[],
    },
    Migration {
        version: 16,
        name: "session_venues",
        statements: m0016_session_venues::statements,
        checks: &[],
    },
    Migration {
        version: 17,
        name: "bookings_changed",
        statements: m0017_bookings_changed::statements,
        checks: &[],
    },
    Migration {
        version: 18,
        name: "report_notes",
        statements: m0018_report_notes::statements,
        checks: &[],
    },
    Migration {
        version: 19,
        name: "planning",
        statements: m0019_planning::statements,
        checks: m0019_planning::CHECKS,
    },
    Migration {
        version: 20,
        name: "meetings",
        statements: m0020_meetings::statements,
        checks: m0020_meetings::CHECKS,
    },
    Migration {
        version: 21,
        name: "task_digest",
        statements: m0021_task_digest::statements,
        checks: &[],
    },
    Migration {
        version: 22,
        name: "task_details",
        statements: m0022_task_details::statements,
        checks: &[],
    },
];

const TABLE: &str = "maillage_migrations";
/// Arbitrary key of the PostgreSQL advisory lock that serialises migrations.
const PG_LOCK_KEY: i64 = 0x6d61_696c_6c61;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "the database is at schema version {found}, newer than this binary knows ({known}); upgrade Maillage"
    )]
    TooNew { found: i64, known: i64 },
    #[error("migration failed: {0}")]
    Db(#[from] DbErr),
}

/// Applies the missing migrations; returns the versions applied now.
pub async fn run(db: &Db) -> Result<Vec<i64>, MigrateError> {
    run_until(db, i64::MAX).await
}

/// Applies the missing migrations up to version `last` (to test a
/// migration on data written before it).
pub async fn run_until(db: &Db, last: i64) -> Result<Vec<i64>, MigrateError> {
    run_selected(db, |v| v <= last).await
}

/// Applies the missing migrations among `versions`, in order, whatever
/// came before (for tests: the columns later migrations add, so that the
/// current code can write the rows an earlier migration is tried on).
pub async fn run_only(db: &Db, versions: &[i64]) -> Result<Vec<i64>, MigrateError> {
    run_selected(db, |v| versions.contains(&v)).await
}

async fn run_selected(db: &Db, wanted: impl Fn(i64) -> bool) -> Result<Vec<i64>, MigrateError> {
    let tx = db.write_without_foreign_keys().await?;
    if db.backend() == Backend::Postgres {
        tx.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({PG_LOCK_KEY})"))
            .await?;
    }
    tx.execute(
        Table::create()
            .table(TABLE)
            .if_not_exists()
            .col(dsl::bigint("version").primary_key())
            .col(dsl::text("name"))
            .col(dsl::ts("applied_at")),
    )
    .await?;
    let applied = applied_versions(&tx).await?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(&found) = applied.iter().max()
        && found > known
    {
        return Err(MigrateError::TooNew { found, known });
    }
    let mut done = Vec::new();
    for migration in MIGRATIONS {
        if applied.contains(&migration.version) || !wanted(migration.version) {
            continue;
        }
        for statement in (migration.statements)() {
            tx.execute_raw(statement.build(&tx.get_database_backend()))
                .await?;
        }
        checks::add(&tx, migration.checks).await?;
        // Data carried over inside a migration, before the next one.
        match migration.version {
            12 => m0012_booking_links::move_secrets(&tx).await?,
            13 => m0013_questionnaire_links::fill_keys(&tx).await?,
            _ => {}
        }
        tx.execute(
            Query::insert()
                .into_table(TABLE)
                .columns(["version", "name", "applied_at"])
                .values_panic([
                    migration.version.into(),
                    migration.name.into(),
                    crate::now().into(),
                ]),
        )
        .await?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "migration applied"
        );
        done.push(migration.version);
    }
    // Data written before the index gained facets and sort keys is indexed again.
    if done.contains(&3) {
        crate::organisations::reindex_all(&tx).await?;
    }
    if !done.is_empty() {
        checks::foreign_key_check(&tx).await?;
    }
    tx.commit().await?;
    Ok(done)
}

async fn applied_versions(c: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    let rows = c
        .query_all(Query::select().column("version").from(TABLE))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<i64>("", "version"))
        .collect()
}

/// How many known migrations are not applied yet (for `/healthz`).
pub async fn pending(db: &Db) -> Result<usize, DbErr> {
    let applied = match applied_versions(db.conn()).await {
        Ok(v) => v,
        Err(e) => {
            // A fresh database has no migrations table yet.
            let exists = crate::introspect::tables(db)
                .await?
                .iter()
                .any(|t| t == TABLE);
            if exists {
                return Err(e);
            }
            return Ok(MIGRATIONS.len());
        }
    };
    Ok(MIGRATIONS
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .count())
}
