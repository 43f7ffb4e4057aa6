//! What can go wrong when a tool runs. `POST /api/ai/tools/:id/test` shows the message to the
//! company's admin and the engine may relay it to the model, so no variant carries a header
//! value, a stack trace or more than a short excerpt of what a remote server sent.

use crate::schema::ArgumentErrors;

/// Why a tool call failed. `Display` is safe to show an admin; [`ToolError::code`] is the
/// stable machine form.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToolError {
    /// The arguments do not fit the tool's parameter schema.
    #[error("{0}")]
    InvalidArguments(ArgumentErrors),
    /// The stored configuration no longer passes validation (it is re-checked on every call).
    #[error("the tool's configuration is invalid: {0}")]
    InvalidConfig(String),
    /// The script raised an error or used the language wrongly.
    #[error("the script failed: {0}")]
    Script(String),
    /// The script ran, or the webhook took, longer than allowed.
    #[error("{0}")]
    Timeout(String),
    /// The script hit one of the sandbox's limits (operations, call depth, data size).
    #[error("{0}")]
    LimitExceeded(String),
    /// The outbound policy refused the target (a private address, a refused scheme).
    #[error("the address was refused: {0}")]
    RefusedAddress(String),
    /// The webhook answered with a status outside 2xx.
    #[error("the webhook answered HTTP {status}{}", excerpt_suffix(.excerpt))]
    UpstreamStatus { status: u16, excerpt: String },
    /// The webhook's reply or the script's value is not JSON the engine can use.
    #[error("the result is not usable: {0}")]
    InvalidResponse(String),
    /// A reply or result over its size cap; reading stopped at the cap.
    #[error("the {what} is larger than the {limit}-byte limit")]
    TooLarge { what: &'static str, limit: usize },
    /// The webhook's server could not be reached or broke the connection.
    #[error("the webhook could not be reached: {0}")]
    Unreachable(String),
    /// The webhook kept redirecting.
    #[error("the webhook redirected more than {0} times")]
    TooManyRedirects(usize),
    /// A fault of ours (a sandbox thread that died); details go to the log, not here.
    #[error("the tool stopped on an internal error")]
    Internal,
}

impl ToolError {
    /// The stable snake_case code an API client or the engine can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidArguments(_) => "invalid_arguments",
            Self::InvalidConfig(_) => "invalid_config",
            Self::Script(_) => "script_error",
            Self::Timeout(_) => "timeout",
            Self::LimitExceeded(_) => "limit_exceeded",
            Self::RefusedAddress(_) => "refused_address",
            Self::UpstreamStatus { .. } => "upstream_status",
            Self::InvalidResponse(_) => "invalid_response",
            Self::TooLarge { .. } => "too_large",
            Self::Unreachable(_) => "unreachable",
            Self::TooManyRedirects(_) => "too_many_redirects",
            Self::Internal => "internal",
        }
    }
}

impl From<ArgumentErrors> for ToolError {
    fn from(errors: ArgumentErrors) -> Self {
        Self::InvalidArguments(errors)
    }
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() { String::new() } else { format!(": {excerpt}") }
}

/// Cuts `text` to at most `max` characters, marking the cut, so one remote message or script
/// error cannot flood a log line or an API response.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_short_text_and_marks_a_cut() {
        assert_eq!(truncate("héllo", 10), "héllo");
        assert_eq!(truncate("héllo", 2), "hé…");
    }

    #[test]
    fn a_status_error_names_the_status_and_its_excerpt() {
        let bare = ToolError::UpstreamStatus { status: 502, excerpt: String::new() };
        assert_eq!(bare.to_string(), "the webhook answered HTTP 502");
        let with = ToolError::UpstreamStatus { status: 500, excerpt: "boom".into() };
        assert_eq!(with.to_string(), "the webhook answered HTTP 500: boom");
        assert_eq!(with.code(), "upstream_status");
    }
}
