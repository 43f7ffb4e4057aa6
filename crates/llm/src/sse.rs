//! Reading the streamed reply: server-sent events framed from raw body chunks, and the
//! chat-completions chunks they carry folded into content and tool calls.

use serde::Deserialize;

use crate::LlmError;

/// Longest line accepted: one event's JSON is a few hundred bytes in practice.
const MAX_LINE: usize = 1 << 20;
/// Content kept per reply; a model that runs on past it is cut off with an error.
pub(crate) const MAX_CONTENT: usize = 1 << 20;
/// Tool calls accepted in one reply.
pub(crate) const MAX_TOOL_CALLS: usize = 8;
/// Arguments of one tool call.
const MAX_ARGUMENTS: usize = 64 << 10;

/// Splits a byte stream into the `data` of each event. Bytes are buffered until a whole line
/// has arrived, so a UTF-8 character or a line split between network chunks is rebuilt.
#[derive(Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    data: Option<String>,
}

impl SseParser {
    /// Feeds a chunk; returns the data of every event it completed.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<Vec<String>, LlmError> {
        let mut events = Vec::new();
        for piece in bytes.split_inclusive(|b| *b == b'\n') {
            self.line.extend_from_slice(piece);
            if self.line.last() != Some(&b'\n') {
                if self.line.len() > MAX_LINE {
                    return Err(LlmError::TooLarge("a line of the event stream"));
                }
                continue;
            }
            let raw = std::mem::take(&mut self.line);
            let text = std::str::from_utf8(&raw)
                .map_err(|_| LlmError::Protocol("the event stream is not UTF-8".into()))?;
            self.line_done(text.trim_end_matches(['\n', '\r']), &mut events);
        }
        Ok(events)
    }

    /// The last event, when the stream ended without the blank line that closes it.
    pub(crate) fn finish(&mut self) -> Option<String> {
        if !self.line.is_empty() {
            let raw = std::mem::take(&mut self.line);
            let mut events = Vec::new();
            self.line_done(String::from_utf8_lossy(&raw).trim_end_matches('\r'), &mut events);
        }
        self.data.take()
    }

    fn line_done(&mut self, line: &str, events: &mut Vec<String>) {
        if line.is_empty() {
            events.extend(self.data.take());
            return;
        }
        // Comments (`: keep-alive`) and the other fields (event, id, retry) carry nothing here.
        let Some(value) = line.strip_prefix("data:") else { return };
        let value = value.strip_prefix(' ').unwrap_or(value);
        match &mut self.data {
            Some(data) => {
                data.push('\n');
                data.push_str(value);
            }
            None => self.data = Some(value.to_owned()),
        }
    }
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    index: u32,
    #[serde(default)]
    delta: Delta,
    finish_reason: Option<String>,
}

#[derive(Deserialize, Default)]
struct Delta {
    content: Option<String>,
    tool_calls: Option<Vec<ToolCallDelta>>,
}

#[derive(Deserialize)]
struct ToolCallDelta {
    index: Option<u32>,
    id: Option<String>,
    function: Option<FunctionDelta>,
}

#[derive(Deserialize)]
struct FunctionDelta {
    name: Option<String>,
    arguments: Option<String>,
}

/// A tool call as assembled from its pieces.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct ToolCall {
    pub index: u32,
    pub id: Option<String>,
    pub name: String,
    pub arguments: String,
}

/// The reply so far.
#[derive(Debug, Default)]
pub(crate) struct Reply {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    pub finish_reason: Option<String>,
}

impl Reply {
    /// Folds in one event's JSON; returns the content piece it added, to relay.
    pub(crate) fn apply(&mut self, data: &str) -> Result<Option<String>, LlmError> {
        let chunk: Chunk = serde_json::from_str(data)
            .map_err(|e| LlmError::Protocol(format!("an event is not a completion chunk: {e}")))?;
        if let Some(error) = chunk.error {
            let message = error.get("message").and_then(|m| m.as_str()).unwrap_or("no message");
            return Err(LlmError::Protocol(format!("the provider reported an error: {message}")));
        }
        // One completion was asked for; Azure's first chunk has no choices at all.
        let Some(choice) = chunk.choices.into_iter().find(|c| c.index == 0) else {
            return Ok(None);
        };
        if let Some(reason) = choice.finish_reason {
            self.finish_reason = Some(reason);
        }
        for (position, call) in choice.delta.tool_calls.into_iter().flatten().enumerate() {
            self.apply_call(call, position)?;
        }
        match choice.delta.content {
            Some(piece) if !piece.is_empty() => {
                if self.content.len() + piece.len() > MAX_CONTENT {
                    return Err(LlmError::TooLarge("the reply's content"));
                }
                self.content.push_str(&piece);
                Ok(Some(piece))
            }
            _ => Ok(None),
        }
    }

    fn apply_call(&mut self, delta: ToolCallDelta, position: usize) -> Result<(), LlmError> {
        // Servers that send each call whole sometimes leave out `index`.
        let index = delta.index.unwrap_or(position as u32);
        let call = match self.tool_calls.iter().position(|c| c.index == index) {
            Some(i) => &mut self.tool_calls[i],
            None => {
                if self.tool_calls.len() >= MAX_TOOL_CALLS {
                    return Err(LlmError::TooLarge("the number of tool calls"));
                }
                self.tool_calls.push(ToolCall { index, ..ToolCall::default() });
                self.tool_calls.last_mut().expect("just pushed")
            }
        };
        if let Some(id) = delta.id.filter(|id| !id.is_empty()) {
            call.id = Some(id);
        }
        if let Some(f) = delta.function {
            call.name.push_str(f.name.as_deref().unwrap_or(""));
            call.arguments.push_str(f.arguments.as_deref().unwrap_or(""));
            if call.name.len() > 256 || call.arguments.len() > MAX_ARGUMENTS {
                return Err(LlmError::TooLarge("a tool call"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_any_split_of_the_bytes() {
        let stream = ": keep-alive\r\n\r\ndata: {\"a\":\"é\"}\r\n\r\nevent: x\ndata:1\ndata: 2\n\ndata: [DONE]\n\n";
        for cut in 1..stream.len() {
            let (a, b) = stream.as_bytes().split_at(cut);
            let mut p = SseParser::default();
            let mut got = p.push(a).unwrap();
            got.extend(p.push(b).unwrap());
            assert_eq!(got, ["{\"a\":\"é\"}", "1\n2", "[DONE]"], "cut at {cut}");
            assert_eq!(p.finish(), None);
        }
    }

    #[test]
    fn an_unterminated_last_event_is_still_read() {
        let mut p = SseParser::default();
        assert!(p.push(b"data: [DONE]").unwrap().is_empty());
        assert_eq!(p.finish().as_deref(), Some("[DONE]"));
    }

    #[test]
    fn an_endless_line_is_refused() {
        let mut p = SseParser::default();
        let err = p.push(&vec![b'x'; MAX_LINE + 1]).unwrap_err();
        assert!(matches!(err, LlmError::TooLarge(_)), "{err}");
    }

    #[test]
    fn content_and_tool_calls_are_assembled_from_pieces() {
        let mut r = Reply::default();
        let events = [
            r#"{"choices":[]}"#,
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"Let me "}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"check."}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"track","arguments":""}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"order\":"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","function":{"name":"other","arguments":"{}"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"42}"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        ];
        let pieces: Vec<_> = events.iter().filter_map(|e| r.apply(e).unwrap()).collect();
        assert_eq!(pieces, ["Let me ", "check."]);
        assert_eq!(r.content, "Let me check.");
        assert_eq!(r.finish_reason.as_deref(), Some("tool_calls"));
        assert_eq!(r.tool_calls.len(), 2);
        assert_eq!(r.tool_calls[0].id.as_deref(), Some("call_1"));
        assert_eq!(r.tool_calls[0].name, "track");
        assert_eq!(r.tool_calls[0].arguments, "{\"order\":42}");
        assert_eq!(r.tool_calls[1].name, "other");
    }

    #[test]
    fn errors_and_floods_are_refused() {
        let mut r = Reply::default();
        let err = r.apply(r#"{"error":{"message":"model not loaded"}}"#).unwrap_err();
        assert!(err.to_string().contains("model not loaded"), "{err}");
        assert!(matches!(r.apply("not json"), Err(LlmError::Protocol(_))));

        let mut r = Reply::default();
        for i in 0..MAX_TOOL_CALLS as u32 {
            let e = format!(r#"{{"choices":[{{"delta":{{"tool_calls":[{{"index":{i}}}]}}}}]}}"#);
            r.apply(&e).unwrap();
        }
        let e = r#"{"choices":[{"delta":{"tool_calls":[{"index":99}]}}]}"#;
        assert!(matches!(r.apply(e), Err(LlmError::TooLarge(_))));

        let mut r = Reply::default();
        let big = "x".repeat(MAX_CONTENT / 2 + 1);
        let e = serde_json::json!({"choices":[{"delta":{"content": big}}]}).to_string();
        r.apply(&e).unwrap();
        assert!(matches!(r.apply(&e), Err(LlmError::TooLarge(_))));
    }
}
