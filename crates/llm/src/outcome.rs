//! What the model did, as a structured action: citations checked against the passages it was
//! given, the handoff signal recognised, tool calls checked against the tools it was offered.

use serde_json::Value;
use switchboard_ai::knowledge::PassageHit;
use switchboard_ai::{Citation, ResponderAction};

use crate::prompt::{INSUFFICIENT_CONTEXT, passage_id};
use crate::sse::Reply;
use crate::{LlmError, ToolSpec};

pub(crate) fn decide(
    reply: Reply,
    passages: &[PassageHit],
    tools: &[ToolSpec],
) -> Result<ResponderAction, LlmError> {
    if let Some(call) = reply.tool_calls.iter().find(|c| c.name == INSUFFICIENT_CONTEXT) {
        // Lenient on purpose: handing off is the safe direction even if the reason is garbled.
        let reason = serde_json::from_str::<Value>(&call.arguments)
            .ok()
            .and_then(|v| v.get("reason").and_then(Value::as_str).map(str::trim).map(str::to_owned))
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "the knowledge does not answer this".to_owned());
        return Ok(ResponderAction::Handoff { reason });
    }
    if let Some(call) = reply.tool_calls.iter().min_by_key(|c| c.index) {
        if !tools.iter().any(|t| t.name == call.name) {
            return Err(LlmError::Protocol(format!(
                "the model called a function it was not offered ({:?})",
                truncate(&call.name, 64)
            )));
        }
        // Models send "" for a function without parameters.
        let raw = if call.arguments.trim().is_empty() { "{}" } else { &call.arguments };
        let arguments: Value = serde_json::from_str(raw).map_err(|e| {
            LlmError::Protocol(format!("the arguments of {} are not JSON: {e}", call.name))
        })?;
        if !arguments.is_object() {
            return Err(LlmError::Protocol(format!(
                "the arguments of {} are not a JSON object",
                call.name
            )));
        }
        return Ok(ResponderAction::ToolCall { tool: call.name.clone(), arguments });
    }
    if reply.content.trim().is_empty() {
        return Ok(ResponderAction::Handoff { reason: "the model gave no answer".to_owned() });
    }
    let (content, cited) = cite(reply.content.trim(), passages.len());
    let citations = cited
        .into_iter()
        .map(|i| {
            let p = &passages[i];
            Citation {
                document_id: p.document_id.to_string(),
                title: p.title.clone(),
                excerpt: p.text.clone(),
            }
        })
        .collect();
    Ok(ResponderAction::Answer { content, citations })
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The content with markers of unknown ids removed, and the indexes of the given passages it
/// cites, in order of first mention. A marker is a bracketed list of ids: `[P1]`, `[P2, P3]`.
/// Curated answers (`[F1]`) are the company's own words, not sources: their ids go too.
fn cite(content: &str, given: usize) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(content.len());
    let mut cited = Vec::new();
    let mut rest = content;
    while let Some(open) = rest.find('[') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let Some(ids) = from[1..]
            .find(']')
            .and_then(|close| parse_marker(&from[1..=close]).map(|ids| (ids, close + 2)))
        else {
            out.push('[');
            rest = &from[1..];
            continue;
        };
        let (ids, len) = ids;
        let all = ids.len();
        let known: Vec<usize> =
            ids.into_iter().flatten().filter(|&n| n >= 1 && n <= given).collect();
        if known.len() == all {
            // Kept as written, so the stored reply matches what was streamed.
            out.push_str(&from[..len]);
        } else if known.is_empty() {
            // A claimed source that does not exist: drop it, with the space before it.
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            // Some ids are real, some invented: keep the real ones.
            let list: Vec<String> = known.iter().map(|&n| passage_id(n - 1)).collect();
            out.push('[');
            out.push_str(&list.join(", "));
            out.push(']');
        }
        for n in known {
            if !cited.contains(&(n - 1)) {
                cited.push(n - 1);
            }
        }
        rest = &from[len..];
    }
    out.push_str(rest);
    (out, cited)
}

/// The numbers of `P1, P2` (case-insensitive, spaces allowed), with `None` for a curated
/// answer's id (`F1`); `None` if it is not a marker.
fn parse_marker(inner: &str) -> Option<Vec<Option<usize>>> {
    inner
        .split(',')
        .map(|id| {
            let id = id.trim();
            let (passage, digits) = match id.strip_prefix(['P', 'p']) {
                Some(digits) => (true, digits),
                None => (false, id.strip_prefix(['F', 'f'])?),
            };
            if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let n: usize = digits.parse().ok()?;
            Some(passage.then_some(n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_given_passages_are_cited_and_unknown_markers_go() {
        let (text, cited) =
            cite("Returns take 30 days [P2]. Refunds [P1, P9] too [P7]. See [x].", 2);
        assert_eq!(text, "Returns take 30 days [P2]. Refunds [P1] too. See [x].");
        assert_eq!(cited, [1, 0]);
        let (text, cited) = cite("[p1][P1] [P0] [P] [P1", 1);
        assert_eq!(text, "[p1][P1] [P] [P1");
        assert_eq!(cited, [0]);
    }

    #[test]
    fn curated_answer_markers_are_dropped_and_never_cited() {
        let (text, cited) = cite("Use the reset link [F1]. It expires [P1, F2] soon [f3].", 1);
        assert_eq!(text, "Use the reset link. It expires [P1] soon.");
        assert_eq!(cited, [0]);
        let (text, cited) = cite("See [F] and [F12345].", 1);
        assert_eq!(text, "See [F] and [F12345].");
        assert!(cited.is_empty());
    }
}
