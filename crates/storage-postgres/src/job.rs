use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, JobStore, StorageResult};
use switchboard_storage_sql::job::{self, JobDialect};
use switchboard_storage_sql::{claim_exhausted_job_sql, claim_job_sql};

/// `FOR UPDATE SKIP LOCKED` makes concurrent claimers (several server nodes) pass over a row
/// another is taking instead of waiting for it or taking it too; a row another claim
/// committed in the meantime is re-checked against the WHERE clause before it is locked.
/// Two nodes claiming at the same instant may both see a company idle: the preference for
/// idle companies is best effort, the single hand-out is not.
impl JobDialect for Pg {
    const CLAIM: &'static str = claim_job_sql!("j.kind = ANY($1)", "FOR UPDATE SKIP LOCKED");
    const CLAIM_EXHAUSTED: &'static str =
        claim_exhausted_job_sql!("j.kind = ANY($1)", "FOR UPDATE SKIP LOCKED");
}

// The queue serves every company, so these methods run as the owner role, outside row-level
// security; `pending_jobs` is per company and runs in its tenant transaction.
#[async_trait]
impl JobStore for PostgresBackend {
    async fn claim_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let conn = &mut *self.owner().await?;
        job::claim::<Pg>(conn, Pg::CLAIM, kinds, max_attempts, now, lease_until).await
    }

    async fn claim_exhausted_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let conn = &mut *self.owner().await?;
        job::claim::<Pg>(conn, Pg::CLAIM_EXHAUSTED, kinds, max_attempts, now, lease_until).await
    }

    async fn finish_job(&self, id: JobId) -> StorageResult<()> {
        job::finish::<Pg>(&mut *self.owner().await?, id).await
    }

    async fn retry_or_fail_job(
        &self,
        id: JobId,
        error: &str,
        run_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        job::retry_or_fail::<Pg>(&mut *self.owner().await?, id, error, run_after, now).await
    }

    async fn pending_jobs(&self, company: CompanyId) -> StorageResult<i64> {
        self.as_tenant(company, async |tx| job::pending::<Pg>(tx, company).await).await
    }
}
