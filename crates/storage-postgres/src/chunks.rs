//! The chunks of knowledge documents: parent passages (what the responder cites) and their
//! child chunks (what search matches), written per indexing run and read for search. Every
//! function works inside the caller's tenant transaction.

use crate::{db_err, embedding_bytes, parse_embedding};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};
use std::collections::HashMap;
use switchboard_domain::{ChunkId, CompanyId, DocumentId};
use switchboard_storage::{IndexedChunk, NewPassage, PassageView, StorageResult};
use uuid::Uuid;

/// Rows as parallel columns, written by one `UNNEST` insert whatever their number.
#[derive(Default)]
struct ChunkColumns<'a> {
    ids: Vec<Uuid>,
    parents: Vec<Option<Uuid>>,
    ordinals: Vec<i64>,
    texts: Vec<&'a str>,
    embeddings: Vec<Option<Vec<u8>>>,
}

pub(crate) async fn delete(
    conn: &mut PgConnection,
    company: CompanyId,
    document: DocumentId,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM knowledge_chunks WHERE company_id = $1 AND document_id = $2")
        .bind(company.as_uuid())
        .bind(document.as_uuid())
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Writes every passage, then every child (whose parent_id must already exist), stamped
/// `now`; children with a vector carry `model`.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    company: CompanyId,
    document: DocumentId,
    model: Option<&str>,
    passages: &[NewPassage],
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let mut parents = ChunkColumns::default();
    let mut children = ChunkColumns::default();
    for p in passages {
        parents.ids.push(p.id.as_uuid());
        parents.parents.push(None);
        parents.ordinals.push(p.ordinal);
        parents.texts.push(&p.text);
        parents.embeddings.push(None);
        for c in &p.children {
            children.ids.push(c.id.as_uuid());
            children.parents.push(Some(p.id.as_uuid()));
            children.ordinals.push(c.ordinal);
            children.texts.push(&c.text);
            children.embeddings.push(c.embedding.as_deref().map(embedding_bytes));
        }
    }
    insert_columns(conn, company, document, None, now, parents).await?;
    insert_columns(conn, company, document, model, now, children).await
}

async fn insert_columns(
    conn: &mut PgConnection,
    company: CompanyId,
    document: DocumentId,
    model: Option<&str>,
    now: DateTime<Utc>,
    rows: ChunkColumns<'_>,
) -> StorageResult<()> {
    // The model names where a vector came from, so only rows with one carry it.
    sqlx::query(
        "INSERT INTO knowledge_chunks (id, company_id, document_id, parent_id, ordinal, text, \
         embedding, embedding_model, created_at) \
         SELECT u.id, $1, $2, u.parent_id, u.ordinal, u.text, u.embedding, \
           CASE WHEN u.embedding IS NULL THEN NULL ELSE $3::text END, $4 \
         FROM UNNEST($5::uuid[], $6::uuid[], $7::int8[], $8::text[], $9::bytea[]) \
           AS u(id, parent_id, ordinal, text, embedding)",
    )
    .bind(company.as_uuid())
    .bind(document.as_uuid())
    .bind(model)
    .bind(now)
    .bind(rows.ids)
    .bind(rows.parents)
    .bind(rows.ordinals)
    .bind(rows.texts)
    .bind(rows.embeddings)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The children of `documents`, by document, then in reading order: child ordinals restart
/// in each passage, so the parent's ordinal comes first.
pub(crate) async fn indexed(
    conn: &mut PgConnection,
    company: CompanyId,
    documents: &[DocumentId],
) -> StorageResult<Vec<IndexedChunk>> {
    let ids: Vec<Uuid> = documents.iter().map(DocumentId::as_uuid).collect();
    let rows = sqlx::query(
        "SELECT c.id, c.document_id, c.parent_id, c.text, c.embedding, c.embedding_model \
         FROM knowledge_chunks c JOIN knowledge_chunks p \
           ON p.company_id = c.company_id AND p.id = c.parent_id \
         WHERE c.company_id = $1 AND c.document_id = ANY($2) \
         ORDER BY c.document_id, p.ordinal, c.ordinal, c.id",
    )
    .bind(company.as_uuid())
    .bind(ids)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|row| {
            let embedding: Option<Vec<u8>> = row.try_get("embedding").map_err(db_err)?;
            Ok(IndexedChunk {
                id: ChunkId::from_uuid(row.try_get("id").map_err(db_err)?),
                document_id: DocumentId::from_uuid(row.try_get("document_id").map_err(db_err)?),
                parent_id: ChunkId::from_uuid(row.try_get("parent_id").map_err(db_err)?),
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
    conn: &mut PgConnection,
    company: CompanyId,
    ids: &[ChunkId],
) -> StorageResult<Vec<PassageView>> {
    let asked: Vec<Uuid> = ids.iter().map(ChunkId::as_uuid).collect();
    let rows = sqlx::query(
        "SELECT c.id, c.document_id, d.title, c.text AS matched_text, p.text AS passage_text \
         FROM knowledge_chunks c \
         JOIN knowledge_chunks p ON p.company_id = c.company_id AND p.id = c.parent_id \
         JOIN knowledge_documents d ON d.company_id = c.company_id AND d.id = c.document_id \
         WHERE c.company_id = $1 AND c.id = ANY($2)",
    )
    .bind(company.as_uuid())
    .bind(asked)
    .fetch_all(conn)
    .await
    .map_err(db_err)?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in &rows {
        let view = PassageView {
            chunk_id: ChunkId::from_uuid(row.try_get("id").map_err(db_err)?),
            document_id: DocumentId::from_uuid(row.try_get("document_id").map_err(db_err)?),
            title: row.try_get("title").map_err(db_err)?,
            matched_text: row.try_get("matched_text").map_err(db_err)?,
            passage_text: row.try_get("passage_text").map_err(db_err)?,
        };
        found.insert(view.chunk_id, view);
    }
    Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
}
