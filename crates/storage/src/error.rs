use thiserror::Error;

/// What can go wrong in storage, in terms a handler can act on. Backends map their driver
/// errors into this once, at the boundary.
#[derive(Debug, Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule refused the write; `constraint` names the rule.
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The database could not be reached or timed out; worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl StorageError {
    pub fn other(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        StorageError::Other(Box::new(e))
    }

    /// A stored value that no longer parses: a bug or a hand-edited row, never user input.
    pub fn corrupt(what: impl Into<String>) -> Self {
        StorageError::Other(what.into().into())
    }
}

pub type StorageResult<T> = Result<T, StorageError>;
