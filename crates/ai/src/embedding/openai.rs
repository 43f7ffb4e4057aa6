use super::{Embedder, EmbeddingError, normalize};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Any endpoint that speaks OpenAI's `POST /v1/embeddings` (OpenAI, Azure, Ollama, vLLM,
/// llama.cpp, text-embeddings-inference). Configured by the operator, not by tenants, so
/// the URL is trusted; the key never appears in logs or errors.
#[derive(Clone)]
pub struct OpenAiEmbeddingsConfig {
    /// Base URL up to and including `/v1`, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<SecretString>,
    pub dimensions: usize,
    pub timeout: Duration,
}

impl std::fmt::Debug for OpenAiEmbeddingsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiEmbeddingsConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("dimensions", &self.dimensions)
            .finish()
    }
}

pub struct OpenAiEmbeddings {
    config: OpenAiEmbeddingsConfig,
    client: reqwest::Client,
    name: String,
}

/// Texts per request: providers cap the batch (OpenAI at 2048 inputs).
const BATCH: usize = 256;

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    input: &'a [String],
}

#[derive(Deserialize)]
struct Response {
    data: Vec<Datum>,
}

#[derive(Deserialize)]
struct Datum {
    index: usize,
    embedding: Vec<f32>,
}

impl OpenAiEmbeddings {
    pub fn new(config: OpenAiEmbeddingsConfig) -> Result<Self, EmbeddingError> {
        // reqwest is built without a default crypto provider; installing ring twice is a
        // harmless no-op error.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| EmbeddingError(format!("building the HTTP client: {e}")))?;
        let name = format!("openai:{}", config.model);
        Ok(Self { config, client, name })
    }

    async fn embed_batch(&self, input: &[String]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let url = format!("{}/embeddings", self.config.base_url.trim_end_matches('/'));
        let mut request =
            self.client.post(&url).json(&Request { model: &self.config.model, input });
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let response = request.send().await.map_err(|e| {
            EmbeddingError(format!("embeddings endpoint unreachable: {}", e.without_url()))
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(EmbeddingError(format!("embeddings endpoint answered {status}")));
        }
        let body: Response = response.json().await.map_err(|e| {
            EmbeddingError(format!(
                "embeddings endpoint sent an unexpected body: {}",
                e.without_url()
            ))
        })?;
        let mut out = vec![Vec::new(); input.len()];
        for d in body.data {
            if d.index >= out.len() || d.embedding.len() != self.config.dimensions {
                return Err(EmbeddingError(format!(
                    "embeddings endpoint sent a vector of {} dimensions at index {}; expected {}",
                    d.embedding.len(),
                    d.index,
                    self.config.dimensions
                )));
            }
            let mut v = d.embedding;
            normalize(&mut v);
            out[d.index] = v;
        }
        if out.iter().any(Vec::is_empty) {
            return Err(EmbeddingError("embeddings endpoint left some inputs out".to_owned()));
        }
        Ok(out)
    }
}

#[async_trait]
impl Embedder for OpenAiEmbeddings {
    fn model(&self) -> &str {
        &self.name
    }

    fn dimensions(&self) -> usize {
        self.config.dimensions
    }

    async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            out.extend(self.embed_batch(batch).await?);
        }
        Ok(out)
    }
}
