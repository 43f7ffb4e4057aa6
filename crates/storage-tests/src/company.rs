//! Registration, users and tenant isolation.

use crate::data::{self, Tenant, assert_not_found, email, name};
use switchboard_domain::{CompanyId, Role, UserStatus};
use switchboard_storage::{
    Backend, Company, CompanyStatus, Session, SessionSubject, StorageError, User,
};

/// Registration writes the company, its admin and the admin's session, all readable back
/// exactly as written.
pub async fn registration_story(backend: &dyn Backend) {
    let be = name(backend);
    backend.ping().await.unwrap_or_else(|e| panic!("{be}: ping: {e}"));
    let now = data::now();
    let reg = data::registration("Acme Support", "Support@Acme.test", "Ann@Acme.test", now);
    let (company_id, admin_id) = (reg.company_id, reg.admin.id);
    let (session_id, expires_at) = (reg.session.id, reg.session.expires_at);

    let (company, admin) = backend.register_company(reg).await.expect("register");
    let expected_company = Company {
        id: company_id,
        name: "Acme Support".to_owned(),
        email: "support@acme.test".to_owned(),
        status: CompanyStatus::Active,
        created_at: now,
    };
    assert_eq!(company, expected_company, "{be}: registered company");
    let expected_admin = User {
        id: admin_id,
        company_id,
        email: "ann@acme.test".to_owned(),
        name: "Ann Admin".to_owned(),
        role: Role::CompanyAdmin,
        status: UserStatus::Active,
        password_hash: data::PASSWORD_HASH.to_owned(),
        must_change_password: false,
        created_at: now,
        updated_at: now,
    };
    assert_eq!(admin, expected_admin, "{be}: registered admin");

    assert_eq!(backend.get_company(company_id).await.expect("get_company"), company, "{be}");
    assert_eq!(backend.get_user(company_id, admin_id).await.expect("get_user"), admin, "{be}");
    let by_email = backend.find_user_by_email(company_id, &email("ANN@acme.test")).await;
    assert_eq!(by_email.expect("find_user_by_email"), Some(admin), "{be}: find by email");
    let nobody = backend.find_user_by_email(company_id, &email("bob@acme.test")).await;
    assert!(nobody.expect("find_user_by_email").is_none(), "{be}: unknown email");

    let session = backend.get_session(company_id, session_id).await.expect("get_session");
    let expected_session = Session {
        id: session_id,
        company_id,
        subject: SessionSubject::User(admin_id),
        role: Role::CompanyAdmin,
        created_at: now,
        expires_at,
        last_seen_at: now,
        revoked_at: None,
    };
    assert_eq!(session, expected_session, "{be}: first session");
    assert!(session.is_live(now), "{be}: first session is live");
}

/// A second company with an already registered email (in any letter case) is refused by
/// name, and none of its rows are left behind.
pub async fn duplicate_company_email_conflicts(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let first = data::register(backend, "support@acme.test", "ann@acme.test", now).await;

    let dup = data::registration("Acme Again", "SUPPORT@ACME.test", "bob@acme.test", now);
    let (dup_company, dup_admin, dup_session) = (dup.company_id, dup.admin.id, dup.session.id);
    match backend.register_company(dup).await {
        Err(StorageError::Conflict { constraint }) => {
            assert_eq!(constraint, "companies_email", "{be}: conflict name");
        }
        other => panic!("{be}: duplicate email: expected Conflict, got {other:?}"),
    }
    assert_not_found(backend, "refused company", backend.get_company(dup_company).await);
    assert_not_found(backend, "refused admin", backend.get_user(dup_company, dup_admin).await);
    let session = backend.get_session(dup_company, dup_session).await;
    assert_not_found(backend, "refused session", session);

    let kept = backend.get_company(first.company.id).await.expect("first company");
    assert_eq!(kept, first.company, "{be}: first company unchanged");
}

/// A failure in the last step of registration (here a session id already in use) rolls back
/// the company and admin written before it.
pub async fn registration_is_all_or_nothing(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let first = data::register(backend, "support@acme.test", "ann@acme.test", now).await;

    let mut clash = data::registration("Globex", "help@globex.test", "gus@globex.test", now);
    clash.session.id = first.session;
    let mut retry = clash.clone();
    let (company_id, admin_id) = (clash.company_id, clash.admin.id);
    let result = backend.register_company(clash).await;
    // The constraint name is the engine's own here (no handler matches on it), so only the
    // kind of error is common ground.
    assert!(
        matches!(result, Err(StorageError::Conflict { .. })),
        "{be}: reused session id: expected Conflict, got {result:?}"
    );
    assert_not_found(backend, "rolled-back company", backend.get_company(company_id).await);
    assert_not_found(backend, "rolled-back admin", backend.get_user(company_id, admin_id).await);

    // Nothing of the failed attempt lingers to block a corrected retry.
    retry.session = data::session(SessionSubject::User(admin_id), Role::CompanyAdmin, now);
    let (company, admin) = backend.register_company(retry).await.expect("retry");
    assert_eq!((company.id, admin.id), (company_id, admin_id), "{be}: retried registration");
}

/// The same admin email may exist once per company; each company finds only its own.
pub async fn users_are_scoped_to_their_company(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@shared.test", now).await;
    let b = data::register(backend, "help@globex.test", "ann@shared.test", now).await;
    assert_ne!(a.admin.id, b.admin.id, "{be}: two admins");

    let shared = email("ann@shared.test");
    let in_a = backend.find_user_by_email(a.company.id, &shared).await.expect("find in a");
    let in_b = backend.find_user_by_email(b.company.id, &shared).await.expect("find in b");
    assert_eq!(in_a.map(|u| (u.id, u.company_id)), Some((a.admin.id, a.company.id)), "{be}");
    assert_eq!(in_b.map(|u| (u.id, u.company_id)), Some((b.admin.id, b.company.id)), "{be}");

    assert_not_found(backend, "a's admin via b", backend.get_user(b.company.id, a.admin.id).await);
    assert_not_found(backend, "b's admin via a", backend.get_user(a.company.id, b.admin.id).await);
}

/// Every read and write keyed by another company's id behaves as if the row did not exist.
pub async fn other_company_reads_are_not_found(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let Tenant { company: a, admin, session } =
        data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await.company;

    assert_not_found(backend, "a's admin via b", backend.get_user(b.id, admin.id).await);
    assert_not_found(backend, "a's session via b", backend.get_session(b.id, session).await);
    assert_not_found(backend, "unknown company", backend.get_company(CompanyId::new()).await);
    let found = backend.find_user_by_email(b.id, &email("ann@acme.test")).await;
    assert!(found.expect("find in b").is_none(), "{be}: a's admin email found via b");

    // Writes through the wrong company are no-ops, not errors and not effects.
    backend.revoke_session(b.id, session, now).await.expect("revoke via b");
    let subject = SessionSubject::User(admin.id);
    let ended = backend.revoke_subject_sessions(b.id, subject, None, now).await;
    assert_eq!(ended.expect("revoke subject via b"), 0, "{be}: sessions ended via b");
    let still = backend.get_session(a.id, session).await.expect("a's session");
    assert_eq!(still.revoked_at, None, "{be}: a's session revoked through b");
}

/// Suspending keeps the company and its rows; it can be reactivated, and neither touches
/// another company. An unknown company is `NotFound`.
pub async fn company_status_can_be_suspended_and_restored(backend: &dyn Backend) {
    let be = name(backend);
    let now = data::now();
    let a = data::register(backend, "support@acme.test", "ann@acme.test", now).await;
    let b = data::register(backend, "help@globex.test", "gus@globex.test", now).await;

    let later = now + chrono::Duration::seconds(5);
    backend
        .set_company_status(a.company.id, CompanyStatus::Suspended, later)
        .await
        .expect("suspend");
    let suspended = backend.get_company(a.company.id).await.expect("get a");
    assert_eq!(suspended.status, CompanyStatus::Suspended, "{be}: a suspended");
    assert_eq!(
        Company { status: CompanyStatus::Active, ..suspended },
        a.company,
        "{be}: nothing else changed"
    );
    let other = backend.get_company(b.company.id).await.expect("get b");
    assert_eq!(other.status, CompanyStatus::Active, "{be}: b untouched");
    backend.get_user(a.company.id, a.admin.id).await.expect("a's admin is kept");

    backend.set_company_status(a.company.id, CompanyStatus::Active, later).await.expect("restore");
    let restored = backend.get_company(a.company.id).await.expect("get a again");
    assert_eq!(restored.status, CompanyStatus::Active, "{be}: a restored");

    let unknown = backend.set_company_status(CompanyId::new(), CompanyStatus::Suspended, now).await;
    assert!(matches!(unknown, Err(StorageError::NotFound)), "{be}: unknown company: {unknown:?}");
}
