use crate::dialect::Pg;
use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use switchboard_domain::{CompanyId, ExampleId};
use switchboard_storage::{
    ClassificationExample, ClassificationExampleStore, ExamplesStamp, NewExample, Page,
    PageRequest, StorageResult, TrainingExample,
};
use switchboard_storage_sql::classification::{self as sql, ClassificationDialect, ExampleRow};

/// PostgreSQL: one `UNNEST` insert whatever the number of rows.
impl ClassificationDialect for Pg {
    async fn insert_examples(
        conn: &mut PgConnection,
        company: CompanyId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ExampleRow<'_>],
    ) -> StorageResult<()> {
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        let texts: Vec<&str> = rows.iter().map(|r| r.text).collect();
        let labels: Vec<&str> = rows.iter().map(|r| r.label).collect();
        let embeddings: Vec<Option<&[u8]>> = rows.iter().map(|r| r.embedding.as_deref()).collect();
        sqlx::query(
            "INSERT INTO classification_examples (id, company_id, text, label, embedding, \
               embedding_model, created_at, updated_at) \
             SELECT u.id, $1, u.text, u.label, u.embedding, \
               CASE WHEN u.embedding IS NULL THEN NULL ELSE $2::text END, $3, $3 \
             FROM UNNEST($4::uuid[], $5::text[], $6::text[], $7::bytea[]) \
               AS u(id, text, label, embedding)",
        )
        .bind(company.as_uuid())
        .bind(model)
        .bind(now)
        .bind(ids)
        .bind(texts)
        .bind(labels)
        .bind(embeddings)
        .execute(conn)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}

#[async_trait]
impl ClassificationExampleStore for PostgresBackend {
    async fn create_examples(
        &self,
        company: CompanyId,
        examples: Vec<NewExample>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Vec<ClassificationExample>> {
        self.as_tenant(company, async |tx| {
            sql::create::<Pg>(tx, company, examples, embedding_model, now).await
        })
        .await
    }

    async fn get_example(
        &self,
        company: CompanyId,
        id: ExampleId,
    ) -> StorageResult<ClassificationExample> {
        self.as_tenant(company, async |tx| sql::get::<Pg>(tx, company, id).await).await
    }

    async fn list_examples(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<ClassificationExample>> {
        self.as_tenant(company, async |tx| sql::list::<Pg>(tx, company, page).await).await
    }

    async fn update_example(
        &self,
        company: CompanyId,
        example: NewExample,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<ClassificationExample> {
        self.as_tenant(company, async |tx| {
            sql::update::<Pg>(tx, company, example, embedding_model, now).await
        })
        .await
    }

    async fn delete_example(&self, company: CompanyId, id: ExampleId) -> StorageResult<()> {
        self.as_tenant(company, async |tx| sql::delete::<Pg>(tx, company, id).await).await
    }

    async fn list_all_examples(&self, company: CompanyId) -> StorageResult<Vec<TrainingExample>> {
        self.as_tenant(company, async |tx| sql::all::<Pg>(tx, company).await).await
    }

    async fn examples_stamp(&self, company: CompanyId) -> StorageResult<ExamplesStamp> {
        self.as_tenant(company, async |tx| sql::stamp::<Pg>(tx, company).await).await
    }

    async fn store_example_vectors(
        &self,
        company: CompanyId,
        vectors: Vec<(ExampleId, Vec<f32>)>,
        embedding_model: &str,
    ) -> StorageResult<()> {
        self.as_tenant(company, async |tx| {
            sql::store_vectors::<Pg>(tx, company, vectors, embedding_model).await
        })
        .await
    }
}
