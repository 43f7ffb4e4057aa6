use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EmailAddress, UserId};
use switchboard_storage::{NewUser, StorageResult, User, UserStore};
use switchboard_storage_sql::user;

#[async_trait]
impl UserStore for SqliteBackend {
    async fn create_user(
        &self,
        company: CompanyId,
        new: NewUser,
        now: DateTime<Utc>,
    ) -> StorageResult<User> {
        self.in_tx(async |tx| user::create::<Lite>(tx, company, &new, now).await).await
    }

    async fn set_password(
        &self,
        company: CompanyId,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let mut conn = self.write().await?;
        user::set_password::<Lite>(&mut conn, company, id, password_hash, must_change_password, now)
            .await
    }

    async fn get_user(&self, company: CompanyId, id: UserId) -> StorageResult<User> {
        user::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn find_user_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<User>> {
        user::find_by_email::<Lite>(&mut *self.read().await?, company, email).await
    }

    async fn find_active_users_by_email_anywhere(
        &self,
        email: &EmailAddress,
        limit: u32,
    ) -> StorageResult<Vec<User>> {
        user::find_active_by_email_anywhere::<Lite>(&mut *self.read().await?, email, limit).await
    }
}
