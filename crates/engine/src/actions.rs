//! Workflows in a conversation: starting one when a customer message triggers it, carrying
//! out its steps ([`crate::workflow_run::Effect`]) and storing where it is with the
//! conversation, so that a restart in the middle resumes it where it was.
//!
//! A workflow runs only while the AI has the conversation: a handoff or close ends it, a
//! takeover pauses it (its state stays, and it goes on when the conversation is released),
//! and a tool that requires approval parks it until the decision ([`crate::approvals`]).

use crate::conversations::{Conversations, event, new_message, view};
use crate::error::EngineResult;
use crate::reply::HANDOFF_REPLY;
use crate::staff::CLOSED_NOTE;
use crate::state::{ConversationStatus, Transition};
use crate::tool_call::render_tool_result;
use crate::views::MessageView;
use crate::workflow_run::{Effect, WorkflowRun, triggered};
use chrono::Utc;
use serde_json::{Value, json};
use switchboard_ai::analytics::EventKind;
use switchboard_domain::{ApprovalId, Priority, Urgency, WorkflowId, WorkflowStep};
use switchboard_storage::{
    ApprovalRequest, Conversation, ConversationWrite, NewApproval, NewMessage, ProposedAction,
    Recorded, StatusChange, StorageError, WorkChange, Workflow, WorkflowStepRef,
};

/// What the customer is told while a sensitive action waits for a person.
pub const APPROVAL_PENDING_REPLY: &str = "I've asked a member of our team to approve this. \
     I'll let you know here as soon as it's decided.";

/// What the customer is told when a tool the workflow needed failed.
pub const TOOL_FAILED_REPLY: &str = "I couldn't complete that just now, so I'm passing you \
     to a member of our team. A person will reply here shortly.";

/// Steps one turn may run at most: a workflow's steps are bounded on save, and this bounds a
/// run whose state was tampered with.
const MAX_STEPS_PER_TURN: usize = 64;

/// The writes and follow-ups that running a workflow's steps produced in one turn.
pub(crate) struct Progress {
    pub write: ConversationWrite,
    /// The reply messages, in order, to show once committed.
    pub messages: Vec<NewMessage>,
    /// The status the conversation ends the turn in.
    pub status: ConversationStatus,
    pub approval: Option<ApprovalRequest>,
    /// Whether the conversation went to a person and must be routed.
    pub handed_off: bool,
}

impl Conversations {
    /// Runs the conversation's workflow on the customer's `message`: the one in progress, or
    /// one the message starts. `None` when no workflow has anything to do with it, and the
    /// responders answer as usual. `enabled` is the company's enabled workflows, read by the
    /// caller while the message was committed.
    pub(crate) async fn advance_workflow(
        &self,
        conversation: &Conversation,
        message: &str,
        enabled: &[Workflow],
    ) -> EngineResult<Option<(Conversation, Option<MessageView>)>> {
        let company = conversation.company_id;
        let run = match WorkflowRun::from_stored(&conversation.workflow) {
            Some(mut run) if run.awaiting_approval.is_none() => {
                run.hear(message);
                Some(run)
            }
            // Waiting for a decision: the status keeps the AI silent, so this is a race with
            // the decision; the responders answer.
            Some(_) => return Ok(None),
            None => self.triggered_workflow(conversation, message, enabled).await?,
        };
        let Some(mut run) = run else { return Ok(None) };
        let steps = match self.workflow_steps(conversation, &run).await {
            Some(steps) => steps,
            None => {
                // The workflow was deleted or disabled meanwhile: the conversation goes on
                // without it.
                let mut write = ConversationWrite::at(Utc::now());
                write.workflow = Some(Value::Null);
                self.db.record(company, conversation.id, write).await?;
                return Ok(None);
            }
        };
        let progress = self.run_steps(conversation, &mut run, &steps).await?;
        if progress.messages.is_empty() && progress.status == ConversationStatus::Ai {
            // Nothing to say (a workflow of priorities, say): store it, then answer as usual.
            let updated = self.db.record(company, conversation.id, progress.write).await?;
            return self.reply(updated, message, None).await.map(Some);
        }
        self.commit_progress(conversation, progress).await.map(Some)
    }

    /// The first enabled workflow whose trigger `message` fires.
    async fn triggered_workflow(
        &self,
        conversation: &Conversation,
        message: &str,
        workflows: &[Workflow],
    ) -> EngineResult<Option<WorkflowRun>> {
        if workflows.is_empty() {
            return Ok(None);
        }
        let first = self.is_first_message(conversation).await?;
        let category = conversation.category.as_deref();
        Ok(workflows
            .iter()
            .find(|w| triggered(&w.spec.trigger, message, category, first))
            .map(|w| WorkflowRun::start(w.id.to_string(), message)))
    }

    /// Whether the customer's message just stored is its first in the conversation.
    async fn is_first_message(&self, conversation: &Conversation) -> EngineResult<bool> {
        let company = conversation.company_id;
        let some = self.db.list_messages(company, conversation.id, None, 50).await?;
        Ok(some.iter().filter(|m| m.sender == "customer").count() <= 1)
    }

    /// The steps of the run's workflow, or `None` when it is gone or disabled.
    pub(crate) async fn workflow_steps(
        &self,
        conversation: &Conversation,
        run: &WorkflowRun,
    ) -> Option<Vec<WorkflowStep>> {
        let id: WorkflowId = run.workflow_id.parse().ok()?;
        match self.db.get_workflow(conversation.company_id, id).await {
            Ok(w) if w.spec.enabled => Some(w.spec.steps),
            Ok(_) | Err(StorageError::NotFound) => None,
            Err(e) => {
                tracing::warn!(error = %e, company = %conversation.company_id, "workflow unreadable");
                None
            }
        }
    }

    /// Carries out the run's effects until one waits (an answer, an approval) or ends it.
    pub(crate) async fn run_steps(
        &self,
        conversation: &Conversation,
        run: &mut WorkflowRun,
        steps: &[WorkflowStep],
    ) -> EngineResult<Progress> {
        let company = conversation.company_id;
        let mut p = Progress::new();
        let mut ended = false;
        for _ in 0..MAX_STEPS_PER_TURN {
            match run.next(steps) {
                Effect::Say(text) => p.say(&text),
                Effect::SetPriority(priority) => p.write.priority = Some(priority.to_owned()),
                Effect::Ask(prompt) => {
                    p.say(&prompt);
                    break;
                }
                Effect::CallTool { tool, arguments, sensitive } => {
                    let arguments = Value::Object(arguments);
                    let tool = match self.db.tool_by_name(company, &tool).await {
                        Ok(t) if t.spec.enabled => t,
                        Ok(_) | Err(StorageError::NotFound) => {
                            p.hand_off(conversation, &format!("tool {tool} is not available"));
                            ended = true;
                            break;
                        }
                        Err(e) => return Err(e.into()),
                    };
                    if tool.spec.requires_approval || sensitive {
                        let step =
                            run.workflow_id.parse().ok().map(|workflow_id| WorkflowStepRef {
                                workflow_id,
                                step: u32::try_from(run.step).unwrap_or(u32::MAX),
                            });
                        let name = tool.spec.name.as_str().to_owned();
                        let approval = self
                            .request_approval(conversation, step, &name, arguments, None)
                            .await?;
                        run.awaiting_approval = Some(approval.id.to_string());
                        p.await_approval(conversation, approval);
                        break;
                    }
                    match self.run_tool(company, &tool, &arguments).await {
                        Ok(result) => {
                            if let Some(text) = customer_readable(&result) {
                                p.say(&text);
                            }
                            run.tool_done();
                        }
                        Err(failure) => {
                            tracing::warn!(%company, tool = tool.spec.name.as_str(), code = failure.code, "workflow tool failed");
                            p.hand_off_saying(conversation, TOOL_FAILED_REPLY, "tool_failed");
                            ended = true;
                            break;
                        }
                    }
                }
                Effect::Handoff(reason) => {
                    p.hand_off(conversation, &reason);
                    ended = true;
                    break;
                }
                Effect::Close => {
                    p.say(CLOSED_NOTE);
                    p.status = ConversationStatus::Closed;
                    let data = json!({ "byHuman": false });
                    p.write.events.push(event(
                        EventKind::ConversationClosed,
                        conversation.id,
                        None,
                        data,
                    ));
                    ended = true;
                    break;
                }
                Effect::Finished => {
                    ended = true;
                    break;
                }
            }
        }
        p.write.workflow = Some(if ended { Value::Null } else { run.to_stored() });
        Ok(p)
    }

    /// Records an approval request for `tool` with `arguments`, queued for routing; `step`
    /// is the workflow step that waits for it, if any.
    async fn request_approval(
        &self,
        conversation: &Conversation,
        step: Option<WorkflowStepRef>,
        tool: &str,
        arguments: Value,
        summary: Option<String>,
    ) -> EngineResult<ApprovalRequest> {
        let summary = summary.unwrap_or_else(|| format!("Run {tool} with {}", compact(&arguments)));
        let approval = NewApproval {
            id: ApprovalId::new(),
            conversation_id: conversation.id,
            action: ProposedAction { tool: Some(tool.to_owned()), arguments, workflow_step: step },
            summary,
            priority: Priority::parse(&conversation.priority).unwrap_or(Priority::Medium),
            urgency: Urgency::parse(&conversation.urgency).unwrap_or(Urgency::Medium),
            reasons: conversation.classification.clone(),
            skill: conversation.category.clone(),
            events: Vec::new(),
            now: Utc::now(),
        };
        Ok(self.db.create_approval(conversation.company_id, approval).await?)
    }

    /// A responder's tool call (or request for approval) outside any workflow: runs the
    /// company's tool and answers with its result, or parks the conversation for approval
    /// when the tool requires it or the responder asked for it.
    pub(crate) async fn act_on_tool(
        &self,
        conversation: Conversation,
        tool: &str,
        arguments: Value,
        approval_summary: Option<String>,
    ) -> EngineResult<(Conversation, Option<MessageView>)> {
        let company = conversation.company_id;
        let mut p = Progress::new();
        let found = match self.db.tool_by_name(company, tool).await {
            Ok(t) if t.spec.enabled => Some(t),
            Ok(_) | Err(StorageError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        match found {
            None => p.hand_off(&conversation, &format!("tool {tool} is not available")),
            Some(t) if t.spec.requires_approval || approval_summary.is_some() => {
                let approval = self
                    .request_approval(&conversation, None, tool, arguments, approval_summary)
                    .await?;
                p.await_approval(&conversation, approval);
            }
            Some(t) => match self.run_tool(company, &t, &arguments).await {
                Ok(result) => p.say(&render_tool_result(&result)),
                Err(failure) => {
                    tracing::warn!(%company, tool, code = failure.code, "responder tool call failed");
                    p.hand_off_saying(&conversation, TOOL_FAILED_REPLY, "tool_failed");
                }
            },
        }
        self.commit_progress(&conversation, p).await
    }

    /// Commits the turn's progress (unless a person took the conversation meanwhile, when
    /// it is dropped like any AI reply) and tells everyone who needs to know.
    pub(crate) async fn commit_progress(
        &self,
        before: &Conversation,
        p: Progress,
    ) -> EngineResult<(Conversation, Option<MessageView>)> {
        let company = before.company_id;
        let from = crate::conversations::parse_status(before)?;
        let mut write = p.write;
        if p.status != from {
            write.change = Some(StatusChange {
                from: from.as_str().to_owned(),
                from_agent: before.assigned_agent_id,
                to: p.status.as_str().to_owned(),
                agent: before.assigned_agent_id,
                resolution: None,
            });
        }
        for m in &p.messages {
            write.messages.push(m.clone());
            write.events.push(event(EventKind::AiMessage, before.id, None, json!({})));
        }
        // Queued in the same write as the handoff, at the priority this progress sets.
        if p.handed_off {
            let mut item = crate::routing::handoff_item(before, write.now);
            if let Some(priority) = write.priority.as_deref().and_then(|p| Priority::parse(p).ok())
            {
                item.priority = priority;
            }
            write.work = Some(WorkChange::Queue(item));
        }
        let Recorded { conversation: updated, work: queued } =
            match self.db.record_work(company, before.id, write).await {
                Ok(recorded) => recorded,
                Err(StorageError::Conflict { .. }) => {
                    let now = self.db.get_conversation(company, before.id).await?;
                    return Ok((now, None));
                }
                Err(e) => return Err(e.into()),
            };
        // Status first, so a widget leaves its "waiting for approval" state before the news.
        if p.status != from {
            let feedback_requested = p.status == ConversationStatus::Closed;
            let kind = crate::bus::LiveKind::Status { status: p.status, feedback_requested };
            self.publish(&updated, kind);
        }
        let mut last = None;
        for m in p.messages {
            let shown = view(&updated, m);
            self.publish_message(&updated, &shown);
            last = Some(shown);
        }
        if let Some(approval) = &p.approval {
            self.announce_approval(approval, true);
        }
        if p.handed_off {
            self.route_queued_handoff(company, queued.as_ref()).await;
        } else if p.approval.is_some() {
            self.drain_queue(company).await;
        }
        Ok((updated, last))
    }
}

impl Progress {
    pub(crate) fn new() -> Self {
        Self {
            write: ConversationWrite::at(Utc::now()),
            messages: Vec::new(),
            status: ConversationStatus::Ai,
            approval: None,
            handed_off: false,
        }
    }

    fn await_approval(&mut self, conversation: &Conversation, approval: ApprovalRequest) {
        self.say(APPROVAL_PENDING_REPLY);
        self.status = ConversationStatus::AwaitingApproval;
        let data = json!({ "requestId": approval.id.to_string() });
        self.write.events.push(event(EventKind::ApprovalCreated, conversation.id, None, data));
        self.approval = Some(approval);
    }

    fn say(&mut self, text: &str) {
        self.messages.push(new_message("ai", None, text, &[]));
    }

    pub(crate) fn say_text(&mut self, text: &str) {
        self.say(text);
    }

    /// An approved action failed: the customer goes to a person.
    pub(crate) fn fail_to_person(&mut self, conversation: &Conversation) {
        let reply = crate::approvals::APPROVED_BUT_FAILED_REPLY;
        self.hand_off_saying(conversation, reply, "tool_failed");
    }

    /// Appends what later steps produced in the same turn.
    pub(crate) fn absorb(&mut self, later: Progress) {
        self.messages.extend(later.messages);
        self.write.events.extend(later.write.events);
        if later.write.priority.is_some() {
            self.write.priority = later.write.priority;
        }
        self.write.workflow = later.write.workflow;
        if later.status != ConversationStatus::Ai {
            self.status = later.status;
        }
        self.approval = later.approval.or(self.approval.take());
        self.handed_off |= later.handed_off;
    }

    fn hand_off(&mut self, conversation: &Conversation, reason: &str) {
        self.hand_off_saying(conversation, HANDOFF_REPLY, reason);
    }

    fn hand_off_saying(&mut self, conversation: &Conversation, reply: &str, reason: &str) {
        self.say(reply);
        self.status =
            ConversationStatus::Ai.apply(Transition::Handoff).unwrap_or(ConversationStatus::Human);
        self.handed_off = true;
        let data = json!({ "reason": reason });
        self.write.events.push(event(EventKind::HandedOff, conversation.id, None, data));
    }
}

/// The text a tool's result shows the customer: only results meant for people (a string, or
/// an object with a `message` or `summary`); raw data stays between the tool and the staff.
pub(crate) fn customer_readable(result: &Value) -> Option<String> {
    let readable = result.is_string()
        || ["message", "summary"].iter().any(|k| result.get(k).is_some_and(Value::is_string));
    readable.then(|| render_tool_result(result)).filter(|t| !t.trim().is_empty())
}

/// Arguments in one line for a summary, cut to a readable length.
fn compact(arguments: &Value) -> String {
    let text = arguments.to_string();
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    format!("{cut}…")
}
