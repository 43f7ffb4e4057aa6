use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, WorkflowId, WorkflowSpec};
use switchboard_storage::{Page, PageRequest, StorageResult, Workflow, WorkflowStore};
use switchboard_storage_sql::workflow;

#[async_trait]
impl WorkflowStore for SqliteBackend {
    async fn create_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow> {
        self.in_tx(async |tx| workflow::create::<Lite>(tx, company, id, spec, now).await).await
    }

    async fn get_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<Workflow> {
        workflow::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_workflows(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<Workflow>> {
        workflow::list::<Lite>(&mut *self.read().await?, company, page).await
    }

    async fn update_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow> {
        self.in_tx(async |tx| workflow::update::<Lite>(tx, company, id, spec, now).await).await
    }

    async fn delete_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<()> {
        self.in_tx(async |tx| workflow::delete::<Lite>(tx, company, id).await).await
    }

    async fn enabled_workflows(&self, company: CompanyId) -> StorageResult<Vec<Workflow>> {
        workflow::enabled::<Lite>(&mut *self.read().await?, company).await
    }
}
