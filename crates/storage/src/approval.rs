use crate::{NewEvent, Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    ApprovalId, CompanyId, ConversationId, Priority, Urgency, UserId, WorkflowId,
};

/// Where an approval request is in its life. `Escalated` is still undecided: it waits in the
/// admins' queue instead of an agent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalStatus {
    Pending,
    Approved,
    Rejected,
    Escalated,
}

impl ApprovalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
            ApprovalStatus::Escalated => "escalated",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(ApprovalStatus::Pending),
            "approved" => Ok(ApprovalStatus::Approved),
            "rejected" => Ok(ApprovalStatus::Rejected),
            "escalated" => Ok(ApprovalStatus::Escalated),
            other => Err(format!("unknown approval status {other:?}")),
        }
    }

    /// Pending and escalated requests still wait for someone's decision.
    pub fn is_open(self) -> bool {
        matches!(self, ApprovalStatus::Pending | ApprovalStatus::Escalated)
    }
}

/// The two outcomes of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn status(self) -> ApprovalStatus {
        match self {
            Decision::Approve => ApprovalStatus::Approved,
            Decision::Reject => ApprovalStatus::Rejected,
        }
    }
}

/// The workflow step that asked for approval, so that the workflow resumes there once the
/// request is decided. The conversation is the request's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowStepRef {
    pub workflow_id: WorkflowId,
    /// The step's index in the workflow's `steps`.
    pub step: u32,
}

/// What would run once approved: a tool call with its (already validated) arguments, a
/// workflow step, or both when a workflow's tool step asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProposedAction {
    /// The company's tool, by name; `None` for a sensitive step that calls no tool.
    pub tool: Option<String>,
    pub arguments: serde_json::Value,
    pub workflow_step: Option<WorkflowStepRef>,
}

/// What creating an approval request records. It is queued for routing in the same
/// transaction, with `skill` as the skill it needs.
#[derive(Debug, Clone)]
pub struct NewApproval {
    pub id: ApprovalId,
    pub conversation_id: ConversationId,
    pub action: ProposedAction,
    pub summary: String,
    pub priority: Priority,
    pub urgency: Urgency,
    /// The classification's reasons, shown to whoever decides.
    pub reasons: serde_json::Value,
    /// Usually the conversation's category; `None` when anyone may decide.
    pub skill: Option<String>,
    /// Appended to the analytics log in the same transaction (`approval.created`).
    pub events: Vec<NewEvent>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRequest {
    pub id: ApprovalId,
    pub company_id: CompanyId,
    pub conversation_id: ConversationId,
    pub action: ProposedAction,
    pub summary: String,
    pub priority: Priority,
    pub urgency: Urgency,
    pub reasons: serde_json::Value,
    pub status: ApprovalStatus,
    /// Whether it was ever escalated; stays true after an admin decides it.
    pub escalated: bool,
    pub escalation_note: Option<String>,
    /// Who it waits for; `None` while queued or in the admins' queue.
    pub agent_id: Option<UserId>,
    /// Why routing (or an admin) chose that agent.
    pub assignment_reasons: serde_json::Value,
    pub decided_by: Option<UserId>,
    pub decision_note: Option<String>,
    /// The result of running the approved action, once it ran.
    pub outcome: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Which requests a list shows; every field narrows it. An agent's view sets `agent` to
/// itself; the admins' queue leaves it open or filters by it.
#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    pub status: Option<ApprovalStatus>,
    pub priority: Option<Priority>,
    pub agent: Option<UserId>,
}

/// A decision on an open request. It lands only if the request is still open (and, when
/// given, still in `expected` and still assigned to `assignee`), so two people deciding at
/// once get one success and one `Conflict`.
#[derive(Debug, Clone)]
pub struct ApprovalDecision {
    pub decision: Decision,
    pub by: UserId,
    /// An agent may decide only what is assigned to it; `None` for an admin.
    pub assignee: Option<UserId>,
    /// The status the caller saw, when it must not have changed since.
    pub expected: Option<ApprovalStatus>,
    pub note: Option<String>,
    /// Appended in the same transaction (`approval.approved`, `approval.rejected`).
    pub events: Vec<NewEvent>,
    pub now: DateTime<Utc>,
}

/// Moving a pending request to the admins' queue: priority one level up, no assignee.
#[derive(Debug, Clone)]
pub struct ApprovalEscalation {
    /// An agent may escalate only what is assigned to it; `None` for an admin.
    pub assignee: Option<UserId>,
    pub note: Option<String>,
    pub events: Vec<NewEvent>,
    pub now: DateTime<Utc>,
}

/// Approval requests: a sensitive action waiting for a person. Every id of another company
/// is `NotFound`. Creating, deciding, escalating and reassigning keep the request's routing
/// queue entry (see [`crate::WorkQueueStore`]) in step in the same transaction.
#[async_trait]
pub trait ApprovalStore {
    /// Records the request and queues it, waiting for routing. `NotFound` when the
    /// conversation is not the company's.
    async fn create_approval(
        &self,
        company: CompanyId,
        approval: NewApproval,
    ) -> StorageResult<ApprovalRequest>;

    async fn get_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
    ) -> StorageResult<ApprovalRequest>;

    /// Ordered as the queue is worked: priority, then urgency, highest first, then oldest.
    async fn list_approvals(
        &self,
        company: CompanyId,
        filter: ApprovalFilter,
        page: PageRequest,
    ) -> StorageResult<Page<ApprovalRequest>>;

    /// Decides the request exactly once and closes its queue entry, freeing the agent's
    /// capacity. `Conflict` (`approval_status`) when it was already decided or no longer as
    /// `expected`; `NotFound` when it is not the company's or not assigned to `assignee`.
    async fn decide_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        decision: ApprovalDecision,
    ) -> StorageResult<ApprovalRequest>;

    /// Pending → escalated: priority raised one level, assignee cleared, queue entry closed
    /// (admins work the escalated list themselves). `Conflict` unless it was pending.
    async fn escalate_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        escalation: ApprovalEscalation,
    ) -> StorageResult<ApprovalRequest>;

    /// An admin's choice of agent for an open request, over routing and capacity; the status
    /// stays as it was. `NotFound` for anything not the company's (request or agent);
    /// `Conflict` (`approval_status`) once decided, (`agent_inactive`) for a deactivated agent.
    async fn reassign_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        agent: UserId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest>;

    /// Stores what running the approved action produced.
    async fn set_approval_outcome(
        &self,
        company: CompanyId,
        id: ApprovalId,
        outcome: serde_json::Value,
        now: DateTime<Utc>,
    ) -> StorageResult<ApprovalRequest>;
}
