//! How PostgreSQL writes and finds knowledge chunks: one `UNNEST` insert per batch of rows,
//! and id lists as `uuid[]`.

use crate::db_err;
use crate::dialect::Pg;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use switchboard_domain::{CompanyId, DocumentId};
use switchboard_storage::StorageResult;
use switchboard_storage_sql::chunks::{ChunkDialect, ChunkRow};
use switchboard_storage_sql::{indexed_chunks_sql, passages_sql};

impl ChunkDialect for Pg {
    const INDEXED_CHUNKS: &'static str = indexed_chunks_sql!("c.document_id = ANY($2)");
    const PASSAGES: &'static str = passages_sql!("knowledge_chunks c", "c.id = ANY($2)");

    /// Rows as parallel columns, written by one `UNNEST` insert whatever their number.
    async fn insert_chunks(
        conn: &mut PgConnection,
        company: CompanyId,
        document: DocumentId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ChunkRow<'_>],
    ) -> StorageResult<()> {
        let ids: Vec<_> = rows.iter().map(|r| r.id.as_uuid()).collect();
        let parents: Vec<_> = rows.iter().map(|r| r.parent.map(|p| p.as_uuid())).collect();
        let ordinals: Vec<i64> = rows.iter().map(|r| r.ordinal).collect();
        let texts: Vec<&str> = rows.iter().map(|r| r.text).collect();
        let embeddings: Vec<Option<&[u8]>> = rows.iter().map(|r| r.embedding.as_deref()).collect();
        sqlx::query(
            "INSERT INTO knowledge_chunks (id, company_id, document_id, parent_id, ordinal, \
             text, embedding, embedding_model, created_at) \
             SELECT u.id, $1, $2, u.parent_id, u.ordinal, u.text, u.embedding, \
               CASE WHEN u.embedding IS NULL THEN NULL ELSE $3::text END, $4 \
             FROM UNNEST($5::uuid[], $6::uuid[], $7::int8[], $8::text[], $9::bytea[]) \
               AS u(id, parent_id, ordinal, text, embedding)",
        )
        .bind(company.as_uuid())
        .bind(document.as_uuid())
        .bind(model)
        .bind(now)
        .bind(ids)
        .bind(parents)
        .bind(ordinals)
        .bind(texts)
        .bind(embeddings)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
