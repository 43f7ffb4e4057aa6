//! Conversations and messages as clients see them (REST bodies and socket frames alike).

use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_ai::Citation;
use switchboard_storage::{Conversation, Message};

/// A message: `{id, sender, content, citations, createdAt}` (api.md, "Live updates").
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: String,
    pub conversation_id: String,
    /// `customer`, `ai`, `agent` or `system`.
    pub sender: String,
    pub content: String,
    /// The passages an AI answer quotes; empty for other messages.
    pub citations: Vec<Citation>,
    pub created_at: DateTime<Utc>,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        Self {
            id: m.id.to_string(),
            conversation_id: m.conversation_id.to_string(),
            sender: m.sender,
            content: m.content,
            // Written by the engine from `Citation`s; anything else reads as none.
            citations: serde_json::from_value(m.citations).unwrap_or_default(),
            created_at: m.created_at,
        }
    }
}

/// A conversation for staff: status, owner and classification.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    pub id: String,
    pub customer_id: Option<String>,
    /// `ai`, `awaiting_approval`, `human` or `closed`.
    pub status: String,
    pub assigned_agent_id: Option<String>,
    pub category: Option<String>,
    pub priority: String,
    pub urgency: String,
    pub sentiment: Option<String>,
    /// Scores and reasons of the classification (category, priority, urgency, sentiment).
    #[schema(value_type = Object)]
    pub classification: serde_json::Value,
    pub resolution: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub handed_off_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<Conversation> for ConversationView {
    fn from(c: Conversation) -> Self {
        Self {
            id: c.id.to_string(),
            customer_id: c.customer_id.map(|id| id.to_string()),
            status: c.status,
            assigned_agent_id: c.assigned_agent_id.map(|id| id.to_string()),
            category: c.category,
            priority: c.priority,
            urgency: c.urgency,
            sentiment: c.sentiment,
            classification: c.classification,
            resolution: c.resolution,
            created_at: c.created_at,
            updated_at: c.updated_at,
            handed_off_at: c.handed_off_at,
            closed_at: c.closed_at,
        }
    }
}

/// One conversation with its messages, oldest first (the first [`DETAIL_MESSAGES`]).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    #[serde(flatten)]
    pub conversation: ConversationView,
    pub messages: Vec<MessageView>,
}

/// How many messages a conversation's detail carries; longer ones page through the
/// messages route.
pub const DETAIL_MESSAGES: u32 = 1000;
