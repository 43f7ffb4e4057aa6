use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use switchboard_domain::CompanyId;
use switchboard_storage::{ConfigStore, IdentitySettings, StorageError, StorageResult};

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
}
