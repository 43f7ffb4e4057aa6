use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, FaqId};

#[derive(Debug, Clone, PartialEq)]
pub struct Faq {
    pub id: FaqId,
    pub company_id: CompanyId,
    pub question: String,
    pub answer: String,
    /// Other phrasings of the same question; each is matched like the question.
    pub variants: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The whole content of an FAQ, as created or as replaced by an update.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqContent {
    pub question: String,
    pub answer: String,
    pub variants: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub enabled: bool,
}

/// One phrasing (the question or a variant) with its vector, written with the FAQ.
#[derive(Debug, Clone, PartialEq)]
pub struct PhrasingVector {
    pub text: String,
    pub embedding: Option<Vec<f32>>,
}

/// A stored phrasing of an enabled FAQ, as the matcher loads it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedPhrasing {
    pub faq_id: FaqId,
    pub text: String,
    pub embedding: Option<Vec<f32>>,
    pub embedding_model: Option<String>,
}

#[async_trait]
pub trait FaqStore {
    /// Stores the FAQ and its phrasings in one transaction.
    async fn create_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
        phrasings: Vec<PhrasingVector>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Faq>;

    async fn get_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<Faq>;

    async fn list_faqs(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Faq>>;

    /// Replaces the FAQ's content and all its phrasings in one transaction.
    async fn update_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
        phrasings: Vec<PhrasingVector>,
        embedding_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> StorageResult<Faq>;

    async fn delete_faq(&self, company: CompanyId, id: FaqId) -> StorageResult<()>;

    /// Every phrasing of the company's enabled FAQs.
    async fn faq_phrasings(&self, company: CompanyId) -> StorageResult<Vec<IndexedPhrasing>>;
}
