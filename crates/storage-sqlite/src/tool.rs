use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ToolId, ToolSpec};
use switchboard_storage::{Page, PageRequest, StorageResult, Tool, ToolStore};
use switchboard_storage_sql::tool;

#[async_trait]
impl ToolStore for SqliteBackend {
    async fn create_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool> {
        self.in_tx(async |tx| tool::create::<Lite>(tx, company, id, spec, secrets, now).await).await
    }

    async fn get_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<Tool> {
        tool::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_tools(&self, company: CompanyId, page: PageRequest) -> StorageResult<Page<Tool>> {
        tool::list::<Lite>(&mut *self.read().await?, company, page).await
    }

    async fn update_tool(
        &self,
        company: CompanyId,
        id: ToolId,
        spec: ToolSpec,
        secrets: Option<String>,
        now: DateTime<Utc>,
    ) -> StorageResult<Tool> {
        self.in_tx(async |tx| tool::update::<Lite>(tx, company, id, spec, secrets, now).await).await
    }

    async fn delete_tool(&self, company: CompanyId, id: ToolId) -> StorageResult<()> {
        self.in_tx(async |tx| tool::delete::<Lite>(tx, company, id).await).await
    }

    async fn tool_by_name(&self, company: CompanyId, name: &str) -> StorageResult<Tool> {
        tool::by_name::<Lite>(&mut *self.read().await?, company, name).await
    }

    async fn enabled_tools(&self, company: CompanyId) -> StorageResult<Vec<Tool>> {
        tool::enabled::<Lite>(&mut *self.read().await?, company).await
    }

    async fn tool_names(&self, company: CompanyId) -> StorageResult<Vec<String>> {
        tool::names::<Lite>(&mut *self.read().await?, company).await
    }
}
