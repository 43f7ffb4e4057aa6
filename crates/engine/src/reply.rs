//! The AI's side of a turn: what the company's knowledge says, which responder decides, and
//! how its action lands in the conversation.

use crate::builtin::{self, Grounding};
use crate::bus::LiveKind;
use crate::conversations::{Conversations, event, new_message, view};
use crate::error::EngineResult;
use crate::grounding::{Thresholds, ground};
use crate::views::MessageView;
use chrono::Utc;
use std::time::Duration;
use switchboard_ai::analytics::EventKind;
use switchboard_ai::{Citation, ResponderAction};
use switchboard_domain::{CompanyId, FaqId, MessageId};
use switchboard_llm::{CuratedAnswer, HistoryMessage, LlmSettings, Sender, Turn};
use switchboard_storage::{
    AgentConfig, Conversation, ConversationWrite, Recorded, StatusChange, StorageError, WorkChange,
    ai_keys,
};

/// What the customer is told when the AI hands the conversation to a person.
pub const HANDOFF_REPLY: &str = "I can't answer that from the information I have, so I'm \
     passing you to a member of our team. A person will reply here shortly.";

/// How many earlier messages the LLM responder is shown.
const HISTORY: usize = 20;

/// The provider's whole answer, retries included, must come within this.
const LLM_TIMEOUT: Duration = Duration::from_secs(30);

impl Conversations {
    /// Decides on and commits the AI's reply to `message`. Called in the conversation's
    /// turn, after the customer's message was committed; `config` is the company's agent
    /// configuration when the turn already read it (while the message was committed).
    pub(crate) async fn reply(
        &self,
        conversation: Conversation,
        message: &str,
        config: Option<AgentConfig>,
    ) -> EngineResult<(Conversation, Option<MessageView>)> {
        let company = conversation.company_id;
        self.publish(&conversation, LiveKind::Typing { sender: "ai" });
        let config = match config {
            Some(config) => config,
            None => self.db.get_agent_config(company).await?,
        };
        let grounding =
            match ground(&self.knowledge, self.db.as_ref(), company, message, thresholds(&config))
                .await
            {
                Ok(g) => g,
                Err(e) => {
                    // Nothing found is the honest outcome when the knowledge cannot be searched.
                    tracing::warn!(error = %e, %company, "knowledge search failed; handing off");
                    Grounding::default()
                }
            };
        let reply_id = MessageId::new();
        let action = match (&grounding.faq, self.llm_settings(&config)) {
            (None, Some(settings)) => {
                match self
                    .ask_llm(&conversation, &config, &settings, &grounding, message, reply_id)
                    .await
                {
                    Ok(action) => action,
                    Err(e) => {
                        tracing::warn!(error = %e, %company, "LLM provider failed; builtin responder answers");
                        builtin::respond(&grounding)
                    }
                }
            }
            _ => builtin::respond(&grounding),
        };
        self.act(conversation, reply_id, action).await
    }

    /// Writes the action's outcome, provided the AI still has the conversation: if a person
    /// took it over meanwhile (on any node), the reply is dropped, never sent.
    async fn act(
        &self,
        conversation: Conversation,
        reply_id: MessageId,
        action: ResponderAction,
    ) -> EngineResult<(Conversation, Option<MessageView>)> {
        let (content, citations, handoff): (String, Vec<Citation>, Option<String>) = match action {
            ResponderAction::Answer { content, citations } => (content, citations, None),
            ResponderAction::Handoff { reason } => {
                (HANDOFF_REPLY.to_owned(), Vec::new(), Some(reason))
            }
            ResponderAction::ToolCall { tool, arguments } => {
                return self.act_on_tool(conversation, &tool, arguments, None).await;
            }
            ResponderAction::NeedsApproval { summary, proposed_action } => {
                let tool = proposed_action["tool"].as_str().map(str::to_owned);
                let arguments = proposed_action["arguments"].clone();
                let Some(tool) = tool else {
                    return self.act_on_tool(conversation, "", arguments, Some(summary)).await;
                };
                return self.act_on_tool(conversation, &tool, arguments, Some(summary)).await;
            }
        };
        let mut reply = new_message("ai", None, &content, &citations);
        reply.id = reply_id;
        let mut write = ConversationWrite::at(Utc::now());
        write.change = Some(StatusChange {
            from: "ai".into(),
            from_agent: None,
            to: if handoff.is_some() { "human" } else { "ai" }.into(),
            agent: None,
            resolution: None,
        });
        write.messages.push(reply.clone());
        write.events.push(event(
            EventKind::AiMessage,
            conversation.id,
            None,
            serde_json::json!({}),
        ));
        // A handoff and its place in the routing queue are one write: the conversation
        // can never be left with people but out of their queue.
        if let Some(reason) = &handoff {
            let data = serde_json::json!({ "reason": reason });
            write.events.push(event(EventKind::HandedOff, conversation.id, None, data));
            let item = crate::routing::handoff_item(&conversation, write.now);
            write.work = Some(WorkChange::Queue(item));
        }
        let company = conversation.company_id;
        let Recorded { conversation: updated, work: queued } =
            match self.db.record_work(company, conversation.id, write).await {
                Ok(recorded) => recorded,
                Err(StorageError::Conflict { .. }) => {
                    let now = self.db.get_conversation(company, conversation.id).await?;
                    return Ok((now, None));
                }
                Err(e) => return Err(e.into()),
            };
        let reply = view(&updated, reply);
        self.publish_message(&updated, &reply);
        if handoff.is_some() {
            let status = crate::ConversationStatus::Human;
            self.publish(&updated, LiveKind::Status { status, feedback_requested: false });
            self.route_queued_handoff(company, queued.as_ref()).await;
        }
        Ok((updated, Some(reply)))
    }

    /// The company's OpenAI-compatible provider, when it chose one and it is complete.
    fn llm_settings(&self, config: &AgentConfig) -> Option<LlmSettings> {
        self.llm.as_ref()?;
        if config.ai_text(ai_keys::PROVIDER) != Some("openai") {
            return None;
        }
        let base_url = config.ai_text(ai_keys::BASE_URL)?.to_owned();
        let api_key = config
            .ai_text(ai_keys::API_KEY_ENCRYPTED)
            .and_then(|sealed| self.secrets.ai_api_key(config.company_id, sealed));
        Some(LlmSettings {
            base_url,
            model: config.ai_text(ai_keys::MODEL).unwrap_or("gpt-4o-mini").to_owned(),
            api_key,
            timeout: LLM_TIMEOUT,
            max_retries: 2,
            temperature: Some(0.2),
        })
    }

    async fn ask_llm(
        &self,
        conversation: &Conversation,
        config: &AgentConfig,
        settings: &LlmSettings,
        grounding: &Grounding,
        message: &str,
        reply_id: MessageId,
    ) -> Result<ResponderAction, switchboard_llm::LlmError> {
        let Some(llm) = &self.llm else { unreachable!("checked by llm_settings") };
        let history = self.history(conversation).await;
        let tools = self.offered_tools(conversation).await;
        let faqs = self.curated_answers(conversation.company_id, &grounding.near_faqs).await;
        let persona = format!(
            "You are {}, the customer-support assistant of {}. {}",
            config.agent_name, config.branding_name, config.agent_persona
        );
        let turn = Turn {
            persona: &persona,
            passages: &grounding.passages,
            faqs: &faqs,
            history: &history,
            tools: &tools,
            message,
        };
        let (bus, target) = (self.bus.clone(), conversation.clone());
        let mut relay = move |piece: &str| {
            bus.publish(crate::bus::LiveEvent {
                company: target.company_id,
                conversation: Some(target.id),
                owner: target.assigned_agent_id,
                kind: LiveKind::Delta { message_id: reply_id, content: piece.to_owned() },
            });
        };
        llm.respond(settings, turn, &mut relay).await
    }

    /// The near FAQs' questions and answers, for the model to weigh. An FAQ disabled or
    /// deleted since the index was read is left out, as is one that cannot be read.
    async fn curated_answers(&self, company: CompanyId, ids: &[FaqId]) -> Vec<CuratedAnswer> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            match self.db.get_faq(company, id).await {
                Ok(faq) if faq.enabled => {
                    out.push(CuratedAnswer { question: faq.question, answer: faq.answer });
                }
                Ok(_) | Err(StorageError::NotFound) => {}
                Err(e) => tracing::warn!(error = %e, %company, "a near FAQ not offered"),
            }
        }
        out
    }

    /// The company's enabled tools, offered to the model as functions. None when they
    /// cannot be read: the model then answers without them.
    async fn offered_tools(&self, conversation: &Conversation) -> Vec<switchboard_llm::ToolSpec> {
        let company = conversation.company_id;
        match self.db.enabled_tools(company).await {
            Ok(tools) => tools
                .into_iter()
                .map(|t| switchboard_llm::ToolSpec {
                    name: t.spec.name.as_str().to_owned(),
                    description: t.spec.description,
                    parameters: t.spec.parameters,
                })
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, %company, "tools not offered");
                Vec::new()
            }
        }
    }

    /// The messages before the customer's latest, at most [`HISTORY`], oldest first.
    async fn history(&self, conversation: &Conversation) -> Vec<HistoryMessage> {
        let all = self
            .db
            .list_messages(conversation.company_id, conversation.id, None, 1000)
            .await
            .unwrap_or_default();
        let before = &all[..all.len().saturating_sub(1)];
        before[before.len().saturating_sub(HISTORY)..]
            .iter()
            .map(|m| HistoryMessage {
                sender: match m.sender.as_str() {
                    "customer" => Sender::Customer,
                    "ai" => Sender::Ai,
                    "agent" => Sender::Agent,
                    _ => Sender::System,
                },
                content: m.content.clone(),
            })
            .collect()
    }
}

fn thresholds(config: &AgentConfig) -> Thresholds {
    let default = Thresholds::default();
    let read = |key, fallback: f32| config.ai_number(key).map_or(fallback, |v| v as f32);
    Thresholds {
        faq: read(ai_keys::FAQ_THRESHOLD, default.faq),
        answer: read(ai_keys::ANSWER_THRESHOLD, default.answer),
    }
}
