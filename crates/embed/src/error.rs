use std::path::PathBuf;

/// Why the embedder could not be loaded or could not embed.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A model file is absent: the model has not been fetched into this directory.
    #[error("model file {} is missing; run scripts/fetch-model.sh to install the model", path.display())]
    MissingFile { path: PathBuf },

    /// A model file exists but could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `config.json` is not a BERT configuration this crate can run.
    #[error("invalid model config {}: {reason}", path.display())]
    Config { path: PathBuf, reason: String },

    /// `model.safetensors` is unreadable or lacks tensors the model needs.
    #[error("bad model weights in {}: {source}", path.display())]
    Weights {
        path: PathBuf,
        #[source]
        source: candle_core::Error,
    },

    /// Loading `tokenizer.json` or tokenising an input failed.
    #[error("tokenizer: {0}")]
    Tokenizer(#[source] tokenizers::Error),

    /// The forward pass failed.
    #[error("inference: {0}")]
    Candle(#[from] candle_core::Error),
}
