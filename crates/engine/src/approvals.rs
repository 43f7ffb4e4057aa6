//! Deciding approval requests: approve (the action runs now, its outcome is posted to the
//! conversation and the workflow goes on), reject (the customer is told, politely), and
//! escalate (priority raised, to the admins' queue).
//!
//! The decision itself is one compare-and-set in storage, so two people deciding at once get
//! one success and one conflict; what follows in the conversation runs in its turn, like a
//! customer message.

use crate::actions::{Progress, customer_readable};
use crate::conversations::{Conversations, event, parse_status};
use crate::error::{EngineError, EngineResult};
use crate::state::ConversationStatus;
use crate::workflow_run::WorkflowRun;
use chrono::Utc;
use serde_json::{Value, json};
use switchboard_ai::analytics::EventKind;
use switchboard_domain::{ApprovalId, CompanyId, UserId};
use switchboard_storage::{
    ApprovalDecision, ApprovalEscalation, ApprovalRequest, Decision, StorageError,
};

/// What the customer hears when a request was approved and ran, before its outcome.
pub const APPROVED_REPLY: &str = "Good news: a member of our team approved your request.";
/// What the customer hears when an approved action then failed.
pub const APPROVED_BUT_FAILED_REPLY: &str = "Your request was approved, but I couldn't \
     complete it just now, so I'm passing you to a member of our team.";
/// What the customer (already with a person) hears when an approved action failed.
pub const APPROVED_NOT_DONE_NOTE: &str =
    "Your request was approved, but it couldn't be completed just now.";
/// What the customer hears when a request was turned down; the agent may add its own words.
pub const REJECTED_REPLY: &str = "I'm sorry, but our team couldn't approve this request.";

/// Who decides: an agent decides what is assigned to it; an admin decides anything open.
#[derive(Debug, Clone, Copy)]
pub struct Decider {
    pub user: UserId,
    pub admin: bool,
}

impl Decider {
    fn assignee(self) -> Option<UserId> {
        (!self.admin).then_some(self.user)
    }
}

impl Conversations {
    /// The request as `by` may see it: an admin any of the company's, an agent only those
    /// assigned to it. Anything else is `NotFound`, exactly like another company's.
    pub async fn approval_for(
        &self,
        company: CompanyId,
        id: ApprovalId,
        by: Decider,
    ) -> EngineResult<ApprovalRequest> {
        let request = self.db.get_approval(company, id).await?;
        if by.assignee().is_some_and(|me| request.agent_id != Some(me)) {
            return Err(EngineError::NotFound);
        }
        Ok(request)
    }

    /// Approves the request (as [`Self::approval_for`] gave it to `by`): runs its action,
    /// stores the outcome and posts it to the conversation, whose workflow then goes on.
    pub async fn approve(
        &self,
        request: &ApprovalRequest,
        by: Decider,
        note: Option<String>,
    ) -> EngineResult<ApprovalRequest> {
        let (company, id) = (request.company_id, request.id);
        let decided = self.decide(request, by, Decision::Approve, note).await?;
        let outcome = self.run_approved(&decided).await;
        let decided = match self
            .db
            .set_approval_outcome(company, id, outcome.clone(), Utc::now())
            .await
        {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!(error = %e, %company, approval = %id, "approval outcome not stored");
                decided
            }
        };
        self.after_decision(&decided, Some(&outcome), None).await?;
        self.announce_approval(&decided, false);
        self.drain_queue(company).await;
        Ok(decided)
    }

    /// Rejects the request (as [`Self::approval_for`] gave it to `by`). `reason` stays with
    /// the staff; `to_customer`, when the agent writes one, is added to the polite refusal
    /// the customer reads.
    pub async fn reject(
        &self,
        request: &ApprovalRequest,
        by: Decider,
        reason: String,
        to_customer: Option<String>,
    ) -> EngineResult<ApprovalRequest> {
        let decided = self.decide(request, by, Decision::Reject, Some(reason)).await?;
        self.after_decision(&decided, None, to_customer.as_deref()).await?;
        self.announce_approval(&decided, false);
        self.drain_queue(request.company_id).await;
        Ok(decided)
    }

    /// Sends a pending request (as [`Self::approval_for`] gave it to `by`) to the admins'
    /// queue, one priority level up.
    pub async fn escalate(
        &self,
        before: &ApprovalRequest,
        by: Decider,
        reason: String,
    ) -> EngineResult<ApprovalRequest> {
        let (company, id) = (before.company_id, before.id);
        let data = json!({ "decision": "escalated", "requestId": id.to_string() });
        let escalation = ApprovalEscalation {
            assignee: by.assignee(),
            note: Some(reason),
            events: vec![event(
                EventKind::ApprovalDecided,
                before.conversation_id,
                Some(by.user),
                data,
            )],
            now: Utc::now(),
        };
        let escalated =
            self.db.escalate_approval(company, id, escalation).await.map_err(decision_conflict)?;
        // The agent who had it hears that it left its inbox; the admins see it arrive.
        let mut previous = before.clone();
        previous.status = escalated.status;
        previous.updated_at = escalated.updated_at;
        self.announce_approval(&previous, false);
        self.announce_approval(&escalated, false);
        self.drain_queue(company).await;
        Ok(escalated)
    }

    /// The decision as one compare-and-set; `by.assignee()` makes storage refuse it, too,
    /// for a request that is no longer the agent's.
    async fn decide(
        &self,
        before: &ApprovalRequest,
        by: Decider,
        decision: Decision,
        note: Option<String>,
    ) -> EngineResult<ApprovalRequest> {
        let (company, id) = (before.company_id, before.id);
        let word = if decision == Decision::Approve { "approved" } else { "rejected" };
        let data = json!({ "decision": word, "requestId": id.to_string() });
        let decision = ApprovalDecision {
            decision,
            by: by.user,
            assignee: by.assignee(),
            expected: None,
            note,
            events: vec![event(
                EventKind::ApprovalDecided,
                before.conversation_id,
                Some(by.user),
                data,
            )],
            now: Utc::now(),
        };
        self.db.decide_approval(company, id, decision).await.map_err(decision_conflict)
    }

    /// Runs the approved action: `{ok: true, result}` or `{ok: false, error: {code, message}}`.
    async fn run_approved(&self, approval: &ApprovalRequest) -> Value {
        let company = approval.company_id;
        let Some(name) = &approval.action.tool else { return json!({ "ok": true }) };
        let tool = match self.db.tool_by_name(company, name).await {
            Ok(tool) => tool,
            Err(_) => {
                let error = json!({ "code": "tool_missing", "message": format!("tool {name} no longer exists") });
                return json!({ "ok": false, "error": error });
            }
        };
        match self.run_tool(company, &tool, &approval.action.arguments).await {
            Ok(result) => json!({ "ok": true, "result": result }),
            Err(failure) => {
                json!({ "ok": false, "error": { "code": failure.code, "message": failure.message } })
            }
        }
    }

    /// Tells the customer and lets the conversation go on: back to the AI, with the workflow
    /// past its tool step (approved) or ended (rejected). A conversation a person took over
    /// meanwhile only gets the message; its workflow stays paused.
    async fn after_decision(
        &self,
        approval: &ApprovalRequest,
        outcome: Option<&Value>,
        to_customer: Option<&str>,
    ) -> EngineResult<()> {
        let company = approval.company_id;
        let _turn = self.locks.acquire(approval.conversation_id).await;
        let conversation = self.db.get_conversation(company, approval.conversation_id).await?;
        let status = parse_status(&conversation)?;
        if status == ConversationStatus::Closed {
            return Ok(());
        }
        let mut run = WorkflowRun::from_stored(&conversation.workflow)
            .filter(|r| r.awaiting_approval.as_deref() == Some(approval.id.to_string().as_str()));
        let mut p = Progress::new();
        p.status = status;
        let succeeded = outcome.is_some_and(|o| o["ok"] == json!(true));
        let awaiting = status == ConversationStatus::AwaitingApproval;
        match outcome {
            Some(o) if succeeded => {
                let readable = customer_readable(&o["result"]);
                p.say_text(&match readable {
                    Some(text) => format!("{APPROVED_REPLY} {text}"),
                    None => APPROVED_REPLY.to_owned(),
                });
            }
            Some(_) if awaiting => {
                p.fail_to_person(&conversation);
                run = None;
                p.write.workflow = Some(Value::Null);
            }
            Some(_) => p.say_text(APPROVED_NOT_DONE_NOTE),
            None => {
                let text = match to_customer.map(str::trim).filter(|t| !t.is_empty()) {
                    Some(words) => format!("{REJECTED_REPLY} {words}"),
                    None => REJECTED_REPLY.to_owned(),
                };
                p.say_text(&text);
                // A refused step ends its workflow: the later steps assumed it ran.
                if run.take().is_some() {
                    p.write.workflow = Some(Value::Null);
                }
            }
        }
        if awaiting && !p.handed_off {
            p.status = ConversationStatus::Ai;
        }
        if let Some(mut run) = run {
            run.tool_done();
            if awaiting {
                let steps = self.workflow_steps(&conversation, &run).await.unwrap_or_default();
                let more = self.run_steps(&conversation, &mut run, &steps).await?;
                p.absorb(more);
            } else {
                // Paused by a person: it goes on after a release.
                p.write.workflow = Some(run.to_stored());
            }
        }
        self.commit_progress(&conversation, p).await?;
        Ok(())
    }
}

/// A storage conflict on a decision means someone decided (or escalated) first.
fn decision_conflict(e: StorageError) -> EngineError {
    match e {
        StorageError::Conflict { .. } => {
            EngineError::Conflict("the request was already decided or escalated")
        }
        other => other.into(),
    }
}
