//! How SQLite writes and finds knowledge chunks: multi-row inserts in batches, and id lists
//! passed as JSON arrays.

use crate::db_err;
use crate::dialect::Lite;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use switchboard_domain::{CompanyId, DocumentId};
use switchboard_storage::StorageResult;
use switchboard_storage_sql::chunks::{ChunkDialect, ChunkRow};
use switchboard_storage_sql::{indexed_chunks_sql, passages_sql};

/// Rows per multi-row INSERT: 9 parameters each keeps a statement far below SQLite's
/// 32,766-parameter limit while turning 10,000 single-row round trips into 20.
const ROWS_PER_INSERT: usize = 500;

impl ChunkDialect for Lite {
    const INDEXED_CHUNKS: &'static str =
        indexed_chunks_sql!("c.document_id IN (SELECT value FROM json_each($2))");
    const PASSAGES: &'static str =
        passages_sql!("json_each($2) AS list CROSS JOIN knowledge_chunks c", "c.id = list.value");

    async fn insert_chunks(
        conn: &mut SqliteConnection,
        company: CompanyId,
        document: DocumentId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ChunkRow<'_>],
    ) -> StorageResult<()> {
        let (company, document, now) = (company.to_string(), document.to_string(), crate::ts(now));
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
                    .push_bind(row.embedding.as_ref().and(model))
                    .push_bind(now.as_str());
            });
            insert.build().execute(&mut *conn).await.map_err(db_err)?;
        }
        Ok(())
    }
}
