use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, SessionId};
use switchboard_storage::{NewSession, Session, SessionStore, SessionSubject, StorageResult};
use switchboard_storage_sql::session;

#[async_trait]
impl SessionStore for PostgresBackend {
    async fn create_session(
        &self,
        company: CompanyId,
        new: NewSession,
        now: DateTime<Utc>,
    ) -> StorageResult<Session> {
        self.as_tenant(company, async |tx| session::create::<Pg>(tx, company, &new, now).await)
            .await
    }

    async fn get_session(&self, company: CompanyId, id: SessionId) -> StorageResult<Session> {
        self.as_tenant(company, async |tx| session::get::<Pg>(tx, company, id).await).await
    }

    async fn revoke_session(
        &self,
        company: CompanyId,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        self.as_tenant(company, async |tx| session::revoke::<Pg>(tx, company, id, now).await).await
    }

    async fn revoke_subject_sessions(
        &self,
        company: CompanyId,
        subject: SessionSubject,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        self.as_tenant(company, async |tx| {
            session::revoke_subject::<Pg>(tx, company, subject, keep, now).await
        })
        .await
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StorageResult<u64> {
        // Cross-tenant housekeeping: runs as the connecting owner role, which row-level
        // security does not restrict (the policies apply to `switchboard_tenant` only).
        session::purge::<Pg>(&mut *self.owner().await?, before).await
    }
}
