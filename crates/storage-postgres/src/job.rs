use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, JobStore, StorageError, StorageResult};

/// Queues a job due at once, inside the caller's (tenant) transaction, so the job exists
/// exactly when the change that needs it does.
pub(crate) async fn queue_job(
    conn: &mut PgConnection,
    company: CompanyId,
    id: JobId,
    kind: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO jobs (id, company_id, kind, payload, status, attempts, run_after, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5, $5)",
    )
    .bind(id.as_uuid())
    .bind(company.as_uuid())
    .bind(kind)
    .bind(payload)
    .bind(now)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn job_from_row(row: &PgRow) -> StorageResult<Job> {
    let attempts: i32 = row.try_get("attempts").map_err(db_err)?;
    Ok(Job {
        id: JobId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        kind: row.try_get("kind").map_err(db_err)?,
        payload: row.try_get("payload").map_err(db_err)?,
        attempts: i64::from(attempts),
    })
}

/// Runnable jobs of the kinds in `$1` at time `$2`: queued and due, or running under an
/// expired lease.
/// (A macro so that the statements stay `&'static str` built by `concat!`.)
macro_rules! runnable {
    () => {
        "j.kind = ANY($1) \
     AND ((j.status = 'queued' AND j.run_after <= $2) \
       OR (j.status = 'running' AND j.locked_until < $2))"
    };
}

// The queue serves every company, so these methods run as the owner role, outside row-level
// security; `pending_jobs` is per company and runs in its tenant transaction.
#[async_trait]
impl JobStore for PostgresBackend {
    /// `FOR UPDATE SKIP LOCKED` makes concurrent claimers (several server nodes) pass over a
    /// row another is taking instead of waiting for it or taking it too; a row another claim
    /// committed in the meantime is re-checked against the WHERE clause before it is locked.
    /// Two nodes claiming at the same instant may both see a company idle: the preference
    /// for idle companies is best effort, the single hand-out is not.
    async fn claim_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let sql = concat!(
            "UPDATE jobs SET status = 'running', locked_until = $3, attempts = attempts + 1, \
             updated_at = $2 \
             WHERE id = (SELECT j.id FROM jobs j WHERE ",
            runnable!(),
            " AND j.attempts < $4 \
               ORDER BY EXISTS (SELECT 1 FROM jobs busy \
                   WHERE busy.company_id = j.company_id AND busy.status = 'running' \
                     AND busy.locked_until >= $2), \
                 j.run_after, j.id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, company_id, kind, payload, attempts"
        );
        self.lease(sql, kinds, max_attempts, now, lease_until).await
    }

    async fn claim_exhausted_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let sql = concat!(
            "UPDATE jobs SET status = 'running', locked_until = $3, updated_at = $2 \
             WHERE id = (SELECT j.id FROM jobs j WHERE ",
            runnable!(),
            " AND j.attempts >= $4 \
               ORDER BY j.run_after, j.id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, company_id, kind, payload, attempts"
        );
        self.lease(sql, kinds, max_attempts, now, lease_until).await
    }

    async fn finish_job(&self, id: JobId) -> StorageResult<()> {
        let done = sqlx::query("DELETE FROM jobs WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn retry_or_fail_job(
        &self,
        id: JobId,
        error: &str,
        run_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        let done = sqlx::query(
            "UPDATE jobs SET status = CASE WHEN $1::timestamptz IS NULL THEN 'failed' \
             ELSE 'queued' END, run_after = COALESCE($1, run_after), locked_until = NULL, \
             last_error = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(run_after)
        .bind(error)
        .bind(now)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn pending_jobs(&self, company: CompanyId) -> StorageResult<i64> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(
            "SELECT count(*) AS n FROM jobs \
             WHERE company_id = $1 AND status IN ('queued', 'running')",
        )
        .bind(company.as_uuid())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        row.try_get("n").map_err(db_err)
    }
}

impl PostgresBackend {
    /// Runs one of the claim statements (parameters: kinds, now, lease end, attempt limit).
    async fn lease(
        &self,
        sql: &'static str,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        // The column is an INTEGER; a limit beyond it is no limit.
        let max_attempts = i32::try_from(max_attempts).unwrap_or(i32::MAX);
        let row = sqlx::query(sql)
            .bind(kinds.to_vec())
            .bind(now)
            .bind(lease_until)
            .bind(max_attempts)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(job_from_row).transpose()
    }
}
