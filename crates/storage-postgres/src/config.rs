use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, StorageResult,
};
use switchboard_storage_sql::agent_config_columns;
use switchboard_storage_sql::config::{self, ConfigDialect};

// `||` merges the given AI settings keys and `jsonb_strip_nulls` then drops the ones given
// as null, matching SQLite's `json_patch` for the flat objects this column holds.
impl ConfigDialect for Pg {
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
         ai_settings = CASE WHEN $10::jsonb IS NULL THEN ai_settings \
                       ELSE jsonb_strip_nulls(ai_settings || $10::jsonb) END, \
         updated_at = $11 \
         WHERE company_id = $12 RETURNING ",
        agent_config_columns!()
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
