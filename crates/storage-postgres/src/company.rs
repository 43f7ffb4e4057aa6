use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    Company, CompanyStatus, CompanyStore, NewRegistration, StorageError, StorageResult, User,
};

fn company_from_row(row: &PgRow) -> StorageResult<Company> {
    Ok(Company {
        id: CompanyId::from_uuid(row.try_get("id").map_err(db_err)?),
        name: row.try_get("name").map_err(db_err)?,
        email: row.try_get("email").map_err(db_err)?,
        status: CompanyStatus::parse(&row.try_get::<String, _>("status").map_err(db_err)?)
            .map_err(StorageError::corrupt)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

#[async_trait]
impl CompanyStore for PostgresBackend {
    async fn register_company(&self, reg: NewRegistration) -> StorageResult<(Company, User)> {
        let company_id = reg.company_id.as_uuid();
        // The whole registration runs as the new company's tenant, companies insert included:
        // its id is known up front, and the companies policy lets a tenant write only the row
        // whose id is its own, so this transaction cannot create or touch any other company.
        // The email uniqueness check still sees every company (unique indexes ignore RLS),
        // and foreign-key checks run as the owner, so nothing else needs the owner's rights.
        // Dropping `tx` on any early return rolls everything back.
        let mut tx = self.tenant_tx(reg.company_id).await?;
        sqlx::query(
            "INSERT INTO companies (id, name, email, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(company_id)
        .bind(reg.company_name.as_str())
        .bind(reg.company_email.as_str())
        .bind(reg.now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            // PostgreSQL would say `companies_email_key`; callers match the backend-neutral name.
            StorageError::Conflict { .. } => {
                StorageError::Conflict { constraint: "companies_email".into() }
            }
            other => other,
        })?;
        crate::user::insert_user(&mut tx, reg.company_id, &reg.admin, reg.now).await?;
        sqlx::query(
            "INSERT INTO agent_configurations \
             (company_id, agent_name, branding_name, greeting_message, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(company_id)
        .bind(&reg.config.agent_name)
        .bind(&reg.config.branding_name)
        .bind(&reg.config.greeting_message)
        .bind(reg.now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        crate::session::insert_session(&mut tx, reg.company_id, &reg.session, reg.now).await?;
        // Read back in the same transaction: one connection for the whole registration.
        let company = select_company(&mut tx, reg.company_id).await?;
        let user = crate::user::select_user(&mut tx, reg.company_id, reg.admin.id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok((company, user))
    }

    async fn get_company(&self, id: CompanyId) -> StorageResult<Company> {
        let mut tx = self.tenant_tx(id).await?;
        let company = select_company(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(company)
    }

    async fn set_company_status(
        &self,
        id: CompanyId,
        status: CompanyStatus,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        // As the company's own tenant: the policy admits only its row.
        let mut tx = self.tenant_tx(id).await?;
        let done = sqlx::query("UPDATE companies SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}

async fn select_company(conn: &mut PgConnection, id: CompanyId) -> StorageResult<Company> {
    let row =
        sqlx::query("SELECT id, name, email, status, created_at FROM companies WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(conn)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
    company_from_row(&row)
}
