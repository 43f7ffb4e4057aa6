//! `webhook` tools: a company's HTTPS endpoint called with the validated arguments.
//!
//! The configuration (`{"url", "method", "headers", "timeoutMs"}`) is validated on save and
//! again on every call. Header values are secrets the caller decrypted: they are sent only as
//! headers to the configured origin, dropped if a redirect leaves it, redacted from the
//! excerpt of an error reply, and never part of an error or `Debug` output.

mod client;
mod policy;
mod reply;

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Map, Value};
use url::Url;

pub use client::{ClientBuildError, WebhookClient};
pub use policy::WebhookPolicy;

use crate::error::ToolError;

/// Timeout when the configuration names none.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Shortest and longest timeouts a tool may set.
pub const MIN_TIMEOUT_MS: u64 = 100;
pub const MAX_TIMEOUT_MS: u64 = 30_000;
/// Longest URL accepted in a configuration.
pub const MAX_URL_CHARS: usize = 2048;
/// Headers a tool may set, and the size of each value.
pub const MAX_HEADERS: usize = 32;
pub const MAX_HEADER_VALUE_BYTES: usize = 4096;

/// Headers the HTTP client owns: connection management, framing and the target host. A tool
/// setting them could smuggle a second request or reach another virtual host.
const RESERVED_HEADERS: [&str; 11] = [
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// A webhook tool's configuration, with its header values already decrypted by the caller.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookTool {
    pub url: String,
    #[serde(default = "default_method")]
    pub method: String,
    /// Header name → value; every value is treated as a secret.
    #[serde(default)]
    pub headers: BTreeMap<String, SecretString>,
    /// The whole call's deadline, redirects and reading the reply included.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

fn default_method() -> String {
    "POST".to_owned()
}

/// One configuration problem, named by its field as the API spells it (`url`, `method`,
/// `headers.<name>`, `timeoutMs`), so the server can put it in a 400's details.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigIssue {
    pub field: String,
    pub message: String,
}

/// Every problem found in a webhook configuration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{}", self.issues.iter().map(|i| format!("{}: {}", i.field, i.message)).collect::<Vec<_>>().join("; "))]
pub struct WebhookConfigError {
    pub issues: Vec<ConfigIssue>,
}

/// A configuration that passed validation, in the client's terms.
pub(crate) struct Prepared {
    pub url: Url,
    pub method: Method,
    pub headers: HeaderMap,
    pub timeout: Duration,
}

impl WebhookTool {
    /// Checks the configuration against `policy`; run it when the tool is saved. An address
    /// literal is judged here; a name is judged when it is resolved, at each call.
    pub fn validate_config(&self, policy: &WebhookPolicy) -> Result<(), WebhookConfigError> {
        self.prepare(policy).map(|_| ())
    }

    /// Calls the webhook with `args` (the JSON body, or the query string for GET) and returns
    /// its JSON reply. The timeout bounds the whole call.
    pub async fn call(
        &self,
        client: &WebhookClient,
        args: &Map<String, Value>,
    ) -> Result<Value, ToolError> {
        // A target the policy refuses is reported as such, not as a configuration problem.
        if let Ok(url) = Url::parse(&self.url) {
            client.policy().check_url(&url).map_err(client::refused)?;
        }
        let prepared =
            self.prepare(client.policy()).map_err(|e| ToolError::InvalidConfig(e.to_string()))?;
        let secrets: Vec<&str> = self.headers.values().map(ExposeSecret::expose_secret).collect();
        let timeout = prepared.timeout;
        let started = tokio::time::Instant::now();
        let outcome = tokio::time::timeout(timeout, client.send(prepared, args, &secrets)).await;
        let outcome = outcome.unwrap_or_else(|_| {
            Err(ToolError::Timeout(format!(
                "the webhook did not answer within {} ms",
                timeout.as_millis()
            )))
        });
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            outcome = outcome.as_ref().map_or_else(ToolError::code, |_| "ok"),
            "webhook tool called"
        );
        outcome
    }

    fn prepare(&self, policy: &WebhookPolicy) -> Result<Prepared, WebhookConfigError> {
        let mut issues = Vec::new();
        let mut issue = |field: &str, message: String| {
            issues.push(ConfigIssue { field: field.to_owned(), message });
        };
        let url = match parse_url(&self.url, policy) {
            Ok(url) => Some(url),
            Err(message) => {
                issue("url", message);
                None
            }
        };
        let method = match self.method.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::GET),
            "POST" => Some(Method::POST),
            "PUT" => Some(Method::PUT),
            "PATCH" => Some(Method::PATCH),
            "DELETE" => Some(Method::DELETE),
            _ => {
                issue("method", "must be GET, POST, PUT, PATCH or DELETE".to_owned());
                None
            }
        };
        let timeout_ms = self.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
        if !(MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&timeout_ms) {
            let range = format!("must be between {MIN_TIMEOUT_MS} and {MAX_TIMEOUT_MS} ms");
            issue("timeoutMs", range);
        }
        let headers = self.header_map(&mut issue);
        match (url, method, issues.is_empty()) {
            (Some(url), Some(method), true) => {
                Ok(Prepared { url, method, headers, timeout: Duration::from_millis(timeout_ms) })
            }
            _ => Err(WebhookConfigError { issues }),
        }
    }

    /// The tool's headers as a map; each problem names the header, never its value.
    fn header_map(&self, issue: &mut impl FnMut(&str, String)) -> HeaderMap {
        let mut map = HeaderMap::new();
        if self.headers.len() > MAX_HEADERS {
            issue("headers", format!("at most {MAX_HEADERS} headers"));
            return map;
        }
        for (raw_name, value) in &self.headers {
            let field = format!("headers.{raw_name}");
            let Ok(name) = HeaderName::from_bytes(raw_name.as_bytes()) else {
                issue(&field, "is not a valid header name".to_owned());
                continue;
            };
            if RESERVED_HEADERS.contains(&name.as_str()) {
                issue(&field, "is set by the HTTP client and cannot be configured".to_owned());
                continue;
            }
            if map.contains_key(&name) {
                issue(&field, "is given more than once (names are case-insensitive)".to_owned());
                continue;
            }
            let value = value.expose_secret();
            if value.len() > MAX_HEADER_VALUE_BYTES {
                issue(&field, format!("value is longer than {MAX_HEADER_VALUE_BYTES} bytes"));
                continue;
            }
            match HeaderValue::from_str(value) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    map.insert(name, value);
                }
                Err(_) => issue(&field, "value has characters a header cannot carry".to_owned()),
            }
        }
        map
    }
}

fn parse_url(raw: &str, policy: &WebhookPolicy) -> Result<Url, String> {
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be at most {MAX_URL_CHARS} characters"));
    }
    let mut url = Url::parse(raw).map_err(|e| format!("is not a valid absolute URL ({e})"))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; put them in a header".to_owned());
    }
    policy.check_url(&url).map_err(|e| match e {
        switchboard_ai::outbound::OutboundError::Scheme if policy.allow_http => {
            "must be an http or https URL".to_owned()
        }
        switchboard_ai::outbound::OutboundError::Scheme => "must be an https URL".to_owned(),
        other => other.to_string(),
    })?;
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests;
