//! The HTTP side of webhook tools: one pooled client whose every DNS lookup goes through the
//! [`WebhookPolicy`], and the request loop that follows (and judges) redirects by hand.
//!
//! Redirects are followed here rather than by reqwest, because reqwest forwards custom
//! headers (the tool's secrets) to whatever host a redirect names; here they are dropped as
//! soon as a hop leaves the configured origin. Each hop's URL is judged before it is
//! requested (scheme and address literals); a name is judged by the resolver on connect.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};
use switchboard_ai::outbound::{OutboundError, pinned_client};
use url::Url;

use super::policy::WebhookPolicy;
use super::{Prepared, reply};
use crate::error::ToolError;

/// Redirects followed at most in one call.
pub const MAX_REDIRECTS: usize = 3;
/// Largest request: the JSON body, or the URL once the query carries the arguments.
const MAX_REQUEST_BYTES: usize = 256 * 1024;
const MAX_QUERY_URL_CHARS: usize = 8 * 1024;
/// The TCP (and TLS) connection; the whole call is bounded by the tool's timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Calls webhooks. Build one per process (it holds the connection pool) and share it.
pub struct WebhookClient {
    client: reqwest::Client,
    policy: WebhookPolicy,
}

/// The HTTP client could not be built (a TLS set-up failure); an operator's problem.
#[derive(Debug, thiserror::Error)]
#[error("the webhook client could not be built: {0}")]
pub struct ClientBuildError(String);

impl WebhookClient {
    pub fn new(policy: WebhookPolicy) -> Result<Self, ClientBuildError> {
        // Every name is judged by the webhook policy, which may allow loopback where the
        // operator's policy does not; redirects are followed by hand in `send`.
        let client =
            pinned_client(move |host| async move { policy.resolve(&host).await }, CONNECT_TIMEOUT)
                .map_err(|e| ClientBuildError(e.to_string()))?;
        Ok(Self { client, policy })
    }

    /// The rules this client calls by.
    pub fn policy(&self) -> &WebhookPolicy {
        &self.policy
    }

    pub(super) async fn send(
        &self,
        prepared: Prepared,
        args: &Map<String, Value>,
        secrets: &[&str],
    ) -> Result<Value, ToolError> {
        let Prepared { mut url, mut method, headers: mut secret_headers, .. } = prepared;
        let mut body = None;
        if method == Method::GET {
            put_query(&mut url, args)?;
        } else {
            let bytes = serde_json::to_vec(args).map_err(|_| ToolError::Internal)?;
            if bytes.len() > MAX_REQUEST_BYTES {
                return Err(ToolError::TooLarge { what: "arguments", limit: MAX_REQUEST_BYTES });
            }
            body = Some(bytes);
        }
        let mut redirects = 0;
        loop {
            self.policy.check_url(&url).map_err(refused)?;
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
            let mut request = self.client.request(method.clone(), url.clone());
            if let Some(bytes) = &body {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                request = request.body(bytes.clone());
            }
            // The tool's own headers win over the defaults (e.g. its own Accept).
            headers.extend(secret_headers.clone());
            let response = request.headers(headers).send().await.map_err(send_error)?;
            let status = response.status();
            let Some(next) = redirect_target(&response, &url)? else {
                return reply::read(response, secrets).await;
            };
            redirects += 1;
            if redirects > MAX_REDIRECTS {
                return Err(ToolError::TooManyRedirects(MAX_REDIRECTS));
            }
            if next.origin() != url.origin() {
                secret_headers.clear();
            }
            // What browsers (and reqwest) do: 303 always, 301/302 after a POST, become GET.
            let to_get = status == StatusCode::SEE_OTHER
                || (method == Method::POST
                    && matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND));
            if to_get {
                method = Method::GET;
                body = None;
            }
            tracing::debug!(status = status.as_u16(), redirects, "webhook redirected");
            url = next;
        }
    }
}

/// Where a redirect points, resolved against the current URL; `None` if the response is not
/// a redirect to follow (a 3xx without `Location` is returned as the reply it is).
fn redirect_target(response: &reqwest::Response, current: &Url) -> Result<Option<Url>, ToolError> {
    let status = response.status();
    let followed = [301, 302, 303, 307, 308].contains(&status.as_u16());
    let Some(location) = response.headers().get(LOCATION).filter(|_| followed) else {
        return Ok(None);
    };
    let invalid = || ToolError::InvalidResponse("the webhook redirected to an invalid URL".into());
    let location = location.to_str().map_err(|_| invalid())?;
    let mut next = current.join(location).map_err(|_| invalid())?;
    next.set_fragment(None);
    Ok(Some(next))
}

/// The arguments as a query string: scalars as text, arrays as repeated keys, anything
/// nested as JSON text; `null` leaves the key out.
fn put_query(url: &mut Url, args: &Map<String, Value>) -> Result<(), ToolError> {
    fn text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    if !args.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in args {
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        pairs.append_pair(key, &text(item));
                    }
                }
                other => {
                    pairs.append_pair(key, &text(other));
                }
            }
        }
    }
    if url.as_str().len() > MAX_QUERY_URL_CHARS {
        return Err(ToolError::TooLarge { what: "query string", limit: MAX_QUERY_URL_CHARS });
    }
    Ok(())
}

pub(super) fn refused(e: OutboundError) -> ToolError {
    match e {
        OutboundError::Unresolved { .. } => ToolError::Unreachable(e.to_string()),
        OutboundError::Scheme => ToolError::RefusedAddress(
            "only https URLs are called (http only where the operator allows it)".to_owned(),
        ),
        other => ToolError::RefusedAddress(other.to_string()),
    }
}

/// The policy's refusal travels inside reqwest's connect error; find it so the admin learns
/// that the address was refused rather than down.
fn send_error(e: reqwest::Error) -> ToolError {
    let mut source = std::error::Error::source(&e);
    while let Some(err) = source {
        if let Some(refusal) = err.downcast_ref::<OutboundError>() {
            return refused(refusal.clone());
        }
        source = err.source();
    }
    if e.is_timeout() {
        return ToolError::Timeout(
            "the webhook's server did not accept the connection in time".into(),
        );
    }
    ToolError::Unreachable(chain(&e.without_url()))
}

/// An error and its causes on one line (reqwest's own message is often just "error sending
/// request").
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(err) = source {
        out.push_str(": ");
        out.push_str(&err.to_string());
        source = err.source();
    }
    crate::error::truncate(&out, 300)
}
