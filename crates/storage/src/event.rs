use crate::StorageResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use switchboard_domain::{CompanyId, EventId};

/// One fact for the analytics log, e.g. `conversation.started` or `approval.decided`.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub conversation_id: Option<uuid::Uuid>,
    pub agent_id: Option<uuid::Uuid>,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub company_id: CompanyId,
    pub kind: String,
    pub conversation_id: Option<uuid::Uuid>,
    pub agent_id: Option<uuid::Uuid>,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// The append-only analytics log. There is no update or delete: metrics are recomputed
/// from it, so it must only ever grow.
#[async_trait]
pub trait EventStore {
    async fn append_event(&self, company: CompanyId, event: NewEvent) -> StorageResult<Event>;

    /// Events with `from <= occurred_at < to`, oldest first.
    async fn list_events(
        &self,
        company: CompanyId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StorageResult<Vec<Event>>;
}
