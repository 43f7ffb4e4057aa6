use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, JobId};

/// A unit of background work that survives restarts: claimed with a lease, so a node that
/// dies mid-job lets another (or itself, restarted) take it again once the lease ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub company_id: CompanyId,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Claims so far, this one included.
    pub attempts: i64,
}

#[async_trait]
pub trait JobStore {
    /// Takes the oldest runnable job of one of `kinds` (queued and due, or running with an
    /// expired lease), marks it running until `lease_until` and counts the attempt.
    /// Cross-tenant by design: the worker serves every company. Safe under concurrent
    /// claimers (no job is handed to two at once).
    async fn claim_job(
        &self,
        kinds: &[&str],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>>;

    /// The job is done; it is removed.
    async fn finish_job(&self, id: JobId) -> StorageResult<()>;

    /// Puts the job back to `queued` to run after `run_after`, or marks it `failed` for good
    /// when `run_after` is none; `error` is kept either way.
    async fn retry_or_fail_job(
        &self,
        id: JobId,
        error: &str,
        run_after: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StorageResult<()>;

    /// Jobs of `company` not yet finished (queued or running); for tests and `/ready`.
    async fn pending_jobs(&self, company: CompanyId) -> StorageResult<i64>;
}
