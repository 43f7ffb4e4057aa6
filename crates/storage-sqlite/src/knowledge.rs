use crate::chunks;
use crate::job::queue_job;
use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use switchboard_domain::{ChunkId, CompanyId, DocumentFormat, DocumentId, DocumentStatus, JobId};
use switchboard_storage::{
    DocumentRevision, DocumentSummary, DocumentUpdate, IndexedChunk, KnowledgeDocument,
    KnowledgeStamp, KnowledgeStore, NewDocument, NewPassage, Page, PageRequest, PassageView,
    StorageError, StorageResult,
};

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

fn summary_from_row(row: &SqliteRow) -> StorageResult<DocumentSummary> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    Ok(DocumentSummary {
        id: DocumentId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        title: text("title")?,
        format: DocumentFormat::parse(&text("format")?).map_err(StorageError::corrupt)?,
        source_name: row.try_get("source_name").map_err(db_err)?,
        status: DocumentStatus::parse(&text("status")?).map_err(StorageError::corrupt)?,
        error: row.try_get("error").map_err(db_err)?,
        chunk_count: row.try_get("chunk_count").map_err(db_err)?,
        created_at: parse_ts(&text("created_at")?)?,
        updated_at: parse_ts(&text("updated_at")?)?,
    })
}

async fn queue_indexing(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    job: JobId,
    document: DocumentId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let payload = serde_json::json!({ "documentId": document.to_string() });
    queue_job(tx, company, job, INDEX_DOCUMENT, &payload, now).await
}

/// Whether an indexing job for `document` is still waiting to be claimed: such a job will
/// read the document's current revision when it runs.
async fn indexing_waits(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM jobs WHERE company_id = ? AND kind = ? AND status = 'queued' \
         AND json_extract(payload, '$.documentId') = ? LIMIT 1",
    )
    .bind(company.to_string())
    .bind(INDEX_DOCUMENT)
    .bind(document.to_string())
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(row.is_some())
}

#[async_trait]
impl KnowledgeStore for SqliteBackend {
    async fn create_document(
        &self,
        company: CompanyId,
        doc: NewDocument,
    ) -> StorageResult<DocumentSummary> {
        let now = ts(doc.created_at);
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let row = sqlx::query(concat!(
            "INSERT INTO knowledge_documents (id, company_id, title, format, content, \
             source_name, status, chunk_count, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'processing', 0, ?7, ?7) RETURNING ",
            summary_columns!()
        ))
        .bind(doc.id.to_string())
        .bind(company.to_string())
        .bind(&doc.title)
        .bind(doc.format.as_str())
        .bind(&doc.content)
        .bind(&doc.source_name)
        .bind(&now)
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
        let row = sqlx::query(select_documents!(content, "WHERE company_id = ? AND id = ?"))
            .bind(company.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
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
        let rows = sqlx::query(select_documents!(
            "WHERE company_id = ?1 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3"
        ))
        .bind(company.to_string())
        .bind(page.after.as_ref().map(|c| c.as_str()))
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        let items = rows.iter().map(summary_from_row).collect::<StorageResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |d| d.id.to_string()))
    }

    async fn update_document(
        &self,
        company: CompanyId,
        id: DocumentId,
        update: DocumentUpdate,
    ) -> StorageResult<DocumentSummary> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let (title, updated_at) = (&update.title, ts(update.updated_at));
        let (company_text, id_text) = (company.to_string(), id.to_string());
        let row = match &update.content {
            Some(new) => {
                sqlx::query(concat!(
                    "UPDATE knowledge_documents SET title = COALESCE(?, title), format = ?, \
                     content = ?, source_name = ?, status = 'processing', error = NULL, \
                     chunk_count = 0, updated_at = ? WHERE company_id = ? AND id = ? RETURNING ",
                    summary_columns!()
                ))
                .bind(title)
                .bind(new.format.as_str())
                .bind(&new.content)
                .bind(&new.source_name)
                .bind(&updated_at)
                .bind(&company_text)
                .bind(&id_text)
                .fetch_optional(&mut *tx)
                .await
            }
            None => {
                sqlx::query(concat!(
                    "UPDATE knowledge_documents SET title = COALESCE(?, title), updated_at = ? \
                     WHERE company_id = ? AND id = ? RETURNING ",
                    summary_columns!()
                ))
                .bind(title)
                .bind(&updated_at)
                .bind(&company_text)
                .bind(&id_text)
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
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        chunks::delete(&mut tx, company, id).await?;
        let done = sqlx::query("DELETE FROM knowledge_documents WHERE company_id = ? AND id = ?")
            .bind(company.to_string())
            .bind(id.to_string())
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
        let now = ts(now);
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        // The guard first: a stale run writes nothing (the transaction is dropped).
        let landed = sqlx::query(
            "UPDATE knowledge_documents SET status = 'ready', error = NULL, chunk_count = ?, \
             updated_at = ? WHERE company_id = ? AND id = ? AND updated_at = ?",
        )
        .bind(i64::try_from(children).map_err(StorageError::other)?)
        .bind(&now)
        .bind(company.to_string())
        .bind(id.to_string())
        .bind(ts(revision))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if landed.rows_affected() == 0 {
            return Ok(false);
        }
        chunks::delete(&mut tx, company, id).await?;
        chunks::insert(&mut tx, company, id, embedding_model, &passages, &now).await?;
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
        let done = sqlx::query(
            "UPDATE knowledge_documents SET status = 'failed', error = ?, updated_at = ? \
             WHERE company_id = ? AND id = ? AND updated_at = ?",
        )
        .bind(reason)
        .bind(ts(now))
        .bind(company.to_string())
        .bind(id.to_string())
        .bind(ts(revision))
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn knowledge_stamp(&self, company: CompanyId) -> StorageResult<KnowledgeStamp> {
        let row = sqlx::query(
            "SELECT \
             (SELECT count(*) FROM knowledge_documents WHERE company_id = ?1 AND status = 'ready') \
               AS ready_documents, \
             (SELECT max(updated_at) FROM knowledge_documents \
               WHERE company_id = ?1 AND status = 'ready') AS documents_changed_at, \
             (SELECT count(*) FROM faqs WHERE company_id = ?1) AS faqs, \
             (SELECT max(updated_at) FROM faqs WHERE company_id = ?1) AS faqs_changed_at",
        )
        .bind(company.to_string())
        .fetch_one(&self.reader)
        .await
        .map_err(db_err)?;
        let time = |c: &str| -> StorageResult<Option<DateTime<Utc>>> {
            let t: Option<String> = row.try_get(c).map_err(db_err)?;
            t.as_deref().map(parse_ts).transpose()
        };
        Ok(KnowledgeStamp {
            ready_documents: row.try_get("ready_documents").map_err(db_err)?,
            documents_changed_at: time("documents_changed_at")?,
            faqs: row.try_get("faqs").map_err(db_err)?,
            faqs_changed_at: time("faqs_changed_at")?,
        })
    }

    async fn document_revisions(&self, company: CompanyId) -> StorageResult<Vec<DocumentRevision>> {
        let rows = sqlx::query(
            "SELECT id, status, updated_at FROM knowledge_documents WHERE company_id = ? \
             ORDER BY id",
        )
        .bind(company.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
                Ok(DocumentRevision {
                    id: DocumentId::from_uuid(parse_uuid(&text("id")?)?),
                    status: DocumentStatus::parse(&text("status")?)
                        .map_err(StorageError::corrupt)?,
                    updated_at: parse_ts(&text("updated_at")?)?,
                })
            })
            .collect()
    }

    async fn indexed_chunks(
        &self,
        company: CompanyId,
        documents: &[DocumentId],
    ) -> StorageResult<Vec<IndexedChunk>> {
        chunks::indexed(&self.reader, company, documents).await
    }

    async fn passages(
        &self,
        company: CompanyId,
        ids: &[ChunkId],
    ) -> StorageResult<Vec<PassageView>> {
        chunks::passages(&self.reader, company, ids).await
    }
}
