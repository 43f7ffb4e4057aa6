//! In-process sentence embeddings with all-MiniLM-L6-v2 on the CPU.
//!
//! The model files (weights, tokenizer, config) are not shipped with the binary; put them in
//! place with `scripts/fetch-model.sh`, which installs them in [`default_model_dir`] unless told
//! otherwise. The vectors match sentence-transformers' `SentenceTransformer.encode` for the same
//! weights: inputs truncated to 256 word pieces, mean pooling over real tokens, L2 normalisation.
//!
//! This crate is kept apart so that only it compiles candle.

mod batching;
mod bert;
mod embedder;
mod error;

pub use embedder::{LocalEmbedder, Precision};
pub use error::EmbedError;

use std::path::PathBuf;

/// The one model this crate runs.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// Length of every vector [`LocalEmbedder::embed`] returns.
pub const DIMENSIONS: usize = 384;

/// Environment variable naming the model directory (shared with `scripts/fetch-model.sh`).
pub const MODEL_DIR_ENV: &str = "SWITCHBOARD_MODEL_DIR";

/// Default model directory: `$SWITCHBOARD_MODEL_DIR` if set, else
/// `$HOME/.cache/switchboard/models/all-MiniLM-L6-v2` — the same default as
/// `scripts/fetch-model.sh`.
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    // Without HOME (rare: some service managers) fall back to a relative path rather than
    // guessing a system location.
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".cache/switchboard/models").join(MODEL_NAME)
}
