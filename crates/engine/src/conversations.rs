//! The conversation engine's front door: one [`Conversations`] per process, shared by the
//! chat routes, the customer socket and the agent routes. It owns the per-conversation
//! locks, publishes live events and writes every step through `ConversationStore::record`,
//! so a message is committed (with its analytics event) before anyone is told of it.

use crate::bus::{EventBus, LiveEvent, LiveKind};
use crate::error::{EngineError, EngineResult};
use crate::locks::ConversationLocks;
use crate::ports::{RequestClassifier, SecretOpener};
use crate::session::{new_session_id, session_hash};
use crate::state::ConversationStatus;
use crate::views::MessageView;
use chrono::Utc;
use std::sync::Arc;
use switchboard_ai::Citation;
use switchboard_ai::analytics::EventKind;
use switchboard_ai::knowledge::Knowledge;
use switchboard_domain::{CompanyId, ConversationId, CustomerId, MessageId, UserId};
use switchboard_llm::LlmResponder;
use switchboard_storage::{
    Backend, Conversation, ConversationWrite, Message, NewConversation, NewEvent, NewMessage,
};

/// How long opening a conversation waits for its classification before going on without.
const CLASSIFY_INLINE: std::time::Duration = std::time::Duration::from_millis(300);

/// The longest message anyone may send, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

pub struct Conversations {
    pub(crate) db: Arc<dyn Backend>,
    pub(crate) knowledge: Arc<Knowledge>,
    pub(crate) bus: Arc<dyn EventBus>,
    pub(crate) classifier: Arc<dyn RequestClassifier>,
    pub(crate) secrets: Arc<dyn SecretOpener>,
    /// `None` when outbound calls are impossible (the HTTP client could not be built): every
    /// company then gets the builtin responder.
    pub(crate) llm: Option<LlmResponder>,
    pub(crate) locks: ConversationLocks,
    /// How tools run: the webhook policy and client (`with_tool_policy`; strict by default).
    pub(crate) tools: crate::tool_call::ToolRunner,
    /// How long an `online` agent may stay silent and still be given work; the presence
    /// sweep sets it offline after as long (`with_presence_timeout`).
    pub(crate) presence_timeout: std::time::Duration,
}

/// A conversation just opened, with the secret its widget will use from now on.
pub struct Opened {
    pub conversation: Conversation,
    pub session_id: String,
    pub greeting: MessageView,
}

/// What one customer message led to.
pub struct Turn {
    pub conversation: Conversation,
    pub message: MessageView,
    /// The AI's reply; `None` while a person owns the conversation or is awaited.
    pub reply: Option<MessageView>,
}

impl Conversations {
    pub fn new(
        db: Arc<dyn Backend>,
        knowledge: Arc<Knowledge>,
        bus: Arc<dyn EventBus>,
        classifier: Arc<dyn RequestClassifier>,
        secrets: Arc<dyn SecretOpener>,
        llm: Option<LlmResponder>,
    ) -> Self {
        Self {
            db,
            knowledge,
            bus,
            classifier,
            secrets,
            llm,
            locks: ConversationLocks::default(),
            tools: crate::tool_call::ToolRunner::default(),
            presence_timeout: crate::routing::DEFAULT_PRESENCE_TIMEOUT,
        }
    }

    /// Routing gives no new work to an agent silent for longer than `limit` (at least a
    /// second), even before the presence sweep sets it offline.
    pub fn with_presence_timeout(mut self, limit: std::time::Duration) -> Self {
        self.presence_timeout = limit.max(std::time::Duration::from_secs(1));
        self
    }

    pub fn bus(&self) -> &Arc<dyn EventBus> {
        &self.bus
    }

    /// Opens a conversation for a first message: classified on that message, started with
    /// the company's greeting. The caller then hands the message to [`Self::customer_says`].
    pub async fn open(
        &self,
        company: CompanyId,
        customer: Option<CustomerId>,
        first_message: &str,
    ) -> EngineResult<Opened> {
        check_content(first_message)?;
        let config = self.db.get_agent_config(company).await?;
        // Classifying is an embedding when the company's model is ready, but the first
        // request after a start or an examples change trains it (seconds): the customer
        // does not wait for that; the verdict is stored when it comes.
        let classifier = Arc::clone(&self.classifier);
        let text = first_message.to_owned();
        let mut verdict = tokio::spawn(async move { classifier.classify(company, &text).await });
        let classification = match tokio::time::timeout(CLASSIFY_INLINE, &mut verdict).await {
            Ok(done) => done.ok().flatten(),
            Err(_) => None,
        };
        let late = classification.is_none() && !verdict.is_finished();
        let session_id = new_session_id();
        let now = Utc::now();
        let conversation = self
            .db
            .create_conversation(
                company,
                NewConversation {
                    id: ConversationId::new(),
                    customer_id: customer,
                    session_hash: session_hash(&session_id),
                    category: None,
                    now,
                },
            )
            .await?;
        let started = serde_json::json!({
            "category": classification.as_ref().and_then(|c| c.category.clone()),
            "priority": classification.as_ref().map(|c| c.priority.clone()),
            "urgency": classification.as_ref().map(|c| c.urgency.clone()),
            "sentiment": classification.as_ref().and_then(|c| c.sentiment.clone()),
        });
        let greeting = new_message("ai", None, config.greeting_message.trim(), &[]);
        let mut write = ConversationWrite::at(now);
        write.classification = classification;
        write.events.push(event(EventKind::ConversationStarted, conversation.id, None, started));
        write.messages.push(greeting.clone());
        let conversation = self.db.record(company, conversation.id, write).await?;
        if late {
            self.classify_later(company, conversation.id, verdict);
        }
        let greeting = view(&conversation, greeting);
        self.publish_message(&conversation, &greeting);
        Ok(Opened { conversation, session_id, greeting })
    }

    /// The conversation a sessionId opens, or `NotFound`.
    pub async fn by_session(&self, session_id: &str) -> EngineResult<Conversation> {
        if !crate::session::looks_like_session_id(session_id) {
            return Err(EngineError::NotFound);
        }
        Ok(self.db.find_conversation_by_session(&session_hash(session_id)).await?)
    }

    /// Messages oldest first, after `after` when given.
    pub async fn messages(
        &self,
        company: CompanyId,
        conversation: ConversationId,
        after: Option<MessageId>,
        limit: u32,
    ) -> EngineResult<Vec<MessageView>> {
        let rows = self.db.list_messages(company, conversation, after, limit).await?;
        Ok(rows.into_iter().map(MessageView::from).collect())
    }

    /// Handles one customer message in the conversation's turn: commits it, then (when the
    /// AI has the conversation) decides on and commits the reply. The customer's message is
    /// stored even when the reply fails.
    pub async fn customer_says(
        &self,
        company: CompanyId,
        id: ConversationId,
        content: &str,
    ) -> EngineResult<Turn> {
        check_content(content)?;
        let _turn = self.locks.acquire(id).await;
        let conversation = self.db.get_conversation(company, id).await?;
        let status = parse_status(&conversation)?;
        if status == ConversationStatus::Closed {
            return Err(EngineError::Closed);
        }
        let customer_id = conversation.customer_id.map(|c| c.as_uuid());
        let customer = new_message("customer", customer_id, content, &[]);
        let mut write = ConversationWrite::at(Utc::now());
        write.messages.push(customer.clone());
        write.events.push(event(EventKind::CustomerMessage, id, None, serde_json::json!({})));
        // When the AI will answer, the message is embedded for its search, and the company's
        // agent configuration and workflows read, while it is being committed: the commit's
        // flush, the reads and the embedding overlap instead of adding up.
        let (conversation, config, workflows) = if status.ai_may_reply() {
            let (recorded, (), config, workflows) = tokio::join!(
                self.db.record(company, id, write),
                self.knowledge.prepare(content),
                self.db.get_agent_config(company),
                self.db.enabled_workflows(company)
            );
            (recorded?, Some(config?), workflows?)
        } else {
            (self.db.record(company, id, write).await?, None, Vec::new())
        };
        let message = view(&conversation, customer);
        self.publish_message(&conversation, &message);
        if !status.ai_may_reply() {
            return Ok(Turn { conversation, message, reply: None });
        }
        let (conversation, reply) =
            match self.advance_workflow(&conversation, content, &workflows).await? {
                Some(done) => done,
                None => self.reply(conversation, content, config).await?,
            };
        Ok(Turn { conversation, message, reply })
    }

    /// Stores a verdict that came after the conversation opened.
    fn classify_later(
        &self,
        company: CompanyId,
        id: ConversationId,
        verdict: tokio::task::JoinHandle<Option<switchboard_storage::ConversationClassification>>,
    ) {
        let db = Arc::clone(&self.db);
        tokio::spawn(async move {
            let Ok(Some(classification)) = verdict.await else { return };
            let mut write = ConversationWrite::at(Utc::now());
            write.classification = Some(classification);
            if let Err(e) = db.record(company, id, write).await {
                tracing::warn!(error = %e, %company, conversation = %id, "late classification not stored");
            }
        });
    }

    pub(crate) fn publish_message(&self, conversation: &Conversation, message: &MessageView) {
        self.publish(conversation, LiveKind::Message(message.clone()));
    }

    pub(crate) fn publish(&self, conversation: &Conversation, kind: LiveKind) {
        self.bus.publish(LiveEvent {
            company: conversation.company_id,
            conversation: Some(conversation.id),
            owner: conversation.assigned_agent_id,
            kind,
        });
    }
}

pub(crate) fn check_content(content: &str) -> EngineResult<()> {
    if content.trim().is_empty() {
        return Err(EngineError::Invalid("the message is empty"));
    }
    if content.chars().count() > MAX_MESSAGE_CHARS {
        return Err(EngineError::Invalid("the message is longer than 4000 characters"));
    }
    Ok(())
}

pub(crate) fn parse_status(c: &Conversation) -> EngineResult<ConversationStatus> {
    ConversationStatus::parse(&c.status).ok_or(EngineError::Conflict("unknown conversation status"))
}

pub(crate) fn new_message(
    sender: &str,
    sender_id: Option<uuid::Uuid>,
    content: &str,
    citations: &[Citation],
) -> NewMessage {
    NewMessage {
        id: MessageId::new(),
        sender: sender.to_owned(),
        sender_id,
        content: content.to_owned(),
        citations: serde_json::to_value(citations).unwrap_or_else(|_| serde_json::json!([])),
        created_at: Utc::now(),
    }
}

pub(crate) fn view(conversation: &Conversation, m: NewMessage) -> MessageView {
    MessageView::from(Message {
        id: m.id,
        conversation_id: conversation.id,
        sender: m.sender,
        sender_id: m.sender_id,
        content: m.content,
        citations: m.citations,
        created_at: m.created_at,
    })
}

pub(crate) fn event(
    kind: EventKind,
    conversation: ConversationId,
    agent: Option<UserId>,
    data: serde_json::Value,
) -> NewEvent {
    NewEvent {
        kind: kind.as_str().to_owned(),
        conversation_id: Some(conversation.as_uuid()),
        agent_id: agent.map(|a| a.as_uuid()),
        data,
        occurred_at: Utc::now(),
    }
}
