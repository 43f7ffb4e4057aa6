//! The background job workers: take persistent jobs from the database (claimed with a lease,
//! so a restart or a crash only delays them) and run them, a few at a time per node.
//!
//! Bounds, so that no document can take the service down or hold it up:
//! - `job_workers` jobs at most run at once on a node, and a claim prefers companies with
//!   no job running anywhere, so one company's slow documents never queue another's;
//! - each job has `job_timeout` to finish; a document still indexing then is failed with
//!   the reason (extraction checks the same deadline, so its thread stops as well);
//! - a job is claimed at most [`MAX_ATTEMPTS`] times: one whose process died during each
//!   attempt (nothing could record an outcome) is failed for good, with its document.

use crate::state::AppState;
use chrono::{Duration, Utc};
use std::time::Duration as StdDuration;
use switchboard_ai::knowledge::IndexOutcome;
use switchboard_domain::DocumentId;
use switchboard_storage::{Job, StorageError};

pub const INDEX_DOCUMENT: &str = "index_document";
const KINDS: &[&str] = &[INDEX_DOCUMENT];
/// How long a lease outlives the job's time budget: room to record the outcome. A job still
/// running after its lease belongs to a process that died.
const LEASE_MARGIN_SECS: i64 = 60;
/// Idle poll: picks up jobs queued through other nodes and leases of crashed ones.
const POLL: StdDuration = StdDuration::from_secs(2);
/// Claims a job may have, for transient failures and deaths of its process together.
pub const MAX_ATTEMPTS: i64 = 5;

/// Runs `config.job_workers` workers (at least one) until the task is dropped, which
/// drops the workers with it.
pub async fn run_worker(state: AppState) {
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..state.config.job_workers.max(1) {
        workers.spawn(work(state.clone()));
    }
    while workers.join_next().await.is_some() {}
}

async fn work(state: AppState) {
    loop {
        match step(&state).await {
            Ok(true) => {}
            Ok(false) => {
                // Either a wake-up or the poll interval, whichever comes first.
                let _ = tokio::time::timeout(POLL, state.jobs_queued.notified()).await;
            }
            Err(e) => {
                tracing::warn!(error.message = %e, "claiming a job failed; retrying shortly");
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

/// Claims one job that is due and runs it to its outcome; `false` when none is due.
async fn step(state: &AppState) -> Result<bool, StorageError> {
    let now = Utc::now();
    let lease_until = now + lease(state);
    // Jobs that can no longer be claimed are failed first: they are few, and their
    // documents should not stay `processing`.
    if let Some(job) = state.db.claim_exhausted_job(KINDS, MAX_ATTEMPTS, now, lease_until).await? {
        exhausted(state, job).await;
        return Ok(true);
    }
    match state.db.claim_job(KINDS, MAX_ATTEMPTS, now, lease_until).await? {
        Some(job) => {
            run(state, job).await;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Runs a server's jobs on demand instead of in the background, for tests that step the
/// worker rather than poll for its effects (see `Application::without_job_worker`).
#[derive(Clone)]
pub struct JobRunner {
    state: AppState,
}

impl JobRunner {
    pub(crate) fn new(state: AppState) -> Self {
        Self { state }
    }

    /// Runs every job that is due, one at a time, until none is left (a job a failure
    /// deferred to a later retry is not due yet); returns how many ran.
    pub async fn run_pending(&self) -> Result<usize, StorageError> {
        let mut ran = 0;
        while step(&self.state).await? {
            ran += 1;
        }
        Ok(ran)
    }
}

fn lease(state: &AppState) -> Duration {
    let budget = i64::try_from(state.config.job_timeout.as_secs()).unwrap_or(i64::MAX / 2);
    Duration::seconds(budget.saturating_add(LEASE_MARGIN_SECS).min(i64::MAX / 1000))
}

#[tracing::instrument(skip_all, fields(job.id = %job.id, job.kind = %job.kind, company.id = %job.company_id))]
async fn run(state: &AppState, job: Job) {
    let result = match job.kind.as_str() {
        INDEX_DOCUMENT => index_document(state, &job).await,
        other => Err(format!("unknown job kind {other:?}")),
    };
    let outcome = match result {
        Ok(()) => state.db.finish_job(job.id).await,
        Err(error) if job.attempts < MAX_ATTEMPTS => {
            // 2, 4, 8, 16 s: long enough for a restarted embedding service or database.
            let delay = Duration::seconds(1 << job.attempts.clamp(1, 5));
            tracing::warn!(error.message = %error, attempts = job.attempts, "job failed; will retry");
            state.db.retry_or_fail_job(job.id, &error, Some(Utc::now() + delay), Utc::now()).await
        }
        Err(error) => {
            tracing::error!(error.message = %error, attempts = job.attempts, "job failed for good");
            let reason = format!("indexing failed after {} attempts: {error}", job.attempts);
            give_up(state, &job, &reason).await;
            state.db.retry_or_fail_job(job.id, &error, None, Utc::now()).await
        }
    };
    if let Err(e) = outcome {
        tracing::warn!(error.message = %e, "recording the job's outcome failed; its lease will expire");
    }
}

/// A job whose attempts are used up without an outcome: each ended with its process.
#[tracing::instrument(skip_all, fields(job.id = %job.id, job.kind = %job.kind, company.id = %job.company_id))]
async fn exhausted(state: &AppState, job: Job) {
    let reason = format!(
        "indexing was started {} times and never finished (the server stopped during each attempt)",
        job.attempts
    );
    tracing::error!(attempts = job.attempts, "job never finished; failing it");
    give_up(state, &job, &reason).await;
    if let Err(e) = state.db.retry_or_fail_job(job.id, &reason, None, Utc::now()).await {
        tracing::warn!(error.message = %e, "failing the job did not work; its lease will expire");
    }
}

fn document_of(job: &Job) -> Result<DocumentId, String> {
    job.payload
        .get("documentId")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse::<uuid::Uuid>().ok())
        .map(DocumentId::from_uuid)
        .ok_or_else(|| "job payload has no documentId".to_owned())
}

async fn index_document(state: &AppState, job: &Job) -> Result<(), String> {
    let document = document_of(job)?;
    let started = std::time::Instant::now();
    let budget = state.config.job_timeout;
    // The indexer keeps to the budget itself; this is the backstop for what it awaits
    // (the database, an embedding service), with room to record the failure.
    let backstop = budget.saturating_add(StdDuration::from_secs(10));
    let indexing = state.knowledge.index_document(job.company_id, document, budget);
    match tokio::time::timeout(backstop, indexing).await {
        Ok(Ok(IndexOutcome::Ready { chunks })) => {
            tracing::info!(%document, chunks, elapsed_ms = started.elapsed().as_millis() as u64, "document indexed");
            Ok(())
        }
        Ok(Ok(IndexOutcome::Failed { reason })) => {
            tracing::info!(%document, reason, "document cannot be indexed");
            Ok(())
        }
        Ok(Ok(IndexOutcome::Superseded)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            let reason = format!("indexing took longer than {} s", budget.as_secs());
            tracing::warn!(%document, reason, "document indexing timed out");
            give_up(state, job, &reason).await;
            Ok(())
        }
    }
}

async fn give_up(state: &AppState, job: &Job, reason: &str) {
    if job.kind == INDEX_DOCUMENT
        && let Ok(document) = document_of(job)
        && let Err(e) = state.knowledge.give_up_indexing(job.company_id, document, reason).await
    {
        tracing::warn!(error.message = %e, "marking the document failed did not work");
    }
}
