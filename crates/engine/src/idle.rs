//! Conversations the customer walked away from while the AI held them are closed after a
//! quiet period, and the customer is asked for feedback. These are the AI's resolutions:
//! nobody asked for a person, so analytics counts them as resolved by the AI alone.

use crate::bus::LiveKind;
use crate::conversations::{Conversations, event, new_message, parse_status, view};
use crate::error::EngineResult;
use crate::staff::CLOSED_NOTE;
use crate::state::Transition;
use chrono::{DateTime, Utc};
use switchboard_ai::analytics::EventKind;
use switchboard_storage::{ConversationWrite, StatusChange, StorageError};

/// Conversations closed per sweep at most; the next sweep takes the rest.
const BATCH: u32 = 200;

impl Conversations {
    /// Closes every conversation the AI holds that has not changed since `idle_since`; returns
    /// how many it closed. Each is closed in its turn (never between a customer's message and
    /// its reply) and only if still idle and still the AI's, so a message that lands first wins.
    pub async fn close_idle(&self, idle_since: DateTime<Utc>) -> EngineResult<usize> {
        let mut closed = 0;
        for stale in self.db.idle_ai_conversations(idle_since, BATCH).await? {
            let _turn = self.locks.acquire(stale.id).await;
            let company = stale.company_id;
            let now = match self.db.get_conversation(company, stale.id).await {
                Ok(c) if c.status == "ai" && c.updated_at < idle_since => c,
                Ok(_) | Err(StorageError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let Ok(next) = parse_status(&now)?.apply(Transition::Close) else { continue };
            let note = new_message("system", None, CLOSED_NOTE, &[]);
            let mut write = ConversationWrite::at(Utc::now());
            write.change = Some(StatusChange {
                from: now.status.clone(),
                from_agent: None,
                to: next.as_str().to_owned(),
                agent: None,
                resolution: Some("inactive".to_owned()),
            });
            write.messages.push(note.clone());
            let data = serde_json::json!({ "byHuman": false, "reason": "inactive" });
            write.events.push(event(EventKind::ConversationClosed, now.id, None, data));
            let updated = match self.db.record(company, now.id, write).await {
                Ok(c) => c,
                Err(StorageError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
            };
            self.publish(&updated, LiveKind::Status { status: next, feedback_requested: true });
            self.publish_message(&updated, &view(&updated, note));
            closed += 1;
        }
        Ok(closed)
    }
}
