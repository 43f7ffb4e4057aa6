use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{
    ApprovalId, CompanyId, ConversationId, Priority, Urgency, UserId, WorkItemId,
};

/// What a queue entry asks a person to handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkSubject {
    /// An approval request waiting for a decision.
    Approval(ApprovalId),
    /// A conversation handed off to a person.
    Conversation(ConversationId),
}

impl WorkSubject {
    /// The `kind` column: `approval` or `conversation`.
    pub fn kind(self) -> &'static str {
        match self {
            WorkSubject::Approval(_) => "approval",
            WorkSubject::Conversation(_) => "conversation",
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            WorkSubject::Approval(id) => id.as_uuid(),
            WorkSubject::Conversation(id) => id.as_uuid(),
        }
    }

    pub fn parse(kind: &str, id: uuid::Uuid) -> Result<Self, String> {
        match kind {
            "approval" => Ok(WorkSubject::Approval(ApprovalId::from_uuid(id))),
            "conversation" => Ok(WorkSubject::Conversation(ConversationId::from_uuid(id))),
            other => Err(format!("unknown work item kind {other:?}")),
        }
    }
}

/// A conversation handoff to queue (approvals are queued by `create_approval`).
#[derive(Debug, Clone)]
pub struct NewWorkItem {
    pub id: WorkItemId,
    pub subject: WorkSubject,
    pub priority: Priority,
    pub urgency: Urgency,
    /// The skill it needs (the category); `None` when anyone will do.
    pub skill: Option<String>,
    pub now: DateTime<Utc>,
}

/// One entry of the routing queue. It is open until closed; while open it either waits
/// (`assigned_agent_id` is `None`) or counts against its agent's capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    pub id: WorkItemId,
    pub company_id: CompanyId,
    pub subject: WorkSubject,
    pub priority: Priority,
    pub urgency: Urgency,
    pub skill: Option<String>,
    /// Its age in the queue; kept when an agent's items return to the queue.
    pub created_at: DateTime<Utc>,
    pub assigned_agent_id: Option<UserId>,
    pub assigned_at: Option<DateTime<Utc>>,
    /// Why this agent: the rule that chose it and the figures it compared.
    pub reasons: serde_json::Value,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The moment routing runs at and how recently an agent must have been heard from to count
/// as present (the presence sweep's cutoff): an `online` agent whose client went silent
/// gets no new work even before the sweep sets it offline.
#[derive(Debug, Clone, Copy)]
pub struct RoutingClock {
    pub now: DateTime<Utc>,
    pub seen_since: DateTime<Utc>,
}

/// The persistent routing queue (least queue) shared by conversation handoffs and approval
/// requests.
///
/// An agent can take an item when it is active, `online`, seen since
/// [`RoutingClock::seen_since`], has the item's skill (or no online agent has it) and has
/// fewer open items than its capacity; among those the one with the fewest open items wins,
/// then the one whose last assignment is oldest. Waiting items are served by priority, then
/// urgency (highest first), then age. Routing runs under a per-company lock (PostgreSQL) or
/// the single writer (SQLite), so concurrent routings never exceed a capacity nor hand one
/// item out twice. An assignment also sets the subject's owner (the approval's agent, or the
/// conversation's while it waits for a person) in the same transaction; an item whose
/// subject no longer waits (decided, closed, released to the AI, taken over) is closed
/// instead.
#[async_trait]
pub trait WorkQueueStore {
    /// Queues a conversation handoff, waiting. `NotFound` when the conversation is not the
    /// company's; `Conflict` (`work_items_open_subject`) when it is queued already.
    async fn enqueue_work_item(
        &self,
        company: CompanyId,
        item: NewWorkItem,
    ) -> StorageResult<WorkItem>;

    async fn get_work_item(&self, company: CompanyId, id: WorkItemId) -> StorageResult<WorkItem>;

    /// Routes `id` in its turn: the whole queue is drained, so an item never overtakes one
    /// queued before it that the same agent could take. Answers every assignment made (`id`
    /// among them when it found an agent). `NotFound` when the item is not the company's.
    async fn route_work_item(
        &self,
        company: CompanyId,
        id: WorkItemId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>>;

    /// Assigns waiting items in queue order until no present agent has room for the next
    /// ones; answers the assignments made. Called when an agent comes online, frees capacity
    /// or is created.
    async fn drain_work_queue(
        &self,
        company: CompanyId,
        clock: RoutingClock,
    ) -> StorageResult<Vec<WorkItem>>;

    /// Hands an agent's open items back to the queue (unassigned, their age kept) along with
    /// the subjects they own: for an agent going offline. Answers how many went back.
    async fn release_agent(
        &self,
        company: CompanyId,
        agent: UserId,
        now: DateTime<Utc>,
    ) -> StorageResult<u64>;

    /// The waiting items in queue order, at most `limit`.
    async fn list_waiting_work(
        &self,
        company: CompanyId,
        limit: u32,
    ) -> StorageResult<Vec<WorkItem>>;

    /// An agent's open items, in the order they were assigned.
    async fn list_agent_work(
        &self,
        company: CompanyId,
        agent: UserId,
    ) -> StorageResult<Vec<WorkItem>>;
}
