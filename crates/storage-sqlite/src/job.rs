use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, JobStore, StorageResult};
use switchboard_storage_sql::job::{self, JobDialect};
use switchboard_storage_sql::{claim_exhausted_job_sql, claim_job_sql};

/// The kinds come as a JSON array. One statement on the single writer connection: the pick
/// and the claim cannot be interleaved with another claimer's, so no job is handed out
/// twice, and there is no row lock to take.
impl JobDialect for Lite {
    const CLAIM: &'static str = claim_job_sql!("j.kind IN (SELECT value FROM json_each($1))", "");
    const CLAIM_EXHAUSTED: &'static str =
        claim_exhausted_job_sql!("j.kind IN (SELECT value FROM json_each($1))", "");
}

#[async_trait]
impl JobStore for SqliteBackend {
    async fn claim_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let conn = &mut *self.write().await?;
        job::claim::<Lite>(conn, Lite::CLAIM, kinds, max_attempts, now, lease_until).await
    }

    async fn claim_exhausted_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let conn = &mut *self.write().await?;
        job::claim::<Lite>(conn, Lite::CLAIM_EXHAUSTED, kinds, max_attempts, now, lease_until).await
    }

    async fn finish_job(&self, id: JobId) -> StorageResult<()> {
        job::finish::<Lite>(&mut *self.write().await?, id).await
    }

    async fn retry_or_fail_job(
        &self,
        id: JobId,
        error: &str,
        run_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        job::retry_or_fail::<Lite>(&mut *self.write().await?, id, error, run_after, now).await
    }

    async fn pending_jobs(&self, company: CompanyId) -> StorageResult<i64> {
        job::pending::<Lite>(&mut *self.read().await?, company).await
    }
}
