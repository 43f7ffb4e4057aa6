//! Builds the conversation engine for this server: the engine's ports (the sealed API key,
//! the request classifier) are implemented here with the server's cipher and models.

use crate::config::ServerConfig;
use crate::crypto::{ConfigCipher, SecretField};
use std::collections::BTreeMap;
use std::sync::Arc;
use switchboard_ai::knowledge::Knowledge;
use switchboard_ai::outbound::OutboundPolicy;
use switchboard_domain::CompanyId;
use switchboard_engine::Conversations;
use switchboard_engine::bus::EventBus;
use switchboard_engine::ports::{RequestClassifier, SecretOpener};
use switchboard_llm::LlmResponder;
use switchboard_storage::Backend;
use switchboard_tools::WebhookPolicy;

struct CipherSecrets(ConfigCipher);

impl SecretOpener for CipherSecrets {
    fn ai_api_key(&self, company: CompanyId, sealed: &str) -> Option<String> {
        match self.0.decrypt(company, SecretField::AiApiKey, sealed) {
            Ok(key) => Some(key),
            Err(e) => {
                tracing::error!(error.message = %e, %company, "AI API key unreadable");
                None
            }
        }
    }

    fn tool_headers(&self, company: CompanyId, sealed: &str) -> Option<BTreeMap<String, String>> {
        let plain = match self.0.decrypt(company, SecretField::ToolHeaders, sealed) {
            Ok(plain) => plain,
            Err(e) => {
                tracing::error!(error.message = %e, %company, "webhook header values unreadable");
                return None;
            }
        };
        serde_json::from_str(&plain)
            .map_err(|e| {
                tracing::error!(error.message = %e, %company, "sealed webhook headers are not a map");
            })
            .ok()
    }
}

pub fn build(
    config: &ServerConfig,
    db: Arc<dyn Backend>,
    knowledge: Arc<Knowledge>,
    bus: Arc<dyn EventBus>,
    classifier: Arc<dyn RequestClassifier>,
) -> Arc<Conversations> {
    let policy = OutboundPolicy { allow_private: config.allow_private_outbound };
    let llm = match LlmResponder::new(policy) {
        Ok(llm) => Some(llm),
        Err(e) => {
            tracing::error!(error = %e, "no LLM client; every company gets the builtin responder");
            None
        }
    };
    let conversations = Conversations::new(
        db,
        knowledge,
        bus,
        classifier,
        Arc::new(CipherSecrets(ConfigCipher::from_config(config))),
        llm,
    );
    // Webhook tools go where the operator lets outbound calls go (and, with private
    // targets allowed, over plain http too); the same rule judges their URLs on save.
    Arc::new(
        conversations
            .with_tool_policy(WebhookPolicy::from_outbound(policy))
            .with_presence_timeout(config.presence_timeout),
    )
}

/// Closes conversations the AI holds once they have been quiet for `after`. Every node runs
/// it; the engine's compare-and-set lets only one close each conversation.
pub async fn close_idle_periodically(state: crate::state::AppState, after: std::time::Duration) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60).min(after));
    loop {
        tick.tick().await;
        let Ok(after) = chrono::Duration::from_std(after) else { return };
        match state.conversations.close_idle(chrono::Utc::now() - after).await {
            Ok(n) if n > 0 => tracing::info!(conversations = n, "closed idle conversations"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not close idle conversations"),
        }
    }
}
