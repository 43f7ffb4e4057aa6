use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::{CompanyId, EmailAddress, Role, UserId, UserStatus};
use switchboard_storage::{NewUser, StorageError, StorageResult, User, UserStore};

/// A `SELECT` of every `User` column with the given `WHERE` clause, built at compile time so
/// it stays a `&'static str` that sqlx accepts without an injection audit.
macro_rules! select_users {
    ($filter:literal) => {
        concat!(
            "SELECT id, company_id, email, name, role, status, password_hash, ",
            "must_change_password, created_at, updated_at FROM users WHERE ",
            $filter
        )
    };
}

pub(crate) async fn insert_user(
    conn: &mut PgConnection,
    company: CompanyId,
    user: &NewUser,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO users (id, company_id, email, password_hash, role, name, \
         must_change_password, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(user.id.as_uuid())
    .bind(company.as_uuid())
    .bind(user.email.as_str())
    .bind(&user.password_hash)
    .bind(user.role.as_str())
    .bind(user.name.as_str())
    .bind(user.must_change_password)
    .bind(now)
    .execute(conn)
    .await
    .map_err(|e| match db_err(e) {
        // Same name as the SQLite backend reports, so callers match one string.
        StorageError::Conflict { .. } => {
            StorageError::Conflict { constraint: "users_company_email".into() }
        }
        other => other,
    })?;
    Ok(())
}

pub(crate) fn user_from_row(row: &PgRow) -> StorageResult<User> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    Ok(User {
        id: UserId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        email: text("email")?,
        name: text("name")?,
        role: Role::parse(&text("role")?).map_err(StorageError::corrupt)?,
        status: UserStatus::parse(&text("status")?).map_err(StorageError::corrupt)?,
        password_hash: text("password_hash")?,
        must_change_password: row.try_get("must_change_password").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        updated_at: row.try_get("updated_at").map_err(db_err)?,
    })
}

/// Reads one user inside an open (tenant) transaction.
pub(crate) async fn select_user(
    conn: &mut PgConnection,
    company: CompanyId,
    id: UserId,
) -> StorageResult<User> {
    let row = sqlx::query(select_users!("company_id = $1 AND id = $2"))
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
    user_from_row(&row)
}

#[async_trait]
impl UserStore for PostgresBackend {
    async fn create_user(
        &self,
        company: CompanyId,
        user: NewUser,
        now: DateTime<Utc>,
    ) -> StorageResult<User> {
        let mut tx = self.tenant_tx(company).await?;
        insert_user(&mut tx, company, &user, now).await?;
        let created = select_user(&mut tx, company, user.id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }

    async fn set_password(
        &self,
        company: CompanyId,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let mut tx = self.tenant_tx(company).await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 \
             WHERE company_id = $4 AND id = $5",
        )
        .bind(password_hash)
        .bind(must_change_password)
        .bind(now)
        .bind(company.as_uuid())
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

    async fn get_user(&self, company: CompanyId, id: UserId) -> StorageResult<User> {
        let mut tx = self.tenant_tx(company).await?;
        let user = select_user(&mut tx, company, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(user)
    }

    async fn find_user_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<User>> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(select_users!("company_id = $1 AND email = $2"))
            .bind(company.as_uuid())
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        row.as_ref().map(user_from_row).transpose()
    }
}
