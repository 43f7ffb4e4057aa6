use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AuditEntry, AuditStore, NewAuditEntry, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::audit;

#[async_trait]
impl AuditStore for SqliteBackend {
    async fn append_audit(
        &self,
        company: CompanyId,
        entry: NewAuditEntry,
        now: DateTime<Utc>,
    ) -> StorageResult<AuditEntry> {
        audit::append::<Lite>(&mut *self.write().await?, company, entry, now).await
    }

    async fn list_audit(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AuditEntry>> {
        audit::list::<Lite>(&mut *self.read().await?, company, page).await
    }
}
