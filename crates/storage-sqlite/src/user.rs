use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use switchboard_domain::{CompanyId, EmailAddress, Role, UserId, UserStatus};
use switchboard_storage::{NewUser, StorageError, StorageResult, User, UserStore};

/// `SELECT <every user column> FROM users <rest>`, built at compile time so no SQL is
/// assembled at run time.
macro_rules! select_users {
    ($rest:literal) => {
        concat!(
            "SELECT id, company_id, email, name, role, status, password_hash, must_change_password, created_at, updated_at FROM users ",
            $rest
        )
    };
}

pub(crate) async fn insert_user(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    user: &NewUser,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = ts(now);
    sqlx::query(
        "INSERT INTO users (id, company_id, email, password_hash, role, name, must_change_password, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user.id.to_string())
    .bind(company.to_string())
    .bind(user.email.as_str())
    .bind(&user.password_hash)
    .bind(user.role.as_str())
    .bind(user.name.as_str())
    .bind(user.must_change_password)
    .bind(&now)
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(|e| match db_err(e) {
        StorageError::Conflict { .. } => StorageError::Conflict { constraint: "users_company_email".into() },
        other => other,
    })?;
    Ok(())
}

pub(crate) fn user_from_row(row: &SqliteRow) -> StorageResult<User> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    Ok(User {
        id: UserId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        email: text("email")?,
        name: text("name")?,
        role: Role::parse(&text("role")?).map_err(StorageError::corrupt)?,
        status: UserStatus::parse(&text("status")?).map_err(StorageError::corrupt)?,
        password_hash: text("password_hash")?,
        must_change_password: row.try_get("must_change_password").map_err(db_err)?,
        created_at: parse_ts(&text("created_at")?)?,
        updated_at: parse_ts(&text("updated_at")?)?,
    })
}

#[async_trait]
impl UserStore for SqliteBackend {
    async fn create_user(
        &self,
        company: CompanyId,
        user: NewUser,
        now: DateTime<Utc>,
    ) -> StorageResult<User> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        insert_user(&mut tx, company, &user, now).await?;
        tx.commit().await.map_err(db_err)?;
        self.get_user(company, user.id).await
    }

    async fn set_password(
        &self,
        company: CompanyId,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let done = sqlx::query(
            "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE company_id = ? AND id = ?",
        )
        .bind(password_hash)
        .bind(must_change_password)
        .bind(ts(now))
        .bind(company.to_string())
        .bind(id.to_string())
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn get_user(&self, company: CompanyId, id: UserId) -> StorageResult<User> {
        let row = sqlx::query(select_users!("WHERE company_id = ? AND id = ?"))
            .bind(company.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?
            .ok_or(StorageError::NotFound)?;
        user_from_row(&row)
    }

    async fn find_user_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<User>> {
        let row = sqlx::query(select_users!("WHERE company_id = ? AND email = ?"))
            .bind(company.to_string())
            .bind(email.as_str())
            .fetch_optional(&self.reader)
            .await
            .map_err(db_err)?;
        row.as_ref().map(user_from_row).transpose()
    }
}
