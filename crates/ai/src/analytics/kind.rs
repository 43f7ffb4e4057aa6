//! The vocabulary of the analytics event log. Writers and the metric computation share
//! these names, so a typo cannot silently drop events from every report.

/// One kind of fact in the log, with the `data` fields it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A conversation began. `data`: `category?`, `priority?`, `sentiment?` (strings).
    ConversationStarted,
    /// The customer wrote. Starts the first-response clock.
    CustomerMessage,
    /// The AI replied. Stops the first-response clock, never the human one.
    AiMessage,
    /// A human agent replied (`agent_id` set). Stops both clocks.
    AgentMessage,
    /// The conversation was given to a human (`agent_id`: the agent it went to, if known).
    /// Starts the human first-response clock.
    HandedOff,
    /// An action awaits a human's approval. `data`: `requestId?`.
    ApprovalCreated,
    /// A human decided. `data`: `decision` (`approved`, `rejected` or `escalated`),
    /// `requestId?`.
    ApprovalDecided,
    /// The conversation ended. `data`: `byHuman` (bool).
    ConversationClosed,
    /// The customer rated the conversation. `data`: `rating` (1–5), `comment?`.
    FeedbackSubmitted,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::ConversationStarted,
        EventKind::CustomerMessage,
        EventKind::AiMessage,
        EventKind::AgentMessage,
        EventKind::HandedOff,
        EventKind::ApprovalCreated,
        EventKind::ApprovalDecided,
        EventKind::ConversationClosed,
        EventKind::FeedbackSubmitted,
    ];

    /// The name stored in `events.kind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::ConversationStarted => "conversation.started",
            EventKind::CustomerMessage => "message.customer",
            EventKind::AiMessage => "message.ai",
            EventKind::AgentMessage => "message.agent",
            EventKind::HandedOff => "conversation.handed_off",
            EventKind::ApprovalCreated => "approval.created",
            EventKind::ApprovalDecided => "approval.decided",
            EventKind::ConversationClosed => "conversation.closed",
            EventKind::FeedbackSubmitted => "feedback.submitted",
        }
    }

    /// `None` for kinds this version does not know: the log may hold facts written by a
    /// newer version, and metrics simply ignore them.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("message.robot"), None);
    }
}
