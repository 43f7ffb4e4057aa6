//! Chooses where vectors come from, as configured. A missing local model is not fatal:
//! the server starts with BM25-only retrieval and says so (in the log and in `/ready`).
//! A misconfigured remote provider is fatal: the operator asked for it explicitly.

use crate::settings::Settings;
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use switchboard_ai::embedding::{
    Embedder, LocalModel, OpenAiEmbeddings, OpenAiEmbeddingsConfig, Precision,
};

pub fn model_dir(settings: &Settings) -> PathBuf {
    settings.model_dir.clone().unwrap_or_else(switchboard_ai::embedding::default_model_dir)
}

pub async fn load(settings: &Settings) -> anyhow::Result<Option<Arc<dyn Embedder>>> {
    match settings.embeddings.as_str() {
        "none" => {
            tracing::info!("embeddings are off: retrieval is lexical (BM25) only");
            Ok(None)
        }
        "openai" => {
            let (Some(url), Some(model), Some(dimensions)) = (
                settings.embeddings_url.clone(),
                settings.embeddings_model.clone(),
                settings.embeddings_dimensions,
            ) else {
                bail!(
                    "embeddings = \"openai\" needs embeddings_url, embeddings_model and embeddings_dimensions"
                );
            };
            let config = OpenAiEmbeddingsConfig {
                base_url: url,
                model,
                api_key: settings.embeddings_api_key.clone(),
                dimensions,
                timeout: Duration::from_secs(30),
            };
            tracing::info!(endpoint = %config.base_url, model = %config.model, "embeddings from an OpenAI-compatible endpoint");
            let embedder = OpenAiEmbeddings::new(config).context("while setting up embeddings")?;
            Ok(Some(Arc::new(embedder)))
        }
        local => {
            // `local` puts short passes (a customer's message) on 8-bit weights and the rest in
            // f32; `local-f32` runs everything in f32 (vectors exact to the reference model).
            let precision = if local == "local-f32" { Precision::F32 } else { Precision::Mixed };
            let dir = model_dir(settings);
            let started = std::time::Instant::now();
            let loaded = {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || LocalModel::load(&dir, precision)).await?
            };
            match loaded {
                Ok(model) => {
                    tracing::info!(model = model.model(), ?precision, dir = %dir.display(), elapsed_ms = started.elapsed().as_millis() as u64, "embedding model loaded: retrieval is hybrid");
                    Ok(Some(Arc::new(model)))
                }
                Err(e) => {
                    tracing::warn!(dir = %dir.display(), error.message = %e, "no embedding model: retrieval is lexical (BM25) only; run scripts/fetch-model.sh or set --model-dir");
                    Ok(None)
                }
            }
        }
    }
}
