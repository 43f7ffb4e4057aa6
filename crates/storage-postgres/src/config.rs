use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AgentConfig, AgentConfigUpdate, ConfigStore, IdentitySettings, StorageError, StorageResult,
};

// A macro so that `concat!` can splice the column list into `&'static str` queries.
macro_rules! agent_config_columns {
    () => {
        "company_id, agent_name, agent_persona, branding_name, branding_logo, \
         branding_primary_color, greeting_message, allowed_origins, identity_required, \
         ai_settings, created_at, updated_at"
    };
}

fn agent_config_from_row(row: &PgRow) -> StorageResult<AgentConfig> {
    let origins: Json<Vec<String>> = row.try_get("allowed_origins").map_err(db_err)?;
    Ok(AgentConfig {
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        agent_name: row.try_get("agent_name").map_err(db_err)?,
        agent_persona: row.try_get("agent_persona").map_err(db_err)?,
        branding_name: row.try_get("branding_name").map_err(db_err)?,
        branding_logo: row.try_get("branding_logo").map_err(db_err)?,
        branding_primary_color: row.try_get("branding_primary_color").map_err(db_err)?,
        greeting_message: row.try_get("greeting_message").map_err(db_err)?,
        allowed_origins: origins.0,
        identity_required: row.try_get("identity_required").map_err(db_err)?,
        ai_settings: row.try_get("ai_settings").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        updated_at: row.try_get("updated_at").map_err(db_err)?,
    })
}

#[async_trait]
impl ConfigStore for PostgresBackend {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(
            "SELECT identity_secret, identity_required FROM agent_configurations \
             WHERE company_id = $1",
        )
        .bind(company.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        Ok(IdentitySettings {
            secret: row.try_get("identity_secret").map_err(db_err)?,
            required: row.try_get("identity_required").map_err(db_err)?,
        })
    }

    async fn set_identity_settings(
        &self,
        company: CompanyId,
        settings: IdentitySettings,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let mut tx = self.tenant_tx(company).await?;
        let done = sqlx::query(
            "UPDATE agent_configurations \
             SET identity_secret = $1, identity_required = $2, updated_at = $3 \
             WHERE company_id = $4",
        )
        .bind(&settings.secret)
        .bind(settings.required)
        .bind(now)
        .bind(company.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        // Registration writes the row, so no row means no such company (for this tenant).
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn get_agent_config(&self, company: CompanyId) -> StorageResult<AgentConfig> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            agent_config_columns!(),
            " FROM agent_configurations WHERE company_id = $1"
        ))
        .bind(company.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        agent_config_from_row(&row)
    }

    /// One UPDATE … RETURNING, so concurrent partial updates of different fields (and of
    /// different AI settings keys) never undo each other. `||` merges the given keys and
    /// `jsonb_strip_nulls` then drops the ones given as null, matching SQLite's `json_patch`
    /// for the flat objects this column holds.
    async fn update_agent_config(
        &self,
        company: CompanyId,
        update: AgentConfigUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentConfig> {
        let (set_logo, logo) = match update.branding_logo {
            Some(logo) => (true, logo),
            None => (false, None),
        };
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
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
        ))
        .bind(update.agent_name)
        .bind(update.agent_persona)
        .bind(update.branding_name)
        .bind(set_logo)
        .bind(logo)
        .bind(update.branding_primary_color)
        .bind(update.greeting_message)
        .bind(update.allowed_origins.map(Json))
        .bind(update.identity_required)
        .bind(update.ai_settings.map(|m| Json(serde_json::Value::Object(m))))
        .bind(now)
        .bind(company.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        // Registration writes the row, so no row means no such company (for this tenant).
        .ok_or(StorageError::NotFound)?;
        tx.commit().await.map_err(db_err)?;
        agent_config_from_row(&row)
    }
}
