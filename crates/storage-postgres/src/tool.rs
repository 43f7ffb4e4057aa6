use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ToolId, ToolSpec};
use switchboard_storage::{Page, PageRequest, StorageResult, Tool, ToolStore};
use switchboard_storage_sql::tool;

#[async_trait]
impl ToolStore for PostgresBackend {
    async fn create_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool> {
        self.as_tenant(company, async |tx| {
            tool::create::<Pg>(tx, company, id, spec, secrets, now).await
        })
        .await
    }

    async fn get_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<Tool> {
        self.as_tenant(company, async |tx| tool::get::<Pg>(tx, company, id).await).await
    }

    async fn list_tools(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Tool>> {
        self.as_tenant(company, async |tx| tool::list::<Pg>(tx, company, page).await).await
    }

    async fn update_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool> {
        self.as_tenant(company, async |tx| {
            tool::update::<Pg>(tx, company, id, spec, secrets, now).await
        })
        .await
    }

    async fn delete_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<()> {
        self.as_tenant(company, async |tx| tool::delete::<Pg>(tx, company, id).await).await
    }

    async fn tool_by_name(&self, company: CompanyId, name: &str) -> StorageResult<Tool> {
        self.as_tenant(company, async |tx| tool::by_name::<Pg>(tx, company, name).await).await
    }

    async fn enabled_tools(&self, company: CompanyId) -> StorageResult<Vec<Tool>> {
        self.as_tenant(company, async |tx| tool::enabled::<Pg>(tx, company).await).await
    }

    async fn tool_names(&self, company: CompanyId) -> StorageResult<Vec<String>> {
        self.as_tenant(company, async |tx| tool::names::<Pg>(tx, company).await).await
    }
}
