use chrono::{DateTime, Utc};
use switchboard_domain::{ConversationId, MessageId};

/// A message to store. The id is a UUIDv7 made by the writer, so ids sort in the order the
/// messages were written and the conversation reads back in order.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: MessageId,
    /// `customer`, `ai`, `agent` or `system`.
    pub sender: String,
    /// The agent (or customer) who wrote it, when a person did.
    pub sender_id: Option<uuid::Uuid>,
    pub content: String,
    /// The passages an AI answer relies on (a JSON array).
    pub citations: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub sender: String,
    pub sender_id: Option<uuid::Uuid>,
    pub content: String,
    pub citations: serde_json::Value,
    pub created_at: DateTime<Utc>,
}
