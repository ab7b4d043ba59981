//! The connection pool, chosen from the database URL, and write transactions.
//!
//! SQLite: WAL, foreign keys on, a busy timeout, and every write transaction
//! taken `BEGIN IMMEDIATE` after an in-process writer permit, so concurrent
//! read-then-write transactions queue instead of failing with "database is
//! locked". PostgreSQL: an ordinary pool; several instances may share it.

use sea_orm::SqlxSqliteConnector;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Reads the scheme of a database URL; any other scheme is refused.
    pub fn from_url(url: &str) -> Result<Backend, ConnectError> {
        let scheme = url
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .ok_or_else(|| ConnectError::UnknownScheme(url.to_owned()))?;
        match scheme.as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(ConnectError::UnknownScheme(scheme)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "unsupported database URL scheme {0:?}: use sqlite://FILE (for example sqlite://maillage.db) or postgres://USER@HOST/DATABASE"
    )]
    UnknownScheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] DbErr),
}

/// Pool settings. The defaults suit a small server.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    pub max_connections: u32,
    /// PostgreSQL only: the schema to use (tests use one schema each).
    pub pg_schema: Option<String>,
    /// PostgreSQL only: the `application_name` of the connections.
    pub application_name: Option<String>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_connections: 16,
            pg_schema: None,
            application_name: None,
        }
    }
}

/// The database handle shared by the whole process (cheap to clone).
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    backend: Backend,
    /// SQLite only: one writer at a time inside this process.
    writer: Option<Arc<Semaphore>>,
    max_connections: u32,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Opens a pool on `url` (`sqlite://…` or `postgres://…`). A SQLite file is
    /// created when missing.
    pub async fn connect(url: &str, config: PoolConfig) -> Result<Db, ConnectError> {
        let backend = Backend::from_url(url)?;
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        let max_connections = match backend {
            Backend::Sqlite => config.max_connections.clamp(2, 8),
            Backend::Postgres => config.max_connections.max(2),
        };
        options.max_connections(max_connections).min_connections(1);
        match backend {
            Backend::Sqlite => {
                options.map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(30))
                        .pragma("temp_store", "memory")
                });
            }
            Backend::Postgres => {
                options
                    .set_application_name(config.application_name.as_deref().unwrap_or("maillage"));
                if let Some(schema) = &config.pg_schema {
                    options.set_schema_search_path(schema.clone());
                }
            }
        }
        let conn = Database::connect(options).await?;
        Ok(Db {
            conn,
            backend,
            writer: (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1))),
            max_connections,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for reads that need no transaction.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite). Storage
    /// functions take it; the caller commits.
    pub async fn write(&self) -> Result<WriteTx, DbErr> {
        let permit = self.writer_permit().await?;
        let tx = begin(&self.conn).await?;
        Ok(WriteTx {
            tx,
            own: None,
            _permit: permit,
        })
    }

    /// A write transaction in which SQLite does not enforce foreign keys,
    /// for migrations that rebuild tables (SQLite's procedure for changing
    /// a table: `PRAGMA foreign_keys` cannot change inside a transaction,
    /// so the transaction runs on a connection of its own opened with them
    /// off, after the same writer permit as [`Db::write`]). The caller runs
    /// `PRAGMA foreign_key_check` before committing. On PostgreSQL, the
    /// same as [`Db::write`].
    pub async fn write_without_foreign_keys(&self) -> Result<WriteTx, DbErr> {
        if self.backend != Backend::Sqlite {
            return self.write().await;
        }
        let permit = self.writer_permit().await?;
        let pool = self.conn.get_sqlite_connection_pool();
        let options = (*pool.connect_options()).clone().foreign_keys(false);
        let own = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Custom(format!("cannot open a migration connection: {e}")))?;
        let own = SqlxSqliteConnector::from_sqlx_sqlite_pool(own);
        let tx = begin(&own).await?;
        Ok(WriteTx {
            tx,
            own: Some(own),
            _permit: permit,
        })
    }

    async fn writer_permit(&self) -> Result<Option<OwnedSemaphorePermit>, DbErr> {
        match &self.writer {
            Some(sem) => {
                Ok(Some(sem.clone().acquire_owned().await.map_err(|_| {
                    DbErr::Custom("writer semaphore closed".into())
                })?))
            }
            None => Ok(None),
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// Connections open and idle in the pool, and its maximum.
    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = match self.backend {
            Backend::Sqlite => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            Backend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
        };
        PoolStats {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max: self.max_connections,
        }
    }

    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}

async fn begin(conn: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    conn.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// A write transaction. Dropped without `commit`, it rolls back.
pub struct WriteTx {
    tx: DatabaseTransaction,
    /// The connection of its own the transaction runs on, if any (closed
    /// after it).
    own: Option<DatabaseConnection>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await?;
        match self.own {
            Some(own) => own.close().await,
            None => Ok(()),
        }
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.tx.rollback().await?;
        match self.own {
            Some(own) => own.close().await,
            None => Ok(()),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTx {
    fn get_database_backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.tx.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.tx.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.tx.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.tx.query_all_raw(stmt).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_is_checked() {
        assert_eq!(
            Backend::from_url("sqlite://maillage.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://localhost/x").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("PostgreSQL://localhost/x").unwrap(),
            Backend::Postgres
        );
        let err = Backend::from_url("mysql://root@localhost/x").unwrap_err();
        assert!(err.to_string().contains("\"mysql\""), "{err}");
        assert!(Backend::from_url("maillage.db").is_err());
    }
}
