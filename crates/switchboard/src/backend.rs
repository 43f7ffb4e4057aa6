//! Picks the storage engine from the database URL's scheme, as the operator configured it.

use crate::settings::Settings;
use anyhow::Context;
use std::sync::Arc;
use switchboard_storage::Backend;
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_sqlite::SqliteBackend;

pub async fn open(settings: &Settings) -> anyhow::Result<Arc<dyn Backend>> {
    match &settings.database_url {
        Some(url) if url.is_postgres() => {
            tracing::info!(database = ?url, "using PostgreSQL");
            let db = PostgresBackend::connect(url.expose(), settings.pg_max_connections)
                .await
                .with_context(|| format!("while connecting to PostgreSQL at {url:?}"))?;
            Ok(Arc::new(db))
        }
        Some(url) if url.expose().starts_with("sqlite:") => {
            tracing::info!(database = ?url, "using SQLite");
            let db = SqliteBackend::open_url(url.expose())
                .await
                .with_context(|| format!("while opening SQLite at {url:?}"))?;
            Ok(Arc::new(db))
        }
        Some(url) => anyhow::bail!(
            "unsupported database URL {url:?}: use postgres://… or sqlite:…, or leave it unset for SQLite in the data directory"
        ),
        None => {
            std::fs::create_dir_all(&settings.data_dir).with_context(|| {
                format!("while creating the data directory {}", settings.data_dir.display())
            })?;
            let path = settings.data_dir.join("switchboard.db");
            tracing::info!(path = %path.display(), "using SQLite");
            let db = SqliteBackend::open(&path)
                .await
                .with_context(|| format!("while opening SQLite at {}", path.display()))?;
            Ok(Arc::new(db))
        }
    }
}
