//! Routing people to work: conversation handoffs and approval requests go to present agents
//! by least queue (storage's [`WorkQueueStore`](switchboard_storage::WorkQueueStore) chooses),
//! and every change of the queue is announced on the bus to the agent concerned and the
//! company's admins.
//!
//! None of these fail their caller: the queue is persistent, so an item that could not be
//! routed now is routed by the next drain (an agent coming online, freeing capacity or being
//! created). Failures are logged.

use crate::bus::{LiveEvent, LiveKind};
use crate::conversations::{Conversations, parse_status};
use crate::error::{EngineError, EngineResult};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;
use switchboard_domain::{
    ApprovalId, CompanyId, ConversationId, Priority, Urgency, UserId, WorkItemId,
};
use switchboard_storage::{
    ApprovalRequest, Conversation, NewWorkItem, RoutingClock, StorageError, WorkChange, WorkItem,
    WorkSubject,
};

/// How long an agent's client may stay silent before the agent counts as absent, unless the
/// operator says otherwise (`SWITCHBOARD_AGENT_OFFLINE_AFTER_SECS`).
pub const DEFAULT_PRESENCE_TIMEOUT: Duration = Duration::from_secs(300);

/// Routing at `now`: agents count as present when seen within `presence_timeout`.
pub fn routing_clock(now: DateTime<Utc>, presence_timeout: Duration) -> RoutingClock {
    let limit = chrono::Duration::from_std(presence_timeout)
        .unwrap_or_else(|_| chrono::Duration::minutes(5));
    RoutingClock { now, seen_since: now - limit }
}

/// The `rule` of an item an agent took itself (a takeover), as opposed to one routing gave
/// it (`least_queue`) or an admin chose.
const TAKEOVER_RULE: &str = "takeover";

/// What happened to a queue entry, as `queue.updated` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAction {
    /// Waiting for an agent.
    Queued,
    /// Given to an agent (by routing, a takeover or an admin).
    Assigned,
    /// Taken from its agent, back in the queue (the agent went away or was replaced).
    Released,
    /// Done with: its subject was decided, released to the AI or closed.
    Closed,
}

impl QueueAction {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueAction::Queued => "queued",
            QueueAction::Assigned => "assigned",
            QueueAction::Released => "released",
            QueueAction::Closed => "closed",
        }
    }
}

/// The `queue.updated` data for `item`: `{action, itemId, kind, subjectId, agentId,
/// priority, urgency, reasons}`; `agent` is the agent concerned (the new or the former one).
pub fn queue_event_data(
    item: &WorkItem,
    action: QueueAction,
    agent: Option<UserId>,
) -> serde_json::Value {
    json!({
        "action": action.as_str(),
        "itemId": item.id.to_string(),
        "kind": item.subject.kind(),
        "subjectId": item.subject.id().to_string(),
        "agentId": agent.map(|a| a.to_string()),
        "priority": item.priority.as_str(),
        "urgency": item.urgency.as_str(),
        "reasons": item.reasons,
        "queuedAt": item.created_at,
    })
}

/// The skill a conversation needs: its category, normalised as skills are.
fn needed_skill(conversation: &Conversation) -> Option<String> {
    let category = conversation.category.as_deref()?.trim().to_lowercase();
    (!category.is_empty()).then_some(category)
}

impl Conversations {
    /// Announces a handoff's item, queued in the same write as the handoff itself
    /// (`WorkChange::Queue`; `None` when the conversation was queued already), and routes
    /// the queue.
    pub async fn route_queued_handoff(&self, company: CompanyId, queued: Option<&WorkItem>) {
        if let Some(item) = queued {
            self.announce_queue(item, QueueAction::Queued, None);
        }
        self.drain_queue(company).await;
    }

    /// Gives waiting items to present agents with room, in queue order, and announces each
    /// assignment: the assignee hears `approval.created` for a request, `conversation.updated`
    /// for a conversation (now shown as its), and `queue.updated` either way.
    pub async fn drain_queue(&self, company: CompanyId) {
        let assigned = match self
            .db
            .drain_work_queue(company, routing_clock(Utc::now(), self.presence_timeout))
            .await
        {
            Ok(assigned) => assigned,
            Err(e) => {
                tracing::warn!(error = %e, %company, "routing queue not drained");
                return;
            }
        };
        if !assigned.is_empty() {
            tracing::info!(%company, items = assigned.len(), "routed queued work");
        }
        for item in &assigned {
            self.announce_assignment(item).await;
        }
    }

    /// The agent went offline: its open items go back to the queue (their age kept) and are
    /// routed to whoever is present.
    pub async fn agent_unavailable(&self, company: CompanyId, agent: UserId) {
        let held = self.held_by(company, agent).await;
        match self.db.release_agent(company, agent, Utc::now()).await {
            Ok(released) => {
                if released > 0 {
                    tracing::info!(%company, %agent, items = released, "released an absent agent's work");
                }
                self.announce_released(company, agent, &held).await;
            }
            Err(e) => tracing::warn!(error = %e, %company, %agent, "agent's work not released"),
        }
        self.drain_queue(company).await;
    }

    /// Deactivates the agent (storage hands its items back in the same transaction), then
    /// announces and re-routes them. Answers how many items went back; `NotFound` for an id
    /// that is not an agent of the company.
    pub async fn deactivate_agent(&self, company: CompanyId, agent: UserId) -> EngineResult<u64> {
        let held = self.held_by(company, agent).await;
        let released = self.db.deactivate_agent(company, agent, Utc::now()).await?;
        self.announce_released(company, agent, &held).await;
        self.drain_queue(company).await;
        Ok(released)
    }

    /// An admin gives an open approval request to `agent`, over routing and capacity. The new
    /// assignee and the admins hear `approval.updated`; `queue.updated` tells the former
    /// assignee it lost the request and the new one it got it; the former assignee's freed
    /// capacity is drained. `NotFound` for a request or agent not the company's; `Conflict`
    /// once decided or for a deactivated agent.
    pub async fn reassign_approval(
        &self,
        company: CompanyId,
        id: ApprovalId,
        agent: UserId,
        by: UserId,
    ) -> EngineResult<ApprovalRequest> {
        let before = self.db.get_approval(company, id).await?;
        let after = match self.db.reassign_approval(company, id, agent, by, Utc::now()).await {
            Ok(after) => after,
            Err(StorageError::Conflict { constraint }) if constraint == "agent_inactive" => {
                return Err(EngineError::Conflict("the agent is deactivated"));
            }
            Err(StorageError::Conflict { .. }) => {
                return Err(EngineError::Conflict("the request is already decided"));
            }
            Err(e) => return Err(e.into()),
        };
        self.announce_approval(&after, false);
        let subject = WorkSubject::Approval(id);
        let item = match self.db.list_agent_work(company, agent).await {
            Ok(items) => items.into_iter().find(|i| i.subject == subject),
            Err(e) => {
                tracing::warn!(error = %e, %company, approval = %id, "reassigned item not read");
                None
            }
        };
        if let Some(item) = item {
            if let Some(former) = before.agent_id.filter(|f| *f != agent) {
                self.announce_queue(&item, QueueAction::Released, Some(former));
            }
            self.announce_queue(&item, QueueAction::Assigned, Some(agent));
        }
        if before.agent_id.is_some_and(|f| f != agent) {
            self.drain_queue(company).await;
        }
        Ok(after)
    }

    /// The agent's open entry for the conversation when routing gave it the conversation and
    /// the agent has not taken it over yet; `None` when it has (or it was never queued).
    pub(crate) async fn routed_not_joined(
        &self,
        company: CompanyId,
        conversation: ConversationId,
        agent: UserId,
    ) -> Option<WorkItem> {
        let subject = WorkSubject::Conversation(conversation);
        self.held_by(company, agent).await.into_iter().find(|item| {
            item.subject == subject
                && item.reasons.get("rule").and_then(|r| r.as_str()) != Some(TAKEOVER_RULE)
        })
    }

    async fn held_by(&self, company: CompanyId, agent: UserId) -> Vec<WorkItem> {
        self.db.list_agent_work(company, agent).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, %company, %agent, "agent's work not read");
            Vec::new()
        })
    }

    async fn announce_assignment(&self, item: &WorkItem) {
        let company = item.company_id;
        match item.subject {
            WorkSubject::Approval(id) => self.announce_approval_by_id(company, id, true).await,
            WorkSubject::Conversation(id) => match self.db.get_conversation(company, id).await {
                Ok(c) => self.announce_conversation(&c),
                Err(e) => {
                    tracing::warn!(error = %e, %company, conversation = %id, "assignment not announced")
                }
            },
        }
        self.announce_queue(item, QueueAction::Assigned, item.assigned_agent_id);
    }

    /// Announces the items an agent held as released: `queue.updated` to it (and the admins),
    /// the requests to the admins, the conversations to every agent (they wait, unowned).
    async fn announce_released(&self, company: CompanyId, agent: UserId, held: &[WorkItem]) {
        for item in held {
            self.announce_queue(item, QueueAction::Released, Some(agent));
            match item.subject {
                WorkSubject::Approval(id) => self.announce_approval_by_id(company, id, false).await,
                WorkSubject::Conversation(id) => {
                    match self.db.get_conversation(company, id).await {
                        Ok(c) => self.announce_conversation(&c),
                        Err(e) => {
                            tracing::warn!(error = %e, %company, conversation = %id, "release not announced")
                        }
                    }
                }
            }
        }
    }

    /// `conversation.updated` with the conversation's current status and owner, for staff:
    /// the customer's status did not change.
    fn announce_conversation(&self, c: &Conversation) {
        if let Ok(status) = parse_status(c) {
            self.publish(c, LiveKind::Owner { status });
        }
    }

    /// `queue.updated`, seen by `agent` (the agent concerned) and the admins.
    pub(crate) fn announce_queue(
        &self,
        item: &WorkItem,
        action: QueueAction,
        agent: Option<UserId>,
    ) {
        let conversation = match item.subject {
            WorkSubject::Conversation(id) => Some(id),
            WorkSubject::Approval(_) => None,
        };
        self.bus.publish(LiveEvent {
            company: item.company_id,
            conversation,
            owner: agent,
            kind: LiveKind::Queue { data: queue_event_data(item, action, agent) },
        });
    }
}

/// A takeover's claim on the conversation's queue entry (over capacity), written with the
/// takeover itself. `routed` keeps the reasons routing had given, when routing had chosen
/// this agent first.
pub(crate) fn takeover_claim(agent: UserId, routed: Option<serde_json::Value>) -> WorkChange {
    let reasons = json!({
        "rule": TAKEOVER_RULE,
        "why": ["the agent took the conversation over"],
        "routing": routed,
    });
    WorkChange::Claim { agent, reasons }
}

/// The routing queue's item for `conversation`, handed to people at `now`.
pub(crate) fn handoff_item(conversation: &Conversation, now: DateTime<Utc>) -> NewWorkItem {
    NewWorkItem {
        id: WorkItemId::new(),
        subject: WorkSubject::Conversation(conversation.id),
        priority: Priority::parse(&conversation.priority).unwrap_or(Priority::Medium),
        urgency: Urgency::parse(&conversation.urgency).unwrap_or(Urgency::Medium),
        skill: needed_skill(conversation),
        now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(reasons: serde_json::Value) -> WorkItem {
        WorkItem {
            id: WorkItemId::new(),
            company_id: CompanyId::new(),
            subject: WorkSubject::Conversation(ConversationId::new()),
            priority: Priority::High,
            urgency: Urgency::Low,
            skill: Some("billing".into()),
            created_at: Utc::now(),
            assigned_agent_id: None,
            assigned_at: None,
            reasons,
            closed_at: None,
        }
    }

    #[test]
    fn queue_events_name_the_item_its_subject_and_the_agent() {
        let item = item(json!({"rule": "least_queue"}));
        let agent = UserId::new();
        let data = queue_event_data(&item, QueueAction::Assigned, Some(agent));
        assert_eq!(data["action"], "assigned");
        assert_eq!(data["itemId"], item.id.to_string());
        assert_eq!(data["kind"], "conversation");
        assert_eq!(data["subjectId"], item.subject.id().to_string());
        assert_eq!(data["agentId"], agent.to_string());
        assert_eq!(data["priority"], "high");
        assert_eq!(data["reasons"]["rule"], "least_queue");
        let queued = queue_event_data(&item, QueueAction::Queued, None);
        assert_eq!(queued["action"], "queued");
        assert!(queued["agentId"].is_null());
    }

    #[test]
    fn the_routing_clock_looks_back_by_the_presence_limit() {
        let now = Utc::now();
        let clock = routing_clock(now, Duration::from_secs(90));
        assert_eq!(clock.now, now);
        assert_eq!((now - clock.seen_since).to_std().unwrap(), Duration::from_secs(90));
    }

    #[test]
    fn a_category_is_needed_as_a_skill() {
        let mut c = Conversation {
            id: ConversationId::new(),
            company_id: CompanyId::new(),
            customer_id: None,
            session_hash: String::new(),
            status: "human".into(),
            assigned_agent_id: None,
            category: Some(" Billing ".into()),
            priority: "medium".into(),
            urgency: "medium".into(),
            sentiment: None,
            classification: json!({}),
            resolution: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            handed_off_at: None,
            closed_at: None,
            workflow: serde_json::Value::Null,
        };
        assert_eq!(needed_skill(&c).as_deref(), Some("billing"));
        c.category = Some("  ".into());
        assert_eq!(needed_skill(&c), None);
        c.category = None;
        assert_eq!(needed_skill(&c), None);
    }
}
