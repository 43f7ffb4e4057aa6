use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, ConversationId, CustomerId};

/// What starting a conversation records. The chat engine will fill in more (classification,
/// routing); for now this is what feedback and analytics need to know about one.
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
    pub category: Option<String>,
    pub created_at: DateTime<Utc>,
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
}
