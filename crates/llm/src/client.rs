//! The HTTP side: one pooled client whose every DNS lookup goes through the outbound policy,
//! the streamed request, retries and the overall deadline.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use switchboard_ai::ResponderAction;
use switchboard_ai::outbound::{OutboundError, OutboundPolicy, pinned_client};
use url::Url;

use crate::outcome::decide;
use crate::prompt::{endpoint, is_azure_style, request_body};
use crate::sse::{MAX_CONTENT, Reply, SseParser};
use crate::{LlmError, LlmSettings, Turn};

/// How long the TCP (and TLS) connection may take; the whole call is bounded separately.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Raw bytes read from one response: the content cap plus the JSON framing around each token.
const MAX_BODY: usize = 16 * MAX_CONTENT;
/// First pause between attempts; it doubles, up to [`MAX_BACKOFF`].
const BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Asks a chat-completions endpoint for the next action. Build one per process and share it:
/// it holds the connection pool.
pub struct LlmResponder {
    client: reqwest::Client,
    policy: OutboundPolicy,
}

impl LlmResponder {
    pub fn new(policy: OutboundPolicy) -> Result<Self, LlmError> {
        // Every name is judged by the outbound policy: the provider's host (a redirect's,
        // were redirects on).
        let client = pinned_client(
            move |host| async move { policy.resolve_host(&host).await },
            CONNECT_TIMEOUT,
        )
        .map_err(|e| LlmError::Client(e.to_string()))?;
        Ok(Self { client, policy })
    }

    /// Sends one turn and streams the reply: every piece of content is passed to `deltas` as
    /// it arrives, then the model's decision comes back as an action. See the crate docs for
    /// how content, citations and function calls map to actions. On an error, the engine
    /// falls back to the builtin responder.
    pub async fn respond(
        &self,
        settings: &LlmSettings,
        turn: Turn<'_>,
        deltas: &mut (dyn FnMut(&str) + Send),
    ) -> Result<ResponderAction, LlmError> {
        let url = endpoint(&settings.base_url)?;
        // Names are judged by the resolver at connect time; literals never reach it.
        self.policy.check_literal(&url)?;
        let body = serde_json::to_vec(&request_body(settings, &turn))
            .map_err(|e| LlmError::Protocol(format!("encoding the request: {e}")))?;
        let started = tokio::time::Instant::now();
        let work = async {
            let mut retries = 0;
            loop {
                let mut relayed = false;
                match self.attempt(&url, &body, settings, deltas, &mut relayed).await {
                    Ok(reply) => return decide(reply, turn.passages, turn.tools),
                    Err(e) if !relayed && e.is_transient() && retries < settings.max_retries => {
                        tracing::warn!(error = %e, retry = retries + 1, "LLM provider call failed; retrying");
                        let pause = BACKOFF.saturating_mul(1 << retries.min(8)).min(MAX_BACKOFF);
                        tokio::time::sleep(pause).await;
                        retries += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let outcome = tokio::time::timeout(settings.timeout, work).await;
        let outcome = outcome.unwrap_or(Err(LlmError::Timeout));
        tracing::debug!(
            model = %settings.model,
            elapsed_ms = started.elapsed().as_millis() as u64,
            ok = outcome.is_ok(),
            "LLM provider call finished"
        );
        outcome
    }

    async fn attempt(
        &self,
        url: &Url,
        body: &[u8],
        settings: &LlmSettings,
        deltas: &mut (dyn FnMut(&str) + Send),
        relayed: &mut bool,
    ) -> Result<Reply, LlmError> {
        let mut request = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "text/event-stream")
            .body(body.to_vec());
        if let Some(key) = &settings.api_key {
            request = request.bearer_auth(key);
            if is_azure_style(url) {
                request = request.header("api-key", key);
            }
        }
        let mut response = request.send().await.map_err(send_error)?;
        let status = response.status();
        if !status.is_success() {
            return Err(LlmError::Status(status.as_u16()));
        }
        let mut parser = SseParser::default();
        let mut reply = Reply::default();
        let mut read = 0usize;
        while let Some(bytes) = response.chunk().await.map_err(read_error)? {
            read += bytes.len();
            if read > MAX_BODY {
                return Err(LlmError::TooLarge("the response body"));
            }
            for data in parser.push(&bytes)? {
                if data.trim() == "[DONE]" {
                    return Ok(reply);
                }
                if let Some(piece) = reply.apply(&data)? {
                    deltas(&piece);
                    *relayed = true;
                }
            }
        }
        match parser.finish() {
            Some(data) if data.trim() == "[DONE]" => return Ok(reply),
            Some(data) => {
                if let Some(piece) = reply.apply(&data)? {
                    deltas(&piece);
                    *relayed = true;
                }
            }
            None => {}
        }
        // Some servers end the stream without `[DONE]` but after a finish reason.
        if reply.finish_reason.is_some() {
            Ok(reply)
        } else {
            Err(LlmError::Interrupted("the stream ended before the reply was finished".into()))
        }
    }
}

/// The policy's refusal travels inside reqwest's connect error; find it so the engine (and
/// the admin) learn that the address was refused rather than down.
fn refusal(e: &reqwest::Error) -> Option<OutboundError> {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(refused) = err.downcast_ref::<OutboundError>() {
            return Some(refused.clone());
        }
        source = err.source();
    }
    None
}

fn send_error(e: reqwest::Error) -> LlmError {
    if let Some(refused) = refusal(&e) {
        return LlmError::Refused(refused);
    }
    if e.is_timeout() {
        return LlmError::Timeout;
    }
    LlmError::Unreachable(chain(&e.without_url()))
}

fn read_error(e: reqwest::Error) -> LlmError {
    if e.is_timeout() {
        return LlmError::Timeout;
    }
    LlmError::Interrupted(chain(&e.without_url()))
}

/// An error and its causes on one line (reqwest's own message is often just "error sending
/// request").
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(err) = source {
        out.push_str(": ");
        out.push_str(&err.to_string());
        source = err.source();
    }
    out
}
