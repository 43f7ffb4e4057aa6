use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ToolId, ToolSpec};

/// A company's tool as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    pub id: ToolId,
    pub company_id: CompanyId,
    pub spec: ToolSpec,
    /// A webhook's header values, sealed by the server (storage never sees them in clear);
    /// `spec.config` holds the header names with masked values.
    pub secrets: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Tool names are unique per company: a second tool by the same name (on create or
/// rename) is a `Conflict` on `custom_tools_company_name`.
#[async_trait]
pub trait ToolStore {
    async fn create_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool>;

    async fn get_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<Tool>;

    /// Oldest first.
    async fn list_tools(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Tool>>;

    /// Replaces the tool's spec and secrets.
    async fn update_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool>;

    async fn delete_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<()>;

    /// The tool an LLM or a workflow calls by name, enabled or not; `NotFound` if none.
    async fn tool_by_name(&self, company: CompanyId, name: &str) -> StorageResult<Tool>;

    /// The company's enabled tools, by name: what the AI may be offered.
    async fn enabled_tools(&self, company: CompanyId) -> StorageResult<Vec<Tool>>;

    /// Every tool name of the company, sorted, enabled or not: what a workflow may call.
    async fn tool_names(&self, company: CompanyId) -> StorageResult<Vec<String>>;
}
