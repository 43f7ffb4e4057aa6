//! The durable job queue: leases, attempts, retry and failure, order, and concurrent claims.

use crate::data::{self, name};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use switchboard_domain::{CompanyId, JobId};
use switchboard_storage::{Backend, StorageError};

const INDEX_DOCUMENT: &str = "index_document";
/// An attempt limit the stories never reach, where attempts are not the point.
const NO_LIMIT: i64 = 100;

/// Uploads a document, which queues its indexing job due at `at`; returns the job's id.
async fn queue(backend: &dyn Backend, company: CompanyId, at: DateTime<Utc>) -> JobId {
    let new = data::new_document("Doc", "text", at);
    let job = new.job_id;
    let created = backend.create_document(company, new).await;
    created.unwrap_or_else(|e| panic!("{}: create_document: {e}", name(backend)));
    job
}

/// A job is handed out once per lease; after the lease ends it is handed out again with the
/// attempt counted. Retry puts it back for later, failure retires it, finishing removes it.
pub async fn jobs_are_leased_retried_failed_and_finished(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let at = |s: i64| now + Duration::seconds(s);
    let id = queue(backend, company, now).await;

    assert_eq!(
        backend.claim_job(&["route_drain"], NO_LIMIT, now, at(60)).await.unwrap(),
        None,
        "{be}: kind"
    );
    assert_eq!(
        backend.claim_job(&[], NO_LIMIT, now, at(60)).await.unwrap(),
        None,
        "{be}: no kinds"
    );
    assert_eq!(
        backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(-1), at(60)).await.unwrap(),
        None,
        "{be}: not yet due"
    );

    let job =
        backend.claim_job(&["route_drain", INDEX_DOCUMENT], NO_LIMIT, now, at(60)).await.unwrap();
    let job = job.expect("the due job");
    assert_eq!((job.id, job.company_id, job.attempts), (id, company, 1), "{be}");
    assert_eq!(
        backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(59), at(120)).await.unwrap(),
        None,
        "{be}: leased"
    );
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 1, "{be}: running is pending");

    // The claimer died: once the lease is over the job is handed out again.
    let again = backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(61), at(120)).await.unwrap();
    assert_eq!(again.map(|j| (j.id, j.attempts)), Some((id, 2)), "{be}: re-handed");

    backend.retry_or_fail_job(id, "model timed out", Some(at(300)), at(62)).await.unwrap();
    assert_eq!(
        backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(299), at(400)).await.unwrap(),
        None,
        "{be}: backing off"
    );
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 1, "{be}: queued is pending");
    let third = backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(300), at(400)).await.unwrap();
    assert_eq!(third.map(|j| j.attempts), Some(3), "{be}");

    backend.retry_or_fail_job(id, "gave up", None, at(301)).await.unwrap();
    assert_eq!(
        backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(10_000), at(20_000)).await.unwrap(),
        None,
        "{be}: failed for good"
    );
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 0, "{be}: failed is not pending");

    let other = queue(backend, company, at(400)).await;
    let claimed = backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(400), at(460)).await.unwrap();
    assert_eq!(claimed.map(|j| j.id), Some(other), "{be}");
    backend.finish_job(other).await.unwrap();
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 0, "{be}: finished");
    assert!(
        matches!(backend.finish_job(other).await, Err(StorageError::NotFound)),
        "{be}: removed"
    );
    let missing = backend.retry_or_fail_job(JobId::new(), "x", None, at(500)).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{be}: {missing:?}");
}

/// Claims take the job that has been due longest, across companies (the worker serves all).
pub async fn jobs_are_claimed_oldest_first_across_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let other = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let at = |s: i64| now + Duration::seconds(s);
    // Queued in this order, due in another.
    let late = queue(backend, acme.company.id, at(3)).await;
    let early = queue(backend, other.company.id, at(1)).await;
    let middle = queue(backend, acme.company.id, at(2)).await;
    let mut order = Vec::new();
    while let Some(job) =
        backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, at(10), at(70)).await.unwrap()
    {
        order.push((job.id, job.company_id));
    }
    let want = [(early, other.company.id), (middle, acme.company.id), (late, acme.company.id)];
    assert_eq!(order, want, "{be}");
    assert_eq!(backend.pending_jobs(acme.company.id).await.unwrap(), 2, "{be}");
    assert_eq!(backend.pending_jobs(other.company.id).await.unwrap(), 1, "{be}");
}

/// Claimers racing for the same queue never get the same job, and between them get all.
pub async fn concurrent_claimers_never_share_a_job(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let mut queued = HashSet::new();
    for _ in 0..24 {
        queued.insert(queue(backend, acme.company.id, now).await);
    }
    let lease = now + Duration::minutes(5);
    let claimer = async || {
        let mut got = Vec::new();
        while let Some(job) =
            backend.claim_job(&[INDEX_DOCUMENT], NO_LIMIT, now, lease).await.unwrap()
        {
            got.push(job.id);
        }
        got
    };
    let (a, b, c, d) = tokio::join!(claimer(), claimer(), claimer(), claimer());
    let all: Vec<JobId> = [a, b, c, d].concat();
    let distinct: HashSet<JobId> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len(), "{be}: a job was handed out twice");
    assert_eq!(distinct, queued, "{be}: every job was handed out");
}

/// A job claimed `max_attempts` times is never claimed again, even once its lease is over
/// (its process died each time); it is handed out once, unclaimed, to be failed for good.
pub async fn exhausted_jobs_are_not_claimed_but_handed_out_to_fail(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let acme = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let company = acme.company.id;
    let at = |s: i64| now + Duration::seconds(s);
    let kinds = [INDEX_DOCUMENT];
    let id = queue(backend, company, now).await;

    assert_eq!(
        backend.claim_exhausted_job(&kinds, 2, now, at(60)).await.unwrap(),
        None,
        "{be}: fresh jobs are not exhausted"
    );
    // Two claims whose leases run out: the claimer died both times.
    for (n, t) in [(1, 0), (2, 61)] {
        let job = backend.claim_job(&kinds, 2, at(t), at(t + 60)).await.unwrap();
        assert_eq!(job.map(|j| (j.id, j.attempts)), Some((id, n)), "{be}: claim {n}");
    }
    assert_eq!(
        backend.claim_exhausted_job(&kinds, 2, at(100), at(160)).await.unwrap(),
        None,
        "{be}: the last attempt is still under its lease"
    );
    assert_eq!(
        backend.claim_job(&kinds, 2, at(200), at(260)).await.unwrap(),
        None,
        "{be}: the attempts are used up"
    );
    assert_eq!(
        backend.claim_job(&kinds, 3, at(200), at(260)).await.unwrap().map(|j| j.attempts),
        Some(3),
        "{be}: a higher limit would allow another"
    );

    // Under the limit of 3 now exhausted too; handed out without counting an attempt.
    let exhausted = backend.claim_exhausted_job(&kinds, 3, at(300), at(360)).await.unwrap();
    assert_eq!(exhausted.map(|j| (j.id, j.attempts)), Some((id, 3)), "{be}: to be failed");
    assert_eq!(
        backend.claim_exhausted_job(&kinds, 3, at(301), at(360)).await.unwrap(),
        None,
        "{be}: leased to the one failing it"
    );
    // That claimer died too: the job comes back to be failed.
    let again = backend.claim_exhausted_job(&kinds, 3, at(361), at(420)).await.unwrap();
    assert_eq!(again.map(|j| (j.id, j.attempts)), Some((id, 3)), "{be}: handed out again");
    backend
        .retry_or_fail_job(id, "the server stopped during every attempt", None, at(362))
        .await
        .unwrap();
    assert_eq!(backend.claim_exhausted_job(&kinds, 3, at(1000), at(1060)).await.unwrap(), None);
    assert_eq!(backend.claim_job(&kinds, 100, at(1000), at(1060)).await.unwrap(), None, "{be}");
    assert_eq!(backend.pending_jobs(company).await.unwrap(), 0, "{be}: failed for good");
}

/// A company with a job running waits while another company has work: claims go first to
/// companies with nothing running, then by age.
pub async fn claims_prefer_companies_with_nothing_running(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let busy = data::register(backend, "hello@acme.test", "ann@acme.test", now).await;
    let quiet = data::register(backend, "hello@other.test", "oli@other.test", now).await;
    let (busy, quiet) = (busy.company.id, quiet.company.id);
    let at = |s: i64| now + Duration::seconds(s);
    let kinds = [INDEX_DOCUMENT];
    let first = queue(backend, busy, at(1)).await;
    let second = queue(backend, busy, at(2)).await;
    let third = queue(backend, busy, at(3)).await;
    let late = queue(backend, quiet, at(4)).await;
    let claim = async |t: i64| {
        let job = backend.claim_job(&kinds, NO_LIMIT, at(t), at(t + 60)).await.unwrap();
        job.map(|j| j.id)
    };

    assert_eq!(claim(10).await, Some(first), "{be}: oldest first while nothing runs");
    assert_eq!(claim(11).await, Some(late), "{be}: the idle company before the busy one");
    assert_eq!(claim(12).await, Some(second), "{be}: then by age");
    backend.finish_job(late).await.unwrap();
    assert_eq!(claim(13).await, Some(third), "{be}");

    // Running jobs whose leases ran out do not make their company busy: by age again.
    let next = queue(backend, quiet, at(14)).await;
    assert_eq!(claim(100).await, Some(first), "{be}: expired leases are not running");
    assert_eq!(claim(101).await, Some(next), "{be}: and the company is busy again");
}
