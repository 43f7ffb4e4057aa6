//! The tools a company's AI may call: a name an LLM can call as a function, a JSON Schema of
//! the arguments, and how the tool runs (a webhook or a sandboxed Rhai script).
//!
//! The checks here are the shapes every engine can rely on; compiling the schema and the
//! script is the tool runner's job, done on save as well by the server.

use crate::config::{HttpUrl, MAX_URL_LEN};
use crate::text::BoundedText;
use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const MAX_TOOL_NAME_CHARS: usize = 64;
pub const MAX_TOOL_DESCRIPTION_CHARS: usize = 1024;
/// The schema is sent to the LLM with every turn that offers the tool, so it stays small.
pub const MAX_PARAMETERS_BYTES: usize = 32 * 1024;
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;
pub const MAX_WEBHOOK_HEADERS: usize = 32;
pub const MAX_HEADER_NAME_CHARS: usize = 100;
pub const MAX_HEADER_VALUE_CHARS: usize = 4096;
pub const MIN_WEBHOOK_TIMEOUT_MS: u64 = 100;
pub const MAX_WEBHOOK_TIMEOUT_MS: u64 = 30_000;
pub const WEBHOOK_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/// How a stored webhook header value is shown; sent back in an update, it keeps the value.
pub const SECRET_MASK: &str = "********";

/// Names the LLM responder gives its own functions (`switchboard_llm`'s
/// `INSUFFICIENT_CONTEXT`); a tool by one of them would be indistinguishable from it.
const RESERVED_NAMES: [&str; 1] = ["insufficient_context"];

/// Headers the HTTP client owns: letting a tenant set them would smuggle a second request
/// or aim the call at another virtual host than the URL names.
const RESERVED_HEADERS: [&str; 9] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-connection",
];

/// A tool's name, unique in its company: 1–64 of `a-z`, `0-9`, `_`, which every LLM
/// function-calling API accepts as a function name as it is.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, pattern = "^[a-z0-9_]{1,64}$")]
pub struct ToolName(String);

impl ToolName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() || s.len() > MAX_TOOL_NAME_CHARS {
            return Err(format!("must be 1 to {MAX_TOOL_NAME_CHARS} characters"));
        }
        if !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err("may contain only a-z, 0-9 and '_'".to_owned());
        }
        if RESERVED_NAMES.contains(&s) {
            return Err(format!("{s:?} is reserved by the assistant"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ToolName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ToolName> for String {
    fn from(n: ToolName) -> String {
        n.0
    }
}

/// How a tool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ToolKind {
    /// An HTTP call: `config {url, method, headers, timeoutMs}`.
    Webhook,
    /// A Rhai script run in a sandbox: `config {script}`.
    Function,
}

impl ToolKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ToolKind::Webhook => "webhook",
            ToolKind::Function => "function",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "webhook" => Ok(ToolKind::Webhook),
            "function" => Ok(ToolKind::Function),
            _ => Err("must be \"webhook\" or \"function\"".to_owned()),
        }
    }
}

/// A tool as an admin defines it. `config` is as stored: a webhook's header values are
/// [`SECRET_MASK`], the values themselves being kept sealed beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: ToolName,
    pub description: String,
    pub kind: ToolKind,
    /// A JSON Schema of the arguments (an object schema).
    pub parameters: Value,
    pub config: Value,
    pub requires_approval: bool,
    pub enabled: bool,
}

/// A 1–1024 character description, trimmed.
pub fn parse_tool_description(raw: &str) -> Result<String, String> {
    BoundedText::parse(raw, 1, MAX_TOOL_DESCRIPTION_CHARS).map(BoundedText::into_inner)
}

/// The shape every argument schema must have: a JSON object describing an object (the
/// arguments of a function call always are one), small enough to send with each turn.
pub fn check_parameters(parameters: &Value) -> Result<(), String> {
    let Some(schema) = parameters.as_object() else {
        return Err("must be a JSON Schema object".to_owned());
    };
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err("must describe an object: {\"type\": \"object\", \"properties\": {...}}".into());
    }
    if schema.get("properties").is_some_and(|p| !p.is_object()) {
        return Err("`properties` must be an object".to_owned());
    }
    let required = schema.get("required");
    if required.is_some_and(|r| !r.as_array().is_some_and(|a| a.iter().all(Value::is_string))) {
        return Err("`required` must be an array of property names".to_owned());
    }
    if parameters.to_string().len() > MAX_PARAMETERS_BYTES {
        return Err(format!("must be at most {MAX_PARAMETERS_BYTES} bytes of JSON"));
    }
    Ok(())
}

/// A webhook tool's `config`. Header values are secrets: the server seals them and stores
/// [`SECRET_MASK`] in their place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookConfig {
    pub url: String,
    /// One of [`WEBHOOK_METHODS`]; the runner's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// 100–30000; the runner's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

/// A function tool's `config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionConfig {
    pub script: String,
}

/// Reads a webhook's config, recording each problem under `config.…`.
pub fn parse_webhook_config(
    config: &Value,
    errors: &mut ValidationErrors,
) -> Option<WebhookConfig> {
    let parsed: WebhookConfig = match serde_json::from_value(config.clone()) {
        Ok(c) => c,
        Err(e) => {
            errors.push(
                "config",
                format!("a webhook's config is {{url, method, headers, timeoutMs}}: {e}"),
            );
            return None;
        }
    };
    let before = errors.fields().len();
    match HttpUrl::parse(&parsed.url) {
        Ok(_) if parsed.url.trim() != parsed.url => {
            errors.push("config.url", "must not have spaces around it")
        }
        Ok(_) => {}
        Err(e) => errors.push("config.url", e),
    }
    if parsed.url.len() > MAX_URL_LEN {
        errors.push("config.url", format!("must be at most {MAX_URL_LEN} characters"));
    }
    if let Some(m) = &parsed.method
        && !WEBHOOK_METHODS.contains(&m.as_str())
    {
        errors.push("config.method", format!("must be one of {}", WEBHOOK_METHODS.join(", ")));
    }
    if let Some(t) = parsed.timeout_ms
        && !(MIN_WEBHOOK_TIMEOUT_MS..=MAX_WEBHOOK_TIMEOUT_MS).contains(&t)
    {
        errors.push(
            "config.timeoutMs",
            format!("must be {MIN_WEBHOOK_TIMEOUT_MS} to {MAX_WEBHOOK_TIMEOUT_MS}"),
        );
    }
    check_headers(&parsed.headers, errors);
    (errors.fields().len() == before).then_some(parsed)
}

fn check_headers(headers: &BTreeMap<String, String>, errors: &mut ValidationErrors) {
    if headers.len() > MAX_WEBHOOK_HEADERS {
        errors.push("config.headers", format!("at most {MAX_WEBHOOK_HEADERS} headers"));
        return;
    }
    let mut seen = BTreeSet::new();
    for (name, value) in headers {
        let field = format!("config.headers.{name}");
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || name.len() > MAX_HEADER_NAME_CHARS || !name.bytes().all(token) {
            errors.push(&field, format!("a header name is 1 to {MAX_HEADER_NAME_CHARS} letters, digits or !#$%&'*+-.^_`|~"));
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) || lower.starts_with("proxy-") {
            errors.push(&field, "is set by the HTTP client and cannot be configured");
        } else if !seen.insert(lower) {
            errors.push(&field, "is given twice (header names ignore case)");
        }
        // Printable ASCII only: a line break would start a header of the tenant's choosing.
        if value.is_empty() || value.len() > MAX_HEADER_VALUE_CHARS {
            errors.push(
                &field,
                format!("a header value is 1 to {MAX_HEADER_VALUE_CHARS} characters"),
            );
        } else if !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
            errors.push(&field, "a header value may contain only printable ASCII characters");
        }
    }
}

/// Reads a function tool's config, recording each problem under `config.…`.
pub fn parse_function_config(
    config: &Value,
    errors: &mut ValidationErrors,
) -> Option<FunctionConfig> {
    let parsed: FunctionConfig = match serde_json::from_value(config.clone()) {
        Ok(c) => c,
        Err(e) => {
            errors.push("config", format!("a function's config is {{script}}: {e}"));
            return None;
        }
    };
    if parsed.script.trim().is_empty() {
        errors.push("config.script", "must not be empty");
        return None;
    }
    if parsed.script.len() > MAX_SCRIPT_BYTES {
        errors.push("config.script", format!("must be at most {MAX_SCRIPT_BYTES} bytes"));
        return None;
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_function_names() {
        assert_eq!(ToolName::parse(" refund_order ").unwrap().as_str(), "refund_order");
        assert!(ToolName::parse(&"a".repeat(64)).is_ok());
        for bad in ["", "Refund", "refund-order", "refund order", "é", "insufficient_context"] {
            assert!(ToolName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ToolName::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn parameters_must_be_a_small_object_schema() {
        assert!(check_parameters(&json!({"type": "object", "properties": {}})).is_ok());
        assert!(check_parameters(&json!({"type": "object", "required": ["a"]})).is_ok());
        for bad in [
            json!([]),
            json!({"type": "string"}),
            json!({"type": "object", "properties": []}),
            json!({"type": "object", "required": [1]}),
            json!({"type": "object", "description": "x".repeat(MAX_PARAMETERS_BYTES)}),
        ] {
            assert!(check_parameters(&bad).is_err(), "{bad}");
        }
    }

    fn webhook_fields(config: Value) -> Vec<String> {
        let mut errors = ValidationErrors::new();
        let parsed = parse_webhook_config(&config, &mut errors);
        assert_eq!(parsed.is_some(), errors.is_empty());
        errors.fields().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn webhook_configs_are_checked_field_by_field() {
        let ok = json!({"url": "https://api.example.com/refund", "method": "POST",
                        "headers": {"Authorization": "Bearer x"}, "timeoutMs": 5000});
        assert!(webhook_fields(ok).is_empty());
        assert!(webhook_fields(json!({"url": "https://a.example"})).is_empty());
        assert_eq!(webhook_fields(json!({"url": "ftp://a"})), ["config.url"]);
        assert_eq!(
            webhook_fields(json!({"url": "https://a.example", "method": "TRACE"})),
            ["config.method"]
        );
        assert_eq!(
            webhook_fields(json!({"url": "https://a.example", "timeoutMs": 0})),
            ["config.timeoutMs"]
        );
        assert_eq!(webhook_fields(json!({"url": "https://a.example", "extra": 1})), ["config"]);
        assert_eq!(webhook_fields(json!({"method": "GET"})), ["config"]);
        let bad_headers = json!({"url": "https://a.example", "headers": {
            "Host": "evil", "X-Key": "a\r\nX-Other: b", "bad name": "v", "x-key": "v", "X-Empty": ""}});
        assert_eq!(
            webhook_fields(bad_headers),
            [
                "config.headers.Host",
                "config.headers.X-Empty",
                "config.headers.X-Key",
                "config.headers.bad name",
                "config.headers.x-key"
            ]
        );
    }

    #[test]
    fn function_configs_need_a_bounded_script() {
        let mut errors = ValidationErrors::new();
        assert!(parse_function_config(&json!({"script": "args.a + 1"}), &mut errors).is_some());
        for bad in [
            json!({}),
            json!({"script": " "}),
            json!({"script": "x".repeat(MAX_SCRIPT_BYTES + 1)}),
            json!({"script": "1", "url": "x"}),
        ] {
            let mut errors = ValidationErrors::new();
            assert!(parse_function_config(&bad, &mut errors).is_none(), "{bad}");
            assert!(!errors.is_empty());
        }
    }
}
