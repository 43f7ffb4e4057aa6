use crate::SqliteBackend;
use crate::dialect::Lite;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{ApprovalId, CompanyId, UserId};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalFilter, ApprovalRequest, ApprovalStore,
    NewApproval, Page, PageRequest, StorageResult,
};
use switchboard_storage_sql::approval;

#[async_trait]
impl ApprovalStore for SqliteBackend {
    async fn create_approval(
        &self,
        company: CompanyId,
        new: NewApproval,
    ) -> StorageResult<ApprovalRequest> {
        self.in_tx(async |tx| approval::create::<Lite>(tx, company, new).await).await
    }

    async fn get_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
    ) -> StorageResult<ApprovalRequest> {
        approval::get::<Lite>(&mut *self.read().await?, company, id).await
    }

    async fn list_approvals(
        &self,
        company: CompanyId,
        filter: ApprovalFilter,
        page: PageRequest,
    ) -> StorageResult<Page<ApprovalRequest>> {
        approval::list::<Lite>(&mut *self.read().await?, company, filter, page).await
    }

    async fn decide_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        decision: ApprovalDecision,
    ) -> StorageResult<ApprovalRequest> {
        self.in_tx(async |tx| approval::decide::<Lite>(tx, company, id, decision).await).await
    }

    async fn escalate_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        escalation: ApprovalEscalation,
    ) -> StorageResult<ApprovalRequest> {
        self.in_tx(async |tx| approval::escalate::<Lite>(tx, company, id, escalation).await).await
    }

    async fn reassign_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        agent: UserId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest> {
        self.in_tx(async |tx| approval::reassign::<Lite>(tx, company, id, agent, by, now).await)
            .await
    }

    async fn set_approval_outcome(
        &self,
        company: CompanyId,
        id: ApprovalId,
        outcome: serde_json::Value,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest> {
        let conn = &mut *self.write().await?;
        approval::set_outcome::<Lite>(conn, company, id, &outcome, now).await
    }
}
