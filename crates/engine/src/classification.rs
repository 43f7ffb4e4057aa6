//! The builtin request classifier behind the engine's [`RequestClassifier`] port: each
//! company's model (trained on its labelled examples) for the category, cue rules for
//! priority, urgency and sentiment, stored with every score and reason.

use crate::ports::RequestClassifier;
use async_trait::async_trait;
use switchboard_ai::classify::{Classifications, RequestClassification};
use switchboard_domain::CompanyId;
use switchboard_storage::ConversationClassification;

#[async_trait]
impl RequestClassifier for Classifications {
    async fn classify(&self, company: CompanyId, text: &str) -> Option<ConversationClassification> {
        match Classifications::classify(self, company, text).await {
            Ok(verdict) => Some(stored(verdict)),
            Err(e) => {
                tracing::warn!(error = %e, %company, "request left unclassified");
                None
            }
        }
    }
}

/// The columns agents filter on, and the whole verdict (scores, reasons, nearest examples)
/// as the detail they read.
fn stored(verdict: RequestClassification) -> ConversationClassification {
    let detail = serde_json::to_value(&verdict).unwrap_or_else(|_| serde_json::json!({}));
    ConversationClassification {
        category: Some(verdict.category.label),
        priority: verdict.priority.level,
        urgency: verdict.urgency.level,
        sentiment: Some(verdict.sentiment.level),
        detail,
    }
}
