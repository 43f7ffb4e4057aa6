//! The input of the metric computation: events as read from the log, independent of how
//! the storage layer represents them.

use super::kind::EventKind;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// One event of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub kind: String,
    pub conversation_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

impl LogEvent {
    pub fn new(kind: EventKind, conversation_id: Option<Uuid>, occurred_at: DateTime<Utc>) -> Self {
        Self {
            kind: kind.as_str().to_owned(),
            conversation_id,
            agent_id: None,
            data: serde_json::Value::Object(Default::default()),
            occurred_at,
        }
    }

    pub fn by_agent(mut self, agent: Uuid) -> Self {
        self.agent_id = Some(agent);
        self
    }

    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }
}

/// Whose metrics to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Company,
    /// The conversations this agent acted in (any event with its `agent_id`), with the
    /// events of the customer, the AI and the system in them (handoffs included, whoever
    /// they were routed to), but without other agents' replies, approvals and decisions. So
    /// a shared conversation counts for each agent who worked on it, and each agent's
    /// response times are their own.
    Agent(Uuid),
}

/// Groups known events by conversation (events without one form a group of their own),
/// each group sorted by time with ties in input order, which for the log is write order.
pub(super) fn by_conversation(
    events: &[LogEvent],
    scope: Scope,
) -> Vec<Vec<(EventKind, &LogEvent)>> {
    let touched: Option<HashSet<Option<Uuid>>> = match scope {
        Scope::Company => None,
        Scope::Agent(agent) => Some(
            events
                .iter()
                .filter(|e| e.agent_id == Some(agent))
                .map(|e| e.conversation_id)
                .collect(),
        ),
    };
    let mut groups: BTreeMap<Option<Uuid>, Vec<(EventKind, &LogEvent)>> = BTreeMap::new();
    for e in events {
        let Some(kind) = EventKind::parse(&e.kind) else { continue };
        if let (Scope::Agent(agent), Some(touched)) = (scope, &touched) {
            // A handoff names the agent it was routed to, but whoever answers it is the one
            // whose clock it starts, so it stays in every agent's view of the conversation.
            let others = kind != EventKind::HandedOff && e.agent_id.is_some_and(|a| a != agent);
            if others || !touched.contains(&e.conversation_id) {
                continue;
            }
            // Without a conversation, only the agent's own events are its own.
            if e.conversation_id.is_none() && e.agent_id != Some(agent) {
                continue;
            }
        }
        groups.entry(e.conversation_id).or_default().push((kind, e));
    }
    let mut out: Vec<_> = groups.into_values().collect();
    for g in &mut out {
        // Stable: equal times keep input order.
        g.sort_by_key(|(_, e)| e.occurred_at);
    }
    out
}

/// The rating of a `feedback.submitted` event, when it is a whole number from 1 to 5.
pub(super) fn rating(e: &LogEvent) -> Option<u8> {
    let r = e.data.get("rating")?.as_u64()?;
    (1..=5).contains(&r).then_some(r as u8)
}
