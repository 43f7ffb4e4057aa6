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

#[async_trait]
pub trait ConfigStore {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings>;

    async fn set_identity_settings(
        &self,
        company: CompanyId,
        settings: IdentitySettings,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;
}
