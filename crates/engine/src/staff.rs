//! What agents do to a conversation: take it over, write in it, give it back, close it.
//! Each keeps the conversation's routing-queue entry in step, in the same write as the
//! status change: a takeover makes it the agent's, releasing or closing ends it and frees
//! the agent's capacity for whoever waits.
//!
//! These do not wait for the conversation's turn: each is one compare-and-set on its status
//! and owner, so a takeover lands even while the AI is still thinking, and the AI's reply,
//! which checks that it still has the conversation, is then dropped.

use crate::bus::LiveKind;
use crate::conversations::{Conversations, check_content, event, new_message, parse_status, view};
use crate::error::{EngineError, EngineResult};
use crate::routing::{QueueAction, takeover_claim};
use crate::state::{ConversationStatus, Transition};
use crate::views::MessageView;
use chrono::Utc;
use switchboard_ai::analytics::EventKind;
use switchboard_domain::{CompanyId, ConversationId, UserId};
use switchboard_storage::{
    Conversation, ConversationWrite, Recorded, StatusChange, StorageError, WorkChange,
};

pub const JOINED_NOTE: &str = "A member of our team has joined the conversation.";
pub const RELEASED_NOTE: &str = "You're back with our virtual assistant.";
pub const CLOSED_NOTE: &str =
    "This conversation is now closed. How did we do? Please rate it from 1 to 5.";

/// A conversation after an agent's action, with the message it wrote.
pub struct StaffOutcome {
    pub conversation: Conversation,
    pub message: Option<MessageView>,
}

impl Conversations {
    /// An agent's view of one conversation: its own, or a live one nobody owns. Anything
    /// else is `NotFound`, exactly like another company's.
    pub async fn visible_to_agent(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
    ) -> EngineResult<Conversation> {
        let c = self.db.get_conversation(company, id).await?;
        let unowned_live = c.assigned_agent_id.is_none() && c.status != "closed";
        if c.assigned_agent_id == Some(agent) || unowned_live {
            Ok(c)
        } else {
            Err(EngineError::NotFound)
        }
    }

    /// The agent takes the conversation: the AI falls silent and the customer is told.
    pub async fn take_over(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
    ) -> EngineResult<StaffOutcome> {
        let c = self.visible_to_agent(company, id, agent).await?;
        if c.assigned_agent_id == Some(agent) {
            return self.join_routed(c, agent).await;
        }
        let status = parse_status(&c)?;
        let next = status
            .apply(Transition::Takeover)
            .map_err(|_| EngineError::Conflict("the conversation cannot be taken over now"))?;
        let note = new_message("system", None, JOINED_NOTE, &[]);
        let mut write = self.change(&c, next, Some(agent), None);
        write.messages.push(note.clone());
        // A handoff starts the human clock; one the AI already made started it earlier.
        if status != ConversationStatus::Human {
            let data = serde_json::json!({ "reason": "takeover" });
            write.events.push(event(EventKind::HandedOff, id, Some(agent), data));
        }
        // Its queue entry (waiting, or none yet) becomes the taker's, over capacity.
        write.work = Some(takeover_claim(agent, None));
        self.commit_staff(&c, write, vec![note], next, false).await
    }

    /// A takeover by the agent that already owns the conversation: when routing gave it the
    /// conversation and the agent now joins, the customer is told once; otherwise nothing
    /// changes.
    async fn join_routed(&self, c: Conversation, agent: UserId) -> EngineResult<StaffOutcome> {
        let Some(routed) = self.routed_not_joined(c.company_id, c.id, agent).await else {
            return Ok(StaffOutcome { conversation: c, message: None });
        };
        let status = parse_status(&c)?;
        let next = status
            .apply(Transition::Takeover)
            .map_err(|_| EngineError::Conflict("the conversation cannot be taken over now"))?;
        let note = new_message("system", None, JOINED_NOTE, &[]);
        // Owner and status stay; the change only checks that neither moved meanwhile.
        let mut write = self.change(&c, next, Some(agent), None);
        write.messages.push(note.clone());
        write.work = Some(takeover_claim(agent, Some(routed.reasons)));
        self.commit_staff(&c, write, vec![note], next, false).await
    }

    /// The agent writes to the customer.
    pub async fn agent_says(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
        content: &str,
    ) -> EngineResult<StaffOutcome> {
        check_content(content)?;
        let c = self.owned_by(company, id, agent).await?;
        let status = parse_status(&c)?;
        // Routing gave the agent the conversation and it answers without taking it over
        // first: the customer still hears, once and first, that a person joined.
        let routed = self.routed_not_joined(company, id, agent).await;
        let mut written = Vec::new();
        let mut write = self.change(&c, status, Some(agent), None);
        if let Some(routed) = routed {
            written.push(new_message("system", None, JOINED_NOTE, &[]));
            write.work = Some(takeover_claim(agent, Some(routed.reasons)));
        }
        written.push(new_message("agent", Some(agent.as_uuid()), content, &[]));
        write.messages.extend(written.iter().cloned());
        write.events.push(event(EventKind::AgentMessage, id, Some(agent), serde_json::json!({})));
        self.commit_staff(&c, write, written, status, false).await
    }

    /// The agent gives the conversation back to the AI.
    pub async fn release(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
    ) -> EngineResult<StaffOutcome> {
        let c = self.owned_by(company, id, agent).await?;
        let next = parse_status(&c)?.apply(Transition::Release).map_err(|_| {
            EngineError::Conflict("only a conversation a person owns can be released")
        })?;
        let note = new_message("system", None, RELEASED_NOTE, &[]);
        let mut write = self.change(&c, next, None, None);
        write.messages.push(note.clone());
        // Closed in the same write, so that a customer handed off right after the release
        // is queued afresh rather than finding (and then losing) the agent's entry.
        write.work = Some(WorkChange::Close);
        self.commit_staff(&c, write, vec![note], next, false).await
    }

    /// The agent closes the conversation; the customer is asked for feedback.
    pub async fn close(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
        resolution: Option<String>,
    ) -> EngineResult<StaffOutcome> {
        let c = self.owned_by(company, id, agent).await?;
        let next = parse_status(&c)?.apply(Transition::Close).map_err(|_| EngineError::Closed)?;
        let note = new_message("system", None, CLOSED_NOTE, &[]);
        let mut write = self.change(&c, next, Some(agent), resolution);
        write.messages.push(note.clone());
        let data = serde_json::json!({ "byHuman": true });
        write.events.push(event(EventKind::ConversationClosed, id, Some(agent), data));
        write.work = Some(WorkChange::Close);
        self.commit_staff(&c, write, vec![note], next, true).await
    }

    /// The agent's own conversation; a live unowned one is a conflict (take it over first),
    /// anything else not found.
    async fn owned_by(
        &self,
        company: CompanyId,
        id: ConversationId,
        agent: UserId,
    ) -> EngineResult<Conversation> {
        let c = self.visible_to_agent(company, id, agent).await?;
        if c.assigned_agent_id != Some(agent) {
            return Err(EngineError::Conflict("take the conversation over first"));
        }
        Ok(c)
    }

    fn change(
        &self,
        c: &Conversation,
        to: ConversationStatus,
        agent: Option<UserId>,
        resolution: Option<String>,
    ) -> ConversationWrite {
        let mut write = ConversationWrite::at(Utc::now());
        write.change = Some(StatusChange {
            from: c.status.clone(),
            from_agent: c.assigned_agent_id,
            to: to.as_str().to_owned(),
            agent,
            resolution,
        });
        write
    }

    async fn commit_staff(
        &self,
        before: &Conversation,
        write: ConversationWrite,
        messages: Vec<switchboard_storage::NewMessage>,
        status: ConversationStatus,
        feedback_requested: bool,
    ) -> EngineResult<StaffOutcome> {
        let closing = matches!(write.work, Some(WorkChange::Close));
        let company = before.company_id;
        let Recorded { conversation, work } =
            match self.db.record_work(company, before.id, write).await {
                Ok(recorded) => recorded,
                Err(StorageError::Conflict { constraint }) if constraint == "agent_inactive" => {
                    return Err(EngineError::Conflict("the agent is deactivated"));
                }
                Err(StorageError::Conflict { .. }) => {
                    return Err(EngineError::Conflict(
                        "the conversation changed meanwhile; reload it",
                    ));
                }
                Err(e) => return Err(e.into()),
            };
        // Status first, so a widget shows the agent joining before the agent's words.
        if before.status != conversation.status
            || before.assigned_agent_id != conversation.assigned_agent_id
        {
            self.publish(&conversation, LiveKind::Status { status, feedback_requested });
        }
        // The previous owner must hear that it lost the conversation too.
        if let Some(previous) =
            before.assigned_agent_id.filter(|p| Some(*p) != conversation.assigned_agent_id)
        {
            self.bus.publish(crate::bus::LiveEvent {
                company: conversation.company_id,
                conversation: Some(conversation.id),
                owner: Some(previous),
                kind: LiveKind::Owner { status },
            });
        }
        // The last message is the one the agent's action wrote; any before it are notes.
        let mut last = None;
        for message in messages {
            let message = view(&conversation, message);
            self.publish_message(&conversation, &message);
            last = Some(message);
        }
        // Then the queue: a claim is the taker's, a closed entry frees its agent's capacity
        // for whoever waits.
        if let Some(item) = &work {
            if closing {
                self.announce_queue(item, QueueAction::Closed, before.assigned_agent_id);
            } else {
                self.announce_queue(item, QueueAction::Assigned, item.assigned_agent_id);
            }
        }
        if closing {
            self.drain_queue(company).await;
        }
        Ok(StaffOutcome { conversation, message: last })
    }
}
