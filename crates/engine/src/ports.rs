//! What the engine needs from outside that is not storage: classifying a request and
//! opening the company's sealed API key. The server provides both, so the engine stays free
//! of its cipher and of the classifier's cache.

use async_trait::async_trait;
use switchboard_domain::CompanyId;
use switchboard_storage::ConversationClassification;

#[async_trait]
pub trait RequestClassifier: Send + Sync {
    /// Category, priority, urgency and sentiment of a conversation's first request, with the
    /// scores and reasons in `detail`. `None` when the classifier failed: the conversation
    /// goes on unclassified rather than not at all.
    async fn classify(&self, company: CompanyId, text: &str) -> Option<ConversationClassification>;
}

pub trait SecretOpener: Send + Sync {
    /// The plaintext of the company's stored (encrypted) AI API key, or `None` if it cannot
    /// be opened (rotated away, tampered with).
    fn ai_api_key(&self, company: CompanyId, sealed: &str) -> Option<String>;
}

/// A classifier that leaves every conversation unclassified (tests, tools).
pub struct NoClassifier;

#[async_trait]
impl RequestClassifier for NoClassifier {
    async fn classify(&self, _: CompanyId, _: &str) -> Option<ConversationClassification> {
        None
    }
}
