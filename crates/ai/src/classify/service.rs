//! The request classifier as the server runs it: one model per company, trained on the
//! default taxonomy plus the company's own labelled examples, kept in memory and retrained
//! only when the examples change.
//!
//! Vectors are the expensive part, so none is made twice: the defaults' once per process
//! (per model), a company example's when it is written (stored beside it). Training itself
//! is CPU work and runs on the blocking pool, one at a time per company.

use super::view::RequestClassification;
use super::{Classifier, ClassifyError, Config, LabelledText, intent_config, train_with_vectors};
use crate::embedding::{Embedder, EmbeddingError};
use chrono::Utc;
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use switchboard_classify::taxonomy;
use switchboard_domain::{CategoryLabel, CompanyId, ExampleId, ExampleText};
use switchboard_storage::{
    Backend, ClassificationExample, ExamplesStamp, NewExample, TrainingExample,
};
use tokio::sync::OnceCell;

/// Companies whose trained model is kept; the least recently used is dropped beyond it.
pub const COMPANIES_CACHED: usize = 256;

/// Texts per embedding call, so one import does not hold a model thread (or a remote
/// provider's request) for a thousand texts at once.
const EMBED_BATCH: usize = 64;

/// The default examples, as training takes them.
static DEFAULTS: LazyLock<Vec<LabelledText>> = LazyLock::new(|| {
    taxonomy::default_examples()
        .into_iter()
        .map(|e| LabelledText { text: e.text, label: e.label })
        .collect()
});

/// The defaults' vectors per embedding model, made once per process: every company and
/// every server in the process trains on the same 200 examples.
type VectorCell = Arc<OnceCell<Arc<Vec<Vec<f32>>>>>;
static DEFAULT_VECTORS: LazyLock<Mutex<HashMap<String, VectorCell>>> =
    LazyLock::new(Mutex::default);

pub struct Classifications {
    db: Arc<dyn Backend>,
    embedder: Option<Arc<dyn Embedder>>,
    config: Config,
    companies: Mutex<lru::LruCache<CompanyId, Arc<Slot>>>,
    trainings: AtomicU64,
}

/// One company's model. The async lock is held while training, so concurrent requests for
/// a company wait for that one training instead of starting their own.
#[derive(Default)]
struct Slot {
    trained: tokio::sync::Mutex<Option<Trained>>,
}

struct Trained {
    stamp: ExamplesStamp,
    model: Arc<Classifier>,
}

impl Classifications {
    pub fn new(db: Arc<dyn Backend>, embedder: Option<Arc<dyn Embedder>>) -> Self {
        let capacity = NonZeroUsize::new(COMPANIES_CACHED).expect("a positive capacity");
        Self {
            db,
            embedder,
            config: intent_config(None, None),
            companies: Mutex::new(lru::LruCache::new(capacity)),
            trainings: AtomicU64::new(0),
        }
    }

    /// Category (from the company's model), priority, urgency and sentiment (from cue
    /// rules) of a customer's request, each with its reasons.
    pub async fn classify(
        &self,
        company: CompanyId,
        text: &str,
    ) -> Result<RequestClassification, ClassifyError> {
        let (model, vector) = tokio::try_join!(self.model(company), self.embed_one(text))?;
        let prediction = model.predict(text, vector.as_deref());
        Ok(RequestClassification::new(text, prediction))
    }

    /// Forgets a company's model; the next request trains a fresh one.
    pub fn evict(&self, company: CompanyId) {
        self.companies.lock().unwrap_or_else(|p| p.into_inner()).pop(&company);
    }

    /// Models trained since start (for tests and logs).
    pub fn trainings(&self) -> u64 {
        self.trainings.load(Ordering::Relaxed)
    }

    /// Stores examples (at most 1000, all or none) with their vectors.
    pub async fn create_examples(
        &self,
        company: CompanyId,
        examples: Vec<(ExampleText, CategoryLabel)>,
    ) -> Result<Vec<ClassificationExample>, ClassifyError> {
        let rows: Vec<(String, String)> =
            examples.into_iter().map(|(t, l)| (t.into_inner(), l.into_inner())).collect();
        let texts: Vec<String> = rows.iter().map(|(t, _)| t.clone()).collect();
        let mut vectors = self.embed_for_storage(texts).await.map(Vec::into_iter);
        let new: Vec<NewExample> = rows
            .into_iter()
            .map(|(text, label)| NewExample {
                id: ExampleId::new(),
                text,
                label,
                embedding: vectors.as_mut().and_then(Iterator::next),
            })
            .collect();
        let created = self.db.create_examples(company, new, self.model_name(), Utc::now()).await;
        self.evict(company);
        Ok(created?)
    }

    /// Replaces an example's text and label (and so its vector).
    pub async fn update_example(
        &self,
        company: CompanyId,
        id: ExampleId,
        text: ExampleText,
        label: CategoryLabel,
    ) -> Result<ClassificationExample, ClassifyError> {
        let text = text.into_inner();
        let embedding = self.embed_for_storage(vec![text.clone()]).await.and_then(|mut v| v.pop());
        let example = NewExample { id, text, label: label.into_inner(), embedding };
        let updated = self.db.update_example(company, example, self.model_name(), Utc::now()).await;
        self.evict(company);
        Ok(updated?)
    }

    pub async fn delete_example(
        &self,
        company: CompanyId,
        id: ExampleId,
    ) -> Result<(), ClassifyError> {
        let deleted = self.db.delete_example(company, id).await;
        self.evict(company);
        Ok(deleted?)
    }

    fn model_name(&self) -> Option<&str> {
        self.embedder.as_ref().map(|e| e.model())
    }

    fn slot(&self, company: CompanyId) -> Arc<Slot> {
        let mut companies = self.companies.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(companies.get_or_insert(company, || Arc::new(Slot::default())))
    }

    /// The company's model, trained anew only when its examples changed since.
    async fn model(&self, company: CompanyId) -> Result<Arc<Classifier>, ClassifyError> {
        let fresh = |t: &Option<Trained>, s: &ExamplesStamp| {
            t.as_ref().filter(|t| t.stamp == *s).map(|t| Arc::clone(&t.model))
        };
        let stamp = self.db.examples_stamp(company).await?;
        let slot = self.slot(company);
        let mut trained = slot.trained.lock().await;
        if let Some(model) = fresh(&trained, &stamp) {
            return Ok(model);
        }
        // Read again under the lock: whoever held it may have trained on a newer stamp.
        // Reading the stamp before the examples means an edit landing in between only
        // costs one extra training later, never a stale model kept.
        let stamp = self.db.examples_stamp(company).await?;
        if let Some(model) = fresh(&trained, &stamp) {
            return Ok(model);
        }
        let model = Arc::new(self.train(company).await?);
        *trained = Some(Trained { stamp, model: Arc::clone(&model) });
        Ok(model)
    }

    async fn train(&self, company: CompanyId) -> Result<Classifier, ClassifyError> {
        let rows = self.db.list_all_examples(company).await?;
        let vectors = match &self.embedder {
            None => None,
            Some(embedder) => {
                let mut all = default_vectors(embedder).await?.as_ref().clone();
                all.extend(self.company_vectors(company, embedder, &rows).await?);
                Some(all)
            }
        };
        let mut examples = DEFAULTS.clone();
        examples.extend(rows.into_iter().map(|r| LabelledText { text: r.text, label: r.label }));
        let config = self.config.clone();
        let started = std::time::Instant::now();
        let model = tokio::task::spawn_blocking(move || {
            train_with_vectors(&examples, vectors.as_deref(), &config)
        })
        .await
        .map_err(|_| ClassifyError::Interrupted)??;
        self.trainings.fetch_add(1, Ordering::Relaxed);
        let stats = model.stats();
        tracing::info!(
            company_id = %company,
            examples = stats.examples,
            labels = stats.labels,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "classifier trained"
        );
        Ok(model)
    }

    /// The company examples' vectors in order: the stored one when the current model made
    /// it, else a new one (then stored, so the next training need not make it again).
    async fn company_vectors(
        &self,
        company: CompanyId,
        embedder: &Arc<dyn Embedder>,
        rows: &[TrainingExample],
    ) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let usable = |r: &TrainingExample| {
            r.embedding_model.as_deref() == Some(embedder.model())
                && r.embedding.as_ref().is_some_and(|v| v.len() == embedder.dimensions())
        };
        let stale: Vec<&TrainingExample> = rows.iter().filter(|r| !usable(r)).collect();
        if stale.is_empty() {
            return Ok(rows.iter().filter_map(|r| r.embedding.clone()).collect());
        }
        let texts = stale.iter().map(|r| r.text.clone()).collect();
        let made = embed_batches(embedder, texts).await?;
        let renewed: HashMap<ExampleId, Vec<f32>> =
            stale.iter().map(|r| r.id).zip(made.iter().cloned()).collect();
        let store = self.db.store_example_vectors(
            company,
            renewed.clone().into_iter().collect(),
            embedder.model(),
        );
        if let Err(e) = store.await {
            tracing::warn!(error.message = %e, "could not store re-made example vectors");
        }
        Ok(rows
            .iter()
            .map(|r| match renewed.get(&r.id) {
                Some(v) => v.clone(),
                None => r.embedding.clone().unwrap_or_default(),
            })
            .collect())
    }

    async fn embed_one(&self, text: &str) -> Result<Option<Vec<f32>>, ClassifyError> {
        let Some(embedder) = &self.embedder else { return Ok(None) };
        Ok(embedder.embed(vec![text.to_owned()]).await?.pop())
    }

    /// Vectors to store with new examples. An embedding failure does not refuse the write:
    /// the examples are stored without vectors and embedded when the model next trains.
    async fn embed_for_storage(&self, texts: Vec<String>) -> Option<Vec<Vec<f32>>> {
        let embedder = self.embedder.as_ref()?;
        match embed_batches(embedder, texts).await {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(error.message = %e, "examples stored without vectors");
                None
            }
        }
    }
}

async fn embed_batches(
    embedder: &Arc<dyn Embedder>,
    texts: Vec<String>,
) -> Result<Vec<Vec<f32>>, EmbeddingError> {
    let mut out = Vec::with_capacity(texts.len());
    for batch in texts.chunks(EMBED_BATCH) {
        out.extend(embedder.embed(batch.to_vec()).await?);
    }
    Ok(out)
}

async fn default_vectors(
    embedder: &Arc<dyn Embedder>,
) -> Result<Arc<Vec<Vec<f32>>>, EmbeddingError> {
    let cell = {
        let mut cells = DEFAULT_VECTORS.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(cells.entry(embedder.model().to_owned()).or_default())
    };
    let vectors = cell
        .get_or_try_init(|| async {
            let texts = DEFAULTS.iter().map(|e| e.text.clone()).collect();
            embed_batches(embedder, texts).await.map(Arc::new)
        })
        .await?;
    Ok(Arc::clone(vectors))
}
