use crate::{SqliteBackend, db_err, embedding_bytes, parse_embedding, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{
    Faq, FaqContent, FaqStore, IndexedPhrasing, Page, PageRequest, PhrasingVector, StorageError,
    StorageResult,
};
use uuid::Uuid;

/// Rows per multi-row phrasing INSERT (6 parameters each), far below SQLite's limit.
const PHRASING_ROWS_PER_INSERT: usize = 500;

// A macro so that `concat!` can splice the column list into `&'static str` queries.
macro_rules! faq_columns {
    () => {
        "id, company_id, question, answer, variants, category, tags, enabled, created_at, \
         updated_at"
    };
}

fn string_list(row: &SqliteRow, col: &str) -> StorageResult<Vec<String>> {
    let raw: String = row.try_get(col).map_err(db_err)?;
    serde_json::from_str(&raw).map_err(|e| StorageError::corrupt(format!("bad {col} {raw:?}: {e}")))
}

fn faq_from_row(row: &SqliteRow) -> StorageResult<Faq> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    Ok(Faq {
        id: FaqId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        question: text("question")?,
        answer: text("answer")?,
        variants: string_list(row, "variants")?,
        category: row.try_get("category").map_err(db_err)?,
        tags: string_list(row, "tags")?,
        enabled: row.try_get("enabled").map_err(db_err)?,
        created_at: parse_ts(&text("created_at")?)?,
        updated_at: parse_ts(&text("updated_at")?)?,
    })
}

fn json_text(list: &[String]) -> StorageResult<String> {
    serde_json::to_string(list).map_err(StorageError::other)
}

/// Writes the phrasings in the order given. Their ids are UUIDv7, which this process hands
/// out in increasing order, so ordering by id reads them back in that order.
async fn insert_phrasings(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    faq: FaqId,
    model: Option<&str>,
    phrasings: &[PhrasingVector],
) -> StorageResult<()> {
    let (company, faq) = (company.to_string(), faq.to_string());
    for batch in phrasings.chunks(PHRASING_ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO faq_phrasings (id, company_id, faq_id, text, embedding, embedding_model) ",
        );
        insert.push_values(batch, |mut b, p| {
            b.push_bind(Uuid::now_v7().to_string())
                .push_bind(company.as_str())
                .push_bind(faq.as_str())
                .push_bind(p.text.as_str())
                .push_bind(p.embedding.as_deref().map(embedding_bytes))
                // The model names where a vector came from, so only rows with one carry it.
                .push_bind(p.embedding.as_ref().and(model));
        });
        insert.build().execute(&mut **tx).await.map_err(db_err)?;
    }
    Ok(())
}

async fn delete_phrasings(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    faq: FaqId,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM faq_phrasings WHERE company_id = ? AND faq_id = ?")
        .bind(company.to_string())
        .bind(faq.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl FaqStore for SqliteBackend {
    async fn create_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
        phrasings: Vec<PhrasingVector>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Faq> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let row = sqlx::query(concat!(
            "INSERT INTO faqs (id, company_id, question, answer, variants, category, tags, \
             enabled, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
             RETURNING ",
            faq_columns!()
        ))
        .bind(id.to_string())
        .bind(company.to_string())
        .bind(&content.question)
        .bind(&content.answer)
        .bind(json_text(&content.variants)?)
        .bind(&content.category)
        .bind(json_text(&content.tags)?)
        .bind(content.enabled)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let faq = faq_from_row(&row)?;
        insert_phrasings(&mut tx, company, id, embedding_model, &phrasings).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(faq)
    }

    async fn get_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<Faq> {
        let row = sqlx::query(concat!(
            "SELECT ",
            faq_columns!(),
            " FROM faqs WHERE company_id = ? AND id = ?"
        ))
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        faq_from_row(&row)
    }

    async fn list_faqs(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Faq>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            faq_columns!(),
            " FROM faqs WHERE company_id = ?1 AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3"
        ))
        .bind(company.to_string())
        .bind(page.after.as_ref().map(|c| c.as_str()))
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        let items = rows.iter().map(faq_from_row).collect::<StorageResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |f| f.id.to_string()))
    }

    async fn update_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
        phrasings: Vec<PhrasingVector>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Faq> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        let row = sqlx::query(concat!(
            "UPDATE faqs SET question = ?, answer = ?, variants = ?, category = ?, tags = ?, \
             enabled = ?, updated_at = ? WHERE company_id = ? AND id = ? RETURNING ",
            faq_columns!()
        ))
        .bind(&content.question)
        .bind(&content.answer)
        .bind(json_text(&content.variants)?)
        .bind(&content.category)
        .bind(json_text(&content.tags)?)
        .bind(content.enabled)
        .bind(ts(now))
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        let faq = faq_from_row(&row)?;
        delete_phrasings(&mut tx, company, id).await?;
        insert_phrasings(&mut tx, company, id, embedding_model, &phrasings).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(faq)
    }

    async fn delete_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<()> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        delete_phrasings(&mut tx, company, id).await?;
        let done = sqlx::query("DELETE FROM faqs WHERE company_id = ? AND id = ?")
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

    async fn faq_phrasings(&self, company: CompanyId) -> StorageResult<Vec<IndexedPhrasing>> {
        let rows = sqlx::query(
            "SELECT p.faq_id, p.text, p.embedding, p.embedding_model FROM faq_phrasings p \
             JOIN faqs f ON f.company_id = p.company_id AND f.id = p.faq_id \
             WHERE p.company_id = ? AND f.enabled ORDER BY p.faq_id, p.id",
        )
        .bind(company.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let embedding: Option<Vec<u8>> = row.try_get("embedding").map_err(db_err)?;
                Ok(IndexedPhrasing {
                    faq_id: FaqId::from_uuid(parse_uuid(
                        &row.try_get::<String, _>("faq_id").map_err(db_err)?,
                    )?),
                    text: row.try_get("text").map_err(db_err)?,
                    embedding: embedding.as_deref().map(parse_embedding).transpose()?,
                    embedding_model: row.try_get("embedding_model").map_err(db_err)?,
                })
            })
            .collect()
    }
}
