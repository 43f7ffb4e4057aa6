use crate::{SqliteBackend, db_err, parse_ts, parse_uuid, ts};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use switchboard_domain::{AuditId, CompanyId};
use switchboard_storage::{
    AuditEntry, AuditStore, NewAuditEntry, Page, PageRequest, StorageError, StorageResult,
};

fn opt_uuid(row: &SqliteRow, col: &str) -> StorageResult<Option<uuid::Uuid>> {
    let v: Option<String> = row.try_get(col).map_err(db_err)?;
    v.as_deref().map(parse_uuid).transpose()
}

fn entry_from_row(row: &SqliteRow) -> StorageResult<AuditEntry> {
    let text = |c: &str| row.try_get::<String, _>(c).map_err(db_err);
    Ok(AuditEntry {
        id: AuditId::from_uuid(parse_uuid(&text("id")?)?),
        company_id: CompanyId::from_uuid(parse_uuid(&text("company_id")?)?),
        actor_id: opt_uuid(row, "actor_id")?,
        action: text("action")?,
        target_id: opt_uuid(row, "target_id")?,
        client_addr: row.try_get("client_addr").map_err(db_err)?,
        details: serde_json::from_str(&text("details")?).map_err(StorageError::other)?,
        created_at: parse_ts(&text("created_at")?)?,
    })
}

#[async_trait]
impl AuditStore for SqliteBackend {
    async fn append_audit(
        &self,
        company: CompanyId,
        entry: NewAuditEntry,
        now: DateTime<Utc>,
    ) -> StorageResult<AuditEntry> {
        let row = sqlx::query(
            "INSERT INTO audit_log (id, company_id, actor_id, action, target_id, client_addr, details, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(AuditId::new().to_string())
        .bind(company.to_string())
        .bind(entry.actor_id.map(|u| u.to_string()))
        .bind(&entry.action)
        .bind(entry.target_id.map(|u| u.to_string()))
        .bind(&entry.client_addr)
        .bind(entry.details.to_string())
        .bind(ts(now))
        .fetch_one(&self.writer)
        .await
        .map_err(db_err)?;
        entry_from_row(&row)
    }

    async fn list_audit(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE company_id = ? AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
        )
        .bind(company.to_string())
        .bind(page.after.as_ref().map(|c| c.as_str()))
        .bind(page.after.as_ref().map(|c| c.as_str()))
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&self.reader)
        .await
        .map_err(db_err)?;
        let items = rows.iter().map(entry_from_row).collect::<StorageResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page.limit, |e| e.id.to_string()))
    }
}
