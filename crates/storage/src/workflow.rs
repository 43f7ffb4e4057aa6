use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, WorkflowId, WorkflowSpec};

/// A company's workflow as stored; its spec was valid when written.
#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    pub id: WorkflowId,
    pub company_id: CompanyId,
    pub spec: WorkflowSpec,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Workflow names are unique per company: a second one by the same name is a `Conflict`
/// on `workflows_company_name`.
#[async_trait]
pub trait WorkflowStore {
    async fn create_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow>;

    async fn get_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<Workflow>;

    /// Oldest first.
    async fn list_workflows(
        &self,
        company: CompanyId,
        page: PageRequest,
    ) -> StorageResult<Page<Workflow>>;

    async fn update_workflow(
        &self,
        company: CompanyId,
        id: WorkflowId,
        spec: WorkflowSpec,
        now: DateTime<Utc>,
    ) -> StorageResult<Workflow>;

    /// Deletes the workflow and, with it, its runs.
    async fn delete_workflow(&self, company: CompanyId, id: WorkflowId) -> StorageResult<()>;

    /// The company's enabled workflows, oldest first: the order triggers are tried in.
    async fn enabled_workflows(&self, company: CompanyId) -> StorageResult<Vec<Workflow>>;
}
