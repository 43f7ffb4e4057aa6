//! Session lifecycle: create, read, revoke one, revoke all but one, purge.

use crate::data::{self, assert_not_found, name};
use chrono::{DateTime, Duration, Utc};
use switchboard_domain::{CompanyId, CustomerId, Role, SessionId};
use switchboard_storage::{Backend, Session, SessionSubject};

async fn revoked_at(
    backend: &dyn Backend,
    company: CompanyId,
    id: SessionId,
) -> Option<DateTime<Utc>> {
    let session = backend.get_session(company, id).await;
    session.unwrap_or_else(|e| panic!("{}: get_session {id}: {e}", name(backend))).revoked_at
}

async fn create(
    backend: &dyn Backend,
    company: CompanyId,
    subject: SessionSubject,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SessionId {
    let role = match subject {
        SessionSubject::User(_) => Role::CompanyAdmin,
        SessionSubject::Customer(_) => Role::Customer,
    };
    let new = data::session(subject, role, expires_at);
    let session = backend.create_session(company, new, now).await;
    session.unwrap_or_else(|e| panic!("{}: create_session: {e}", name(backend))).id
}

/// A session reads back as created, revokes once, and "sign out everywhere else" ends every
/// live session of one subject except the one kept (or all of them when none is kept).
pub async fn sessions_story(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let hour = Duration::hours(1);
    let tenant = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let (company, first) = (tenant.company.id, tenant.session);
    let admin = SessionSubject::User(tenant.admin.id);

    let new = data::session(admin, Role::CompanyAdmin, now + hour);
    let created = backend.create_session(company, new.clone(), now).await.expect("create");
    let expected = Session {
        id: new.id,
        company_id: company,
        subject: admin,
        role: Role::CompanyAdmin,
        created_at: now,
        expires_at: now + hour,
        last_seen_at: now,
        revoked_at: None,
    };
    assert_eq!(created, expected, "{be}: created session");
    assert_eq!(backend.get_session(company, new.id).await.expect("get"), expected, "{be}");
    assert!(created.is_live(now), "{be}: live before expiry");
    assert!(!created.is_live(now + hour), "{be}: dead at expiry");

    // Revoking one session stamps it once; a second revocation keeps the first time.
    let one = created.id;
    let t1 = now + Duration::minutes(1);
    backend.revoke_session(company, one, t1).await.expect("revoke");
    assert_eq!(revoked_at(backend, company, one).await, Some(t1), "{be}: revoked once");
    backend.revoke_session(company, one, t1 + hour).await.expect("revoke again");
    assert_eq!(revoked_at(backend, company, one).await, Some(t1), "{be}: revoked twice");
    let revoked = backend.get_session(company, one).await.expect("get revoked");
    assert!(!revoked.is_live(t1), "{be}: revoked session is not live");

    // "Sign out everywhere else": every live session of the subject but `keep`.
    let keep = create(backend, company, admin, now + hour, now).await;
    let other = create(backend, company, admin, now + hour, now).await;
    let customer = SessionSubject::Customer(CustomerId::new());
    let shopper = create(backend, company, customer, now + hour, now).await;
    let t2 = now + Duration::minutes(2);
    let ended = backend.revoke_subject_sessions(company, admin, Some(keep), t2).await;
    assert_eq!(ended.expect("revoke all but keep"), 2, "{be}: first and other ended");
    for (id, want) in [(first, Some(t2)), (other, Some(t2)), (one, Some(t1)), (keep, None)] {
        assert_eq!(revoked_at(backend, company, id).await, want, "{be}: session {id}");
    }
    assert_eq!(revoked_at(backend, company, shopper).await, None, "{be}: other subject");

    // Without `keep` nothing is spared.
    let t3 = now + Duration::minutes(3);
    let ended = backend.revoke_subject_sessions(company, admin, None, t3).await;
    assert_eq!(ended.expect("revoke all"), 1, "{be}: keep ended");
    assert_eq!(revoked_at(backend, company, keep).await, Some(t3), "{be}: keep revoked");
    let ended = backend.revoke_subject_sessions(company, admin, None, t3).await;
    assert_eq!(ended.expect("revoke none left"), 0, "{be}: nothing left to end");
    let ended = backend.revoke_subject_sessions(company, customer, None, t3).await;
    assert_eq!(ended.expect("revoke customer"), 1, "{be}: customer session ended");
}

/// Purging removes sessions expired or revoked before the cut-off in every company, and
/// nothing else.
pub async fn sessions_are_purged_across_companies(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let before = now + Duration::hours(1);
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;
    let (ca, cb) = (a.company.id, b.company.id);
    let (ann, gus) = (SessionSubject::User(a.admin.id), SessionSubject::User(b.admin.id));

    let expired = create(backend, ca, ann, now - Duration::minutes(1), now).await;
    let expired_in_b = create(backend, cb, gus, now + Duration::minutes(30), now).await;
    let at_cutoff = create(backend, ca, ann, before, now).await;
    let revoked_early = create(backend, ca, ann, now + Duration::hours(2), now).await;
    let revoked_late = create(backend, ca, ann, now + Duration::hours(2), now).await;
    backend.revoke_session(ca, revoked_early, now + Duration::minutes(10)).await.expect("revoke");
    backend.revoke_session(ca, revoked_late, before + Duration::minutes(1)).await.expect("revoke");

    let purged = backend.purge_sessions(before).await.expect("purge");
    assert_eq!(purged, 3, "{be}: expired, expired in b and revoked early");
    for (company, id) in [(ca, expired), (cb, expired_in_b), (ca, revoked_early)] {
        assert_not_found(backend, "purged session", backend.get_session(company, id).await);
    }
    // The bound is strict: a session expiring exactly at the cut-off stays.
    for (company, id) in [(ca, a.session), (cb, b.session), (ca, at_cutoff), (ca, revoked_late)] {
        let kept = backend.get_session(company, id).await;
        assert!(kept.is_ok(), "{be}: session {id} should survive the purge: {kept:?}");
    }
    assert_eq!(backend.purge_sessions(before).await.expect("purge again"), 0, "{be}: idempotent");
}
