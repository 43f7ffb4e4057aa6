//! The company's knowledge as the AI uses it: documents indexed into searchable passages,
//! FAQs matched on the fast path, both searched hybrid (BM25 + embeddings, fused by rank).
//!
//! The database is the source of truth. Each node keeps an in-memory index per company
//! and checks a cheap fingerprint ([`KnowledgeStamp`]) before every query, so an edit made
//! through any node is visible to the next question on every node.

mod faq_index;
mod faqs;
mod indexer;
mod passages;
mod state;

pub use faq_index::{FaqCandidate, FaqScoring};
pub use indexer::IndexOutcome;
pub use passages::{Consulted, NEAR_FAQS, PassageHit, readback_batch, relevance};

use crate::embedding::{Embedder, EmbeddingError, QueryCache};
use state::CompanyKnowledge;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use switchboard_domain::CompanyId;
use switchboard_storage::{Backend, StorageError};

/// Candidates each search path recalls before fusion.
pub const CANDIDATES: usize = 50;
/// FAQ confidence from which the FAQ's answer is given without further ado. Chosen from the
/// threshold sweep of `switchboard eval retrieval`: a wrong answer costs more than a handoff,
/// so it is the lowest threshold that keeps wrong answers under 5% on BANKING77 (fine-grained
/// banking intents) and under 1.5% on CLINC150, with at least 95% of its out-of-scope
/// questions handed off. The old 0.85 handed off over a third of the questions it could answer.
pub const DEFAULT_FAQ_THRESHOLD: f32 = 0.75;
/// Passage score below which a passage is not used to answer. Chosen from the threshold
/// sweep of `switchboard eval passages`: quoting a wrong passage costs more than a handoff,
/// so it keeps wrong answers near a tenth of questions and hands off most out-of-scope ones.
pub const DEFAULT_ANSWER_THRESHOLD: f32 = 0.48;

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("embedding failed: {0}")]
    Embedding(#[from] EmbeddingError),
    #[error("search index: {0}")]
    Index(String),
}

impl From<switchboard_retrieval::IndexError> for KnowledgeError {
    fn from(e: switchboard_retrieval::IndexError) -> Self {
        KnowledgeError::Index(e.to_string())
    }
}

/// What retrieval can do on this node, for `/ready` and the logs.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetrievalStatus {
    /// `hybrid` with an embedding model, `lexical` (BM25 only) without one.
    pub mode: &'static str,
    pub embedding_model: Option<String>,
}

pub struct Knowledge {
    db: Arc<dyn Backend>,
    embedder: Option<Arc<dyn Embedder>>,
    queries: QueryCache,
    companies: Mutex<HashMap<CompanyId, Arc<CompanyKnowledge>>>,
    faq_scoring: FaqScoring,
}

impl Knowledge {
    pub fn new(db: Arc<dyn Backend>, embedder: Option<Arc<dyn Embedder>>) -> Self {
        Self {
            db,
            embedder,
            queries: QueryCache::new(10_000),
            companies: Mutex::default(),
            faq_scoring: FaqScoring::default(),
        }
    }

    /// Overrides how FAQ candidates are scored (used by the evaluation to compare settings).
    pub fn with_faq_scoring(mut self, scoring: FaqScoring) -> Self {
        self.faq_scoring = scoring;
        self
    }

    pub fn status(&self) -> RetrievalStatus {
        match &self.embedder {
            Some(e) => {
                RetrievalStatus { mode: "hybrid", embedding_model: Some(e.model().to_owned()) }
            }
            None => RetrievalStatus { mode: "lexical", embedding_model: None },
        }
    }

    pub fn embedder(&self) -> Option<&Arc<dyn Embedder>> {
        self.embedder.as_ref()
    }

    pub(crate) fn db(&self) -> &dyn Backend {
        self.db.as_ref()
    }

    fn company(&self, company: CompanyId) -> Arc<CompanyKnowledge> {
        let mut map = self.companies.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(map.entry(company).or_insert_with(|| Arc::new(CompanyKnowledge::new(company))))
    }

    /// The query's vector, from the cache when it was asked before; `None` in lexical mode.
    async fn query_vector(&self, text: &str) -> Result<Option<Arc<[f32]>>, KnowledgeError> {
        let Some(embedder) = &self.embedder else { return Ok(None) };
        if let Some(v) = self.queries.get(embedder.model(), text) {
            return Ok(Some(v));
        }
        let mut vectors = embedder.embed(vec![text.to_owned()]).await?;
        let v: Arc<[f32]> = Arc::from(vectors.pop().unwrap_or_default());
        self.queries.put(embedder.model(), text, Arc::clone(&v));
        Ok(Some(v))
    }

    /// Embeds a question ahead of its search, so that the embedding (the one cost of a
    /// turn that cannot go away) runs while the caller does other work, such as committing
    /// the customer's message. A failure is left for the search itself to report.
    pub async fn prepare(&self, question: &str) {
        if let Err(e) = self.query_vector(question).await {
            tracing::debug!(error = %e, "embedding ahead of the search failed");
        }
    }

    /// Embeds `texts` with the configured model, or gives `None` in lexical mode.
    pub(crate) async fn embed_all(
        &self,
        texts: Vec<String>,
    ) -> Result<Option<Vec<Vec<f32>>>, EmbeddingError> {
        match &self.embedder {
            Some(e) if !texts.is_empty() => e.embed(texts).await.map(Some),
            Some(_) => Ok(Some(Vec::new())),
            None => Ok(None),
        }
    }

    fn model_name(&self) -> Option<&str> {
        self.embedder.as_ref().map(|e| e.model())
    }

    /// Forgets a company's in-memory index (it is rebuilt from the database on next use).
    pub fn evict(&self, company: CompanyId) {
        self.companies.lock().unwrap_or_else(|p| p.into_inner()).remove(&company);
    }
}
