use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
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

fn agent_config_from_row(row: &SqliteRow) -> StorageResult<AgentConfig> {
    let text = |col: &str| -> StorageResult<String> { row.try_get(col).map_err(db_err) };
    let origins = text("allowed_origins")?;
    let ai = text("ai_settings")?;
    Ok(AgentConfig {
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        agent_name: text("agent_name")?,
        agent_persona: text("agent_persona")?,
        branding_name: text("branding_name")?,
        branding_logo: row.try_get("branding_logo").map_err(db_err)?,
        branding_primary_color: text("branding_primary_color")?,
        greeting_message: text("greeting_message")?,
        allowed_origins: serde_json::from_str(&origins)
            .map_err(|e| StorageError::corrupt(format!("bad allowed_origins {origins:?}: {e}")))?,
        identity_required: row.try_get("identity_required").map_err(db_err)?,
        ai_settings: serde_json::from_str(&ai)
            .map_err(|e| StorageError::corrupt(format!("bad ai_settings: {e}")))?,
        created_at: parse_ts(&text("created_at")?)?,
        updated_at: parse_ts(&text("updated_at")?)?,
    })
}

#[async_trait]
impl ConfigStore for SqliteBackend {
    async fn get_identity_settings(&self, company: CompanyId) -> StorageResult<IdentitySettings> {
        let row = sqlx::query(
            "SELECT identity_secret, identity_required FROM agent_configurations WHERE company_id = ?",
        )
        .bind(company.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
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
        let done = sqlx::query(
            "UPDATE agent_configurations SET identity_secret = ?, identity_required = ?, updated_at = ? WHERE company_id = ?",
        )
        .bind(&settings.secret)
        .bind(settings.required)
        .bind(ts(now))
        .bind(company.to_string())
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn get_agent_config(&self, company: CompanyId) -> StorageResult<AgentConfig> {
        let row = sqlx::query(concat!(
            "SELECT ",
            agent_config_columns!(),
            " FROM agent_configurations WHERE company_id = ?"
        ))
        .bind(company.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        agent_config_from_row(&row)
    }

    /// One UPDATE … RETURNING, so concurrent partial updates of different fields (and of
    /// different AI settings keys, merged by `json_patch`) never undo each other.
    async fn update_agent_config(
        &self,
        company: CompanyId,
        update: AgentConfigUpdate,
        now: DateTime<Utc>,
    ) -> StorageResult<AgentConfig> {
        let origins = update
            .allowed_origins
            .map(|o| serde_json::to_string(&o).map_err(StorageError::other))
            .transpose()?;
        let ai = update.ai_settings.map(|m| serde_json::Value::Object(m).to_string());
        let (set_logo, logo) = match update.branding_logo {
            Some(logo) => (true, logo),
            None => (false, None),
        };
        let row = sqlx::query(concat!(
            "UPDATE agent_configurations SET \
             agent_name = COALESCE(?1, agent_name), \
             agent_persona = COALESCE(?2, agent_persona), \
             branding_name = COALESCE(?3, branding_name), \
             branding_logo = CASE WHEN ?4 THEN ?5 ELSE branding_logo END, \
             branding_primary_color = COALESCE(?6, branding_primary_color), \
             greeting_message = COALESCE(?7, greeting_message), \
             allowed_origins = COALESCE(?8, allowed_origins), \
             identity_required = COALESCE(?9, identity_required), \
             ai_settings = CASE WHEN ?10 IS NULL THEN ai_settings ELSE json_patch(ai_settings, ?10) END, \
             updated_at = ?11 \
             WHERE company_id = ?12 RETURNING ",
            agent_config_columns!()
        ))
        .bind(update.agent_name)
        .bind(update.agent_persona)
        .bind(update.branding_name)
        .bind(set_logo)
        .bind(logo)
        .bind(update.branding_primary_color)
        .bind(update.greeting_message)
        .bind(origins)
        .bind(update.identity_required)
        .bind(ai)
        .bind(ts(now))
        .bind(company.to_string())
        .fetch_optional(&self.writer)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        agent_config_from_row(&row)
    }
}
