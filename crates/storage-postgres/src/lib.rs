//! PostgreSQL backend, for deployments that outgrow one SQLite file or run several server
//! processes against one database. Same traits and behaviour as `storage-sqlite`; the
//! conformance suite in `storage-tests` runs against both.

mod audit;
mod company;
mod convert;
mod event;
mod session;
mod user;

use async_trait::async_trait;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;
use switchboard_storage::{Backend, BackendKind, StorageError, StorageResult};

pub(crate) use convert::db_err;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The PostgreSQL implementation of every storage trait.
///
/// Holds only the pool, never the URL, so nothing here can leak the password.
#[derive(Clone)]
pub struct PostgresBackend {
    pub(crate) pool: PgPool,
}

impl PostgresBackend {
    /// Connects to a `postgres://` URL with a pool of up to `max_connections` and applies
    /// pending migrations.
    pub async fn connect(url: &str, max_connections: u32) -> StorageResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(StorageError::other)?
            .application_name("switchboard")
            // A runaway query must not hold a pooled connection (and its locks) forever.
            .options([("statement_timeout", "30s")]);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&pool).await.map_err(StorageError::other)?;
        Ok(Self { pool })
    }

    /// Applies pending migrations and reports how many the database now has.
    pub async fn migrate(&self) -> StorageResult<usize> {
        MIGRATOR.run(&self.pool).await.map_err(StorageError::other)?;
        Ok(MIGRATOR.iter().count())
    }
}

// Hand-written so that only pool statistics are printed: the connect options hold the
// password, and whether sqlx's own Debug includes them is not ours to rely on.
impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("size", &self.pool.size())
            .field("idle", &self.pool.num_idle())
            .field("closed", &self.pool.is_closed())
            .finish()
    }
}

#[async_trait]
impl Backend for PostgresBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Postgres
    }

    async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
