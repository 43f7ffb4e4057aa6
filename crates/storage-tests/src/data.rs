//! Test data built through the domain constructors, as handlers would build it.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use switchboard_domain::{
    ChunkId, CompanyId, CompanyName, DocumentFormat, DocumentId, EmailAddress, JobId, PersonName,
    Role, SessionId, UserId,
};
use switchboard_storage::{
    AgentConfigDefaults, Backend, Company, FaqContent, NewChunk, NewDocument, NewPassage,
    NewRegistration, NewSession, NewUser, PhrasingVector, SessionSubject, StorageError,
    StorageResult, User,
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

/// A markdown document to upload, with the id of the indexing job queued with it.
pub fn new_document(title: &str, content: &str, created_at: DateTime<Utc>) -> NewDocument {
    NewDocument {
        id: DocumentId::new(),
        title: title.to_owned(),
        format: DocumentFormat::Markdown,
        content: content.to_owned(),
        source_name: Some(format!("{title}.md")),
        job_id: JobId::new(),
        created_at,
    }
}

/// A vector of `dims` values that differ with `seed` and include awkward floats (negative
/// zero, a subnormal, the extremes), so a round trip that loses any bit shows.
pub fn vector(seed: usize, dims: usize) -> Vec<f32> {
    let awkward = [-0.0, f32::from_bits(1), f32::MAX, f32::MIN_POSITIVE, -1.0 / 3.0];
    (0..dims)
        .map(|i| match awkward.get(i) {
            Some(&x) if seed.is_multiple_of(2) => x,
            _ => ((seed * 31 + i) as f32).sin(),
        })
        .collect()
}

/// `parents` passages of `children` chunks each, numbered as the chunker numbers them (child
/// ordinals restart in each passage). Children carry a `dims`-value vector, or none when
/// `dims` is 0.
pub fn passages(parents: usize, children: usize, dims: usize) -> Vec<NewPassage> {
    (0..parents)
        .map(|p| NewPassage {
            id: ChunkId::new(),
            ordinal: p as i64,
            text: format!("passage {p}"),
            children: (0..children)
                .map(|c| NewChunk {
                    id: ChunkId::new(),
                    ordinal: c as i64,
                    text: format!("passage {p} chunk {c}"),
                    embedding: (dims > 0).then(|| vector(p * children + c, dims)),
                })
                .collect(),
        })
        .collect()
}

pub fn faq_content(question: &str, variants: &[&str]) -> FaqContent {
    FaqContent {
        question: question.to_owned(),
        answer: format!("The answer to {question:?}."),
        variants: variants.iter().map(|v| (*v).to_owned()).collect(),
        category: Some("billing".to_owned()),
        tags: vec!["refunds".to_owned(), "policy".to_owned()],
        enabled: true,
    }
}

/// The phrasings a handler writes with an FAQ: the question, then each variant, in order,
/// each with a `dims`-value vector (none when `dims` is 0).
pub fn phrasings(content: &FaqContent, dims: usize) -> Vec<PhrasingVector> {
    std::iter::once(&content.question)
        .chain(&content.variants)
        .enumerate()
        .map(|(i, text)| PhrasingVector {
            text: text.clone(),
            embedding: (dims > 0).then(|| vector(i, dims)),
        })
        .collect()
}

/// The bits of each value, so vectors compare exactly (`-0.0 == 0.0` would not show a
/// lost sign).
pub fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}
