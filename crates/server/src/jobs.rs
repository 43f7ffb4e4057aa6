//! The background job worker: takes persistent jobs from the database (claimed with a lease,
//! so a restart or a crash only delays them) and runs them one at a time per node.

use crate::state::AppState;
use chrono::{Duration, Utc};
use std::time::Duration as StdDuration;
use switchboard_ai::knowledge::IndexOutcome;
use switchboard_domain::DocumentId;
use switchboard_storage::Job;

pub const INDEX_DOCUMENT: &str = "index_document";
const KINDS: &[&str] = &[INDEX_DOCUMENT];
/// How long a claimed job is ours; after that another claimer may take it again.
const LEASE_SECS: i64 = 600;
/// Idle poll: picks up jobs queued through other nodes and leases of crashed ones.
const POLL: StdDuration = StdDuration::from_secs(2);
/// A job that failed this often for transient reasons is given up.
const MAX_ATTEMPTS: i64 = 5;

pub async fn run_worker(state: AppState) {
    loop {
        let now = Utc::now();
        match state.db.claim_job(KINDS, now, now + Duration::seconds(LEASE_SECS)).await {
            Ok(Some(job)) => run(&state, job).await,
            Ok(None) => {
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
            give_up(state, &job, &error).await;
            state.db.retry_or_fail_job(job.id, &error, None, Utc::now()).await
        }
    };
    if let Err(e) = outcome {
        tracing::warn!(error.message = %e, "recording the job's outcome failed; its lease will expire");
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
    match state.knowledge.index_document(job.company_id, document).await {
        Ok(IndexOutcome::Ready { chunks }) => {
            tracing::info!(%document, chunks, elapsed_ms = started.elapsed().as_millis() as u64, "document indexed");
            Ok(())
        }
        Ok(IndexOutcome::Failed { reason }) => {
            tracing::info!(%document, reason, "document cannot be indexed");
            Ok(())
        }
        Ok(IndexOutcome::Superseded) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

async fn give_up(state: &AppState, job: &Job, error: &str) {
    if job.kind == INDEX_DOCUMENT
        && let Ok(document) = document_of(job)
    {
        let reason = format!("indexing failed after {} attempts: {error}", job.attempts);
        if let Err(e) = state.knowledge.give_up_indexing(job.company_id, document, &reason).await {
            tracing::warn!(error.message = %e, "marking the document failed did not work");
        }
    }
}
