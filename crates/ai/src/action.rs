use serde::{Deserialize, Serialize};

/// A passage an answer relies on, so the customer (and an auditor) can check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Citation {
    pub document_id: String,
    pub title: String,
    /// The cited passage, verbatim.
    pub excerpt: String,
}

/// What a responder decided to do with a customer's message. The conversation engine acts
/// on the variant; no caller ever inspects reply text to guess the intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResponderAction {
    /// Reply to the customer, grounded in the cited passages.
    Answer { content: String, citations: Vec<Citation> },
    /// Hand the conversation to a human, saying why (for the agent and the analytics).
    Handoff { reason: String },
    /// Run a tool now; its result feeds the next step.
    ToolCall { tool: String, arguments: serde_json::Value },
    /// Ask a human to approve an action before it runs.
    #[serde(rename_all = "camelCase")]
    NeedsApproval { summary: String, proposed_action: serde_json::Value },
}

impl ResponderAction {
    /// Whether this action ends the AI's turn with a human taking over.
    pub fn involves_human(&self) -> bool {
        matches!(self, ResponderAction::Handoff { .. } | ResponderAction::NeedsApproval { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_serialise_with_a_type_tag_and_camel_case_fields() {
        let a = ResponderAction::NeedsApproval {
            summary: "Refund order 42".into(),
            proposed_action: json!({"tool": "refund", "arguments": {"order": 42}}),
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["type"], "needs_approval");
        assert_eq!(v["proposedAction"]["tool"], "refund");
        assert_eq!(serde_json::from_value::<ResponderAction>(v).unwrap(), a);
        assert!(a.involves_human());
    }

    #[test]
    fn an_answer_does_not_involve_a_human() {
        let a = ResponderAction::Answer { content: "Yes".into(), citations: vec![] };
        assert!(!a.involves_human());
        assert_eq!(serde_json::to_value(&a).unwrap()["type"], "answer");
    }
}
