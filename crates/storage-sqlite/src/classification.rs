use crate::dialect::Lite;
use crate::{SqliteBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use switchboard_domain::{CompanyId, ExampleId};
use switchboard_storage::{
    ClassificationExample, ClassificationExampleStore, ExamplesStamp, NewExample, Page,
    PageRequest, StorageResult, TrainingExample,
};
use switchboard_storage_sql::classification::{self as sql, ClassificationDialect, ExampleRow};

/// Rows per multi-row INSERT (8 parameters each), far below SQLite's limit.
const ROWS_PER_INSERT: usize = 500;

/// SQLite: multi-row inserts in batches.
impl ClassificationDialect for Lite {
    async fn insert_examples(
        conn: &mut SqliteConnection,
        company: CompanyId,
        model: Option<&str>,
        now: DateTime<Utc>,
        rows: &[ExampleRow<'_>],
    ) -> StorageResult<()> {
        let (company, now) = (company.to_string(), crate::ts(now));
        for batch in rows.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO classification_examples (id, company_id, text, label, embedding, \
                 embedding_model, created_at, updated_at) ",
            );
            insert.push_values(batch, |mut b, row| {
                b.push_bind(row.id.to_string())
                    .push_bind(company.as_str())
                    .push_bind(row.text)
                    .push_bind(row.label)
                    .push_bind(row.embedding.as_deref())
                    .push_bind(row.embedding.as_ref().and(model))
                    .push_bind(now.as_str())
                    .push_bind(now.as_str());
            });
            insert.build().execute(&mut *conn).await.map_err(db_err)?;
        }
        Ok(())
    }
}

#[async_trait]
impl ClassificationExampleStore for SqliteBackend {
    async fn create_examples(
        &self,
        company: CompanyId,
        examples: Vec<NewExample>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Vec<ClassificationExample>> {
        self.in_tx(async |tx| {
            sql::create::<Lite>(tx, company, examples, embedding_model, now).await
        })
        .await
    }

    async fn get_example(
        &self,
        company: CompanyId,
        id: ExampleId,
    ) -> StorageResult<ClassificationExample> {
        sql::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_examples(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<ClassificationExample>> {
        sql::list::<Lite>(&mut *self.read().await?, company, page).await
    }

    async fn update_example(
        &self,
        company: CompanyId,
        example: NewExample,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<ClassificationExample> {
        sql::update::<Lite>(&mut *self.write().await?, company, example, embedding_model, now).await
    }

    async fn delete_example(&self, company: CompanyId, id: ExampleId) -> StorageResult<()> {
        sql::delete::<Lite>(&mut *self.write().await?, company, id).await
    }

    async fn list_all_examples(&self, company: CompanyId) -> StorageResult<Vec<TrainingExample>> {
        sql::all::<Lite>(&mut *self.read().await?, company).await
    }

    async fn examples_stamp(&self, company: CompanyId) -> StorageResult<ExamplesStamp> {
        sql::stamp::<Lite>(&mut *self.read().await?, company).await
    }

    async fn store_example_vectors(
        &self,
        company: CompanyId,
        vectors: Vec<(ExampleId, Vec<f32>)>,
        embedding_model: &str,
    ) -> StorageResult<()> {
        self.in_tx(async |tx| {
            sql::store_vectors::<Lite>(tx, company, vectors, embedding_model).await
        })
        .await
    }
}
