use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, StorageResult,
};
use switchboard_storage_sql::agent_config_columns;
use switchboard_storage_sql::config::{self, ConfigDialect};

// The AI settings merge with `json_patch`, which adds the given keys and removes those given
// as null.
impl ConfigDialect for Lite {
    const UPDATE_AGENT_CONFIG: &'static str = concat!(
        "UPDATE agent_configurations SET \
         agent_name = COALESCE($1, agent_name), \
         agent_persona = COALESCE($2, agent_persona), \
         branding_name = COALESCE($3, branding_name), \
         branding_logo = CASE WHEN $4 THEN $5 ELSE branding_logo END, \
         branding_primary_color = COALESCE($6, branding_primary_color), \
         greeting_message = COALESCE($7, greeting_message), \
         allowed_origins = COALESCE($8, allowed_origins), \
         identity_required = COALESCE($9, identity_required), \
         ai_settings = CASE WHEN $10 IS NULL THEN ai_settings \
                       ELSE json_patch(ai_settings, $10) END, \
         updated_at = $11 \
         WHERE company_id = $12 RETURNING ",
        agent_config_columns!()
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
