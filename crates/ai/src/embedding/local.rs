use super::{Embedder, EmbeddingError};
use async_trait::async_trait;
use std::path::Path;
use std::sync::Arc;
use switchboard_embed::{LocalEmbedder, Precision};

/// The in-process all-MiniLM-L6-v2. Inference is CPU-bound, so it runs on the blocking
/// pool and never stalls the async workers that serve requests.
pub struct LocalModel {
    inner: Arc<LocalEmbedder>,
    name: String,
}

impl LocalModel {
    pub fn load(model_dir: &Path, precision: Precision) -> Result<Self, EmbeddingError> {
        let inner =
            LocalEmbedder::load(model_dir, precision).map_err(|e| EmbeddingError(e.to_string()))?;
        let name = inner.model_name().to_owned();
        Ok(Self { inner: Arc::new(inner), name })
    }

    /// Embeds on the calling thread; for batch tools that are already off the async runtime.
    pub fn embed_blocking(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        self.inner.embed(texts).map_err(|e| EmbeddingError(e.to_string()))
    }
}

#[async_trait]
impl Embedder for LocalModel {
    fn model(&self) -> &str {
        &self.name
    }

    fn dimensions(&self) -> usize {
        self.inner.dimensions()
    }

    async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let model = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            model.embed(&refs)
        })
        .await
        .map_err(|e| EmbeddingError(format!("embedding task failed: {e}")))?
        .map_err(|e| EmbeddingError(e.to_string()))
    }
}
