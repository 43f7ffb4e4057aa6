//! What the engine needs from outside that is not storage: classifying a request and
//! opening the company's sealed secrets (its AI API key, its webhook tools' header values).
//! The server provides both, so the engine stays free of its cipher and of the classifier's
//! cache.

use async_trait::async_trait;
use std::collections::BTreeMap;
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

    /// A webhook tool's header values (name → value) from its sealed `secrets`, or `None`
    /// if they cannot be opened; the call then fails with `secrets_unreadable`. The default
    /// opens nothing, for openers that never see webhook tools.
    fn tool_headers(&self, company: CompanyId, sealed: &str) -> Option<BTreeMap<String, String>> {
        let _ = (company, sealed);
        None
    }
}

/// A classifier that leaves every conversation unclassified (tests, tools).
pub struct NoClassifier;

#[async_trait]
impl RequestClassifier for NoClassifier {
    async fn classify(&self, _: CompanyId, _: &str) -> Option<ConversationClassification> {
        None
    }
}
