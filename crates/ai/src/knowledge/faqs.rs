//! FAQ writes: every phrasing is embedded on write, so matching never waits for it.

use super::{Knowledge, KnowledgeError};
use chrono::Utc;
use switchboard_domain::{CompanyId, FaqId};
use switchboard_storage::{Faq, FaqContent, PhrasingVector};

impl Knowledge {
    pub async fn create_faq(
        &self,
        company: CompanyId,
        content: FaqContent,
    ) -> Result<Faq, KnowledgeError> {
        let phrasings = self.phrasings(&content).await;
        let faq = self
            .db()
            .create_faq(company, FaqId::new(), content, phrasings, self.model_name(), Utc::now())
            .await?;
        Ok(faq)
    }

    pub async fn update_faq(
        &self,
        company: CompanyId,
        id: FaqId,
        content: FaqContent,
    ) -> Result<Faq, KnowledgeError> {
        let phrasings = self.phrasings(&content).await;
        let faq = self
            .db()
            .update_faq(company, id, content, phrasings, self.model_name(), Utc::now())
            .await?;
        Ok(faq)
    }

    /// The question then each variant, with vectors. If the embedding service is down the
    /// FAQ is still saved; its phrasings are embedded when the company's index next loads.
    async fn phrasings(&self, content: &FaqContent) -> Vec<PhrasingVector> {
        let texts: Vec<String> =
            std::iter::once(&content.question).chain(&content.variants).cloned().collect();
        let vectors = match self.embed_all(texts.clone()).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, "FAQ saved without vectors; they are made on next load");
                None
            }
        };
        let mut vectors = vectors.map(Vec::into_iter);
        texts
            .into_iter()
            .map(|text| PhrasingVector {
                text,
                embedding: vectors.as_mut().and_then(Iterator::next),
            })
            .collect()
    }
}
