use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{AuditId, CompanyId};

#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub actor_id: Option<uuid::Uuid>,
    /// A dotted verb such as `auth.login_failed` or `agent.deactivated`.
    pub action: String,
    pub target_id: Option<uuid::Uuid>,
    pub client_addr: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: AuditId,
    pub company_id: CompanyId,
    pub actor_id: Option<uuid::Uuid>,
    pub action: String,
    pub target_id: Option<uuid::Uuid>,
    pub client_addr: Option<String>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait AuditStore {
    async fn append_audit(
        &self,
        company: CompanyId,
        entry: NewAuditEntry,
        now: DateTime<Utc>,
    ) -> StorageResult<AuditEntry>;

    /// Newest first.
    async fn list_audit(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<AuditEntry>>;
}
