//! What the routing, queue and approval stories set up: present agents with a capacity,
//! handed-off conversations, queue items and approval requests.

use crate::data::{self, name};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard_domain::{
    AgentCapacity, AgentStatus, ApprovalId, CompanyId, ConversationId, Priority, Role, Skill,
    Urgency, UserId, WorkItemId, WorkflowId,
};
use switchboard_storage::{
    AgentUpdate, Backend, ConversationWrite, NewApproval, NewConversation, NewEvent, NewWorkItem,
    ProposedAction, RoutingClock, StatusChange, StorageResult, WorkChange, WorkItem, WorkSubject,
    WorkflowStepRef,
};

/// Agents count as present when seen in the last five minutes, as the presence sweep's
/// default cutoff has it.
pub(crate) fn clock(now: DateTime<Utc>) -> RoutingClock {
    RoutingClock { now, seen_since: now - Duration::minutes(5) }
}

/// An agent with `skills` and `capacity`, set online (and seen) at `seen`.
pub(crate) async fn online_agent(
    backend: &dyn Backend,
    company: CompanyId,
    email: &str,
    skills: &[&str],
    capacity: u32,
    seen: DateTime<Utc>,
) -> UserId {
    let be = name(backend);
    let id = agent(backend, company, email, skills, capacity).await;
    let online = backend.set_agent_status(company, id, AgentStatus::Online, seen).await;
    online.unwrap_or_else(|e| panic!("{be}: {email} online: {e}"));
    id
}

/// An offline agent with `skills` and `capacity`.
pub(crate) async fn agent(
    backend: &dyn Backend,
    company: CompanyId,
    email: &str,
    skills: &[&str],
    capacity: u32,
) -> UserId {
    let be = name(backend);
    let skills = skills.iter().map(|s| Skill::parse(s).expect("skill")).collect();
    let user = data::new_user(email, Role::CompanyAgent, false);
    let created = backend.create_agent(company, user, skills, data::now()).await;
    let created = created.unwrap_or_else(|e| panic!("{be}: create_agent {email}: {e}"));
    assert_eq!(created.capacity, AgentCapacity::default(), "{be}: capacity defaults to 5");
    let capacity = AgentCapacity::parse(i64::from(capacity)).expect("capacity");
    let update = AgentUpdate { capacity: Some(capacity), ..AgentUpdate::default() };
    let updated = backend.update_agent(company, created.user.id, update, data::now()).await;
    let updated = updated.unwrap_or_else(|e| panic!("{be}: capacity of {email}: {e}"));
    assert_eq!(updated.capacity, capacity, "{be}: {email}: the capacity is stored");
    assert_eq!(updated.skills, created.skills, "{be}: {email}: other fields stay");
    updated.user.id
}

/// A fresh session hash (64 hex digits), unique across companies.
fn session_hash() -> String {
    format!("{}{}", uuid::Uuid::now_v7().simple(), uuid::Uuid::now_v7().simple())
}

/// A conversation the AI still holds.
pub(crate) async fn conversation(
    backend: &dyn Backend,
    company: CompanyId,
    at: DateTime<Utc>,
) -> ConversationId {
    let new = NewConversation {
        id: ConversationId::new(),
        customer_id: None,
        session_hash: session_hash(),
        category: None,
        now: at,
    };
    let created = backend.create_conversation(company, new).await;
    created.unwrap_or_else(|e| panic!("{}: conversation: {e}", name(backend))).id
}

/// A conversation handed off to a person (`human`, nobody owning it yet), or taken over by
/// `owner` when given.
pub(crate) async fn handed_off(
    backend: &dyn Backend,
    company: CompanyId,
    owner: Option<UserId>,
    at: DateTime<Utc>,
) -> ConversationId {
    let id = conversation(backend, company, at).await;
    let change = StatusChange {
        from: "ai".to_owned(),
        from_agent: None,
        to: "human".to_owned(),
        agent: owner,
        resolution: None,
    };
    let write = ConversationWrite { change: Some(change), ..ConversationWrite::at(at) };
    let recorded = backend.record(company, id, write).await;
    recorded.unwrap_or_else(|e| panic!("{}: handoff: {e}", name(backend)));
    id
}

/// Writes a routing-queue change to the conversation behind `subject`, with no status
/// change (as an agent's first message claims a routed conversation); answers the item it
/// opened, claimed or closed, if any.
pub(crate) async fn change_work(
    backend: &dyn Backend,
    company: CompanyId,
    subject: WorkSubject,
    change: WorkChange,
    at: DateTime<Utc>,
) -> StorageResult<Option<WorkItem>> {
    let WorkSubject::Conversation(id) = subject else {
        panic!("{}: only a conversation's work changes with a conversation write", name(backend))
    };
    let write = ConversationWrite { work: Some(change), ..ConversationWrite::at(at) };
    backend.record_work(company, id, write).await.map(|recorded| recorded.work)
}

pub(crate) fn work(
    subject: WorkSubject,
    priority: Priority,
    urgency: Urgency,
    skill: Option<&str>,
    at: DateTime<Utc>,
) -> NewWorkItem {
    NewWorkItem {
        id: WorkItemId::new(),
        subject,
        priority,
        urgency,
        skill: skill.map(str::to_owned),
        now: at,
    }
}

/// Queues a handoff of a fresh conversation and answers its item.
pub(crate) async fn queued_handoff(
    backend: &dyn Backend,
    company: CompanyId,
    priority: Priority,
    urgency: Urgency,
    skill: Option<&str>,
    at: DateTime<Utc>,
) -> WorkItem {
    let id = handed_off(backend, company, None, at).await;
    let item = work(WorkSubject::Conversation(id), priority, urgency, skill, at);
    let queued = backend.enqueue_work_item(company, item).await;
    queued.unwrap_or_else(|e| panic!("{}: enqueue: {e}", name(backend)))
}

/// A refund awaiting approval, asked for by step 2 of a workflow.
pub(crate) fn approval(
    conversation: ConversationId,
    priority: Priority,
    urgency: Urgency,
    skill: Option<&str>,
    at: DateTime<Utc>,
) -> NewApproval {
    let event = NewEvent {
        kind: "approval.created".to_owned(),
        conversation_id: Some(conversation.as_uuid()),
        agent_id: None,
        data: json!({ "tool": "refund" }),
        occurred_at: at,
    };
    NewApproval {
        id: ApprovalId::new(),
        conversation_id: conversation,
        action: ProposedAction {
            tool: Some("refund".to_owned()),
            arguments: json!({ "orderNumber": "A-1001", "amount": 25.5 }),
            workflow_step: Some(WorkflowStepRef { workflow_id: WorkflowId::new(), step: 2 }),
        },
        summary: "Refund order A-1001".to_owned(),
        priority,
        urgency,
        reasons: json!([{ "cue": "refund", "weight": 0.8 }]),
        skill: skill.map(str::to_owned),
        events: vec![event],
        now: at,
    }
}

/// The queue order: priority, urgency (highest first), then age.
pub(crate) fn queue_order(items: &mut [WorkItem]) {
    items.sort_by(|a, b| {
        (b.priority, b.urgency, a.created_at, a.id).cmp(&(
            a.priority,
            a.urgency,
            b.created_at,
            b.id,
        ))
    });
}

pub(crate) async fn open_items(backend: &dyn Backend, company: CompanyId, agent: UserId) -> u32 {
    let got = backend.get_agent(company, agent).await;
    got.unwrap_or_else(|e| panic!("{}: get_agent: {e}", name(backend))).open_items
}
