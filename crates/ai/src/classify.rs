//! Intent classification as the product runs it: one place that says how a company's
//! labelled examples become a model, so the server and `switchboard eval classification`
//! train exactly the same way.

mod service;
mod view;

use crate::embedding::{Embedder, EmbeddingError};
pub use service::{COMPANIES_CACHED, Classifications};
use std::sync::Arc;
pub use switchboard_classify::{
    Alternative, Classifier, Config, Example, Neighbour, Prediction, TrainError, TrainingStats,
};
use switchboard_storage::StorageError;
pub use view::{CategoryVerdict, FALLBACK_CATEGORY, NeighbourView, RequestClassification, Verdict};

/// Below this top probability a request is out of scope (issue 11; chosen on CLINC150 with
/// its out-of-scope class, see docs/benchmarks.md).
pub const DEFAULT_OOS_THRESHOLD: f32 = 0.4;

/// A labelled utterance as an admin enters it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct LabelledText {
    pub text: String,
    pub label: String,
}

/// The training configuration for a company's intents: embedding plus word and character
/// TF-IDF, C = 10. `oos_label` names the explicit out-of-scope class if the examples have one.
pub fn intent_config(oos_label: Option<&str>, threshold: Option<f32>) -> Config {
    Config {
        oos_label: oos_label.map(str::to_owned),
        threshold: threshold.unwrap_or(DEFAULT_OOS_THRESHOLD),
        ..Config::default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error("embedding failed: {0}")]
    Embedding(#[from] EmbeddingError),
    #[error("training was interrupted")]
    Interrupted,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Trains on examples whose vectors are already known (`None`: lexical only). CPU-bound:
/// call it off the async threads.
pub fn train_with_vectors(
    examples: &[LabelledText],
    vectors: Option<&[Vec<f32>]>,
    config: &Config,
) -> Result<Classifier, TrainError> {
    let rows: Vec<Example<'_>> = examples
        .iter()
        .enumerate()
        .map(|(i, e)| Example {
            text: &e.text,
            label: &e.label,
            embedding: vectors.map(|v| v[i].as_slice()),
        })
        .collect();
    Classifier::train(&rows, config)
}

/// Embeds the examples with the company's model (if any) and trains on the blocking pool.
pub async fn train(
    embedder: Option<&Arc<dyn Embedder>>,
    examples: Vec<LabelledText>,
    config: Config,
) -> Result<Classifier, ClassifyError> {
    let vectors = match embedder {
        Some(e) if !examples.is_empty() => {
            Some(e.embed(examples.iter().map(|x| x.text.clone()).collect()).await?)
        }
        _ => None,
    };
    tokio::task::spawn_blocking(move || {
        train_with_vectors(&examples, vectors.as_deref(), &config).map_err(ClassifyError::from)
    })
    .await
    .map_err(|_| ClassifyError::Interrupted)?
}
