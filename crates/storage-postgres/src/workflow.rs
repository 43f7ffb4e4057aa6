use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, WorkflowId, WorkflowSpec};
use switchboard_storage::{Page, PageRequest, StorageResult, Workflow, WorkflowStore};
use switchboard_storage_sql::workflow;

#[async_trait]
impl WorkflowStore for PostgresBackend {
    async fn create_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow> {
        self.as_tenant(company, async |tx| workflow::create::<Pg>(tx, company, id, spec, now).await)
            .await
    }

    async fn get_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<Workflow> {
        self.as_tenant(company, async |tx| workflow::get::<Pg>(tx, company, id).await).await
    }

    async fn list_workflows(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<Workflow>> {
        self.as_tenant(company, async |tx| workflow::list::<Pg>(tx, company, page).await).await
    }

    async fn update_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow> {
        self.as_tenant(company, async |tx| workflow::update::<Pg>(tx, company, id, spec, now).await)
            .await
    }

    async fn delete_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<()> {
        self.as_tenant(company, async |tx| workflow::delete::<Pg>(tx, company, id).await).await
    }

    async fn enabled_workflows(&self, company: CompanyId) -> StorageResult<Vec<Workflow>> {
        self.as_tenant(company, async |tx| workflow::enabled::<Pg>(tx, company).await).await
    }
}
