use crate::dialect::Pg;
use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{
    Faq, FaqContent, FaqStore, IndexedPhrasing, Page, PageRequest, PhrasingVector, StorageResult,
};
use switchboard_storage_sql::faq::{self, FaqDialect, PhrasingRow};

/// PostgreSQL: one `UNNEST` insert whatever the number of rows.
impl FaqDialect for Pg {
    async fn insert_phrasings(
        conn: &mut PgConnection,
        company: CompanyId,
        faq: FaqId,
        model: Option<&str>,
        rows: &[PhrasingRow<'_>],
    ) -> StorageResult<()> {
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        let texts: Vec<&str> = rows.iter().map(|r| r.text).collect();
        let embeddings: Vec<Option<&[u8]>> = rows.iter().map(|r| r.embedding.as_deref()).collect();
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
        self.as_tenant(company, async |tx| {
            faq::create::<Pg>(tx, company, id, content, phrasings, embedding_model, now).await
        })
        .await
    }

    async fn get_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<Faq> {
        self.as_tenant(company, async |tx| faq::get::<Pg>(tx, company, id).await).await
    }

    async fn list_faqs(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Faq>> {
        self.as_tenant(company, async |tx| faq::list::<Pg>(tx, company, page).await).await
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
        self.as_tenant(company, async |tx| {
            faq::update::<Pg>(tx, company, id, content, phrasings, embedding_model, now).await
        })
        .await
    }

    async fn delete_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<()> {
        self.as_tenant(company, async |tx| faq::delete::<Pg>(tx, company, id).await).await
    }

    async fn faq_phrasings(&self, company: CompanyId) -> StorageResult<Vec<IndexedPhrasing>> {
        self.as_tenant(company, async |tx| faq::phrasings::<Pg>(tx, company).await).await
    }
}
