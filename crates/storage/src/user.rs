use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EmailAddress, PersonName, Role, UserId, UserStatus};

/// A staff account (admin or agent). The password hash is an argon2id PHC string.
#[derive(Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub company_id: CompanyId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: UserStatus,
    pub password_hash: String,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

// Hand-written so that the password hash never reaches a log line.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("company_id", &self.company_id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: EmailAddress,
    pub name: PersonName,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[async_trait]
pub trait UserStore {
    /// A second account with the same email in one company is
    /// `Conflict { constraint: "users_company_email" }`.
    async fn create_user(
        &self,
        company: CompanyId,
        user: NewUser,
        now: DateTime<Utc>,
    ) -> StorageResult<User>;

    /// Replaces the password hash and sets whether it must be changed at next use.
    async fn set_password(
        &self,
        company: CompanyId,
        id: UserId,
        password_hash: &str,
        must_change_password: bool,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;

    async fn get_user(&self, company: CompanyId, id: UserId) -> StorageResult<User>;

    /// Looks a staff account up by its (normalised) email within one company.
    async fn find_user_by_email(
        &self,
        company: CompanyId,
        email: &EmailAddress,
    ) -> StorageResult<Option<User>>;

    /// Active staff accounts with this (normalised) email in active companies, across every
    /// company, at most `limit`: a sign-in without a company goes ahead only when exactly
    /// one account matches. The one read that is not scoped to a tenant.
    async fn find_active_users_by_email_anywhere(
        &self,
        email: &EmailAddress,
        limit: u32,
    ) -> StorageResult<Vec<User>>;
}
