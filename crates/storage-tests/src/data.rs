//! Test data built through the domain constructors, as handlers would build it.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use switchboard_domain::{
    CompanyId, CompanyName, EmailAddress, PersonName, Role, SessionId, UserId,
};
use switchboard_storage::{
    AgentConfigDefaults, Backend, Company, NewRegistration, NewSession, NewUser, SessionSubject,
    StorageError, StorageResult, User,
};

pub const PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$test$test";

/// Both backends keep microseconds, so only a time already cut to microseconds reads back
/// equal to what was written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn email(raw: &str) -> EmailAddress {
    EmailAddress::parse(raw).unwrap_or_else(|e| panic!("test email {raw:?}: {e}"))
}

pub fn session(subject: SessionSubject, role: Role, expires_at: DateTime<Utc>) -> NewSession {
    NewSession {
        id: SessionId::new(),
        subject,
        role,
        expires_at,
        client_addr: Some("203.0.113.7".to_owned()),
        user_agent: Some("conformance-suite".to_owned()),
    }
}

pub fn registration(
    company_name: &str,
    company_email: &str,
    admin_email: &str,
    now: DateTime<Utc>,
) -> NewRegistration {
    let admin = NewUser {
        id: UserId::new(),
        email: email(admin_email),
        name: PersonName::parse("Ann Admin").expect("person name"),
        role: Role::CompanyAdmin,
        password_hash: PASSWORD_HASH.to_owned(),
        must_change_password: false,
    };
    let session =
        session(SessionSubject::User(admin.id), Role::CompanyAdmin, now + Duration::hours(12));
    NewRegistration {
        company_id: CompanyId::new(),
        company_name: CompanyName::parse(company_name).expect("company name"),
        company_email: email(company_email),
        admin,
        config: AgentConfigDefaults {
            agent_name: "Sam".to_owned(),
            branding_name: company_name.to_owned(),
            greeting_message: "Hello! How can we help?".to_owned(),
        },
        session,
        now,
    }
}

/// A registered company, its admin and the admin's first session.
pub struct Tenant {
    pub company: Company,
    pub admin: User,
    pub session: SessionId,
}

pub async fn register(
    backend: &dyn Backend,
    company_email: &str,
    admin_email: &str,
    now: DateTime<Utc>,
) -> Tenant {
    let reg = registration("Acme Support", company_email, admin_email, now);
    let session = reg.session.id;
    let (company, admin) = backend
        .register_company(reg)
        .await
        .unwrap_or_else(|e| panic!("{}: registering {company_email}: {e}", name(backend)));
    Tenant { company, admin, session }
}

pub fn name(backend: &dyn Backend) -> &'static str {
    backend.kind().as_str()
}

/// Panics unless `result` is `NotFound`; `what` says which read it was.
pub fn assert_not_found<T: std::fmt::Debug>(
    backend: &dyn Backend,
    what: &str,
    result: StorageResult<T>,
) {
    match result {
        Err(StorageError::NotFound) => {}
        other => panic!("{}: {what}: expected NotFound, got {other:?}", name(backend)),
    }
}

/// A staff account to create in an existing company.
pub fn new_user(raw_email: &str, role: Role, must_change_password: bool) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: email(raw_email),
        name: PersonName::parse("Bob Agent").expect("person name"),
        role,
        password_hash: PASSWORD_HASH.to_owned(),
        must_change_password,
    }
}

/// Panics unless `result` is a `Conflict` on exactly `constraint`.
pub fn assert_conflict<T: std::fmt::Debug>(
    backend: &dyn Backend,
    what: &str,
    constraint: &str,
    result: StorageResult<T>,
) {
    match result {
        Err(StorageError::Conflict { constraint: got }) => {
            assert_eq!(got, constraint, "{}: {what}: conflict name", name(backend));
        }
        other => panic!("{}: {what}: expected Conflict, got {other:?}", name(backend)),
    }
}
