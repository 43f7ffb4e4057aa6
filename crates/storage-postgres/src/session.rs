use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use switchboard_domain::{CompanyId, Role, SessionId};
use switchboard_storage::{
    NewSession, Session, SessionStore, SessionSubject, StorageError, StorageResult,
};

pub(crate) async fn insert_session(
    conn: &mut PgConnection,
    company: CompanyId,
    s: &NewSession,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id, company_id, subject_kind, subject_id, role, created_at, \
         expires_at, last_seen_at, client_addr, user_agent) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $8, $9)",
    )
    .bind(s.id.as_uuid())
    .bind(company.as_uuid())
    .bind(s.subject.kind())
    .bind(s.subject.uuid())
    .bind(s.role.as_str())
    .bind(now)
    .bind(s.expires_at)
    .bind(&s.client_addr)
    .bind(&s.user_agent)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn session_from_row(row: &PgRow) -> StorageResult<Session> {
    let kind: String = row.try_get("subject_kind").map_err(db_err)?;
    let role: String = row.try_get("role").map_err(db_err)?;
    Ok(Session {
        id: SessionId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        subject: SessionSubject::from_parts(&kind, row.try_get("subject_id").map_err(db_err)?)
            .map_err(StorageError::corrupt)?,
        role: Role::parse(&role).map_err(StorageError::corrupt)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
        expires_at: row.try_get("expires_at").map_err(db_err)?,
        last_seen_at: row.try_get("last_seen_at").map_err(db_err)?,
        revoked_at: row.try_get("revoked_at").map_err(db_err)?,
    })
}

async fn select_session(
    conn: &mut PgConnection,
    company: CompanyId,
    id: SessionId,
) -> StorageResult<Session> {
    let row = sqlx::query(
        "SELECT id, company_id, subject_kind, subject_id, role, created_at, expires_at, \
         last_seen_at, revoked_at FROM sessions WHERE company_id = $1 AND id = $2",
    )
    .bind(company.as_uuid())
    .bind(id.as_uuid())
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .ok_or(StorageError::NotFound)?;
    session_from_row(&row)
}

#[async_trait]
impl SessionStore for PostgresBackend {
    async fn create_session(
        &self,
        company: CompanyId,
        session: NewSession,
        now: DateTime<Utc>,
    ) -> StorageResult<Session> {
        let mut tx = self.tenant_tx(company).await?;
        insert_session(&mut tx, company, &session, now).await?;
        let created = select_session(&mut tx, company, session.id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created)
    }

    async fn get_session(&self, company: CompanyId, id: SessionId) -> StorageResult<Session> {
        let mut tx = self.tenant_tx(company).await?;
        let session = select_session(&mut tx, company, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(session)
    }

    async fn revoke_session(
        &self,
        company: CompanyId,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        // COALESCE keeps the first revocation time, so revoking twice changes nothing.
        let mut tx = self.tenant_tx(company).await?;
        sqlx::query(
            "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1) \
             WHERE company_id = $2 AND id = $3",
        )
        .bind(now)
        .bind(company.as_uuid())
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn revoke_subject_sessions(
        &self,
        company: CompanyId,
        subject: SessionSubject,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        // `id <> NULL` is never true, so a bare `id <> $5` with no `keep` would revoke nothing.
        let mut tx = self.tenant_tx(company).await?;
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $1 \
             WHERE company_id = $2 AND subject_kind = $3 AND subject_id = $4 \
             AND revoked_at IS NULL AND ($5::uuid IS NULL OR id <> $5)",
        )
        .bind(now)
        .bind(company.as_uuid())
        .bind(subject.kind())
        .bind(subject.uuid())
        .bind(keep.map(|k| k.as_uuid()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StorageResult<u64> {
        // Cross-tenant housekeeping: runs as the connecting owner role, which row-level
        // security does not restrict (the policies apply to `switchboard_tenant` only).
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
