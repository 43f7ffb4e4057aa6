//! Workflows: a trigger and a list of steps the AI runs in a conversation (api.md, "Workflow
//! and tool formats"). [`WorkflowSpec::parse`] is the one validation, and every problem it
//! reports names the step by index (`steps[2].pattern`) and its type in the message.
//!
//! `{{field}}` in a message's content, an ask's prompt or a tool argument's string is replaced
//! by the value an earlier `ask` step collected; [`template_fields`] and [`fill_template`]
//! are that syntax, shared by the validator and the runner.

use crate::classification::CategoryLabel;
use crate::priority::Priority;
use crate::text::BoundedText;
use crate::validation::ValidationErrors;
use regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

pub const MAX_WORKFLOW_STEPS: usize = 50;
pub const MAX_TRIGGER_ITEMS: usize = 50;
pub const MAX_KEYWORD_CHARS: usize = 100;
pub const MAX_WORKFLOW_NAME_CHARS: usize = 100;
pub const MAX_WORKFLOW_DESCRIPTION_CHARS: usize = 1024;
pub const MAX_MESSAGE_CHARS: usize = 4000;
pub const MAX_PROMPT_CHARS: usize = 1000;
pub const MAX_FIELD_CHARS: usize = 64;
pub const MAX_PATTERN_CHARS: usize = 500;
pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_ARGUMENTS_BYTES: usize = 16 * 1024;
/// Compiled-program budget of an ask pattern: `a{1000}{1000}` is short but would otherwise
/// compile to gigabytes.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

const STEP_TYPES: &str = "message, ask, tool, set_priority, handoff, close";

/// When a workflow starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkflowTrigger {
    /// A whole-word, case-insensitive match of one keyword in a customer message.
    Keyword { keywords: Vec<String> },
    /// The classifier put the request in one of these categories.
    Category { categories: Vec<CategoryLabel> },
    /// Every new conversation.
    ConversationStart,
}

/// One step, run in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkflowStep {
    /// Sends `content` to the customer.
    Message {
        content: String,
    },
    /// Collects `field`: from the triggering (or a later) message if it contains a match of
    /// `pattern`, otherwise by sending `prompt` and matching the reply, asking again until
    /// one matches.
    Ask {
        field: String,
        prompt: String,
        pattern: String,
    },
    /// Calls the company's tool named `tool`; `{{field}}` in a string argument is replaced.
    /// A step marked `sensitive` asks a person first, like a tool that requires approval,
    /// so a company can guard one use of a tool without guarding every use of it.
    Tool {
        tool: String,
        #[serde(default)]
        #[schema(value_type = Object)]
        arguments: Map<String, Value>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        sensitive: bool,
    },
    SetPriority {
        priority: Priority,
    },
    /// Hands the conversation to a person.
    Handoff {
        reason: String,
    },
    Close,
}

impl WorkflowStep {
    /// The step's `type`, as written in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            WorkflowStep::Message { .. } => "message",
            WorkflowStep::Ask { .. } => "ask",
            WorkflowStep::Tool { .. } => "tool",
            WorkflowStep::SetPriority { .. } => "set_priority",
            WorkflowStep::Handoff { .. } => "handoff",
            WorkflowStep::Close => "close",
        }
    }
}

/// A valid workflow: what [`WorkflowSpec::parse`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowSpec {
    pub name: String,
    pub description: String,
    pub trigger: WorkflowTrigger,
    pub steps: Vec<WorkflowStep>,
    pub enabled: bool,
}

/// A workflow as sent, before any check: trigger and steps still raw JSON, so that a step
/// that does not parse can be reported by its index.
#[derive(Debug, Clone)]
pub struct WorkflowInput {
    pub name: String,
    pub description: String,
    pub trigger: Value,
    pub steps: Vec<Value>,
    pub enabled: bool,
}

impl WorkflowSpec {
    /// Checks everything about a workflow; `tools` are the names of the company's tools.
    pub fn parse(input: WorkflowInput, tools: &BTreeSet<String>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name =
            errors.check("name", BoundedText::parse(&input.name, 1, MAX_WORKFLOW_NAME_CHARS));
        let description = if input.description.trim().is_empty() {
            Some(String::new())
        } else {
            let d = BoundedText::parse(&input.description, 1, MAX_WORKFLOW_DESCRIPTION_CHARS);
            errors.check("description", d).map(BoundedText::into_inner)
        };
        let trigger = parse_trigger(input.trigger, &mut errors);
        let steps = parse_steps(input.steps, tools, &mut errors);
        errors.into_result()?;
        match (name, description, trigger, steps) {
            (Some(name), Some(description), Some(trigger), Some(steps)) => Ok(Self {
                name: name.into_inner(),
                description,
                trigger,
                steps,
                enabled: input.enabled,
            }),
            // Every `None` above recorded an error, so this is unreachable in practice.
            _ => Err(ValidationErrors::from(crate::FieldError::new("body", "is invalid"))),
        }
    }

    /// The tool names the workflow's steps call.
    pub fn tools(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            WorkflowStep::Tool { tool, .. } => Some(tool.as_str()),
            _ => None,
        })
    }
}

/// Deserialises a `{"type": …, …}` object as `T`, an externally tagged mirror of the public
/// enum, reporting a failure under `field` plus the path inside it. serde buffers an
/// internally tagged enum's fields before reading them, which loses the path of a bad
/// field; rewritten as `{type: {…}}` the path survives.
fn tagged<T: DeserializeOwned>(value: Value, field: &str) -> Result<T, (String, String)> {
    let Value::Object(mut map) = value else {
        return Err((field.to_owned(), "must be an object with a \"type\"".to_owned()));
    };
    let kind = match map.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(_) => return Err((format!("{field}.type"), "must be a string".to_owned())),
        None => return Err((format!("{field}.type"), "is required".to_owned())),
    };
    let wrapped = Value::Object(Map::from_iter([(kind.clone(), Value::Object(map))]));
    serde_path_to_error::deserialize(wrapped).map_err(|e| {
        // The first segment is the variant itself.
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let rest = path.split_once('.').map(|(_, r)| r).unwrap_or("");
        let at = if rest.is_empty() { field.to_owned() } else { format!("{field}.{rest}") };
        if path == "." && inner.starts_with("unknown variant") {
            return (format!("{field}.type"), format!("`{kind}` is not a known type"));
        }
        match inner.strip_prefix("missing field `") {
            Some(r) => {
                (format!("{at}.{}", r.split('`').next().unwrap_or_default()), "is required".into())
            }
            None => (at, inner),
        }
    })
}

/// [`WorkflowTrigger`] as [`tagged`] reads it.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum TriggerBody {
    Keyword { keywords: Vec<String> },
    Category { categories: Vec<CategoryLabel> },
    ConversationStart {},
}

impl From<TriggerBody> for WorkflowTrigger {
    fn from(t: TriggerBody) -> Self {
        match t {
            TriggerBody::Keyword { keywords } => WorkflowTrigger::Keyword { keywords },
            TriggerBody::Category { categories } => WorkflowTrigger::Category { categories },
            TriggerBody::ConversationStart {} => WorkflowTrigger::ConversationStart,
        }
    }
}

/// [`WorkflowStep`] as [`tagged`] reads it.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum StepBody {
    Message {
        content: String,
    },
    Ask {
        field: String,
        prompt: String,
        pattern: String,
    },
    Tool {
        tool: String,
        #[serde(default)]
        arguments: Map<String, Value>,
        #[serde(default)]
        sensitive: bool,
    },
    SetPriority {
        priority: Priority,
    },
    Handoff {
        reason: String,
    },
    Close {},
}

impl From<StepBody> for WorkflowStep {
    fn from(s: StepBody) -> Self {
        match s {
            StepBody::Message { content } => WorkflowStep::Message { content },
            StepBody::Ask { field, prompt, pattern } => {
                WorkflowStep::Ask { field, prompt, pattern }
            }
            StepBody::Tool { tool, arguments, sensitive } => {
                WorkflowStep::Tool { tool, arguments, sensitive }
            }
            StepBody::SetPriority { priority } => WorkflowStep::SetPriority { priority },
            StepBody::Handoff { reason } => WorkflowStep::Handoff { reason },
            StepBody::Close {} => WorkflowStep::Close,
        }
    }
}

fn bounded(
    errors: &mut ValidationErrors,
    field: &str,
    what: &str,
    raw: &str,
    max: usize,
) -> Option<String> {
    match BoundedText::parse(raw, 1, max) {
        Ok(t) => Some(t.into_inner()),
        Err(e) => {
            errors.push(field, format!("{what}: {e}"));
            None
        }
    }
}

fn parse_trigger(raw: Value, errors: &mut ValidationErrors) -> Option<WorkflowTrigger> {
    let trigger: WorkflowTrigger = match tagged::<TriggerBody>(raw, "trigger") {
        Ok(t) => t.into(),
        Err((field, message)) => {
            errors.push(
                field,
                format!("{message}; a trigger is keyword, category or conversation_start"),
            );
            return None;
        }
    };
    let before = errors.fields().len();
    match &trigger {
        WorkflowTrigger::Keyword { keywords } => {
            check_count(errors, "trigger.keywords", keywords.len());
            let trimmed: Vec<String> = keywords
                .iter()
                .enumerate()
                .filter_map(|(i, k)| {
                    bounded(
                        errors,
                        &format!("trigger.keywords[{i}]"),
                        "a keyword",
                        k,
                        MAX_KEYWORD_CHARS,
                    )
                })
                .collect();
            if errors.fields().len() == before {
                return Some(WorkflowTrigger::Keyword { keywords: trimmed });
            }
        }
        WorkflowTrigger::Category { categories } => {
            check_count(errors, "trigger.categories", categories.len())
        }
        WorkflowTrigger::ConversationStart => {}
    }
    (errors.fields().len() == before).then_some(trigger)
}

fn check_count(errors: &mut ValidationErrors, field: &str, n: usize) {
    if n == 0 || n > MAX_TRIGGER_ITEMS {
        errors.push(field, format!("must list 1 to {MAX_TRIGGER_ITEMS}"));
    }
}

fn parse_steps(
    raw: Vec<Value>,
    tools: &BTreeSet<String>,
    errors: &mut ValidationErrors,
) -> Option<Vec<WorkflowStep>> {
    if raw.is_empty() {
        errors.push("steps", "a workflow needs at least one step");
        return None;
    }
    if raw.len() > MAX_WORKFLOW_STEPS {
        errors.push("steps", format!("at most {MAX_WORKFLOW_STEPS} steps"));
        return None;
    }
    let before = errors.fields().len();
    let mut collected = BTreeSet::new();
    let mut steps = Vec::with_capacity(raw.len());
    for (i, value) in raw.into_iter().enumerate() {
        let at = format!("steps[{i}]");
        let named = value.get("type").and_then(Value::as_str).map(str::to_owned);
        if !value.is_object() {
            errors.push(&at, "must be an object with a \"type\"");
            continue;
        }
        match tagged::<StepBody>(value, &at) {
            Ok(step) => {
                let step = WorkflowStep::from(step);
                let mut check = StepCheck {
                    errors: &mut *errors,
                    at: &at,
                    kind: step.kind(),
                    collected: &collected,
                };
                if let Some(step) = check.step(step, tools) {
                    if let WorkflowStep::Ask { field, .. } = &step {
                        collected.insert(field.clone());
                    }
                    steps.push(step);
                }
            }
            Err((field, message)) if field.ends_with(".type") && message.starts_with('`') => {
                errors.push(field, format!("step {i}: {message}; expected one of {STEP_TYPES}"));
            }
            Err((field, message)) => {
                let kind = named.as_deref().unwrap_or("untyped");
                errors.push(field, format!("{kind} step {i}: {message}"));
            }
        }
    }
    (errors.fields().len() == before).then_some(steps)
}

/// Checks one parsed step against the rules serde cannot express.
struct StepCheck<'a> {
    errors: &'a mut ValidationErrors,
    at: &'a str,
    kind: &'static str,
    collected: &'a BTreeSet<String>,
}

impl StepCheck<'_> {
    fn push(&mut self, field: &str, message: impl std::fmt::Display) {
        let index = self.at.trim_start_matches("steps[").trim_end_matches(']');
        self.errors
            .push(format!("{}.{field}", self.at), format!("{} step {index}: {message}", self.kind));
    }

    fn text(&mut self, field: &str, raw: &str, max: usize) -> Option<String> {
        match BoundedText::parse(raw, 1, max) {
            Ok(t) => Some(t.into_inner()),
            Err(e) => {
                self.push(field, e);
                None
            }
        }
    }

    /// Every `{{name}}` in `text` must name a field an earlier ask step collects.
    fn references(&mut self, field: &str, text: &str) {
        for name in template_fields(text) {
            if !self.collected.contains(name) {
                self.push(field, format!("{{{{{name}}}}} is not collected by an earlier ask step"));
            }
        }
    }

    fn arguments(&mut self, path: &str, value: &Value) {
        match value {
            Value::String(s) => self.references(path, s),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.arguments(&format!("{path}[{i}]"), v);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.arguments(&format!("{path}.{k}"), v);
                }
            }
            _ => {}
        }
    }

    fn step(&mut self, step: WorkflowStep, tools: &BTreeSet<String>) -> Option<WorkflowStep> {
        match step {
            WorkflowStep::Message { content } => {
                let content = self.text("content", &content, MAX_MESSAGE_CHARS)?;
                self.references("content", &content);
                Some(WorkflowStep::Message { content })
            }
            WorkflowStep::Ask { field, prompt, pattern } => {
                if !is_field_name(&field) {
                    self.push(
                        "field",
                        format!("must be 1 to {MAX_FIELD_CHARS} of A-Z, a-z, 0-9 and '_'"),
                    );
                }
                let prompt = self.text("prompt", &prompt, MAX_PROMPT_CHARS);
                if let Some(p) = &prompt {
                    self.references("prompt", p);
                }
                if let Err(e) = compile_pattern(&pattern) {
                    self.push("pattern", e);
                }
                Some(WorkflowStep::Ask { field, prompt: prompt?, pattern })
            }
            WorkflowStep::Tool { tool, arguments, sensitive } => {
                if !tools.contains(&tool) {
                    self.push("tool", format!("the company has no tool named {tool:?}"));
                }
                if Value::Object(arguments.clone()).to_string().len() > MAX_ARGUMENTS_BYTES {
                    self.push(
                        "arguments",
                        format!("must be at most {MAX_ARGUMENTS_BYTES} bytes of JSON"),
                    );
                }
                for (k, v) in &arguments {
                    self.arguments(&format!("arguments.{k}"), v);
                }
                Some(WorkflowStep::Tool { tool, arguments, sensitive })
            }
            WorkflowStep::Handoff { reason } => {
                let reason = self.text("reason", &reason, MAX_REASON_CHARS)?;
                Some(WorkflowStep::Handoff { reason })
            }
            step @ (WorkflowStep::SetPriority { .. } | WorkflowStep::Close) => Some(step),
        }
    }
}

/// Whether `name` can be an ask step's field and so a `{{name}}` placeholder.
pub fn is_field_name(name: &str) -> bool {
    (1..=MAX_FIELD_CHARS).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Compiles an ask step's pattern within the size bounds every engine uses.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    if pattern.is_empty() || pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!("a pattern is 1 to {MAX_PATTERN_CHARS} characters"));
    }
    RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "the pattern is too complex".to_owned(),
            // The syntax error's own text points at the offending character.
            other => format!("not a valid regular expression: {other}"),
        })
}

/// Each `{{name}}` placeholder in `text` as (byte range, name); spaces inside the braces
/// are allowed, and braces around anything but a field name are plain text.
fn placeholders(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|o| from + o) {
        let Some(close) = text[open + 2..].find("}}").map(|c| open + 2 + c) else { break };
        let name = text[open + 2..close].trim();
        if is_field_name(name) {
            found.push((open..close + 2, name));
            from = close + 2;
        } else {
            from = open + 2;
        }
    }
    found
}

/// The fields `text` refers to, in order of appearance.
pub fn template_fields(text: &str) -> Vec<&str> {
    placeholders(text).into_iter().map(|(_, name)| name).collect()
}

/// `text` with each `{{name}}` replaced by `value(name)`; one without a value stays as written.
pub fn fill_template<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, name) in placeholders(text) {
        if let Some(v) = value(name) {
            out.push_str(&text[last..range.start]);
            out.push_str(v);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
