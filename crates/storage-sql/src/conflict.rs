//! Engine-neutral names for the uniqueness rules callers match on.

use switchboard_storage::StorageError;

/// Renames any conflict to `name`: PostgreSQL reports its constraint's name and SQLite the
/// columns, and callers should match one string whichever engine runs.
pub(crate) fn renamed(name: &'static str) -> impl Fn(StorageError) -> StorageError {
    move |e| match e {
        StorageError::Conflict { .. } => StorageError::Conflict { constraint: name.into() },
        other => other,
    }
}
