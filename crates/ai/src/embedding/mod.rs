//! Sentence embeddings behind one trait, so retrieval does not care whether vectors come
//! from the in-process model or from an OpenAI-compatible endpoint.

mod cache;
mod local;
mod openai;

pub use cache::QueryCache;
pub use local::LocalModel;
pub use openai::{OpenAiEmbeddings, OpenAiEmbeddingsConfig};
pub use switchboard_embed::{Precision, default_model_dir};

use async_trait::async_trait;

/// Why texts could not be embedded. The message is safe to show an admin (no secrets).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct EmbeddingError(pub String);

#[async_trait]
pub trait Embedder: Send + Sync + 'static {
    /// The model's name; stored beside every vector so a node never compares vectors of
    /// two different models.
    fn model(&self) -> &str;

    fn dimensions(&self) -> usize;

    /// Unit-length vectors, one per text, in input order.
    async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, EmbeddingError>;
}

/// Makes a vector unit length (providers other than the local model may not).
pub(crate) fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}
