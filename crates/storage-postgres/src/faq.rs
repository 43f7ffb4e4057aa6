use crate::{PostgresBackend, db_err, embedding_bytes, parse_embedding};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{
    Faq, FaqContent, FaqStore, IndexedPhrasing, Page, PageRequest, PhrasingVector, StorageError,
    StorageResult,
};
use uuid::Uuid;

// A macro so that `concat!` can splice the column list into `&'static str` queries.
macro_rules! faq_columns {
    () => {
        "id, company_id, question, answer, variants, category, tags, enabled, created_at, \
         updated_at"
    };
}

fn faq_from_row(row: &PgRow) -> StorageResult<Faq> {
    let variants: Json<Vec<String>> = row.try_get("variants").map_err(db_err)?;
    let tags: Json<Vec<String>> = row.try_get("tags").map_err(db_err)?;
    Ok(Faq {
        id: FaqId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        question: row.try_get("question").map_err(db_err)?,
        answer: row.try_get("answer").map_err(db_err)?,
        variants: variants.0,
        category: row.try_get("category").map_err(db_err)?,
        tags: tags.0,
        enabled: row.try_get("enabled").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        updated_at: row.try_get("updated_at").map_err(db_err)?,
    })
}

/// Writes the phrasings in the order given, in one `UNNEST` insert. Their ids are UUIDv7,
/// which this process hands out in increasing order, so ordering by id reads them back in
/// that order.
async fn insert_phrasings(
    conn: &mut PgConnection,
    company: CompanyId,
    faq: FaqId,
    model: Option<&str>,
    phrasings: &[PhrasingVector],
) -> StorageResult<()> {
    if phrasings.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = phrasings.iter().map(|_| Uuid::now_v7()).collect();
    let texts: Vec<&str> = phrasings.iter().map(|p| p.text.as_str()).collect();
    let embeddings: Vec<Option<Vec<u8>>> =
        phrasings.iter().map(|p| p.embedding.as_deref().map(embedding_bytes)).collect();
    // The model names where a vector came from, so only rows with one carry it.
    sqlx::query(
        "INSERT INTO faq_phrasings (id, company_id, faq_id, text, embedding, embedding_model) \
         SELECT u.id, $1, $2, u.text, u.embedding, \
           CASE WHEN u.embedding IS NULL THEN NULL ELSE $3::text END \
         FROM UNNEST($4::uuid[], $5::text[], $6::bytea[]) AS u(id, text, embedding)",
    )
    .bind(company.as_uuid())
    .bind(faq.as_uuid())
    .bind(model)
    .bind(ids)
    .bind(texts)
    .bind(embeddings)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

async fn delete_phrasings(
    conn: &mut PgConnection,
    company: CompanyId,
    faq: FaqId,
) -> StorageResult<()> {
    sqlx::query("DELETE FROM faq_phrasings WHERE company_id = $1 AND faq_id = $2")
        .bind(company.as_uuid())
        .bind(faq.as_uuid())
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl FaqStore for PostgresBackend {
    async fn create_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
        phrasings: Vec<PhrasingVector>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Faq> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO faqs (id, company_id, question, answer, variants, category, tags, \
             enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             RETURNING ",
            faq_columns!()
        ))
        .bind(id.as_uuid())
        .bind(company.as_uuid())
        .bind(&content.question)
        .bind(&content.answer)
        .bind(Json(&content.variants))
        .bind(&content.category)
        .bind(Json(&content.tags))
        .bind(content.enabled)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let faq = faq_from_row(&row)?;
        insert_phrasings(&mut tx, company, id, embedding_model, &phrasings).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(faq)
    }

    async fn get_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<Faq> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            faq_columns!(),
            " FROM faqs WHERE company_id = $1 AND id = $2"
        ))
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        faq_from_row(&row)
    }

    async fn list_faqs(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Faq>> {
        // A cursor that is not a UUID matches nothing: it cannot have come from this list.
        let after = match page.after.as_ref().map(|c| Uuid::parse_str(c.as_str())) {
            Some(Err(_)) => return Ok(Page { items: vec![], next_cursor: None }),
            Some(Ok(u)) => Some(u),
            None => None,
        };
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            faq_columns!(),
            " FROM faqs WHERE company_id = $1 AND ($2::uuid IS NULL OR id > $2) \
             ORDER BY id LIMIT $3"
        ))
        .bind(company.as_uuid())
        .bind(after)
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
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
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "UPDATE faqs SET question = $1, answer = $2, variants = $3, category = $4, \
             tags = $5, enabled = $6, updated_at = $7 WHERE company_id = $8 AND id = $9 \
             RETURNING ",
            faq_columns!()
        ))
        .bind(&content.question)
        .bind(&content.answer)
        .bind(Json(&content.variants))
        .bind(&content.category)
        .bind(Json(&content.tags))
        .bind(content.enabled)
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
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
        let mut tx = self.tenant_tx(company).await?;
        delete_phrasings(&mut tx, company, id).await?;
        let done = sqlx::query("DELETE FROM faqs WHERE company_id = $1 AND id = $2")
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

    async fn faq_phrasings(&self, company: CompanyId) -> StorageResult<Vec<IndexedPhrasing>> {
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(
            "SELECT p.faq_id, p.text, p.embedding, p.embedding_model FROM faq_phrasings p \
             JOIN faqs f ON f.company_id = p.company_id AND f.id = p.faq_id \
             WHERE p.company_id = $1 AND f.enabled ORDER BY p.faq_id, p.id",
        )
        .bind(company.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        rows.iter()
            .map(|row| {
                let embedding: Option<Vec<u8>> = row.try_get("embedding").map_err(db_err)?;
                Ok(IndexedPhrasing {
                    faq_id: FaqId::from_uuid(row.try_get("faq_id").map_err(db_err)?),
                    text: row.try_get("text").map_err(db_err)?,
                    embedding: embedding.as_deref().map(parse_embedding).transpose()?,
                    embedding_model: row.try_get("embedding_model").map_err(db_err)?,
                })
            })
            .collect()
    }
}
