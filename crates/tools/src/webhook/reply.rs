//! Reading a webhook's reply: a JSON body under a size cap, or, for a status outside 2xx, a
//! short excerpt with the tool's secrets redacted (a server may echo request headers).

use serde_json::Value;

use crate::error::{ToolError, truncate};

/// Largest reply body read; reading stops as soon as it is passed.
pub const MAX_REPLY_BYTES: usize = 256 * 1024;
/// Bytes of an error reply read for the excerpt: enough that any secret starting inside the
/// shown part is read whole, and so redacted, before the excerpt is cut.
const EXCERPT_READ_BYTES: usize = 16 * 1024;
/// Characters of an error reply shown.
const EXCERPT_CHARS: usize = 200;

/// The reply's JSON (an empty body is `null`), or why it cannot be used.
pub(super) async fn read(
    mut response: reqwest::Response,
    secrets: &[&str],
) -> Result<Value, ToolError> {
    let status = response.status();
    if !status.is_success() {
        let (head, _) = read_capped(&mut response, EXCERPT_READ_BYTES).await.unwrap_or_default();
        let excerpt = excerpt(&head, secrets);
        return Err(ToolError::UpstreamStatus { status: status.as_u16(), excerpt });
    }
    let too_large = ToolError::TooLarge { what: "webhook's reply", limit: MAX_REPLY_BYTES };
    if response.content_length().is_some_and(|n| n > MAX_REPLY_BYTES as u64) {
        return Err(too_large);
    }
    let (body, whole) = read_capped(&mut response, MAX_REPLY_BYTES).await?;
    if !whole {
        return Err(too_large);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&body).map_err(|e| {
        use serde_json::error::Category;
        let why = match e.classify() {
            Category::Io => "it could not be read",
            Category::Syntax => "invalid syntax",
            Category::Data => "unexpected data",
            Category::Eof => "it ends too early",
        };
        ToolError::InvalidResponse(format!("the webhook's reply is not JSON ({why})"))
    })
}

/// The body's first `cap` bytes and whether that is all of it; read in chunks and stopped at
/// the cap, so a larger body is never held whole.
async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<(Vec<u8>, bool), ToolError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(read_error)? {
        if body.len() + chunk.len() > cap {
            body.extend_from_slice(&chunk[..cap - body.len()]);
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

fn read_error(e: reqwest::Error) -> ToolError {
    if e.is_timeout() {
        return ToolError::Timeout("the webhook's reply stalled".to_owned());
    }
    ToolError::Unreachable(format!(
        "the connection broke while reading the reply: {}",
        super::client::chain(&e.without_url())
    ))
}

/// A one-line, short, secret-free excerpt of an error reply.
fn excerpt(head: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(head).into_owned();
    // Longest first, so a secret that contains another is redacted whole.
    let mut secrets: Vec<&&str> = secrets.iter().filter(|s| !s.is_empty()).collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
        text = text.replace(*secret, "[redacted]");
    }
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let printable: String = flat.chars().filter(|c| !c.is_control()).collect();
    truncate(&printable, EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_short_flat_and_redacted() {
        let body = b"<h1>Error</h1>\n\tyour key sk-123456 and sk-1234 were wrong".to_vec();
        let text = excerpt(&body, &["sk-1234", "sk-123456", ""]);
        assert_eq!(text, "<h1>Error</h1> your key [redacted] and [redacted] were wrong");
        let long = vec![b'a'; 5000];
        assert_eq!(excerpt(&long, &[]).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"", &[]), "");
    }
}
