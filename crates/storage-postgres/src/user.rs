use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EmailAddress, UserId};
use switchboard_storage::{NewUser, StorageResult, User, UserStore};
use switchboard_storage_sql::user;

#[async_trait]
impl UserStore for PostgresBackend {
    async fn create_user(
        &self,
        company: CompanyId,
        new: NewUser,
        now: DateTime<Utc>,
    ) -> StorageResult<User> {
        self.as_tenant(company, async |tx| user::create::<Pg>(tx, company, &new, now).await).await
    }

    async fn set_password(
        &self,
        company: CompanyId,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        self.as_tenant(company, async |tx| {
            user::set_password::<Pg>(tx, company, id, password_hash, must_change_password, now)
                .await
        })
        .await
    }

    async fn get_user(&self, company: CompanyId, id: UserId) -> StorageResult<User> {
        self.as_tenant(company, async |tx| user::get::<Pg>(tx, company, id).await).await
    }

    async fn find_user_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<User>> {
        self.as_tenant(company, async |tx| user::find_by_email::<Pg>(tx, company, email).await)
            .await
    }

    async fn find_active_users_by_email_anywhere(
        &self,
        email: &EmailAddress,
        limit: u32,
    ) -> StorageResult<Vec<User>> {
        // Across companies, so it runs as the owner role, outside row-level security.
        user::find_active_by_email_anywhere::<Pg>(&mut *self.owner().await?, email, limit).await
    }
}
