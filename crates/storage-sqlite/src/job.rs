use crate::{SqliteBackend, db_err, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, JobStore, StorageError, StorageResult};

/// Queues a job due at once, inside the caller's transaction, so the job exists exactly when
/// the change that needs it does.
pub(crate) async fn queue_job(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    id: JobId,
    kind: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let now = ts(now);
    sqlx::query(
        "INSERT INTO jobs (id, company_id, kind, payload, status, attempts, run_after, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'queued', 0, ?5, ?5, ?5)",
    )
    .bind(id.to_string())
    .bind(company.to_string())
    .bind(kind)
    .bind(payload.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn job_from_row(row: &SqliteRow) -> StorageResult<Job> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let payload = text("payload")?;
    Ok(Job {
        id: JobId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        kind: text("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StorageError::corrupt(format!("bad job payload {payload:?}: {e}")))?,
        attempts: row.try_get("attempts").map_err(db_err)?,
    })
}

/// Runnable jobs of the kinds in `?3` (a JSON array) at time `?2`: queued and due, or
/// running under an expired lease.
/// (A macro so that the statements stay `&'static str` built by `concat!`.)
macro_rules! runnable {
    () => {
        "j.kind IN (SELECT value FROM json_each(?3)) \
     AND ((j.status = 'queued' AND j.run_after <= ?2) \
       OR (j.status = 'running' AND j.locked_until < ?2))"
    };
}

#[async_trait]
impl JobStore for SqliteBackend {
    /// One statement on the single writer connection: the pick and the claim cannot be
    /// interleaved with another claimer's, so no job is handed out twice.
    async fn claim_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>> {
        let sql = concat!(
            "UPDATE jobs SET status = 'running', locked_until = ?1, attempts = attempts + 1, \
             updated_at = ?2 \
             WHERE id = (SELECT j.id FROM jobs j WHERE ",
            runnable!(),
            " AND j.attempts < ?4 \
               ORDER BY EXISTS (SELECT 1 FROM jobs busy \
                   WHERE busy.company_id = j.company_id AND busy.status = 'running' \
                     AND busy.locked_until >= ?2), \
                 j.run_after, j.id LIMIT 1) \
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
            "UPDATE jobs SET status = 'running', locked_until = ?1, updated_at = ?2 \
             WHERE id = (SELECT j.id FROM jobs j WHERE ",
            runnable!(),
            " AND j.attempts >= ?4 \
               ORDER BY j.run_after, j.id LIMIT 1) \
             RETURNING id, company_id, kind, payload, attempts"
        );
        self.lease(sql, kinds, max_attempts, now, lease_until).await
    }

    async fn finish_job(&self, id: JobId) -> StorageResult<()> {
        let done = sqlx::query("DELETE FROM jobs WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.writer)
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
            "UPDATE jobs SET status = CASE WHEN ?1 IS NULL THEN 'failed' ELSE 'queued' END, \
             run_after = COALESCE(?1, run_after), locked_until = NULL, last_error = ?2, \
             updated_at = ?3 WHERE id = ?4",
        )
        .bind(run_after.map(ts))
        .bind(error)
        .bind(ts(now))
        .bind(id.to_string())
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn pending_jobs(&self, company: CompanyId) -> StorageResult<i64> {
        let row = sqlx::query(
            "SELECT count(*) AS n FROM jobs \
             WHERE company_id = ? AND status IN ('queued', 'running')",
        )
        .bind(company.to_string())
        .fetch_one(&self.reader)
        .await
        .map_err(db_err)?;
        row.try_get("n").map_err(db_err)
    }
}

impl SqliteBackend {
    /// Runs one of the claim statements (parameters: lease end, now, kinds, attempt limit).
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
        let kinds = serde_json::to_string(kinds).map_err(StorageError::other)?;
        let row = sqlx::query(sql)
            .bind(ts(lease_until))
            .bind(ts(now))
            .bind(kinds)
            .bind(max_attempts)
            .fetch_optional(&self.writer)
            .await
            .map_err(db_err)?;
        row.as_ref().map(job_from_row).transpose()
    }
}
