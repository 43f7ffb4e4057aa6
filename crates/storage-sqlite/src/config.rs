use crate::{SqliteBackend, db_err, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use switchboard_domain::CompanyId;
use switchboard_storage::{ConfigStore, IdentitySettings, StorageError, StorageResult};

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
}
