//! Approval requests as staff see them (REST bodies and `approval.*` event data alike), and
//! announcing their changes on the bus to the assignee and the company's admins.

use crate::bus::{LiveEvent, LiveKind};
use crate::conversations::Conversations;
use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_domain::{ApprovalId, CompanyId};
use switchboard_storage::ApprovalRequest;

/// `{id, conversationId, summary, proposedAction{tool, arguments}, priority, urgency, reasons,
/// status, agentId, assignmentReasons, …}`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalView {
    pub id: String,
    pub conversation_id: String,
    pub summary: String,
    /// `{tool, arguments, workflowStep?}`: what runs once approved.
    #[schema(value_type = Object)]
    pub proposed_action: serde_json::Value,
    /// `low`, `medium`, `high` or `critical`.
    pub priority: String,
    /// `low`, `medium`, `high` or `urgent`.
    pub urgency: String,
    /// The classification's reasons, shown to whoever decides.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    /// `pending`, `approved`, `rejected` or `escalated`.
    pub status: String,
    pub escalated: bool,
    pub escalation_note: Option<String>,
    /// Who it waits for; `null` while queued or in the admins' queue.
    pub agent_id: Option<String>,
    /// Why routing (or an admin) chose that agent.
    #[schema(value_type = Object)]
    pub assignment_reasons: serde_json::Value,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    /// What running the approved action produced.
    #[schema(value_type = Option<Object>)]
    pub outcome: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<ApprovalRequest> for ApprovalView {
    fn from(a: ApprovalRequest) -> Self {
        Self {
            id: a.id.to_string(),
            conversation_id: a.conversation_id.to_string(),
            summary: a.summary,
            proposed_action: serde_json::to_value(&a.action).unwrap_or_default(),
            priority: a.priority.as_str().to_owned(),
            urgency: a.urgency.as_str().to_owned(),
            reasons: a.reasons,
            status: a.status.as_str().to_owned(),
            escalated: a.escalated,
            escalation_note: a.escalation_note,
            agent_id: a.agent_id.map(|id| id.to_string()),
            assignment_reasons: a.assignment_reasons,
            decided_by: a.decided_by.map(|id| id.to_string()),
            decision_note: a.decision_note,
            outcome: a.outcome,
            created_at: a.created_at,
            updated_at: a.updated_at,
            decided_at: a.decided_at,
        }
    }
}

impl Conversations {
    /// Publishes the request as it is now: `approval.created` when `created` (also used when
    /// routing first gives it to an agent, so that the assignee hears of it), else
    /// `approval.updated`. Seen by the assignee and the admins.
    pub fn announce_approval(&self, approval: &ApprovalRequest, created: bool) {
        let data = serde_json::to_value(ApprovalView::from(approval.clone())).unwrap_or_default();
        self.bus.publish(LiveEvent {
            company: approval.company_id,
            conversation: Some(approval.conversation_id),
            owner: approval.agent_id,
            kind: LiveKind::Approval { created, data },
        });
    }

    /// Reads the request and announces it; a request that cannot be read is only logged
    /// (the REST routes are the record).
    pub async fn announce_approval_by_id(&self, company: CompanyId, id: ApprovalId, created: bool) {
        match self.db.get_approval(company, id).await {
            Ok(approval) => self.announce_approval(&approval, created),
            Err(e) => {
                tracing::warn!(error = %e, %company, approval = %id, "approval not announced")
            }
        }
    }
}
