//! The one place driver errors become [`StorageError`]s.

use switchboard_storage::StorageError;

/// SQLSTATE `query_canceled`: what a statement hitting `statement_timeout` fails with.
const QUERY_CANCELED: &str = "57014";

/// Maps driver errors once: constraint failures become `Conflict` named after the PostgreSQL
/// constraint, lost connections and timeouts `Unavailable`, the rest `Other`.
pub(crate) fn db_err(e: sqlx::Error) -> StorageError {
    match &e {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StorageError::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
            let constraint = db.constraint().unwrap_or_else(|| db.message()).to_owned();
            StorageError::Conflict { constraint }
        }
        // Our own `statement_timeout` fired: the database timed out, which the contract calls
        // Unavailable (worth retrying), not a bug. SQLite has no statement timeout to mirror.
        sqlx::Error::Database(db) if db.code().as_deref() == Some(QUERY_CANCELED) => {
            StorageError::Unavailable(e.to_string())
        }
        _ => StorageError::other(e),
    }
}
