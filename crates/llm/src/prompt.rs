//! The chat-completions request: the system prompt that grounds the model in the passages,
//! the conversation as messages, and the functions it may call.

use std::fmt::Write as _;

use serde_json::{Value, json};
use url::Url;

use crate::{LlmError, LlmSettings, Sender, Turn};

/// The function the model calls when the passages do not answer; it becomes a handoff.
pub const INSUFFICIENT_CONTEXT: &str = "insufficient_context";

/// The id the model sees for the passage at `index` (0-based): `P1`, `P2`…
pub(crate) fn passage_id(index: usize) -> String {
    format!("P{}", index + 1)
}

/// `{base_url}/chat/completions`, keeping any query (Azure's `?api-version=`) after the path.
pub(crate) fn endpoint(base_url: &str) -> Result<Url, LlmError> {
    let mut url = Url::parse(base_url.trim()).map_err(|e| LlmError::InvalidUrl(format!("{e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(LlmError::InvalidUrl("only http and https URLs can be called".into()));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    if !path.ends_with("/chat/completions") {
        url.set_path(&format!("{path}/chat/completions"));
    }
    Ok(url)
}

/// The id the model sees for the curated answer at `index` (0-based): `F1`, `F2`…
pub(crate) fn faq_id(index: usize) -> String {
    format!("F{}", index + 1)
}

/// Azure OpenAI takes its key in an `api-key` header; its URLs carry `api-version`.
pub(crate) fn is_azure_style(url: &Url) -> bool {
    url.query_pairs().any(|(k, _)| k == "api-version")
}

pub(crate) fn system_prompt(turn: &Turn<'_>) -> String {
    let mut s = String::new();
    let persona = turn.persona.trim();
    if !persona.is_empty() {
        s.push_str(persona);
        s.push_str("\n\n");
    }
    s.push_str(
        "Answer the customer using ONLY the numbered passages below, taken from the company's \
         own knowledge. Cite every passage you use by its id in square brackets, like [P1]. \
         Do not use any other knowledge, and do not guess. If the passages do not answer the \
         customer's message, do not answer it: call the function `insufficient_context` with a \
         short reason instead, and a person will take over. A greeting or thanks may be \
         answered briefly without a passage.",
    );
    if !turn.faqs.is_empty() {
        s.push_str(
            " The company's curated answers listed after the passages were written for \
             questions close to this one, but maybe not this one: if one of them answers the \
             customer's message, answer with it in your own words, without citing it; if none \
             does, ignore them.",
        );
    }
    if !turn.tools.is_empty() {
        s.push_str(
            " When the customer asks for something one of the other functions does, call it.",
        );
    }
    s.push_str("\n\nPassages:\n");
    if turn.passages.is_empty() {
        s.push_str("(none)\n");
    }
    for (i, p) in turn.passages.iter().enumerate() {
        // Writing to a String cannot fail.
        let _ = write!(s, "\n[{}] {}\n{}\n", passage_id(i), p.title.trim(), p.text.trim());
    }
    if !turn.faqs.is_empty() {
        s.push_str("\nCurated answers:\n");
    }
    for (i, faq) in turn.faqs.iter().enumerate() {
        let (q, a) = (faq.question.trim(), faq.answer.trim());
        let _ = write!(s, "\n[{}] Question: {q}\nAnswer: {a}\n", faq_id(i));
    }
    s
}

fn insufficient_context_function() -> Value {
    json!({
        "type": "function",
        "function": {
            "name": INSUFFICIENT_CONTEXT,
            "description": "Call this when the passages do not contain the answer to the \
                            customer's message. A person will take over the conversation.",
            "parameters": {
                "type": "object",
                "properties": {
                    "reason": {
                        "type": "string",
                        "description": "What the customer asked that the passages do not answer."
                    }
                },
                "required": ["reason"]
            }
        }
    })
}

/// The JSON body of the request (`stream: true`).
pub(crate) fn request_body(settings: &LlmSettings, turn: &Turn<'_>) -> Value {
    let mut messages = vec![json!({"role": "system", "content": system_prompt(turn)})];
    for m in turn.history {
        let role = match m.sender {
            Sender::Customer => "user",
            Sender::Ai | Sender::Agent => "assistant",
            Sender::System => continue,
        };
        messages.push(json!({"role": role, "content": m.content}));
    }
    messages.push(json!({"role": "user", "content": turn.message}));

    let mut tools = vec![insufficient_context_function()];
    tools.extend(turn.tools.iter().filter(|t| t.name != INSUFFICIENT_CONTEXT).map(|t| {
        json!({
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": t.parameters}
        })
    }));

    let mut body = json!({
        "model": settings.model,
        "messages": messages,
        "tools": tools,
        "tool_choice": "auto",
        "stream": true,
    });
    if let Some(t) = settings.temperature {
        body["temperature"] = json!(t);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_goes_before_the_query() {
        let cases = [
            ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"),
            ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1/chat/completions"),
            (
                "https://x.openai.azure.com/openai/deployments/gpt?api-version=2024-06-01",
                "https://x.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-06-01",
            ),
            (
                "https://api.example.com/v1/chat/completions",
                "https://api.example.com/v1/chat/completions",
            ),
        ];
        for (base, want) in cases {
            assert_eq!(endpoint(base).unwrap().as_str(), want, "{base}");
        }
        assert!(is_azure_style(&endpoint(cases[2].0).unwrap()));
        assert!(!is_azure_style(&endpoint(cases[0].0).unwrap()));
        for bad in ["file:///etc/passwd", "not a url", "mailto:a@b.c"] {
            assert!(matches!(endpoint(bad), Err(LlmError::InvalidUrl(_))), "{bad}");
        }
    }
}
