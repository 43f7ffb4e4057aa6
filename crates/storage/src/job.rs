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
    /// Takes a runnable job of one of `kinds` (queued and due, or running with an expired
    /// lease) that has been claimed fewer than `max_attempts` times, marks it running until
    /// `lease_until` and counts the attempt. Jobs of companies with no job running (under a
    /// live lease, on any node) come first, then the one due longest: one company's queue
    /// of slow documents never holds back another's.
    /// Cross-tenant by design: the worker serves every company. Safe under concurrent
    /// claimers (no job is handed to two at once).
    async fn claim_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StorageResult<Option<Job>>;

    /// Takes a job of one of `kinds` that is runnable but has used its `max_attempts`
    /// claims (a job whose process died with it each time: nothing recorded an outcome),
    /// leasing it until `lease_until` without counting an attempt, so that the caller can
    /// record why and fail it with [`JobStore::retry_or_fail_job`]. Should the caller die
    /// too, the job is handed out here again once the lease ends.
    async fn claim_exhausted_job(
        &self,
        kinds: &[&str],
        max_attempts: i64,
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
