//! Sessions: one row per issued token.

use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, Role, SessionId};
use switchboard_storage::{NewSession, Session, SessionSubject, StorageError, StorageResult};

const INSERT: &str = "INSERT INTO sessions (id, company_id, subject_kind, subject_id, role, \
     created_at, expires_at, last_seen_at, client_addr, user_agent) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $8, $9)";

const SELECT: &str = "SELECT id, company_id, subject_kind, subject_id, role, created_at, \
     expires_at, last_seen_at, revoked_at FROM sessions WHERE company_id = $1 AND id = $2";

// COALESCE keeps the first revocation time, so revoking twice changes nothing.
const REVOKE: &str = "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1) \
     WHERE company_id = $2 AND id = $3";

// `id <> NULL` is never true, so a bare `id <> $5` with no session to keep would revoke
// nothing.
const REVOKE_SUBJECT: &str = "UPDATE sessions SET revoked_at = $1 \
     WHERE company_id = $2 AND subject_kind = $3 AND subject_id = $4 \
     AND revoked_at IS NULL AND ($5 IS NULL OR id <> $5)";

// Across companies: the engines run it outside any tenant scope.
const PURGE: &str = "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1";

fn session_from_row(row: &impl SqlRow) -> StorageResult<Session> {
    Ok(Session {
        id: SessionId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        subject: SessionSubject::from_parts(&row.text("subject_kind")?, row.id("subject_id")?)
            .map_err(StorageError::corrupt)?,
        role: Role::parse(&row.text("role")?).map_err(StorageError::corrupt)?,
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
        last_seen_at: row.time("last_seen_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

pub async fn insert<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    s: &NewSession,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new()
        .id(s.id.as_uuid())
        .id(company.as_uuid())
        .text(s.subject.kind())
        .id(s.subject.uuid())
        .text(s.role.as_str())
        .time(now)
        .time(s.expires_at)
        .opt_text(s.client_addr.as_deref())
        .opt_text(s.user_agent.as_deref());
    D::execute(conn, INSERT, binds).await?;
    Ok(())
}

/// Inserts `s` and reads it back.
pub async fn create<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    s: &NewSession,
    now: DateTime<Utc>,
) -> StorageResult<Session> {
    insert::<D>(conn, company, s, now).await?;
    get::<D>(conn, company, s.id).await
}

pub async fn get<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: SessionId,
) -> StorageResult<Session> {
    let binds = Binds::new().id(company.as_uuid()).id(id.as_uuid());
    session_from_row(&D::fetch_one(conn, SELECT, binds).await?)
}

pub async fn revoke<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    id: SessionId,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    let binds = Binds::new().time(now).id(company.as_uuid()).id(id.as_uuid());
    D::execute(conn, REVOKE, binds).await?;
    Ok(())
}

pub async fn revoke_subject<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    subject: SessionSubject,
    keep: Option<SessionId>,
    now: DateTime<Utc>,
) -> StorageResult<u64> {
    let binds = Binds::new()
        .time(now)
        .id(company.as_uuid())
        .text(subject.kind())
        .id(subject.uuid())
        .opt_id(keep.map(|k| k.as_uuid()));
    D::execute(conn, REVOKE_SUBJECT, binds).await
}

pub async fn purge<D: Dialect>(conn: &mut D::Conn, before: DateTime<Utc>) -> StorageResult<u64> {
    D::execute(conn, PURGE, Binds::new().time(before)).await
}
