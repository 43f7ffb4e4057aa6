use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, SessionId};
use switchboard_storage::{NewSession, Session, SessionStore, SessionSubject, StorageResult};
use switchboard_storage_sql::session;

#[async_trait]
impl SessionStore for SqliteBackend {
    async fn create_session(
        &self,
        company: CompanyId,
        new: NewSession,
        now: DateTime<Utc>,
    ) -> StorageResult<Session> {
        self.in_tx(async |tx| session::create::<Lite>(tx, company, &new, now).await).await
    }

    async fn get_session(&self, company: CompanyId, id: SessionId) -> StorageResult<Session> {
        session::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn revoke_session(
        &self,
        company: CompanyId,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        session::revoke::<Lite>(&mut *self.write().await?, company, id, now).await
    }

    async fn revoke_subject_sessions(
        &self,
        company: CompanyId,
        subject: SessionSubject,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        session::revoke_subject::<Lite>(&mut *self.write().await?, company, subject, keep, now)
            .await
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StorageResult<u64> {
        session::purge::<Lite>(&mut *self.write().await?, before).await
    }
}
