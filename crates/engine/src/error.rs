use switchboard_ai::knowledge::KnowledgeError;
use switchboard_storage::StorageError;

/// Why the engine refused or could not finish an operation.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No such conversation in the caller's company, or one the caller may not see.
    #[error("not found")]
    NotFound,
    /// The conversation is closed and takes no more messages.
    #[error("the conversation is closed")]
    Closed,
    /// The operation does not fit the conversation's state (e.g. releasing one the caller
    /// does not own, replying before taking it over).
    #[error("{0}")]
    Conflict(&'static str),
    /// The input breaks a limit; the message says which.
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Storage(StorageError),
    #[error(transparent)]
    Knowledge(#[from] KnowledgeError),
}

impl From<StorageError> for EngineError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => EngineError::NotFound,
            other => EngineError::Storage(other),
        }
    }
}

pub type EngineResult<T> = Result<T, EngineError>;
