use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, JobStore, StorageResult};
use switchboard_storage_sql::job::{self, JobDialect};

/// Runnable jobs of the kinds in `$1` (a JSON array) at time `$2`: queued and due, or
/// running under an expired lease.
/// (A macro so that the statements stay `&'static str` built by `concat!`.)
macro_rules! runnable {
    () => {
        "j.kind IN (SELECT value FROM json_each($1)) \
     AND ((j.status = 'queued' AND j.run_after <= $2) \
       OR (j.status = 'running' AND j.locked_until < $2))"
    };
}

/// One statement on the single writer connection: the pick and the claim cannot be
/// interleaved with another claimer's, so no job is handed out twice.
impl JobDialect for Lite {
    const CLAIM: &'static str = concat!(
        "UPDATE jobs SET status = 'running', locked_until = $3, attempts = attempts + 1, \
         updated_at = $2 \
         WHERE id = (SELECT j.id FROM jobs j WHERE ",
        runnable!(),
        " AND j.attempts < $4 \
           ORDER BY EXISTS (SELECT 1 FROM jobs busy \
               WHERE busy.company_id = j.company_id AND busy.status = 'running' \
                 AND busy.locked_until >= $2), \
             j.run_after, j.id LIMIT 1) \
         RETURNING id, company_id, kind, payload, attempts"
    );

    const CLAIM_EXHAUSTED: &'static str = concat!(
        "UPDATE jobs SET status = 'running', locked_until = $3, updated_at = $2 \
         WHERE id = (SELECT j.id FROM jobs j WHERE ",
        runnable!(),
        " AND j.attempts >= $4 \
           ORDER BY j.run_after, j.id LIMIT 1) \
         RETURNING id, company_id, kind, payload, attempts"
    );
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
