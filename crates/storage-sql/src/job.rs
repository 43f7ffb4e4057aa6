//! The job queue.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Job, StorageError, StorageResult};

/// What the queue needs from an engine: its two claim statements, which pick and lease one
/// job atomically in the engine's own way (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the single
/// writer on SQLite). Both take the kinds (a text list) as `$1`, the time as `$2`, the lease
/// end as `$3` and the attempt limit as `$4`, and return `id, company_id, kind, payload,
/// attempts`.
pub trait JobDialect: Dialect {
    /// The next runnable job still under the attempt limit, preferring companies with
    /// nothing running; counts the attempt.
    const CLAIM: &'static str;
    /// The next runnable job at or over the attempt limit, without counting an attempt.
    const CLAIM_EXHAUSTED: &'static str;
}

/// Runnable jobs (queued and due, or running under an expired lease) among `jobs j`, for
/// [`claim_job_sql`] and [`claim_exhausted_job_sql`]: `$kind_in_list` is the engine's test of
/// `j.kind` against the list `$1`.
#[doc(hidden)]
#[macro_export]
macro_rules! runnable_jobs_sql {
    ($kind_in_list:literal) => {
        concat!(
            $kind_in_list,
            " AND ((j.status = 'queued' AND j.run_after <= $2) \
               OR (j.status = 'running' AND j.locked_until < $2))"
        )
    };
}

/// [`JobDialect::CLAIM`] from the engine's membership test of `j.kind` in `$1` and its row
/// lock clause for the picked job (empty where the engine has none).
#[macro_export]
macro_rules! claim_job_sql {
    ($kind_in_list:literal, $lock:literal) => {
        concat!(
            "UPDATE jobs SET status = 'running', locked_until = $3, attempts = attempts + 1, \
             updated_at = $2 WHERE id = (SELECT j.id FROM jobs j WHERE ",
            $crate::runnable_jobs_sql!($kind_in_list),
            " AND j.attempts < $4 \
               ORDER BY EXISTS (SELECT 1 FROM jobs busy \
                   WHERE busy.company_id = j.company_id AND busy.status = 'running' \
                     AND busy.locked_until >= $2), \
                 j.run_after, j.id LIMIT 1 ",
            $lock,
            ") RETURNING id, company_id, kind, payload, attempts"
        )
    };
}

/// [`JobDialect::CLAIM_EXHAUSTED`], from the same two engine fragments as
/// [`claim_job_sql`].
#[macro_export]
macro_rules! claim_exhausted_job_sql {
    ($kind_in_list:literal, $lock:literal) => {
        concat!(
            "UPDATE jobs SET status = 'running', locked_until = $3, updated_at = $2 \
             WHERE id = (SELECT j.id FROM jobs j WHERE ",
            $crate::runnable_jobs_sql!($kind_in_list),
            " AND j.attempts >= $4 ORDER BY j.run_after, j.id LIMIT 1 ",
            $lock,
            ") RETURNING id, company_id, kind, payload, attempts"
        )
    };
}

const INSERT: &str = "INSERT INTO jobs (id, company_id, kind, payload, status, attempts, \
     run_after, created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5, $5)";

const FINISH: &str = "DELETE FROM jobs WHERE id = $1";

const RETRY_OR_FAIL: &str = "UPDATE jobs SET status = CASE WHEN $1 IS NULL THEN 'failed' \
     ELSE 'queued' END, run_after = COALESCE($1, run_after), locked_until = NULL, \
     last_error = $2, updated_at = $3 WHERE id = $4";

const PENDING: &str = "SELECT count(*) AS n FROM jobs \
     WHERE company_id = $1 AND status IN ('queued', 'running')";

fn job_from_row(row: &impl SqlRow) -> StorageResult<Job> {
    Ok(Job {
        id: JobId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        kind: row.text("kind")?,
        payload: row.json("payload")?,
        attempts: i64::from(row.int("attempts")?),
    })
}

/// Queues a job due at once, inside the caller's transaction, so the job exists exactly when
/// the change that needs it does.
pub async fn queue<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: JobId,
    kind: &str,
    payload: &serde_json::Value,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds =
        Binds::new().id(id.as_uuid()).id(company.as_uuid()).text(kind).json(payload).time(now);
    D::execute(conn, INSERT, binds).await.map(|_| ())
}

/// Runs one of the claim statements.
pub async fn claim<D: JobDialect>(
    conn: &mut D::Conn,
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
    let binds =
        Binds::new().texts(kinds.iter().copied()).time(now).time(lease_until).int(max_attempts);
    D::fetch_optional(conn, sql, binds).await?.as_ref().map(job_from_row).transpose()
}

pub async fn finish<D: Dialect>(conn: &mut D::Conn, id: JobId) -> StorageResult<()> {
    match D::execute(conn, FINISH, Binds::new().id(id.as_uuid())).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

/// Queues the job again at `run_after`, or fails it for good when there is none.
pub async fn retry_or_fail<D: Dialect>(
    conn: &mut D::Conn,
    id: JobId,
    error: &str,
    run_after: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new().opt_time(run_after).text(error).time(now).id(id.as_uuid());
    match D::execute(conn, RETRY_OR_FAIL, binds).await? {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

pub async fn pending<D: Dialect>(conn: &mut D::Conn, company: CompanyId) -> StorageResult<i64> {
    D::fetch_one(conn, PENDING, Binds::new().id(company.as_uuid())).await?.big("n")
}
