//! SQLite backend: the zero-configuration default. One file in the data directory, WAL
//! journal, foreign keys on, and a single writer connection beside a pool of readers, so
//! writers queue in-process instead of failing with `SQLITE_BUSY`.

mod agent;
mod approval;
mod audit;
mod chunks;
mod classification;
mod company;
mod config;
mod conversation;
mod convert;
mod customer;
mod dialect;
mod event;
mod faq;
mod feedback;
mod job;
mod knowledge;
mod queue;
mod rollup;
mod session;
mod tool;
mod user;
mod workflow;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use switchboard_storage::{Backend, BackendKind, StorageError, StorageResult};

pub(crate) use convert::{db_err, parse_ts, parse_uuid, ts};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The SQLite implementation of every storage trait.
#[derive(Clone)]
pub struct SqliteBackend {
    /// Exactly one connection: SQLite allows one writer at a time, and queueing here is
    /// cheaper and fairer than retrying on a busy database.
    pub(crate) writer: SqlitePool,
    pub(crate) reader: SqlitePool,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> StorageResult<Self> {
        let options = SqliteConnectOptions::new().filename(path);
        Self::connect(options).await
    }

    /// Opens a `sqlite:` URL such as `sqlite://data/switchboard.db`.
    pub async fn open_url(url: &str) -> StorageResult<Self> {
        let options = SqliteConnectOptions::from_str(url).map_err(StorageError::other)?;
        Self::connect(options).await
    }

    async fn connect(options: SqliteConnectOptions) -> StorageResult<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL syncs the WAL on every commit: an acknowledged write survives a power cut,
            // not only a killed process (which NORMAL would already survive).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(db_err)?;
        MIGRATOR.run(&writer).await.map_err(StorageError::other)?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await
            .map_err(db_err)?;
        Ok(Self { writer, reader })
    }

    /// A connection for a single write statement: the one writer, waited for in turn.
    pub(crate) async fn write(&self) -> StorageResult<PoolConnection<Sqlite>> {
        self.writer.acquire().await.map_err(db_err)
    }

    /// A connection from the reader pool, for statements that only read.
    pub(crate) async fn read(&self) -> StorageResult<PoolConnection<Sqlite>> {
        self.reader.acquire().await.map_err(db_err)
    }

    /// Runs `work` in a transaction on the writer and commits when it succeeds; an error
    /// drops the transaction, which rolls it back.
    pub(crate) async fn in_tx<T>(
        &self,
        work: impl AsyncFnOnce(&mut SqliteConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let out = work(&mut tx).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    /// Applies pending migrations and reports how many the database now has.
    pub async fn migrate(&self) -> StorageResult<usize> {
        MIGRATOR.run(&self.writer).await.map_err(StorageError::other)?;
        Ok(MIGRATOR.iter().count())
    }

    /// Runs `PRAGMA integrity_check`; `Ok` only when SQLite answers "ok".
    pub async fn integrity_check(&self) -> StorageResult<()> {
        let row: (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&self.writer)
            .await
            .map_err(db_err)?;
        if row.0 == "ok" { Ok(()) } else { Err(StorageError::corrupt(row.0)) }
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Sqlite
    }

    async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await.map_err(db_err)?;
        Ok(())
    }

    async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}
