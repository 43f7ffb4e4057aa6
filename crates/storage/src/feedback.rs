use crate::{NewEvent, StorageResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{
    CompanyId, ConversationId, CustomerId, FeedbackComment, FeedbackId, Rating,
};

#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub id: FeedbackId,
    pub conversation_id: ConversationId,
    pub customer_id: Option<CustomerId>,
    pub rating: Rating,
    pub comment: Option<FeedbackComment>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub id: FeedbackId,
    pub company_id: CompanyId,
    pub conversation_id: ConversationId,
    pub customer_id: Option<CustomerId>,
    pub rating: Rating,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait FeedbackStore {
    /// Records the rating and appends `event` (its `feedback.submitted` fact) to the event
    /// log in one transaction, so the log, which every metric is computed from, never
    /// misses or invents a rating. A second rating of the same conversation is a
    /// `Conflict` and writes neither; an unknown conversation is `NotFound`.
    async fn create_feedback(
        &self,
        company: CompanyId,
        feedback: NewFeedback,
        event: NewEvent,
    ) -> StorageResult<Feedback>;
}
