//! A conversation's status and the only function that changes it.
//!
//! `ai` → (`awaiting_approval`) → `human` → `closed`, with `release` back to `ai`. Every
//! change goes through [`ConversationStatus::apply`]; a caller that wants to know whether
//! the AI may speak asks [`ConversationStatus::ai_may_reply`] instead of comparing statuses.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// The AI answers.
    Ai,
    /// An action waits for a human's decision; the AI stays silent meanwhile.
    AwaitingApproval,
    /// A person owns the conversation, or it waits, unowned, for one.
    Human,
    /// Over; the customer was asked for feedback.
    Closed,
}

/// What happened to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The AI (or a workflow) hands the conversation to a person.
    Handoff,
    /// An action needs a human's approval before it runs.
    ApprovalRequested,
    /// The approval was decided (approved or rejected) and the AI carries on.
    ApprovalDecided,
    /// An agent takes the conversation over.
    Takeover,
    /// The agent hands it back to the AI.
    Release,
    /// An agent, an admin or a workflow closes it.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a conversation that is {from:?} cannot take {transition:?}")]
pub struct IllegalTransition {
    pub from: ConversationStatus,
    pub transition: Transition,
}

impl ConversationStatus {
    /// The status after `transition`, or why it cannot happen now.
    pub fn apply(self, transition: Transition) -> Result<Self, IllegalTransition> {
        use ConversationStatus::*;
        use Transition::*;
        let next = match (self, transition) {
            (Closed, _) => None,
            (Ai | AwaitingApproval, Handoff) => Some(Human),
            (Ai, ApprovalRequested) => Some(AwaitingApproval),
            (AwaitingApproval, ApprovalDecided) => Some(Ai),
            // A person may step in at any time before the end, waiting approvals included.
            (Ai | AwaitingApproval | Human, Takeover) => Some(Human),
            (Human, Release) => Some(Ai),
            (_, Close) => Some(Closed),
            _ => None,
        };
        next.ok_or(IllegalTransition { from: self, transition })
    }

    /// Whether the AI may send a message: never while a person owns the conversation or an
    /// approval is pending, and never after it closed.
    pub fn ai_may_reply(self) -> bool {
        self == ConversationStatus::Ai
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Ai => "ai",
            ConversationStatus::AwaitingApproval => "awaiting_approval",
            ConversationStatus::Human => "human",
            ConversationStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "ai" => ConversationStatus::Ai,
            "awaiting_approval" => ConversationStatus::AwaitingApproval,
            "human" => ConversationStatus::Human,
            "closed" => ConversationStatus::Closed,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ConversationStatus::*;
    use super::Transition::*;
    use super::*;

    const ALL: [ConversationStatus; 4] = [Ai, AwaitingApproval, Human, Closed];
    const EVERY: [Transition; 6] =
        [Handoff, ApprovalRequested, ApprovalDecided, Takeover, Release, Close];

    #[test]
    fn the_documented_paths_are_allowed() {
        assert_eq!(Ai.apply(Handoff), Ok(Human));
        assert_eq!(Ai.apply(ApprovalRequested), Ok(AwaitingApproval));
        assert_eq!(AwaitingApproval.apply(ApprovalDecided), Ok(Ai));
        assert_eq!(AwaitingApproval.apply(Takeover), Ok(Human));
        assert_eq!(Human.apply(Takeover), Ok(Human), "an unowned handoff is taken over");
        assert_eq!(Human.apply(Release), Ok(Ai));
        for s in [Ai, AwaitingApproval, Human] {
            assert_eq!(s.apply(Close), Ok(Closed));
        }
    }

    #[test]
    fn everything_else_is_refused() {
        let allowed = |s: ConversationStatus, t: Transition| s.apply(t).is_ok();
        let mut refused = Vec::new();
        for s in ALL {
            for t in EVERY {
                if !allowed(s, t) {
                    refused.push((s, t));
                    assert_eq!(s.apply(t), Err(IllegalTransition { from: s, transition: t }));
                }
            }
        }
        assert!(EVERY.iter().all(|t| refused.contains(&(Closed, *t))), "closed is final");
        assert!(refused.contains(&(Ai, Release)) && refused.contains(&(Ai, ApprovalDecided)));
        assert!(
            refused.contains(&(Human, ApprovalRequested)),
            "no approvals while a human owns it"
        );
        assert!(refused.contains(&(Human, Handoff)));
        assert_eq!(refused.len(), 24 - 11, "11 allowed pairs");
    }

    #[test]
    fn the_ai_speaks_only_in_its_own_status() {
        assert!(Ai.ai_may_reply());
        assert!(ALL.iter().filter(|s| s.ai_may_reply()).count() == 1);
        // No sequence of transitions leaves the AI able to speak while a human is involved.
        for s in ALL {
            for t in EVERY {
                if let Ok(next) = s.apply(t) {
                    assert_eq!(next.ai_may_reply(), next == Ai, "{s:?} --{t:?}--> {next:?}");
                }
            }
        }
    }

    #[test]
    fn statuses_round_trip_through_their_stored_and_wire_names() {
        for s in ALL {
            assert_eq!(ConversationStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(ConversationStatus::parse("AI"), None);
    }
}
