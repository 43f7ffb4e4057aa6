use crate::chunks;
use crate::job::queue_job;
use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::{ChunkId, CompanyId, DocumentFormat, DocumentId, DocumentStatus, JobId};
use switchboard_storage::{
    DocumentRevision, DocumentSummary, DocumentUpdate, IndexedChunk, KnowledgeDocument,
    KnowledgeStamp, KnowledgeStore, NewDocument, NewPassage, Page, PageRequest, PassageView,
    StorageError, StorageResult,
};
use uuid::Uuid;

/// The job that (re)builds a document's chunks; its payload names the document.
const INDEX_DOCUMENT: &str = "index_document";

// Macros so that `concat!` can splice the column list into `&'static str` queries.
macro_rules! summary_columns {
    () => {
        "id, company_id, title, format, source_name, status, error, chunk_count, created_at, \
         updated_at"
    };
}

/// `SELECT <summary columns>[, content] FROM knowledge_documents <rest>`.
macro_rules! select_documents {
    ($rest:literal) => {
        concat!("SELECT ", summary_columns!(), " FROM knowledge_documents ", $rest)
    };
    (content, $rest:literal) => {
        concat!("SELECT ", summary_columns!(), ", content FROM knowledge_documents ", $rest)
    };
}

fn summary_from_row(row: &PgRow) -> StorageResult<DocumentSummary> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let chunk_count: i32 = row.try_get("chunk_count").map_err(db_err)?;
    Ok(DocumentSummary {
        id: DocumentId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        title: text("title")?,
        format: DocumentFormat::parse(&text("format")?).map_err(StorageError::corrupt)?,
        source_name: row.try_get("source_name").map_err(db_err)?,
        status: DocumentStatus::parse(&text("status")?).map_err(StorageError::corrupt)?,
        error: row.try_get("error").map_err(db_err)?,
        chunk_count: i64::from(chunk_count),
        created_at: row.try_get("created_at").map_err(db_err)?,
        updated_at: row.try_get("updated_at").map_err(db_err)?,
    })
}

async fn queue_indexing(
    conn: &mut PgConnection,
    company: CompanyId,
    job: JobId,
    document: DocumentId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let payload = serde_json::json!({ "documentId": document.to_string() });
    queue_job(conn, company, job, INDEX_DOCUMENT, &payload, now).await
}

/// Whether an indexing job for `document` is still waiting to be claimed: such a job will
/// read the document's current revision when it runs.
async fn indexing_waits(
    conn: &mut PgConnection,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM jobs WHERE company_id = $1 AND kind = $2 AND status = 'queued' \
         AND payload->>'documentId' = $3 LIMIT 1",
    )
    .bind(company.as_uuid())
    .bind(INDEX_DOCUMENT)
    .bind(document.to_string())
    .fetch_optional(conn)
    .await
    .map_err(db_err)?;
    Ok(row.is_some())
}

#[async_trait]
impl KnowledgeStore for PostgresBackend {
    async fn create_document(
        &self,
        company: CompanyId,
        doc: NewDocument,
    ) -> StorageResult<DocumentSummary> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO knowledge_documents (id, company_id, title, format, content, \
             source_name, status, chunk_count, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'processing', 0, $7, $7) RETURNING ",
            summary_columns!()
        ))
        .bind(doc.id.as_uuid())
        .bind(company.as_uuid())
        .bind(&doc.title)
        .bind(doc.format.as_str())
        .bind(&doc.content)
        .bind(&doc.source_name)
        .bind(doc.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let summary = summary_from_row(&row)?;
        queue_indexing(&mut tx, company, doc.job_id, doc.id, doc.created_at).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(summary)
    }

    async fn get_document(
        &self,
        company: CompanyId,
        id: DocumentId,
    ) -> StorageResult<KnowledgeDocument> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(select_documents!(content, "WHERE company_id = $1 AND id = $2"))
            .bind(company.as_uuid())
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        Ok(KnowledgeDocument {
            summary: summary_from_row(&row)?,
            content: row.try_get("content").map_err(db_err)?,
        })
    }

    async fn list_documents(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<DocumentSummary>> {
        // A cursor that is not a UUID matches nothing: it cannot have come from this list.
        let after = match page.after.as_ref().map(|c| Uuid::parse_str(c.as_str())) {
            Some(Err(_)) => return Ok(Page { items: vec![], next_cursor: None }),
            Some(Ok(u)) => Some(u),
            None => None,
        };
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(select_documents!(
            "WHERE company_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3"
        ))
        .bind(company.as_uuid())
        .bind(after)
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let items = rows.iter().map(summary_from_row).collect::<StorageResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |d| d.id.to_string()))
    }

    async fn update_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        update: DocumentUpdate,
    ) -> StorageResult<DocumentSummary> {
        let mut tx = self.tenant_tx(company).await?;
        let row = match &update.content {
            Some(new) => {
                sqlx::query(concat!(
                    "UPDATE knowledge_documents SET title = COALESCE($1, title), format = $2, \
                     content = $3, source_name = $4, status = 'processing', error = NULL, \
                     chunk_count = 0, updated_at = $5 WHERE company_id = $6 AND id = $7 \
                     RETURNING ",
                    summary_columns!()
                ))
                .bind(&update.title)
                .bind(new.format.as_str())
                .bind(&new.content)
                .bind(&new.source_name)
                .bind(update.updated_at)
                .bind(company.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
            }
            None => {
                sqlx::query(concat!(
                    "UPDATE knowledge_documents SET title = COALESCE($1, title), \
                     updated_at = $2 WHERE company_id = $3 AND id = $4 RETURNING ",
                    summary_columns!()
                ))
                .bind(&update.title)
                .bind(update.updated_at)
                .bind(company.as_uuid())
                .bind(id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
            }
        }
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        let summary = summary_from_row(&row)?;
        // New content needs a new index. A title-only change needs none, except that it moves
        // the revision: an indexing run already under way would then be refused and leave the
        // document processing for good, so it is re-queued unless a job still waits anyway.
        let requeue = update.content.is_some()
            || (summary.status == DocumentStatus::Processing
                && !indexing_waits(&mut tx, company, id).await?);
        if requeue {
            queue_indexing(&mut tx, company, update.job_id, id, update.updated_at).await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(summary)
    }

    async fn delete_document(&self, company: CompanyId, id: DocumentId) -> StorageResult<()> {
        let mut tx = self.tenant_tx(company).await?;
        chunks::delete(&mut tx, company, id).await?;
        let done = sqlx::query("DELETE FROM knowledge_documents WHERE company_id = $1 AND id = $2")
            .bind(company.as_uuid())
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
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
        let children: usize = passages.iter().map(|p| p.children.len()).sum();
        let children = i32::try_from(children).map_err(StorageError::other)?;
        let mut tx = self.tenant_tx(company).await?;
        // The guard first, and it locks the row: an edit arriving meanwhile waits for this
        // transaction, and a stale run writes nothing (the transaction is dropped).
        let landed = sqlx::query(
            "UPDATE knowledge_documents SET status = 'ready', error = NULL, chunk_count = $1, \
             updated_at = $2 WHERE company_id = $3 AND id = $4 AND updated_at = $5",
        )
        .bind(children)
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .bind(revision)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if landed.rows_affected() == 0 {
            return Ok(false);
        }
        chunks::delete(&mut tx, company, id).await?;
        chunks::insert(&mut tx, company, id, embedding_model, &passages, now).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn fail_indexing(
        &self,
        company: CompanyId,
        id: DocumentId,
        revision: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StorageResult<bool> {
        let mut tx = self.tenant_tx(company).await?;
        let done = sqlx::query(
            "UPDATE knowledge_documents SET status = 'failed', error = $1, updated_at = $2 \
             WHERE company_id = $3 AND id = $4 AND updated_at = $5",
        )
        .bind(reason)
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .bind(revision)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn knowledge_stamp(&self, company: CompanyId) -> StorageResult<KnowledgeStamp> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(
            "SELECT \
             (SELECT count(*) FROM knowledge_documents WHERE company_id = $1 AND status = 'ready') \
               AS ready_documents, \
             (SELECT max(updated_at) FROM knowledge_documents \
               WHERE company_id = $1 AND status = 'ready') AS documents_changed_at, \
             (SELECT count(*) FROM faqs WHERE company_id = $1) AS faqs, \
             (SELECT max(updated_at) FROM faqs WHERE company_id = $1) AS faqs_changed_at",
        )
        .bind(company.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(KnowledgeStamp {
            ready_documents: row.try_get("ready_documents").map_err(db_err)?,
            documents_changed_at: row.try_get("documents_changed_at").map_err(db_err)?,
            faqs: row.try_get("faqs").map_err(db_err)?,
            faqs_changed_at: row.try_get("faqs_changed_at").map_err(db_err)?,
        })
    }

    async fn document_revisions(&self, company: CompanyId) -> StorageResult<Vec<DocumentRevision>> {
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(
            "SELECT id, status, updated_at FROM knowledge_documents WHERE company_id = $1 \
             ORDER BY id",
        )
        .bind(company.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        rows.iter()
            .map(|row| {
                Ok(DocumentRevision {
                    id: DocumentId::from_uuid(row.try_get("id").map_err(db_err)?),
                    status: DocumentStatus::parse(
                        &row.try_get::<String, _>("status").map_err(db_err)?,
                    )
                    .map_err(StorageError::corrupt)?,
                    updated_at: row.try_get("updated_at").map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn indexed_chunks(
        &self,
        company: CompanyId,
        documents: &[DocumentId],
    ) -> StorageResult<Vec<IndexedChunk>> {
        if documents.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.tenant_tx(company).await?;
        let found = chunks::indexed(&mut tx, company, documents).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(found)
    }

    async fn passages(
        &self,
        company: CompanyId,
        ids: &[ChunkId],
    ) -> StorageResult<Vec<PassageView>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.tenant_tx(company).await?;
        let found = chunks::passages(&mut tx, company, ids).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(found)
    }
}
