//! A company's labelled examples, which teach the request classifier its categories.

use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ExampleId};

/// Most examples one `create_examples` call writes (one import request).
pub const MAX_EXAMPLES_PER_WRITE: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationExample {
    pub id: ExampleId,
    pub company_id: CompanyId,
    pub text: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An example as written: its text, label and (when the embedding model was reachable)
/// the text's vector, stored so that retraining does not embed it again.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExample {
    pub id: ExampleId,
    pub text: String,
    pub label: String,
    pub embedding: Option<Vec<f32>>,
}

/// An example as training loads it, with the vector and the model that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingExample {
    pub id: ExampleId,
    pub text: String,
    pub label: String,
    pub embedding: Option<Vec<f32>>,
    pub embedding_model: Option<String>,
}

/// A cheap fingerprint of a company's examples: any create, update or delete changes it
/// (the count or the latest `updated_at`), so a cached model knows it is stale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExamplesStamp {
    pub examples: i64,
    pub changed_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait ClassificationExampleStore {
    /// Writes up to [`MAX_EXAMPLES_PER_WRITE`] examples in one transaction: all or none.
    /// `embedding_model` names where the vectors came from (stored only beside a vector).
    async fn create_examples(
        &self,
        company: CompanyId,
        examples: Vec<NewExample>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Vec<ClassificationExample>>;

    async fn get_example(
        &self,
        company: CompanyId,
        id: ExampleId,
    ) -> StorageResult<ClassificationExample>;

    /// Oldest first (by id), paged.
    async fn list_examples(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<ClassificationExample>>;

    /// Replaces the example's text, label and vector.
    async fn update_example(
        &self,
        company: CompanyId,
        example: NewExample,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<ClassificationExample>;

    async fn delete_example(&self, company: CompanyId, id: ExampleId) -> StorageResult<()>;

    /// Every example of the company, oldest first, for training.
    async fn list_all_examples(&self, company: CompanyId) -> StorageResult<Vec<TrainingExample>>;

    async fn examples_stamp(&self, company: CompanyId) -> StorageResult<ExamplesStamp>;

    /// Stores vectors made later (by another model, or after the embedding service was
    /// down). The examples' content is unchanged, so neither is their `updated_at` nor the
    /// stamp; ids that no longer exist are skipped.
    async fn store_example_vectors(
        &self,
        company: CompanyId,
        vectors: Vec<(ExampleId, Vec<f32>)>,
        embedding_model: &str,
    ) -> StorageResult<()>;
}
