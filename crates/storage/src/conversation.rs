use crate::event::NewEvent;
use crate::message::{Message, NewMessage};
use crate::queue::{NewWorkItem, WorkItem};
use crate::{Page, PageRequest, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ConversationId, CustomerId, MessageId, UserId};

/// What starting a conversation records.
#[derive(Debug, Clone)]
pub struct NewConversation {
    pub id: ConversationId,
    pub customer_id: Option<CustomerId>,
    /// SHA-256 (lowercase hex) of the conversation's sessionId. Only the hash is stored, so
    /// a database leak does not hand out live widget credentials.
    pub session_hash: String,
    pub category: Option<String>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub id: ConversationId,
    pub company_id: CompanyId,
    pub customer_id: Option<CustomerId>,
    pub session_hash: String,
    /// `ai`, `awaiting_approval`, `human` or `closed`.
    pub status: String,
    /// The agent who owns it; `None` while the AI has it or while it waits for a person.
    pub assigned_agent_id: Option<UserId>,
    pub category: Option<String>,
    /// `low`, `medium`, `high` or `critical`.
    pub priority: String,
    /// `low`, `medium`, `high` or `urgent`.
    pub urgency: String,
    pub sentiment: Option<String>,
    /// The classifier's full result with its scores and reasons, as shown to agents.
    pub classification: serde_json::Value,
    pub resolution: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub handed_off_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The state of the workflow running in it (the engine's format); JSON null when none.
    pub workflow: serde_json::Value,
}

/// Which conversations a list shows; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    pub status: Option<String>,
    pub agent: Option<UserId>,
    pub category: Option<String>,
    /// An agent's view: its own conversations plus the live ones nobody owns.
    pub visible_to: Option<UserId>,
}

/// A status change, applied only if the conversation is still as the caller saw it (same
/// status, same owner): two nodes or two agents acting at once cannot both win.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from: String,
    pub from_agent: Option<UserId>,
    pub to: String,
    pub agent: Option<UserId>,
    pub resolution: Option<String>,
}

/// The classifier's verdict on a conversation's first request.
#[derive(Debug, Clone)]
pub struct ConversationClassification {
    pub category: Option<String>,
    pub priority: String,
    pub urgency: String,
    pub sentiment: Option<String>,
    pub detail: serde_json::Value,
}

/// Everything one step of a conversation writes, committed together: a message is never
/// acknowledged without its event, nor a handoff without its status.
#[derive(Debug, Clone)]
pub struct ConversationWrite {
    pub change: Option<StatusChange>,
    pub classification: Option<ConversationClassification>,
    /// A new priority (`low` … `critical`), as a workflow's `set_priority` step sets it.
    pub priority: Option<String>,
    /// The workflow state to store: `Some(Value::Null)` when the workflow ended.
    pub workflow: Option<serde_json::Value>,
    pub messages: Vec<NewMessage>,
    pub events: Vec<NewEvent>,
    /// What happens to the conversation's routing-queue item, in the same transaction as the
    /// status change: the queue can then never disagree with the conversation, whichever
    /// node wrote it and whatever happened to the process afterwards.
    pub work: Option<WorkChange>,
    pub now: DateTime<Utc>,
}

impl ConversationWrite {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            change: None,
            classification: None,
            priority: None,
            workflow: None,
            messages: Vec::new(),
            events: Vec::new(),
            work: None,
            now,
        }
    }
}

/// A conversation write's effect on the conversation's routing-queue item.
#[derive(Debug, Clone)]
pub enum WorkChange {
    /// A handoff: a waiting item is opened (its subject is this conversation, whatever the
    /// item's `subject` says) unless one is open already.
    Queue(NewWorkItem),
    /// A takeover: the open item becomes `agent`'s over routing and capacity, or one is
    /// opened already assigned. A deactivated agent is a `Conflict` (`agent_inactive`).
    Claim { agent: UserId, reasons: serde_json::Value },
    /// A release or a close: the open item, if any, closes and frees its agent's capacity.
    Close,
}

/// A conversation write's outcome.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub conversation: Conversation,
    /// The item the write's [`WorkChange`] opened, claimed or closed; `None` when it had
    /// nothing to do (already queued, nothing open to close) or the write had none.
    pub work: Option<WorkItem>,
}

#[async_trait]
pub trait ConversationStore {
    /// A session hash already in use (in any company) is a `Conflict`.
    async fn create_conversation(
        &self,
        company: CompanyId,
        conversation: NewConversation,
    ) -> StorageResult<Conversation>;

    /// `NotFound` for an unknown id or another company's conversation.
    async fn get_conversation(
        &self,
        company: CompanyId,
        id: ConversationId,
    ) -> StorageResult<Conversation>;

    /// The conversation a widget's sessionId (hashed) belongs to, in whichever company: the
    /// sessionId is the credential. `NotFound` when none.
    async fn find_conversation_by_session(&self, session_hash: &str)
    -> StorageResult<Conversation>;

    /// Conversations the AI holds (`ai`) whose last change is older than `updated_before`,
    /// in every company, stalest first, at most `limit`. Cross-tenant: the sweep that
    /// closes conversations the customer walked away from reads them.
    async fn idle_ai_conversations(
        &self,
        updated_before: DateTime<Utc>,
        limit: u32,
    ) -> StorageResult<Vec<Conversation>>;

    /// Newest first.
    async fn list_conversations(
        &self,
        company: CompanyId,
        filter: ConversationFilter,
        page: PageRequest,
    ) -> StorageResult<Page<Conversation>>;

    /// Applies `write` in one transaction and answers the conversation as it now is, with
    /// the queue item its [`WorkChange`] touched. `NotFound` for another company's
    /// conversation; `Conflict` when `write.change` no longer matches its status or owner
    /// (nothing is written then).
    async fn record_work(
        &self,
        company: CompanyId,
        id: ConversationId,
        write: ConversationWrite,
    ) -> StorageResult<Recorded>;

    /// [`Self::record_work`] for a write whose queue item nobody needs to hear about.
    async fn record(
        &self,
        company: CompanyId,
        id: ConversationId,
        write: ConversationWrite,
    ) -> StorageResult<Conversation> {
        Ok(self.record_work(company, id, write).await?.conversation)
    }

    /// Messages oldest first, after `after` when given, at most `limit`.
    async fn list_messages(
        &self,
        company: CompanyId,
        conversation: ConversationId,
        after: Option<MessageId>,
        limit: u32,
    ) -> StorageResult<Vec<Message>>;
}
