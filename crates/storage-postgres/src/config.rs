use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, StorageResult,
};
use switchboard_storage_sql::config::{self, ConfigDialect};
use switchboard_storage_sql::update_agent_config_sql;

// `||` merges the given AI settings keys and `jsonb_strip_nulls` then drops the ones given
// as null, matching SQLite's `json_patch` for the flat objects this column holds.
impl ConfigDialect for Pg {
    const UPDATE_AGENT_CONFIG: &'static str = update_agent_config_sql!(
        "CASE WHEN $10::jsonb IS NULL THEN ai_settings \
         ELSE jsonb_strip_nulls(ai_settings || $10::jsonb) END"
    );
}

#[async_trait]
impl ConfigStore for PostgresBackend {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings> {
        self.as_tenant(company, async |tx| config::get_identity::<Pg>(tx, company).await).await
    }

    async fn set_identity_settings(
        &self,
        company: CompanyId,
        settings: IdentitySettings,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        self.as_tenant(company, async |tx| {
            config::set_identity::<Pg>(tx, company, settings, now).await
        })
        .await
    }

    async fn get_agent_config(&self, company: CompanyId) -> StorageResult<AgentConfig> {
        self.as_tenant(company, async |tx| config::get::<Pg>(tx, company).await).await
    }

    async fn update_agent_config(
        &self,
        company: CompanyId,
        update: AgentConfigUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentConfig> {
        self.as_tenant(company, async |tx| config::update::<Pg>(tx, company, update, now).await)
            .await
    }
}
