use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;

/// How a company's site proves who its logged-in users are to the widget: an HMAC of the
/// user id under this secret. With `required`, unverified customers are refused.
#[derive(Clone, PartialEq, Default)]
pub struct IdentitySettings {
    pub secret: Option<String>,
    pub required: bool,
}

impl std::fmt::Debug for IdentitySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentitySettings")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("required", &self.required)
            .finish()
    }
}

/// The keys of the stored `ai_settings` object, named once for everything that writes or
/// reads it (the configuration routes, retrieval thresholds, the outbound address policy).
pub mod ai_keys {
    pub const PROVIDER: &str = "provider";
    pub const MODEL: &str = "model";
    pub const BASE_URL: &str = "baseUrl";
    /// The API key as the server's config-cipher ciphertext; never the plaintext.
    pub const API_KEY_ENCRYPTED: &str = "apiKeyEncrypted";
    pub const FAQ_THRESHOLD: &str = "faqThreshold";
    pub const ANSWER_THRESHOLD: &str = "answerThreshold";
}

/// A company's agent configuration: every column of `agent_configurations` except the
/// identity secret, which only [`ConfigStore::get_identity_settings`] hands out, so a
/// handler that renders settings cannot leak it by accident.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentConfig {
    pub company_id: CompanyId,
    pub agent_name: String,
    pub agent_persona: String,
    pub branding_name: String,
    pub branding_logo: Option<String>,
    pub branding_primary_color: String,
    pub greeting_message: String,
    /// Origins the widget may be embedded on; empty means any.
    pub allowed_origins: Vec<String>,
    pub identity_required: bool,
    /// A flat JSON object of AI settings (provider, model, thresholds, the encrypted API
    /// key…) under the keys of [`ai_keys`]. Storage does not interpret the values; the
    /// server validates them before writing.
    pub ai_settings: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AgentConfig {
    /// A text entry of `ai_settings` (one of [`ai_keys`]), if set to a string.
    pub fn ai_text(&self, key: &str) -> Option<&str> {
        self.ai_settings.get(key).and_then(serde_json::Value::as_str)
    }

    /// A numeric entry of `ai_settings` (one of [`ai_keys`]), if set to a number.
    pub fn ai_number(&self, key: &str) -> Option<f64> {
        self.ai_settings.get(key).and_then(serde_json::Value::as_f64)
    }
}

/// A partial update: `None` leaves a column as it is. Values are stored as given; the
/// server validates them first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentConfigUpdate {
    pub agent_name: Option<String>,
    pub agent_persona: Option<String>,
    pub branding_name: Option<String>,
    /// `Some(None)` clears the logo.
    pub branding_logo: Option<Option<String>>,
    pub branding_primary_color: Option<String>,
    pub greeting_message: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub identity_required: Option<bool>,
    /// Merged into the stored object key by key, atomically: a key given with a scalar value
    /// replaces it, a key given as `null` removes it, keys not given are kept. Values must be
    /// scalars (strings, numbers, booleans), where both engines' merges agree.
    pub ai_settings: Option<serde_json::Map<String, serde_json::Value>>,
}

#[async_trait]
pub trait ConfigStore {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings>;

    async fn set_identity_settings(
        &self,
        company: CompanyId,
        settings: IdentitySettings,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;

    /// The company's agent configuration; `NotFound` for an unknown company.
    async fn get_agent_config(&self, company: CompanyId) -> StorageResult<AgentConfig>;

    /// Applies `update` in one statement and returns the result; `NotFound` for an unknown
    /// company (or another tenant's). An empty update still bumps `updated_at`.
    async fn update_agent_config(
        &self,
        company: CompanyId,
        update: AgentConfigUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentConfig>;
}
