use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{ChunkId, CompanyId, DocumentFormat, DocumentId, DocumentStatus, JobId};

/// A document as listed: everything but its content, which can be large.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    pub id: DocumentId,
    pub company_id: CompanyId,
    pub title: String,
    pub format: DocumentFormat,
    pub source_name: Option<String>,
    pub status: DocumentStatus,
    /// Why indexing failed, when `status` is `failed`.
    pub error: Option<String>,
    /// Searchable (child) chunks; 0 until `ready`.
    pub chunk_count: i64,
    pub created_at: DateTime<Utc>,
    /// Also the document's revision: an indexing run only lands if this is unchanged.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeDocument {
    pub summary: DocumentSummary,
    /// The document as received (for PDF: the extracted text).
    pub content: String,
}

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub id: DocumentId,
    pub title: String,
    pub format: DocumentFormat,
    pub content: String,
    pub source_name: Option<String>,
    /// The `index_document` job queued with the document, in the same transaction.
    pub job_id: JobId,
    pub created_at: DateTime<Utc>,
}

/// A change to a document. New content puts it back to `processing` and queues `job_id`;
/// a title-only change leaves its index alone.
#[derive(Debug, Clone)]
pub struct DocumentUpdate {
    pub title: Option<String>,
    pub content: Option<NewContent>,
    pub job_id: JobId,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewContent {
    pub format: DocumentFormat,
    pub content: String,
    pub source_name: Option<String>,
}

/// One parent passage and the child chunks cut from it, as the indexer writes them.
#[derive(Debug, Clone)]
pub struct NewPassage {
    pub id: ChunkId,
    pub ordinal: i64,
    pub text: String,
    pub children: Vec<NewChunk>,
}

#[derive(Debug, Clone)]
pub struct NewChunk {
    pub id: ChunkId,
    pub ordinal: i64,
    pub text: String,
    /// Unit-length vector, absent when no embedding model was available.
    pub embedding: Option<Vec<f32>>,
}

/// A searchable child chunk with what search needs to rank it and show its passage.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedChunk {
    pub id: ChunkId,
    pub document_id: DocumentId,
    pub parent_id: ChunkId,
    pub text: String,
    pub embedding: Option<Vec<f32>>,
    pub embedding_model: Option<String>,
}

/// A passage ready to show: the parent text of a matched child, with its document title.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageView {
    pub chunk_id: ChunkId,
    pub document_id: DocumentId,
    pub title: String,
    /// The child chunk that matched.
    pub matched_text: String,
    /// The parent passage it belongs to: what the responder reads and cites.
    pub passage_text: String,
}

/// Cheap fingerprint of a company's searchable knowledge. When it changes, a node's
/// in-memory index is stale and re-syncs from the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnowledgeStamp {
    pub ready_documents: i64,
    pub documents_changed_at: Option<DateTime<Utc>>,
    pub faqs: i64,
    pub faqs_changed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRevision {
    pub id: DocumentId,
    pub status: DocumentStatus,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait KnowledgeStore {
    /// Stores the document as `processing` and queues its `index_document` job (payload
    /// `{"documentId": …}`) in one transaction, so a crash cannot leave one without the other.
    async fn create_document(
        &self,
        company: CompanyId,
        doc: NewDocument,
    ) -> StorageResult<DocumentSummary>;

    async fn get_document(
        &self,
        company: CompanyId,
        id: DocumentId,
    ) -> StorageResult<KnowledgeDocument>;

    async fn list_documents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<DocumentSummary>>;

    /// Applies `update`; new content resets status to `processing`, error to none and
    /// chunk count to 0 (old chunks stay searchable until the new ones land) and queues the
    /// job, all in one transaction. Always moves `updated_at`.
    async fn update_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        update: DocumentUpdate,
    ) -> StorageResult<DocumentSummary>;

    /// Deletes the document and its chunks at once.
    async fn delete_document(&self, company: CompanyId, id: DocumentId) -> StorageResult<()>;

    /// Replaces the document's chunks with `passages`, marks it `ready` with its child
    /// count and moves `updated_at`, only if its `updated_at` still equals `revision`
    /// (otherwise a newer edit has its own job queued). Returns whether it landed.
    async fn complete_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: DateTime<Utc>,
        embedding_model: Option<&str>,
        passages: Vec<NewPassage>,
        now: DateTime<Utc>,
    ) -> StorageResult<bool>;

    /// Marks the document `failed` with `reason` under the same revision rule.
    async fn fail_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StorageResult<bool>;

    async fn knowledge_stamp(&self, company: CompanyId) -> StorageResult<KnowledgeStamp>;

    /// Every document's id, status and revision, for diffing an in-memory index.
    async fn document_revisions(&self, company: CompanyId) -> StorageResult<Vec<DocumentRevision>>;

    /// The child chunks of the given documents (all children of each, ordered by document
    /// then ordinal), with their vectors.
    async fn indexed_chunks(
        &self,
        company: CompanyId,
        documents: &[DocumentId],
    ) -> StorageResult<Vec<IndexedChunk>>;

    /// Shows the matched children by id, in the order asked; ids that no longer exist
    /// (a document deleted a moment ago) are left out.
    async fn passages(
        &self,
        company: CompanyId,
        chunks: &[ChunkId],
    ) -> StorageResult<Vec<PassageView>>;
}
