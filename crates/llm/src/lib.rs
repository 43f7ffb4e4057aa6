//! The OpenAI-compatible responder: asks any chat-completions endpoint (OpenAI, Azure OpenAI,
//! Ollama, vLLM, llama.cpp's server) to answer a customer's message from the company's
//! retrieved passages, relaying the reply's tokens as they stream in, and turns what the model
//! did into a structured [`ResponderAction`] — never free text for the engine to interpret.
//!
//! ```text
//! let llm = LlmResponder::new(policy)?;              // one per process: it holds the pool
//! let action = llm.respond(&settings, turn, &mut |piece| relay(piece)).await?;
//! ```
//!
//! What the model is told (module `prompt`): the persona; to answer only from the numbered
//! passages `[P1]`, `[P2]`… (each with its title), citing them by id; to call the function
//! `insufficient_context` (always offered, argument `reason`) when they do not answer; the
//! company's tools as functions; the conversation so far as user/assistant messages.
//!
//! What comes back (module `outcome`):
//! - a text reply → [`ResponderAction::Answer`], whose citations are the given passages the
//!   text cites by id, in order of first mention. Markers of given passages stay in the
//!   content as the model wrote them (`[P1]`), so the stored reply matches what was streamed
//!   and a client can link them; markers naming an id that was not given are removed, and no
//!   such id is ever cited. A reply that cites nothing is still an answer (a greeting needs no
//!   source); the engine may refuse it if its policy requires a citation;
//! - a call of `insufficient_context`, or an empty reply → [`ResponderAction::Handoff`];
//! - a call of one of the company's tools → [`ResponderAction::ToolCall`] with its arguments
//!   parsed (invalid JSON, or a tool it was not offered, is an [`LlmError::Protocol`]). When the
//!   model calls several, `insufficient_context` wins, else the first one.
//!
//! Deltas are relayed before the model's decision is known: a reply can stream some text and
//! then call a function. The engine treats streamed pieces as provisional and the returned
//! action as final.
//!
//! Safety: the provider URL is a tenant's, so every connection goes through the
//! [`OutboundPolicy`] — address literals are judged before the request, names by a DNS
//! resolver that judges every lookup and pins the connection to the vetted addresses;
//! redirects and proxies are off. `LlmSettings::timeout` bounds the whole call, retries
//! included. Connect failures, HTTP 5xx and 429 are retried (at most `max_retries` times, with
//! a short backoff) only while no delta has been relayed. The reply's content, its tool calls
//! and the raw stream are capped. The API key is sent only in request headers and never
//! appears in logs, errors or `Debug` output.
//!
//! On any [`LlmError`] the engine falls back to the builtin responder.
//!
//! With the `test-support` feature, `fake::FakeChatServer` is a local chat-completions
//! server speaking the real streaming protocol, scripted per test, for this crate's tests and
//! the engine's.

mod client;
mod outcome;
mod prompt;
mod sse;

#[cfg(feature = "test-support")]
pub mod fake;

use std::time::Duration;

use switchboard_ai::knowledge::PassageHit;
use switchboard_ai::outbound::OutboundError;

pub use client::LlmResponder;
pub use prompt::INSUFFICIENT_CONTEXT;
pub use switchboard_ai::outbound::OutboundPolicy;
pub use switchboard_ai::{Citation, ResponderAction};

/// Where and how to reach a company's model; built by the engine from the company's AI
/// settings (the key decrypted just before the call).
#[derive(Clone)]
pub struct LlmSettings {
    /// Up to and including the version segment, e.g. `https://api.openai.com/v1` or
    /// `http://127.0.0.1:11434/v1`; `/chat/completions` is appended to the path (before any
    /// query, so an Azure URL ending in `?api-version=…` works). A URL that already ends in
    /// `/chat/completions` is used as it is.
    pub base_url: String,
    pub model: String,
    /// Sent as `Authorization: Bearer`, and as `api-key` too for Azure-style URLs (those with
    /// an `api-version` query parameter).
    pub api_key: Option<String>,
    /// Bounds the whole call, retries included.
    pub timeout: Duration,
    /// Further attempts after the first, for failures before any delta was relayed.
    pub max_retries: u32,
    pub temperature: Option<f32>,
}

impl std::fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("temperature", &self.temperature)
            .finish()
    }
}

/// Everything the model is shown for one customer message.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    /// Who the AI is and how it speaks: the agent's name and the company's persona text.
    pub persona: &'a str,
    /// The passages retrieved for `message`; the model sees them as `[P1]`, `[P2]`… in this
    /// order, and may cite only these.
    pub passages: &'a [PassageHit],
    /// The company's curated answers to questions near `message` that the FAQ match was not
    /// sure enough of to give itself; the model sees them as `[F1]`, `[F2]`… and may answer
    /// with one that fits. They are the company's own words, so they are not cited.
    pub faqs: &'a [CuratedAnswer],
    /// The conversation before `message`, oldest first.
    pub history: &'a [HistoryMessage],
    /// The company's tools, offered as functions.
    pub tools: &'a [ToolSpec],
    /// The customer's new message.
    pub message: &'a str,
}

/// An FAQ as the model is shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedAnswer {
    pub question: String,
    pub answer: String,
}

/// Who wrote a message of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Customer,
    Ai,
    /// A human agent: shown to the model as the assistant's side, since it speaks for the
    /// company too.
    Agent,
    /// Notices of the platform (an agent joined…): not shown to the model.
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryMessage {
    pub sender: Sender,
    pub content: String,
}

/// A company tool offered to the model as a function.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    /// `^[a-zA-Z0-9_-]{1,64}$`, as providers require. A tool named
    /// [`INSUFFICIENT_CONTEXT`] is not offered: that name is the handoff signal.
    pub name: String,
    pub description: String,
    /// The arguments' JSON Schema (an object schema).
    pub parameters: serde_json::Value,
}

/// Why the provider gave no usable action. Every variant makes the engine fall back to the
/// builtin responder; none carries the API key.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the provider URL is invalid: {0}")]
    InvalidUrl(String),
    #[error("the provider URL is refused: {0}")]
    Refused(#[from] OutboundError),
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    #[error("the provider answered HTTP {0}")]
    Status(u16),
    #[error("the provider did not finish in time")]
    Timeout,
    #[error("the provider's stream broke off: {0}")]
    Interrupted(String),
    #[error("the provider sent something unexpected: {0}")]
    Protocol(String),
    #[error("the provider's reply went past a limit: {0}")]
    TooLarge(&'static str),
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

impl LlmError {
    /// Failures worth another attempt: the provider may be restarting or shedding load.
    /// Protocol errors are not: the same request would get the same answer.
    fn is_transient(&self) -> bool {
        match self {
            LlmError::Unreachable(_) | LlmError::Interrupted(_) => true,
            LlmError::Status(s) => *s == 429 || *s >= 500,
            _ => false,
        }
    }
}
