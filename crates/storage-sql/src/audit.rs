//! The audit log.

use crate::page::{bind_after, overfetch};
use crate::{Binds, Dialect, SqlRow};
use chrono::{DateTime, Utc};
use switchboard_domain::{AuditId, CompanyId};
use switchboard_storage::{AuditEntry, NewAuditEntry, Page, PageRequest, StorageResult};

// A macro rather than a `const` so that `concat!` can splice it into `&'static str` queries.
macro_rules! columns {
    () => {
        "id, company_id, actor_id, action, target_id, client_addr, details, created_at"
    };
}

const INSERT: &str = concat!(
    "INSERT INTO audit_log (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
    columns!()
);

const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM audit_log WHERE company_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
);

fn entry_from_row(row: &impl SqlRow) -> StorageResult<AuditEntry> {
    Ok(AuditEntry {
        id: AuditId::from_uuid(row.id("id")?),
        company_id: CompanyId::from_uuid(row.id("company_id")?),
        actor_id: row.opt_id("actor_id")?,
        action: row.text("action")?,
        target_id: row.opt_id("target_id")?,
        client_addr: row.opt_text("client_addr")?,
        details: row.json("details")?,
        created_at: row.time("created_at")?,
    })
}

pub async fn append<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    entry: NewAuditEntry,
    now: DateTime<Utc>,
) -> StorageResult<AuditEntry> {
    let binds = Binds::new()
        .id(AuditId::new().as_uuid())
        .id(company.as_uuid())
        .opt_id(entry.actor_id)
        .text(entry.action)
        .opt_id(entry.target_id)
        .opt_text(entry.client_addr)
        .json(&entry.details)
        .time(now);
    entry_from_row(&D::fetch_one(conn, INSERT, binds).await?)
}

/// Newest first.
pub async fn list<D: Dialect>(
    conn: &mut D::Conn,
    company: CompanyId,
    page: PageRequest,
) -> StorageResult<Page<AuditEntry>> {
    let Some(binds) = bind_after::<D>(Binds::new().id(company.as_uuid()), &page) else {
        return Ok(Page { items: Vec::new(), next_cursor: None });
    };
    let rows = D::fetch_all(conn, LIST, binds.push(overfetch(&page))).await?;
    let items = rows.iter().map(entry_from_row).collect::<StorageResult<Vec<_>>>()?;
    // UUIDs print as lowercase hex, whose text order is their byte order: the cursor sorts
    // the same way in PostgreSQL, which compares `uuid`s, as in SQLite, which compares text.
    Ok(Page::from_overfetch(items, page.limit, |e| e.id.to_string()))
}
