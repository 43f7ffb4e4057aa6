//! Running a workflow in a conversation, without IO: where it is ([`WorkflowRun`], stored with
//! the conversation as JSON so that a restart resumes it), whether a message starts one
//! ([`triggered`]), and what its next step asks of the engine ([`WorkflowRun::next`]). The
//! engine carries out each [`Effect`] (sends the message, calls the tool, hands off) and
//! writes the run back in the same transaction as the messages of that step.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use switchboard_domain::workflow::{compile_pattern, fill_template};
use switchboard_domain::{WorkflowStep, WorkflowTrigger};

/// Customer messages a run remembers for its `ask` steps (the triggering one and later ones).
const HEARD: usize = 20;

/// A workflow in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowRun {
    pub workflow_id: String,
    /// The index of the next step to run.
    pub step: usize,
    /// Values collected by `ask` steps, by field.
    pub fields: BTreeMap<String, String>,
    /// The triggering message and those since, newest last, for `ask` steps to search.
    pub heard: Vec<String>,
    /// Set while the run waits for an approval decision on its current `tool` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting_approval: Option<String>,
}

/// What the current step needs done.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send this to the customer, then ask for the next effect.
    Say(String),
    /// Set the conversation's priority, then ask for the next effect.
    SetPriority(&'static str),
    /// Call the tool with these (filled-in) arguments; report with [`WorkflowRun::tool_done`].
    /// `sensitive`: the step wants a person's approval first, whatever the tool says.
    CallTool { tool: String, arguments: Map<String, Value>, sensitive: bool },
    /// Send this question and wait for the customer's next message.
    Ask(String),
    /// Hand the conversation to a person; the run is over.
    Handoff(String),
    /// Close the conversation; the run is over.
    Close,
    /// Every step ran.
    Finished,
}

impl WorkflowRun {
    pub fn start(workflow_id: impl Into<String>, triggering_message: &str) -> Self {
        Self {
            workflow_id: workflow_id.into(),
            step: 0,
            fields: BTreeMap::new(),
            heard: vec![triggering_message.to_owned()],
            awaiting_approval: None,
        }
    }

    /// The run as stored with the conversation; `None` for JSON null or a state this version
    /// cannot read (the conversation then goes on without it rather than failing).
    pub fn from_stored(state: &Value) -> Option<Self> {
        if state.is_null() {
            return None;
        }
        serde_json::from_value(state.clone()).ok()
    }

    pub fn to_stored(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Remembers a customer message that arrived while the run waits for an answer.
    pub fn hear(&mut self, message: &str) {
        self.heard.push(message.to_owned());
        if self.heard.len() > HEARD {
            self.heard.remove(0);
        }
    }

    /// The effect of the current step, moving past it where the step needs nothing back
    /// (a message, a priority, a collected field). The caller loops until an effect that
    /// waits or ends; `steps` are the workflow's steps as validated on save.
    pub fn next(&mut self, steps: &[WorkflowStep]) -> Effect {
        loop {
            let Some(step) = steps.get(self.step) else { return Effect::Finished };
            match step {
                WorkflowStep::Message { content } => {
                    self.step += 1;
                    return Effect::Say(self.fill(content));
                }
                WorkflowStep::SetPriority { priority } => {
                    self.step += 1;
                    return Effect::SetPriority(priority.as_str());
                }
                WorkflowStep::Ask { field, prompt, pattern } => {
                    match self.find(pattern) {
                        Some(value) => {
                            self.fields.insert(field.clone(), value);
                            self.step += 1;
                            // Collected without a word to the customer: on to the next step.
                            continue;
                        }
                        None => return Effect::Ask(self.fill(prompt)),
                    }
                }
                WorkflowStep::Tool { tool, arguments, sensitive } => {
                    let arguments =
                        arguments.iter().map(|(k, v)| (k.clone(), self.fill_value(v))).collect();
                    return Effect::CallTool {
                        tool: tool.clone(),
                        arguments,
                        sensitive: *sensitive,
                    };
                }
                WorkflowStep::Handoff { reason } => {
                    self.step = steps.len();
                    return Effect::Handoff(self.fill(reason));
                }
                WorkflowStep::Close => {
                    self.step = steps.len();
                    return Effect::Close;
                }
            }
        }
    }

    /// The current `tool` step ran (or was decided on): the run goes on with the next step.
    pub fn tool_done(&mut self) {
        self.awaiting_approval = None;
        self.step += 1;
    }

    /// The newest remembered message with a match of `pattern`: its first capture group
    /// when the pattern has one, else the whole match.
    fn find(&self, pattern: &str) -> Option<String> {
        // Patterns were compiled when the workflow was saved; one that no longer compiles
        // never matches, so the customer is asked and a person can step in.
        let regex = compile_pattern(pattern).ok()?;
        self.heard.iter().rev().find_map(|message| {
            let captures = regex.captures(message)?;
            let m = captures.get(1).or_else(|| captures.get(0))?;
            Some(m.as_str().trim().to_owned()).filter(|v| !v.is_empty())
        })
    }

    fn fill(&self, text: &str) -> String {
        fill_template(text, |name| self.fields.get(name).map(String::as_str))
    }

    fn fill_value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.fill(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.fill_value(v)).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), self.fill_value(v))).collect())
            }
            other => other.clone(),
        }
    }
}

/// Whether `trigger` starts its workflow: on a conversation's first message for
/// `conversation_start`, on the classifier's category, or on a keyword in the message.
pub fn triggered(
    trigger: &WorkflowTrigger,
    message: &str,
    category: Option<&str>,
    first_message: bool,
) -> bool {
    match trigger {
        WorkflowTrigger::ConversationStart => first_message,
        WorkflowTrigger::Category { categories } => category.is_some_and(|c| {
            categories.iter().any(|wanted| wanted.as_str().eq_ignore_ascii_case(c))
        }),
        WorkflowTrigger::Keyword { keywords } => {
            keywords.iter().any(|k| contains_whole_word(message, k))
        }
    }
}

/// A case-insensitive match of `word` in `text` that neither begins nor ends inside a word.
fn contains_whole_word(text: &str, word: &str) -> bool {
    let (text, word) = (text.to_lowercase(), word.trim().to_lowercase());
    if word.is_empty() {
        return false;
    }
    text.match_indices(&word).any(|(at, m)| {
        let before = text[..at].chars().next_back();
        let after = text[at + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
#[path = "workflow_run_tests.rs"]
mod tests;
