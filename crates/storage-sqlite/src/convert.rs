//! Conversions between Rust values and SQLite's storage classes.

use chrono::{DateTime, SecondsFormat, Utc};
use switchboard_storage::StorageError;
use uuid::Uuid;

/// Fixed-width RFC 3339 (microseconds, `Z`), so that text order is time order and range
/// queries on timestamp columns are correct.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::corrupt(format!("bad timestamp {s:?}: {e}")))
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, StorageError> {
    Uuid::parse_str(s).map_err(|e| StorageError::corrupt(format!("bad id {s:?}: {e}")))
}

/// Maps driver errors once: constraint failures become `Conflict`, lost connections
/// `Unavailable`, the rest `Other`.
pub(crate) fn db_err(e: sqlx::Error) -> StorageError {
    match &e {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StorageError::Unavailable(e.to_string())
        }
        sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
            // SQLite names the columns, not the index: "UNIQUE constraint failed: users.company_id, users.email".
            let constraint = db
                .message()
                .split_once(": ")
                .map(|(_, cols)| cols.replace(", ", ",").replace('.', "_"))
                .unwrap_or_else(|| db.message().to_owned());
            StorageError::Conflict { constraint }
        }
        _ => StorageError::other(e),
    }
}
