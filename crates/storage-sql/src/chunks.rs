//! The chunks of knowledge documents: parent passages (what the responder cites) and their
//! child chunks (what search matches), written per indexing run and read for search. Every
//! function works inside the caller's transaction.

use crate::{Binds, Dialect, SqlRow, Value, embedding_bytes, parse_embedding};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::future::Future;
use switchboard_domain::{ChunkId, CompanyId, DocumentId};
use switchboard_storage::{IndexedChunk, NewPassage, PassageView, StorageResult};

/// What chunks need from an engine: a bulk insert, and the two reads that test membership
/// in an id list (`= ANY($2)` on PostgreSQL, rows of `json_each($2)` on SQLite), built with [`indexed_chunks_sql`](crate::indexed_chunks_sql) and
/// [`passages_sql`](crate::passages_sql).
pub trait ChunkDialect: Dialect {
    const INDEXED_CHUNKS: &'static str;
    const PASSAGES: &'static str;

    /// Writes `rows` of one document, stamped `now`. The model names where a vector came
    /// from, so only rows with an embedding carry it.
    fn insert_chunks(
        conn: &mut Self::Conn,
        company: CompanyId,
        document: DocumentId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ChunkRow<'_>],
    ) -> impl Future<Output = StorageResult<()>> + Send;
}

/// The children of the documents in the id list `$2`, by document, then in reading order:
/// child ordinals restart in each passage, so the parent's ordinal comes first. The
/// argument is the engine's membership test of `c.document_id` in `$2`.
#[macro_export]
macro_rules! indexed_chunks_sql {
    ($document_in_list:literal) => {
        concat!(
            "SELECT c.id, c.document_id, c.parent_id, c.text, c.embedding, c.embedding_model \
             FROM knowledge_chunks c JOIN knowledge_chunks p \
               ON p.company_id = c.company_id AND p.id = c.parent_id \
             WHERE c.company_id = $1 AND ",
            $document_in_list,
            " ORDER BY c.document_id, p.ordinal, c.ordinal, c.id"
        )
    };
}

/// The children in the id list `$2` with their passage and document title. The first
/// argument is where the child rows `c` come from and the second the engine's membership
/// test of `c.id` in `$2`: SQLite must be told to start from the list (a `CROSS JOIN`
/// fixes its join order), or it walks every chunk of the company and tests each against the
/// list, which over 10,000 chunks costs a hundred times the primary-key lookups.
#[macro_export]
macro_rules! passages_sql {
    ($chunks_from:literal, $chunk_in_list:literal) => {
        concat!(
            "SELECT c.id, c.document_id, d.title, c.text AS matched_text, \
               p.text AS passage_text \
             FROM ",
            $chunks_from,
            " JOIN knowledge_chunks p ON p.company_id = c.company_id AND p.id = c.parent_id \
             JOIN knowledge_documents d \
               ON d.company_id = c.company_id AND d.id = c.document_id \
             WHERE c.company_id = $1 AND ",
            $chunk_in_list
        )
    };
}

/// One row as written: passages have no parent and no embedding.
pub struct ChunkRow<'a> {
    pub id: ChunkId,
    pub parent: Option<ChunkId>,
    pub ordinal: i64,
    pub text: &'a str,
    pub embedding: Option<Vec<u8>>,
}

const DELETE: &str = "DELETE FROM knowledge_chunks WHERE company_id = $1 AND document_id = $2";

pub(crate) async fn delete<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<()> {
    let binds = Binds::new().id(company.as_uuid()).id(document.as_uuid());
    D::execute(conn, DELETE, binds).await.map(|_| ())
}

/// Writes every passage, then every child (whose parent must already exist).
pub(crate) async fn insert<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    document: DocumentId,
    model: Option<&str>,
    passages: &[NewPassage],
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let parents: Vec<ChunkRow<'_>> = passages
        .iter()
        .map(|p| ChunkRow {
            id: p.id,
            parent: None,
            ordinal: p.ordinal,
            text: &p.text,
            embedding: None,
        })
        .collect();
    D::insert_chunks(conn, company, document, None, now, &parents).await?;
    let children: Vec<ChunkRow<'_>> = passages
        .iter()
        .flat_map(|p| {
            p.children.iter().map(|c| ChunkRow {
                id: c.id,
                parent: Some(p.id),
                ordinal: c.ordinal,
                text: &c.text,
                embedding: c.embedding.as_deref().map(embedding_bytes),
            })
        })
        .collect();
    D::insert_chunks(conn, company, document, model, now, &children).await
}

pub(crate) async fn indexed<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    documents: &[DocumentId],
) -> StorageResult<Vec<IndexedChunk>> {
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let list = Value::Ids(documents.iter().map(DocumentId::as_uuid).collect());
    let rows = D::fetch_all(conn, D::INDEXED_CHUNKS, Binds::new().id(company.as_uuid()).push(list))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(IndexedChunk {
                id: ChunkId::from_uuid(row.id("id")?),
                document_id: DocumentId::from_uuid(row.id("document_id")?),
                parent_id: ChunkId::from_uuid(row.id("parent_id")?),
                text: row.text("text")?,
                embedding: row
                    .opt_bytes("embedding")?
                    .as_deref()
                    .map(parse_embedding)
                    .transpose()?,
                embedding_model: row.opt_text("embedding_model")?,
            })
        })
        .collect()
}

/// The matched children `ids` in the order asked; ids that match no child of the company
/// are left out.
pub(crate) async fn passages<D: ChunkDialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    ids: &[ChunkId],
) -> StorageResult<Vec<PassageView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = Value::Ids(ids.iter().map(ChunkId::as_uuid).collect());
    let rows =
        D::fetch_all(conn, D::PASSAGES, Binds::new().id(company.as_uuid()).push(list)).await?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in &rows {
        let view = PassageView {
            chunk_id: ChunkId::from_uuid(row.id("id")?),
            document_id: DocumentId::from_uuid(row.id("document_id")?),
            title: row.text("title")?,
            matched_text: row.text("matched_text")?,
            passage_text: row.text("passage_text")?,
        };
        found.insert(view.chunk_id, view);
    }
    Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
}
