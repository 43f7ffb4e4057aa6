//! Turning a stored document into searchable chunks: the body of the `index_document` job.

use super::{Knowledge, KnowledgeError};
use crate::ingest::{self, ChunkConfig, Deadline, IngestError, SourceFormat};
use chrono::Utc;
use std::time::{Duration, Instant};
use switchboard_domain::{ChunkId, CompanyId, DocumentFormat, DocumentId};
use switchboard_storage::{NewChunk, NewPassage, StorageError};

/// What became of one indexing run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexOutcome {
    /// The chunks landed; the document is `ready`.
    Ready { chunks: usize },
    /// The document cannot be indexed as it is (no text, say); it is marked `failed`.
    Failed { reason: String },
    /// The document was edited or deleted meanwhile; the newer edit has its own job.
    Superseded,
}

/// Children embedded per call: large enough to batch well, small enough that a huge
/// document does not hold the embedding model (and the CPU) in one piece for long.
const EMBED_BATCH: usize = 256;

impl Knowledge {
    /// Extracts, chunks and embeds the document's current content and replaces its chunks.
    /// An `Err` is transient (database or embedding service down): the job is retried.
    ///
    /// `budget` bounds the work: a document whose extraction or embedding is still going
    /// when it runs out is marked failed with the reason. Extraction checks the deadline as
    /// it goes, so the blocking thread it runs on stops too.
    pub async fn index_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        budget: Duration,
    ) -> Result<IndexOutcome, KnowledgeError> {
        let deadline = Instant::now().checked_add(budget);
        let out_of_time = || format!("indexing took longer than {} s", budget.as_secs());
        let doc = match self.db().get_document(company, id).await {
            Ok(doc) => doc,
            Err(StorageError::NotFound) => return Ok(IndexOutcome::Superseded),
            Err(e) => return Err(e.into()),
        };
        let revision = doc.summary.updated_at;
        let format = doc.summary.format;
        let content = doc.content;
        let limit = deadline.map_or(Deadline::NONE, Deadline::at);
        let parents = tokio::task::spawn_blocking(move || split(format, &content, limit))
            .await
            .map_err(|e| KnowledgeError::Index(format!("chunking task failed: {e}")))?;
        let parents = match parents {
            Ok(p) if p.iter().any(|p| !p.children.is_empty()) => p,
            Ok(_) => return self.fail(company, id, revision, "the document has no text").await,
            Err(IngestError::TimedOut) => {
                return self.fail(company, id, revision, &out_of_time()).await;
            }
            Err(e) => return self.fail(company, id, revision, &e.to_string()).await,
        };
        let texts: Vec<String> =
            parents.iter().flat_map(|p| p.children.iter().map(|c| c.text.clone())).collect();
        let mut vectors: Option<Vec<Vec<f32>>> = None;
        if self.embedder().is_some() {
            let mut all = Vec::with_capacity(texts.len());
            for batch in texts.chunks(EMBED_BATCH) {
                if deadline.is_some_and(|at| Instant::now() >= at) {
                    return self.fail(company, id, revision, &out_of_time()).await;
                }
                all.extend(self.embed_all(batch.to_vec()).await?.unwrap_or_default());
            }
            vectors = Some(all);
        }
        let mut vectors = vectors.map(Vec::into_iter);
        let passages: Vec<NewPassage> = parents
            .into_iter()
            .map(|p| NewPassage {
                id: ChunkId::new(),
                ordinal: p.ordinal as i64,
                text: p.text,
                children: p
                    .children
                    .into_iter()
                    .map(|c| NewChunk {
                        id: ChunkId::new(),
                        ordinal: c.ordinal as i64,
                        text: c.text,
                        embedding: vectors.as_mut().and_then(Iterator::next),
                    })
                    .collect(),
            })
            .collect();
        let chunks = passages.iter().map(|p| p.children.len()).sum();
        let landed = self
            .db()
            .complete_indexing(company, id, revision, self.model_name(), passages, Utc::now())
            .await?;
        Ok(if landed { IndexOutcome::Ready { chunks } } else { IndexOutcome::Superseded })
    }

    /// Marks the document failed after the job gave up on a transient cause.
    pub async fn give_up_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        reason: &str,
    ) -> Result<(), KnowledgeError> {
        let doc = match self.db().get_document(company, id).await {
            Ok(doc) => doc,
            Err(StorageError::NotFound) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        self.db().fail_indexing(company, id, doc.summary.updated_at, reason, Utc::now()).await?;
        Ok(())
    }

    async fn fail(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: chrono::DateTime<Utc>,
        reason: &str,
    ) -> Result<IndexOutcome, KnowledgeError> {
        let landed = self.db().fail_indexing(company, id, revision, reason, Utc::now()).await?;
        Ok(if landed {
            IndexOutcome::Failed { reason: reason.to_owned() }
        } else {
            IndexOutcome::Superseded
        })
    }
}

/// Extraction, normalisation and parent-child chunking. PDF content is stored as the text
/// extracted at upload, so it is chunked as plain text.
fn split(
    format: DocumentFormat,
    content: &str,
    deadline: Deadline,
) -> Result<Vec<ingest::Parent>, IngestError> {
    let source = match format {
        DocumentFormat::Text | DocumentFormat::Pdf => SourceFormat::Text,
        DocumentFormat::Markdown => SourceFormat::Markdown,
        DocumentFormat::Html => SourceFormat::Html,
    };
    let text = ingest::extract_until(source, content, deadline)?;
    // Chunking is linear in the text (which the upload limit bounds), so it is not
    // interrupted; only a deadline that passed during it is reported.
    let parents = ingest::chunk(&text, &ChunkConfig::default());
    deadline.check()?;
    Ok(parents)
}
