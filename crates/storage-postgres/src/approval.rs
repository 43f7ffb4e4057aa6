use crate::PostgresBackend;
use crate::dialect::Pg;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{ApprovalId, CompanyId, UserId};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, ApprovalRequest, ApprovalStore,
    NewApproval, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::approval;

#[async_trait]
impl ApprovalStore for PostgresBackend {
    async fn create_approval(
        &self,
        company: CompanyId,
        new: NewApproval,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| approval::create::<Pg>(tx, company, new).await).await
    }

    async fn get_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| approval::get::<Pg>(tx, company, id).await).await
    }

    async fn list_approvals(
        &self,
        company: CompanyId,
        filter: ApprovalFilter,
        page: PageRequest,
    ) -> StorageResult<Page<ApprovalRequest>> {
        self.as_tenant(company, async |tx| approval::list::<Pg>(tx, company, filter, page).await)
            .await
    }

    async fn decide_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        decision: ApprovalDecision,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| approval::decide::<Pg>(tx, company, id, decision).await)
            .await
    }

    async fn escalate_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        escalation: ApprovalEscalation,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| {
            approval::escalate::<Pg>(tx, company, id, escalation).await
        })
        .await
    }

    async fn reassign_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        agent: UserId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| {
            approval::reassign::<Pg>(tx, company, id, agent, by, now).await
        })
        .await
    }

    async fn set_approval_outcome(
        &self,
        company: CompanyId,
        id: ApprovalId,
        outcome: serde_json::Value,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest> {
        self.as_tenant(company, async |tx| {
            approval::set_outcome::<Pg>(tx, company, id, &outcome, now).await
        })
        .await
    }
}
