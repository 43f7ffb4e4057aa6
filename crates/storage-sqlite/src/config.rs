use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, StorageResult,
};
use switchboard_storage_sql::config::{self, ConfigDialect};
use switchboard_storage_sql::update_agent_config_sql;

// The AI settings merge with `json_patch`, which adds the given keys and removes those given
// as null.
impl ConfigDialect for Lite {
    const UPDATE_AGENT_CONFIG: &'static str = update_agent_config_sql!(
        "CASE WHEN $10 IS NULL THEN ai_settings ELSE json_patch(ai_settings, $10) END"
    );
}

#[async_trait]
impl ConfigStore for SqliteBackend {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings> {
        config::get_identity::<Lite>(&mut *self.read().await?, company).await
    }

    async fn set_identity_settings(
        &self,
        company: CompanyId,
        settings: IdentitySettings,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        config::set_identity::<Lite>(&mut *self.write().await?, company, settings, now).await
    }

    async fn get_agent_config(&self, company: CompanyId) -> StorageResult<AgentConfig> {
        config::get::<Lite>(&mut *self.read().await?, company).await
    }

    async fn update_agent_config(
        &self,
        company: CompanyId,
        update: AgentConfigUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentConfig> {
        config::update::<Lite>(&mut *self.write().await?, company, update, now).await
    }
}
