use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, CustomerId, Role, SessionId, UserId};

/// Whose session it is: a staff member or a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSubject {
    User(UserId),
    Customer(CustomerId),
}

impl SessionSubject {
    pub fn kind(&self) -> &'static str {
        match self {
            SessionSubject::User(_) => "user",
            SessionSubject::Customer(_) => "customer",
        }
    }

    pub fn id_string(&self) -> String {
        match self {
            SessionSubject::User(id) => id.to_string(),
            SessionSubject::Customer(id) => id.to_string(),
        }
    }

    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            SessionSubject::User(id) => id.as_uuid(),
            SessionSubject::Customer(id) => id.as_uuid(),
        }
    }

    /// Rebuilds a subject from its stored kind and id.
    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Result<Self, String> {
        match kind {
            "user" => Ok(SessionSubject::User(UserId::from_uuid(id))),
            "customer" => Ok(SessionSubject::Customer(CustomerId::from_uuid(id))),
            other => Err(format!("unknown session subject kind {other:?}")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: SessionId,
    pub subject: SessionSubject,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub client_addr: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub company_id: CompanyId,
    pub subject: SessionSubject,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

#[async_trait]
pub trait SessionStore {
    async fn create_session(
        &self,
        company: CompanyId,
        session: NewSession,
        now: DateTime<Utc>,
    ) -> StorageResult<Session>;

    /// The session if it exists in this company, live or not; callers decide with `is_live`.
    async fn get_session(&self, company: CompanyId, id: SessionId) -> StorageResult<Session>;

    /// Marks one session revoked. Revoking twice is harmless.
    async fn revoke_session(
        &self,
        company: CompanyId,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;

    /// Revokes every live session of a subject except `keep`; returns how many it ended.
    async fn revoke_subject_sessions(
        &self,
        company: CompanyId,
        subject: SessionSubject,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> StorageResult<u64>;

    /// Deletes sessions that expired or were revoked before `before`. Deliberately not
    /// tenant-scoped: it is the scheduled clean-up across all companies.
    async fn purge_sessions(&self, before: DateTime<Utc>) -> StorageResult<u64>;
}
