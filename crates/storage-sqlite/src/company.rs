use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use switchboard_domain::CompanyId;
use switchboard_storage::{
    Company, CompanyStatus, CompanyStore, NewRegistration, StorageError, StorageResult, User,
};

fn company_from_row(row: &SqliteRow) -> StorageResult<Company> {
    Ok(Company {
        id: CompanyId::from_uuid(parse_uuid(&row.try_get::<String, _>("id").map_err(db_err)?)?),
        name: row.try_get("name").map_err(db_err)?,
        email: row.try_get("email").map_err(db_err)?,
        status: CompanyStatus::parse(&row.try_get::<String, _>("status").map_err(db_err)?)
            .map_err(StorageError::corrupt)?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at").map_err(db_err)?)?,
    })
}

#[async_trait]
impl CompanyStore for SqliteBackend {
    async fn register_company(&self, reg: NewRegistration) -> StorageResult<(Company, User)> {
        let now = ts(reg.now);
        let company_id = reg.company_id.to_string();
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO companies (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&company_id)
        .bind(reg.company_name.as_str())
        .bind(reg.company_email.as_str())
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StorageError::Conflict { .. } => StorageError::Conflict { constraint: "companies_email".into() },
            other => other,
        })?;
        crate::user::insert_user(&mut tx, reg.company_id, &reg.admin, reg.now).await?;
        sqlx::query(
            "INSERT INTO agent_configurations (company_id, agent_name, branding_name, greeting_message, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&company_id)
        .bind(&reg.config.agent_name)
        .bind(&reg.config.branding_name)
        .bind(&reg.config.greeting_message)
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        crate::session::insert_session(&mut tx, reg.company_id, &reg.session, reg.now).await?;
        tx.commit().await.map_err(db_err)?;
        let company = self.get_company(reg.company_id).await?;
        let user =
            switchboard_storage::UserStore::get_user(self, reg.company_id, reg.admin.id).await?;
        Ok((company, user))
    }

    async fn get_company(&self, id: CompanyId) -> StorageResult<Company> {
        let row =
            sqlx::query("SELECT id, name, email, status, created_at FROM companies WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&self.reader)
                .await
                .map_err(db_err)?
                .ok_or(StorageError::NotFound)?;
        company_from_row(&row)
    }

    async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let done = sqlx::query("UPDATE companies SET status = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(ts(now))
            .bind(id.to_string())
            .execute(&self.writer)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }
}
