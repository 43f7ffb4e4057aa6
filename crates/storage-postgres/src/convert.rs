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

/// An embedding as little-endian `f32` bytes: the same bytes on every platform and in both
/// engines, so vectors move between databases and compare bit for bit.
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
