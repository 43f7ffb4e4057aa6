use crate::{PostgresBackend, db_err};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use switchboard_domain::{AuditId, CompanyId};
use switchboard_storage::{
    AuditEntry, AuditStore, NewAuditEntry, Page, PageRequest, StorageResult,
};
use uuid::Uuid;

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! audit_columns {
    () => {
        "id, company_id, actor_id, action, target_id, client_addr, details, created_at"
    };
}

fn entry_from_row(row: &PgRow) -> StorageResult<AuditEntry> {
    Ok(AuditEntry {
        id: AuditId::from_uuid(row.try_get("id").map_err(db_err)?),
        company_id: CompanyId::from_uuid(row.try_get("company_id").map_err(db_err)?),
        actor_id: row.try_get("actor_id").map_err(db_err)?,
        action: row.try_get("action").map_err(db_err)?,
        target_id: row.try_get("target_id").map_err(db_err)?,
        client_addr: row.try_get("client_addr").map_err(db_err)?,
        details: row.try_get("details").map_err(db_err)?,
        created_at: row.try_get("created_at").map_err(db_err)?,
    })
}

#[async_trait]
impl AuditStore for PostgresBackend {
    async fn append_audit(
        &self,
        company: CompanyId,
        entry: NewAuditEntry,
        now: DateTime<Utc>,
    ) -> StorageResult<AuditEntry> {
        let mut tx = self.tenant_tx(company).await?;
        let row = sqlx::query(concat!(
            "INSERT INTO audit_log (",
            audit_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
            audit_columns!()
        ))
        .bind(AuditId::new().as_uuid())
        .bind(company.as_uuid())
        .bind(entry.actor_id)
        .bind(&entry.action)
        .bind(entry.target_id)
        .bind(&entry.client_addr)
        .bind(&entry.details)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let entry = entry_from_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(entry)
    }

    async fn list_audit(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AuditEntry>> {
        // This list only ever hands out ids as cursors, so one that is not a UUID was forged
        // or mangled and no row can follow it: answer with an empty last page, leaving errors
        // for real storage failures. (SQLite compares the text and may return rows instead.)
        let after = match page.after.as_ref().map(|c| Uuid::parse_str(c.as_str())) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(_)) => return Ok(Page { items: Vec::new(), next_cursor: None }),
        };
        let mut tx = self.tenant_tx(company).await?;
        let rows = sqlx::query(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE company_id = $1 AND ($2::uuid IS NULL OR id < $2) \
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(company.as_uuid())
        .bind(after)
        .bind(i64::from(page.limit.get()) + 1)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let items = rows.iter().map(entry_from_row).collect::<StorageResult<Vec<_>>>()?;
        // UUIDs print as lowercase hex, whose text order is their byte order: the cursor
        // sorts the same way here as in SQLite, which compares the strings.
        Ok(Page::from_overfetch(items, page.limit, |e| e.id.to_string()))
    }
}
