//! Live events of conversations and agents, and the bus that carries them to sockets.
//!
//! The engine publishes; the server's sockets subscribe and pick what their caller may see.
//! [`EventBus`] is a trait so that a multi-node deployment can carry the same events between
//! nodes (NATS subjects per company, or PostgreSQL `LISTEN/NOTIFY`) without the engine
//! changing. Sockets are a fast path: a subscriber that falls behind loses events and its
//! client catches up from the REST routes, which read the database.

use crate::state::ConversationStatus;
use crate::views::MessageView;
use std::sync::Arc;
use switchboard_domain::{CompanyId, ConversationId, MessageId, UserId};
use tokio::sync::broadcast;

/// One thing that happened, with who may see it.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub company: CompanyId,
    /// The conversation it concerns; `None` for company-wide events such as an agent's status.
    pub conversation: Option<ConversationId>,
    /// The agent who owns the conversation now, if any: agents see their own conversations
    /// and those nobody owns.
    pub owner: Option<UserId>,
    pub kind: LiveKind,
}

#[derive(Debug, Clone)]
pub enum LiveKind {
    /// A whole message, as stored.
    Message(MessageView),
    /// A piece of an AI reply being streamed; the whole reply follows as a `Message`.
    Delta { message_id: MessageId, content: String },
    /// The conversation's status changed. `feedback_requested` when it closed and the
    /// customer is asked to rate it.
    Status { status: ConversationStatus, feedback_requested: bool },
    /// Who owns the conversation changed (routing assigned or released it, another agent
    /// took it) while the customer's view did not: staff see `conversation.updated`, the
    /// customer's socket nothing, so the widget does not hear the same status twice.
    Owner { status: ConversationStatus },
    /// Someone is writing (`ai` or `agent`).
    Typing { sender: &'static str },
    /// An agent's availability changed.
    AgentStatus { agent: UserId, status: String },
    /// An approval request was created (`approval.created`) or changed (`approval.updated`);
    /// `data` is its API view. Only its assignee (the event's `owner`) and admins see it.
    Approval { created: bool, data: serde_json::Value },
    /// The routing queue changed (`queue.updated`): an item queued, assigned, released or
    /// closed; `data` says which. Only the agent concerned (`owner`) and admins see it.
    Queue { data: serde_json::Value },
}

pub type BusReceiver = broadcast::Receiver<Arc<LiveEvent>>;

pub trait EventBus: Send + Sync + 'static {
    /// Hands the event to every current subscriber; never blocks and never fails (nobody
    /// listening is fine: the database is the record).
    fn publish(&self, event: LiveEvent);

    fn subscribe(&self) -> BusReceiver;
}

/// The in-process bus: one broadcast channel. Each subscriber filters by company and
/// audience, which is cheap next to a socket write.
pub struct LocalBus {
    sender: broadcast::Sender<Arc<LiveEvent>>,
}

impl LocalBus {
    /// `capacity` events may be queued per subscriber before the slowest loses the oldest.
    pub fn new(capacity: usize) -> Self {
        Self { sender: broadcast::channel(capacity.max(16)).0 }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new(1024)
    }
}

impl EventBus for LocalBus {
    fn publish(&self, event: LiveEvent) {
        // An error only means that nobody is subscribed.
        let _ = self.sender.send(Arc::new(event));
    }

    fn subscribe(&self) -> BusReceiver {
        self.sender.subscribe()
    }
}

impl LiveEvent {
    /// Whether an agent (not an admin) may see this event: its own conversations, the ones
    /// nobody owns, and company-wide events.
    pub fn visible_to_agent(&self, agent: UserId) -> bool {
        match self.kind {
            // Approvals and the queue are for their assignee and the admins only: an
            // unassigned request waits in the queue, which agents do not see.
            LiveKind::Approval { .. } | LiveKind::Queue { .. } => self.owner == Some(agent),
            _ => self.owner.is_none_or(|owner| owner == agent),
        }
    }
}
