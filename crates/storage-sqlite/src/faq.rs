use crate::dialect::Lite;
use crate::{SqliteBackend, db_err};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Rows per multi-row phrasing INSERT (6 parameters each), far below SQLite's limit.
const PHRASING_ROWS_PER_INSERT: usize = 500;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{
    Faq, FaqContent, FaqStore, IndexedPhrasing, Page, PageRequest, PhrasingVector, StorageResult,
};
use switchboard_storage_sql::faq::{self, FaqDialect, PhrasingRow};

/// SQLite: multi-row inserts in batches.
impl FaqDialect for Lite {
    async fn insert_phrasings(
        conn: &mut SqliteConnection,
        company: CompanyId,
        faq: FaqId,
        model: Option<&str>,
        rows: &[PhrasingRow<'_>],
    ) -> StorageResult<()> {
        let (company, faq) = (company.to_string(), faq.to_string());
        for batch in rows.chunks(PHRASING_ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO faq_phrasings (id, company_id, faq_id, text, embedding, \
                 embedding_model) ",
            );
            insert.push_values(batch, |mut b, p| {
                b.push_bind(p.id.to_string())
                    .push_bind(company.as_str())
                    .push_bind(faq.as_str())
                    .push_bind(p.text)
                    .push_bind(p.embedding.as_deref())
                    .push_bind(p.embedding.as_ref().and(model));
            });
            insert.build().execute(&mut *conn).await.map_err(db_err)?;
        }
        Ok(())
    }
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
        self.in_tx(async |tx| {
            faq::create::<Lite>(tx, company, id, content, phrasings, embedding_model, now).await
        })
        .await
    }

    async fn get_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<Faq> {
        faq::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_faqs(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Faq>> {
        faq::list::<Lite>(&mut *self.read().await?, company, page).await
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
        self.in_tx(async |tx| {
            faq::update::<Lite>(tx, company, id, content, phrasings, embedding_model, now).await
        })
        .await
    }

    async fn delete_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<()> {
        self.in_tx(async |tx| faq::delete::<Lite>(tx, company, id).await).await
    }

    async fn faq_phrasings(&self, company: CompanyId) -> StorageResult<Vec<IndexedPhrasing>> {
        faq::phrasings::<Lite>(&mut *self.read().await?, company).await
    }
}
