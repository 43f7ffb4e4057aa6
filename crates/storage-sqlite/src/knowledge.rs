use crate::SqliteBackend;
use crate::dialect::Lite;
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
impl KnowledgeStore for SqliteBackend {
    async fn create_document(
        &self,
        company: CompanyId,
        doc: NewDocument,
    ) -> StorageResult<DocumentSummary> {
        self.in_tx(async |tx| knowledge::create::<Lite>(tx, company, doc).await).await
    }

    async fn get_document(
        &self,
        company: CompanyId,
        id: DocumentId,
    ) -> StorageResult<KnowledgeDocument> {
        knowledge::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_documents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<DocumentSummary>> {
        knowledge::list::<Lite>(&mut *self.read().await?, company, page).await
    }

    async fn update_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        update: DocumentUpdate,
    ) -> StorageResult<DocumentSummary> {
        self.in_tx(async |tx| knowledge::update::<Lite>(tx, company, id, update).await).await
    }

    async fn delete_document(&self, company: CompanyId, id: DocumentId) -> StorageResult<()> {
        self.in_tx(async |tx| knowledge::delete::<Lite>(tx, company, id).await).await
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
        self.in_tx(async |tx| {
            knowledge::complete_indexing::<Lite>(
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
        knowledge::fail_indexing::<Lite>(
            &mut *self.write().await?,
            company,
            id,
            revision,
            reason,
            now,
        )
        .await
    }

    async fn knowledge_stamp(&self, company: CompanyId) -> StorageResult<KnowledgeStamp> {
        knowledge::stamp::<Lite>(&mut *self.read().await?, company).await
    }

    async fn document_revisions(&self, company: CompanyId) -> StorageResult<Vec<DocumentRevision>> {
        knowledge::revisions::<Lite>(&mut *self.read().await?, company).await
    }

    async fn indexed_chunks(
        &self,
        company: CompanyId,
        documents: &[DocumentId],
    ) -> StorageResult<Vec<IndexedChunk>> {
        knowledge::indexed_chunks::<Lite>(&mut *self.read().await?, company, documents).await
    }

    async fn passages(
        &self,
        company: CompanyId,
        ids: &[ChunkId],
    ) -> StorageResult<Vec<PassageView>> {
        knowledge::passages::<Lite>(&mut *self.read().await?, company, ids).await
    }
}
