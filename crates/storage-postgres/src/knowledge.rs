use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{ChunkId, CompanyId, DocumentId};
use switchboard_storage::{
    DocumentRevision, DocumentSummary, DocumentUpdate, IndexedChunk, KnowledgeDocument,
    KnowledgeStamp, KnowledgeStore, NewDocument, NewPassage, Page, PageRequest, PassageView,
    StorageResult,
};
use switchboard_storage_sql::knowledge;

#[async_trait]
impl KnowledgeStore for PostgresBackend {
    async fn create_document(
        &self,
        company: CompanyId,
        doc: NewDocument,
    ) -> StorageResult<DocumentSummary> {
        self.as_tenant(company, async |tx| knowledge::create::<Pg>(tx, company, doc).await).await
    }

    async fn get_document(
        &self,
        company: CompanyId,
        id: DocumentId,
    ) -> StorageResult<KnowledgeDocument> {
        self.as_tenant(company, async |tx| knowledge::get::<Pg>(tx, company, id).await).await
    }

    async fn list_documents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<DocumentSummary>> {
        self.as_tenant(company, async |tx| knowledge::list::<Pg>(tx, company, page).await).await
    }

    async fn update_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        update: DocumentUpdate,
    ) -> StorageResult<DocumentSummary> {
        self.as_tenant(company, async |tx| knowledge::update::<Pg>(tx, company, id, update).await)
            .await
    }

    async fn delete_document(&self, company: CompanyId, id: DocumentId) -> StorageResult<()> {
        self.as_tenant(company, async |tx| knowledge::delete::<Pg>(tx, company, id).await).await
    }

    async fn complete_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: DateTime<Utc>,
        embedding_model: Option<&str>,
        passages: Vec<NewPassage>,
        now: DateTime<Utc>,
    ) -> StorageResult<bool> {
        self.as_tenant(company, async |tx| {
            knowledge::complete_indexing::<Pg>(
                tx,
                company,
                id,
                revision,
                embedding_model,
                passages,
                now,
            )
            .await
        })
        .await
    }

    async fn fail_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StorageResult<bool> {
        self.as_tenant(company, async |tx| {
            knowledge::fail_indexing::<Pg>(tx, company, id, revision, reason, now).await
        })
        .await
    }

    async fn knowledge_stamp(&self, company: CompanyId) -> StorageResult<KnowledgeStamp> {
        self.as_tenant(company, async |tx| knowledge::stamp::<Pg>(tx, company).await).await
    }

    async fn document_revisions(&self, company: CompanyId) -> StorageResult<Vec<DocumentRevision>> {
        self.as_tenant(company, async |tx| knowledge::revisions::<Pg>(tx, company).await).await
    }

    async fn indexed_chunks(
        &self,
        company: CompanyId,
        documents: &[DocumentId],
    ) -> StorageResult<Vec<IndexedChunk>> {
        self.as_tenant(company, async |tx| {
            knowledge::indexed_chunks::<Pg>(tx, company, documents).await
        })
        .await
    }

    async fn passages(
        &self,
        company: CompanyId,
        ids: &[ChunkId],
    ) -> StorageResult<Vec<PassageView>> {
        self.as_tenant(company, async |tx| knowledge::passages::<Pg>(tx, company, ids).await).await
    }
}
