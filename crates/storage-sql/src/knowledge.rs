//! Knowledge documents, their indexing runs and the stamps search caches key on.

use crate::chunks::{self, ChunkDialect};
use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{ChunkId, CompanyId, DocumentFormat, DocumentId, DocumentStatus, JobId};
use switchboard_storage::{
    DocumentRevision, DocumentSummary, DocumentUpdate, IndexedChunk, KnowledgeDocument,
    KnowledgeStamp, NewDocument, NewPassage, Page, PageRequest, PassageView, StorageError,
    StorageResult,
};

/// The job that (re)builds a document's chunks; its payload names the document.
const INDEX_DOCUMENT: &str = "index_document";

macro_rules! summary_columns {
    () => {
        "id, company_id, title, format, source_name, status, error, chunk_count, created_at, \
         updated_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO knowledge_documents (id, company_id, title, format, content, source_name, \
     status, chunk_count, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 'processing', 0, $7, $7) RETURNING ",
    summary_columns!()
);

const SELECT_WITH_CONTENT: &str = concat!(
    "SELECT ",
    summary_columns!(),
    ", content FROM knowledge_documents WHERE company_id = $1 AND id = $2"
);

const LIST: &str = concat!(
    "SELECT ",
    summary_columns!(),
    " FROM knowledge_documents WHERE company_id = $1 AND ($2 IS NULL OR id > $2) \
     ORDER BY id LIMIT $3"
);

const REPLACE_CONTENT: &str = concat!(
    "UPDATE knowledge_documents SET title = COALESCE($1, title), format = $2, content = $3, \
     source_name = $4, status = 'processing', error = NULL, chunk_count = 0, updated_at = $5 \
     WHERE company_id = $6 AND id = $7 RETURNING ",
    summary_columns!()
);

const RENAME: &str = concat!(
    "UPDATE knowledge_documents SET title = COALESCE($1, title), updated_at = $2 \
     WHERE company_id = $3 AND id = $4 RETURNING ",
    summary_columns!()
);

// `->>` with a plain label reads the same in PostgreSQL (jsonb) and SQLite (3.38 and later).
const INDEXING_WAITS: &str = "SELECT 1 FROM jobs WHERE company_id = $1 AND kind = $2 \
     AND status = 'queued' AND payload->>'documentId' = $3 LIMIT 1";

const DELETE: &str = "DELETE FROM knowledge_documents WHERE company_id = $1 AND id = $2";

const COMPLETE: &str = "UPDATE knowledge_documents SET status = 'ready', error = NULL, \
     chunk_count = $1, updated_at = $2 WHERE company_id = $3 AND id = $4 AND updated_at = $5";

const FAIL: &str = "UPDATE knowledge_documents SET status = 'failed', error = $1, \
     updated_at = $2 WHERE company_id = $3 AND id = $4 AND updated_at = $5";

const STAMP: &str = "SELECT \
     (SELECT count(*) FROM knowledge_documents WHERE company_id = $1 AND status = 'ready') \
       AS ready_documents, \
     (SELECT max(updated_at) FROM knowledge_documents \
       WHERE company_id = $1 AND status = 'ready') AS documents_changed_at, \
     (SELECT count(*) FROM faqs WHERE company_id = $1) AS faqs, \
     (SELECT max(updated_at) FROM faqs WHERE company_id = $1) AS faqs_changed_at";

const REVISIONS: &str = "SELECT id, status, updated_at FROM knowledge_documents \
     WHERE company_id = $1 ORDER BY id";

fn summary_from_row(row: &impl SqlRow) -> StorageResult<DocumentSummary> {
    Ok(DocumentSummary {
        id: DocumentId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        title: row.text("title")?,
        format: DocumentFormat::parse(&row.text("format")?).map_err(StorageError::corrupt)?,
        source_name: row.opt_text("source_name")?,
        status: DocumentStatus::parse(&row.text("status")?).map_err(StorageError::corrupt)?,
        error: row.opt_text("error")?,
        chunk_count: i64::from(row.int("chunk_count")?),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn ids(company: CompanyId, id: DocumentId) -> Binds {
    Binds::new().id(company.as_uuid()).id(id.as_uuid())
}

async fn queue_indexing<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    job: JobId,
    document: DocumentId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let payload = serde_json::json!({ "documentId": document.to_string() });
    crate::job::queue::<D>(conn, company, job, INDEX_DOCUMENT, &payload, now).await
}

/// Whether an indexing job for `document` is still waiting to be claimed: such a job will
/// read the document's current revision when it runs.
async fn indexing_waits<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<bool> {
    let binds = Binds::new().id(company.as_uuid()).text(INDEX_DOCUMENT).text(document.to_string());
    Ok(D::fetch_optional(conn, INDEXING_WAITS, binds).await?.is_some())
}

/// The document and its indexing job; run it in one transaction.
pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    doc: NewDocument,
) -> StorageResult<DocumentSummary> {
    let binds = Binds::new()
        .id(doc.id.as_uuid())
        .id(company.as_uuid())
        .text(&doc.title)
        .text(doc.format.as_str())
        .text(&doc.content)
        .opt_text(doc.source_name.as_deref())
        .time(doc.created_at);
    let summary = summary_from_row(&D::fetch_one(conn, INSERT, binds).await?)?;
    queue_indexing::<D>(conn, company, doc.job_id, doc.id, doc.created_at).await?;
    Ok(summary)
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: DocumentId,
) -> StorageResult<KnowledgeDocument> {
    let row = D::fetch_one(conn, SELECT_WITH_CONTENT, ids(company, id)).await?;
    Ok(KnowledgeDocument { summary: summary_from_row(&row)?, content: row.text("content")? })
}

pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<DocumentSummary>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(summary_from_row).collect::<StorageResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page.limit, |d| d.id.to_string()))
}

/// Run it in one transaction.
pub async fn update<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: DocumentId,
    update: DocumentUpdate,
) -> StorageResult<DocumentSummary> {
    let title = Binds::new().opt_text(update.title.as_deref());
    let row = match &update.content {
        Some(new) => {
            let binds = title
                .text(new.format.as_str())
                .text(&new.content)
                .opt_text(new.source_name.as_deref())
                .time(update.updated_at)
                .id(company.as_uuid())
                .id(id.as_uuid());
            D::fetch_one(conn, REPLACE_CONTENT, binds).await?
        }
        None => {
            let binds = title.time(update.updated_at).id(company.as_uuid()).id(id.as_uuid());
            D::fetch_one(conn, RENAME, binds).await?
        }
    };
    let summary = summary_from_row(&row)?;
    // New content needs a new index. A title-only change needs none, except that it moves
    // the revision: an indexing run already under way would then be refused and leave the
    // document processing for good, so it is re-queued unless a job still waits anyway.
    let requeue = update.content.is_some()
        || (summary.status == DocumentStatus::Processing
            && !indexing_waits::<D>(conn, company, id).await?);
    if requeue {
        queue_indexing::<D>(conn, company, update.job_id, id, update.updated_at).await?;
    }
    Ok(summary)
}

/// Run it in one transaction.
pub async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: DocumentId,
) -> StorageResult<()> {
    chunks::delete::<D>(conn, company, id).await?;
    match D::execute(conn, DELETE, ids(company, id)).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

/// Lands an indexing run of `revision`, or writes nothing and answers `false` when the
/// document changed since. Run it in one transaction: the guard comes first and (on
/// PostgreSQL) locks the row, so an edit arriving meanwhile waits for it, and a stale run's
/// transaction is simply dropped.
pub async fn complete_indexing<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: DocumentId,
    revision: DateTime<Utc>,
    embedding_model: Option<&str>,
    passages: Vec<NewPassage>,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let children: usize = passages.iter().map(|p| p.children.len()).sum();
    let children = i32::try_from(children).map_err(StorageError::other)?;
    let binds =
        Binds::new().int(children).time(now).id(company.as_uuid()).id(id.as_uuid()).time(revision);
    if D::execute(conn, COMPLETE, binds).await? == 0 {
        return Ok(false);
    }
    chunks::delete::<D>(conn, company, id).await?;
    chunks::insert::<D>(conn, company, id, embedding_model, &passages, now).await?;
    Ok(true)
}

pub async fn fail_indexing<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: DocumentId,
    revision: DateTime<Utc>,
    reason: &str,
    now: DateTime<Utc>,
) -> StorageResult<bool> {
    let binds =
        Binds::new().text(reason).time(now).id(company.as_uuid()).id(id.as_uuid()).time(revision);
    Ok(D::execute(conn, FAIL, binds).await? == 1)
}

pub async fn stamp<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<KnowledgeStamp> {
    let row = D::fetch_one(conn, STAMP, Binds::new().id(company.as_uuid())).await?;
    Ok(KnowledgeStamp {
        ready_documents: row.big("ready_documents")?,
        documents_changed_at: row.opt_time("documents_changed_at")?,
        faqs: row.big("faqs")?,
        faqs_changed_at: row.opt_time("faqs_changed_at")?,
    })
}

pub async fn revisions<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
) -> StorageResult<Vec<DocumentRevision>> {
    let rows = D::fetch_all(conn, REVISIONS, Binds::new().id(company.as_uuid())).await?;
    rows.iter()
        .map(|row| {
            Ok(DocumentRevision {
                id: DocumentId::from_uuid(row.id("id")?),
                status: DocumentStatus::parse(&row.text("status")?)
                    .map_err(StorageError::corrupt)?,
                updated_at: row.time("updated_at")?,
            })
        })
        .collect()
}

pub async fn indexed_chunks<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    documents: &[DocumentId],
) -> StorageResult<Vec<IndexedChunk>> {
    chunks::indexed::<D>(conn, company, documents).await
}

pub async fn passages<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    ids: &[ChunkId],
) -> StorageResult<Vec<PassageView>> {
    chunks::passages::<D>(conn, company, ids).await
}
