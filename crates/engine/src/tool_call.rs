//! One tool call: a workflow's tool step, a model's function call, an approved action or an
//! admin's test. The arguments are checked against the tool's parameter schema on every
//! call (whoever proposed them), then a `function` tool runs in the sandbox or a `webhook`
//! tool is called behind the operator's outbound policy, its header values opened through
//! [`SecretOpener::tool_headers`] just for the call.
//!
//! A failure is a [`ToolFailure`]: a stable machine code and a message an admin may see. No
//! failure carries a header value: the tools crate keeps them out of its errors, and the ones
//! raised here name headers, never values.
//!
//! [`SecretOpener::tool_headers`]: crate::ports::SecretOpener::tool_headers

use crate::conversations::Conversations;
use secrecy::SecretString;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use switchboard_domain::tool::{SECRET_MASK, WebhookConfig};
use switchboard_domain::{CompanyId, ToolKind};
use switchboard_storage::Tool;
use switchboard_tools::{
    ArgumentError, FunctionTool, ParameterSchema, ToolError, WebhookClient, WebhookPolicy,
    WebhookTool,
};

/// Characters of a tool's result [`render_tool_result`] keeps.
pub const MAX_RENDERED_CHARS: usize = 1000;

/// Why a tool call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolFailure {
    /// Stable snake_case: the tools crate's codes ([`ToolError::code`]: `invalid_arguments`,
    /// `timeout`, `limit_exceeded`, `refused_address`, `upstream_status`, …) plus
    /// `secrets_unreadable` (the sealed header values cannot be opened any more).
    pub code: &'static str,
    /// What went wrong, for an admin (never a header value).
    pub message: String,
    /// For `invalid_arguments`: each place the arguments miss the schema (a JSON pointer
    /// into the arguments, empty for the arguments as a whole) and why.
    pub argument_errors: Vec<ArgumentError>,
}

impl ToolFailure {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), argument_errors: Vec::new() }
    }
}

impl std::fmt::Display for ToolFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ToolFailure {}

impl From<ToolError> for ToolFailure {
    fn from(error: ToolError) -> Self {
        let argument_errors = match &error {
            ToolError::InvalidArguments(errors) => errors.errors.clone(),
            _ => Vec::new(),
        };
        Self { code: error.code(), message: error.to_string(), argument_errors }
    }
}

/// What running tools needs from the process: the outbound policy webhooks are judged by,
/// and the one HTTP client (with its connection pool) built for it on first use.
pub(crate) struct ToolRunner {
    policy: WebhookPolicy,
    client: OnceLock<Option<Arc<WebhookClient>>>,
}

impl Default for ToolRunner {
    /// The strict policy: public HTTPS targets only.
    fn default() -> Self {
        Self::new(WebhookPolicy::default())
    }
}

impl ToolRunner {
    fn new(policy: WebhookPolicy) -> Self {
        Self { policy, client: OnceLock::new() }
    }

    fn client(&self) -> Result<Arc<WebhookClient>, ToolFailure> {
        let client = self.client.get_or_init(|| match WebhookClient::new(self.policy) {
            Ok(client) => Some(Arc::new(client)),
            Err(e) => {
                tracing::error!(error.message = %e, "no webhook client; webhook tools fail");
                None
            }
        });
        client.clone().ok_or_else(|| ToolFailure::from(ToolError::Internal))
    }
}

impl Conversations {
    /// Webhook tools are called under `policy` (the operator's outbound settings); without
    /// it only public HTTPS targets are.
    pub fn with_tool_policy(mut self, policy: WebhookPolicy) -> Self {
        self.tools = ToolRunner::new(policy);
        self
    }

    /// Runs `tool` of `company` with `arguments`, which are checked against its parameter
    /// schema first. Whether the tool is enabled or needs approval is the caller's concern.
    pub async fn run_tool(
        &self,
        company: CompanyId,
        tool: &Tool,
        arguments: &Value,
    ) -> Result<Value, ToolFailure> {
        if tool.company_id != company {
            // A caller bug; running another company's tool under this one must not happen.
            tracing::error!(%company, tool = %tool.id, "a tool of another company was run");
            return Err(ToolError::Internal.into());
        }
        let started = std::time::Instant::now();
        let outcome = self.run_checked(company, tool, arguments).await;
        tracing::info!(
            %company,
            tool = tool.spec.name.as_str(),
            kind = tool.spec.kind.as_str(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            outcome = outcome.as_ref().map_or_else(|f| f.code, |_| "ok"),
            "tool ran"
        );
        outcome
    }

    async fn run_checked(
        &self,
        company: CompanyId,
        tool: &Tool,
        arguments: &Value,
    ) -> Result<Value, ToolFailure> {
        let schema = ParameterSchema::compile(&tool.spec.parameters)
            .map_err(|e| ToolError::InvalidConfig(format!("parameters: {e}")))?;
        schema.validate(arguments).map_err(ToolError::from)?;
        // The schema describes an object, so valid arguments are one; `{}` if it allows
        // anything else.
        let empty = Map::new();
        let args = arguments.as_object().unwrap_or(&empty);
        match tool.spec.kind {
            ToolKind::Function => {
                let script =
                    tool.spec.config.get("script").and_then(Value::as_str).ok_or_else(|| {
                        ToolError::InvalidConfig("a function tool needs a script".to_owned())
                    })?;
                let function = FunctionTool::compile(script)
                    .map_err(|e| ToolError::InvalidConfig(format!("script: {e}")))?;
                Ok(function.run(args).await?)
            }
            ToolKind::Webhook => {
                let webhook = self.webhook(company, tool)?;
                let client = self.tools.client()?;
                Ok(webhook.call(&client, args).await?)
            }
        }
    }

    /// The webhook as stored, with its header values opened.
    fn webhook(&self, company: CompanyId, tool: &Tool) -> Result<WebhookTool, ToolFailure> {
        let config: WebhookConfig = serde_json::from_value(tool.spec.config.clone())
            .map_err(|e| ToolError::InvalidConfig(e.to_string()))?;
        let mut opened = match tool.secrets.as_deref() {
            Some(sealed) => self.secrets.tool_headers(company, sealed).ok_or_else(|| {
                ToolFailure::new(
                    "secrets_unreadable",
                    "the webhook's header values can no longer be read; save them again",
                )
            })?,
            None => BTreeMap::new(),
        };
        let mut headers = BTreeMap::new();
        for (name, shown) in config.headers {
            // Stored configs hold masks; a value in clear (written before sealing) is kept.
            let value = match opened.remove(&name) {
                Some(value) => value,
                None if shown != SECRET_MASK => shown,
                None => {
                    return Err(ToolFailure::new(
                        "secrets_unreadable",
                        format!("the value of header {name} is missing; save it again"),
                    ));
                }
            };
            headers.insert(name, SecretString::from(value));
        }
        Ok(WebhookTool {
            url: config.url,
            method: config.method.unwrap_or_else(|| "POST".to_owned()),
            headers,
            timeout_ms: config.timeout_ms,
        })
    }
}

/// A tool's result as a short text a customer can read: a string as it is; an object's
/// `message` or `summary` string when it has one; otherwise compact JSON. At most
/// [`MAX_RENDERED_CHARS`] characters, a cut marked with `…`.
pub fn render_tool_result(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Object(map) => ["message", "summary"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str))
            .map_or_else(|| value.to_string(), str::to_owned),
        other => other.to_string(),
    };
    match text.char_indices().nth(MAX_RENDERED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn results_render_as_short_readable_text() {
        assert_eq!(render_tool_result(&json!("Refunded.")), "Refunded.");
        assert_eq!(render_tool_result(&json!({"message": "Done", "id": 4})), "Done");
        assert_eq!(render_tool_result(&json!({"summary": "Sent", "message": 3})), "Sent");
        assert_eq!(render_tool_result(&json!({"id": 4, "ok": true})), r#"{"id":4,"ok":true}"#);
        assert_eq!(render_tool_result(&json!(42)), "42");
        assert_eq!(render_tool_result(&Value::Null), "null");
        let long = render_tool_result(&json!("é".repeat(1500)));
        assert_eq!(long.chars().count(), MAX_RENDERED_CHARS + 1);
        assert!(long.ends_with('…'));
        let exact = "a".repeat(MAX_RENDERED_CHARS);
        assert_eq!(render_tool_result(&json!(exact)), exact);
    }

    #[test]
    fn a_tool_error_keeps_its_code_and_argument_errors() {
        let failure = ToolFailure::from(ToolError::Timeout("too slow".into()));
        assert_eq!((failure.code, failure.message.as_str()), ("timeout", "too slow"));
        assert!(failure.argument_errors.is_empty());
        let errors = switchboard_tools::ArgumentErrors {
            errors: vec![ArgumentError { path: "/a".into(), message: "bad".into() }],
            truncated: false,
        };
        let failure = ToolFailure::from(ToolError::InvalidArguments(errors));
        assert_eq!(failure.code, "invalid_arguments");
        assert_eq!(failure.argument_errors[0].path, "/a");
    }
}
