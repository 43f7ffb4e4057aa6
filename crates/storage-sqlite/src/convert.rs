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

/// An embedding as little-endian `f32` bytes: the same bytes on every platform and in both
/// engines, so a database can be moved between machines and vectors compare bit for bit.
pub(crate) fn embedding_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub(crate) fn parse_embedding(bytes: &[u8]) -> Result<Vec<f32>, StorageError> {
    let (floats, rest) = bytes.as_chunks::<4>();
    if !rest.is_empty() {
        return Err(StorageError::corrupt(format!(
            "embedding of {} bytes is not a whole number of f32s",
            bytes.len()
        )));
    }
    Ok(floats.iter().map(|b| f32::from_le_bytes(*b)).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_round_trip_bit_exact_and_odd_lengths_are_corrupt() {
        let v = [0.0, -0.0, 1.5, f32::MIN_POSITIVE, f32::MAX, -1e-30];
        let bytes = embedding_bytes(&v);
        assert_eq!(bytes.len(), 24);
        assert_eq!(&bytes[8..12], &1.5f32.to_le_bytes());
        let back = parse_embedding(&bytes).unwrap();
        assert_eq!(back.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), v.map(f32::to_bits));
        assert!(parse_embedding(&bytes[..23]).is_err());
        assert_eq!(parse_embedding(&[]).unwrap(), Vec::<f32>::new());
    }
}
