//! The chunks of knowledge documents: parent passages (what the responder cites) and their
//! child chunks (what search matches), written per indexing run and read for search.

use crate::{db_err, embedding_bytes, parse_embedding, parse_uuid};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;
use switchboard_domain::{ChunkId, CompanyId, DocumentId};
use switchboard_storage::{IndexedChunk, NewPassage, PassageView, StorageError, StorageResult};

/// Rows per multi-row INSERT: 9 parameters each keeps a statement far below SQLite's
/// 32,766-parameter limit while turning 10,000 single-row round trips into 20.
const ROWS_PER_INSERT: usize = 500;

/// One row as written: parents have no parent and no embedding.
struct ChunkRow<'a> {
    id: ChunkId,
    parent: Option<ChunkId>,
    ordinal: i64,
    text: &'a str,
    embedding: Option<Vec<u8>>,
}

pub(crate) async fn delete(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM knowledge_chunks WHERE company_id = ? AND document_id = ?")
        .bind(company.to_string())
        .bind(document.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Writes every passage, then every child (whose parent_id must already exist), stamped
/// `now`; children with a vector carry `model`.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    document: DocumentId,
    model: Option<&str>,
    passages: &[NewPassage],
    now: &str,
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
    insert_rows(tx, company, document, None, now, &parents).await?;
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
    insert_rows(tx, company, document, model, now, &children).await
}

async fn insert_rows(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    document: DocumentId,
    model: Option<&str>,
    now: &str,
    rows: &[ChunkRow<'_>],
) -> StorageResult<()> {
    let (company, document) = (company.to_string(), document.to_string());
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO knowledge_chunks (id, company_id, document_id, parent_id, ordinal, \
             text, embedding, embedding_model, created_at) ",
        );
        insert.push_values(batch, |mut b, row| {
            b.push_bind(row.id.to_string())
                .push_bind(company.as_str())
                .push_bind(document.as_str())
                .push_bind(row.parent.map(|p| p.to_string()))
                .push_bind(row.ordinal)
                .push_bind(row.text)
                .push_bind(row.embedding.as_deref())
                // The model names where a vector came from, so only rows with one carry it.
                .push_bind(row.embedding.as_ref().and(model))
                .push_bind(now);
        });
        insert.build().execute(&mut **tx).await.map_err(db_err)?;
    }
    Ok(())
}

fn id_list<T: ToString>(ids: &[T]) -> StorageResult<String> {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    serde_json::to_string(&ids).map_err(StorageError::other)
}

fn uuid_col(row: &SqliteRow, col: &str) -> StorageResult<uuid::Uuid> {
    parse_uuid(&row.try_get::<String, _>(col).map_err(db_err)?)
}

/// The children of `documents`, by document, then in reading order: child ordinals restart
/// in each passage, so the parent's ordinal comes first.
pub(crate) async fn indexed(
    reader: &SqlitePool,
    company: CompanyId,
    documents: &[DocumentId],
) -> StorageResult<Vec<IndexedChunk>> {
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT c.id, c.document_id, c.parent_id, c.text, c.embedding, c.embedding_model \
         FROM knowledge_chunks c JOIN knowledge_chunks p \
           ON p.company_id = c.company_id AND p.id = c.parent_id \
         WHERE c.company_id = ? AND c.document_id IN (SELECT value FROM json_each(?)) \
         ORDER BY c.document_id, p.ordinal, c.ordinal, c.id",
    )
    .bind(company.to_string())
    .bind(id_list(documents)?)
    .fetch_all(reader)
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|row| {
            let embedding: Option<Vec<u8>> = row.try_get("embedding").map_err(db_err)?;
            Ok(IndexedChunk {
                id: ChunkId::from_uuid(uuid_col(row, "id")?),
                document_id: DocumentId::from_uuid(uuid_col(row, "document_id")?),
                parent_id: ChunkId::from_uuid(uuid_col(row, "parent_id")?),
                text: row.try_get("text").map_err(db_err)?,
                embedding: embedding.as_deref().map(parse_embedding).transpose()?,
                embedding_model: row.try_get("embedding_model").map_err(db_err)?,
            })
        })
        .collect()
}

/// The matched children `ids` with their parent passage and document title, in the order
/// asked; ids that match no child of the company are left out.
pub(crate) async fn passages(
    reader: &SqlitePool,
    company: CompanyId,
    ids: &[ChunkId],
) -> StorageResult<Vec<PassageView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT c.id, c.document_id, d.title, c.text AS matched_text, p.text AS passage_text \
         FROM knowledge_chunks c \
         JOIN knowledge_chunks p ON p.company_id = c.company_id AND p.id = c.parent_id \
         JOIN knowledge_documents d ON d.company_id = c.company_id AND d.id = c.document_id \
         WHERE c.company_id = ? AND c.id IN (SELECT value FROM json_each(?))",
    )
    .bind(company.to_string())
    .bind(id_list(ids)?)
    .fetch_all(reader)
    .await
    .map_err(db_err)?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in &rows {
        let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
        let view = PassageView {
            chunk_id: ChunkId::from_uuid(uuid_col(row, "id")?),
            document_id: DocumentId::from_uuid(uuid_col(row, "document_id")?),
            title: text("title")?,
            matched_text: text("matched_text")?,
            passage_text: text("passage_text")?,
        };
        found.insert(view.chunk_id, view);
    }
    Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
}
