use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use switchboard_domain::{CompanyId, Role, SessionId};
use switchboard_storage::{
    NewSession, Session, SessionStore, SessionSubject, StorageError, StorageResult,
};

pub(crate) async fn insert_session(
    tx: &mut Transaction<'_, Sqlite>,
    company: CompanyId,
    s: &NewSession,
    now: DateTime<Utc>,
) -> StorageResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id, company_id, subject_kind, subject_id, role, created_at, expires_at, last_seen_at, client_addr, user_agent) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.id.to_string())
    .bind(company.to_string())
    .bind(s.subject.kind())
    .bind(s.subject.id_string())
    .bind(s.role.as_str())
    .bind(ts(now))
    .bind(ts(s.expires_at))
    .bind(ts(now))
    .bind(&s.client_addr)
    .bind(&s.user_agent)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn session_from_row(row: &SqliteRow) -> StorageResult<Session> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    let revoked: Option<String> = row.try_get("revoked_at").map_err(db_err)?;
    Ok(Session {
        id: SessionId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        subject: SessionSubject::from_parts(
            &text("subject_kind")?,
            parse_uuid(&text("subject_id")?)?,
        )
        .map_err(StorageError::corrupt)?,
        role: Role::parse(&text("role")?).map_err(StorageError::corrupt)?,
        created_at: parse_ts(&text("created_at")?)?,
        expires_at: parse_ts(&text("expires_at")?)?,
        last_seen_at: parse_ts(&text("last_seen_at")?)?,
        revoked_at: revoked.as_deref().map(parse_ts).transpose()?,
    })
}

#[async_trait]
impl SessionStore for SqliteBackend {
    async fn create_session(
        &self,
        company: CompanyId,
        session: NewSession,
        now: DateTime<Utc>,
    ) -> StorageResult<Session> {
        let mut tx = self.writer.begin().await.map_err(db_err)?;
        insert_session(&mut tx, company, &session, now).await?;
        tx.commit().await.map_err(db_err)?;
        self.get_session(company, session.id).await
    }

    async fn get_session(&self, company: CompanyId, id: SessionId) -> StorageResult<Session> {
        let row = sqlx::query(
            "SELECT id, company_id, subject_kind, subject_id, role, created_at, expires_at, last_seen_at, revoked_at \
             FROM sessions WHERE company_id = ? AND id = ?",
        )
        .bind(company.to_string())
        .bind(id.to_string())
        .fetch_optional(&self.reader)
        .await
        .map_err(db_err)?
        .ok_or(StorageError::NotFound)?;
        session_from_row(&row)
    }

    async fn revoke_session(
        &self,
        company: CompanyId,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> StorageResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE company_id = ? AND id = ?")
            .bind(ts(now))
            .bind(company.to_string())
            .bind(id.to_string())
            .execute(&self.writer)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn revoke_subject_sessions(
        &self,
        company: CompanyId,
        subject: SessionSubject,
        keep: Option<SessionId>,
        now: DateTime<Utc>,
    ) -> StorageResult<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = ? \
             WHERE company_id = ? AND subject_kind = ? AND subject_id = ? AND revoked_at IS NULL AND id <> ?",
        )
        .bind(ts(now))
        .bind(company.to_string())
        .bind(subject.kind())
        .bind(subject.id_string())
        .bind(keep.map(|k| k.to_string()).unwrap_or_default())
        .execute(&self.writer)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected())
    }

    async fn purge_sessions(&self, before: DateTime<Utc>) -> StorageResult<u64> {
        let before = ts(before);
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?")
            .bind(&before)
            .bind(&before)
            .execute(&self.writer)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
