use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::CompanyId;
use switchboard_storage::{
    AuditEntry, AuditStore, NewAuditEntry, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::audit;

#[async_trait]
impl AuditStore for PostgresBackend {
    async fn append_audit(
        &self,
        company: CompanyId,
        entry: NewAuditEntry,
        now: DateTime<Utc>,
    ) -> StorageResult<AuditEntry> {
        self.as_tenant(company, async |tx| audit::append::<Pg>(tx, company, entry, now).await).await
    }

    async fn list_audit(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AuditEntry>> {
        self.as_tenant(company, async |tx| audit::list::<Pg>(tx, company, page).await).await
    }
}
