//! A chat-completions server on 127.0.0.1 for tests, speaking the real streaming protocol
//! (`text/event-stream`, one `data: {chunk}` event per piece, `data: [DONE]`), answering
//! each request with the next reply of its script and recording what it was sent.
//!
//! ```text
//! let server = FakeChatServer::start([FakeReply::status(500), FakeReply::text(&["Hi", "!"])]).await;
//! let settings = LlmSettings { base_url: server.base_url(), .. };
//! ... server.requests()[1].body["stream"] == true
//! ```

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use serde_json::{Value, json};

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum FakeReply {
    /// An event stream: each value is one `data:` event, `pause` apart, then `[DONE]`
    /// unless `done` is false (the connection then closes without it).
    Events { events: Vec<Value>, pause: Duration, done: bool },
    /// Sends these events, then holds the connection open without another byte.
    Stall(Vec<Value>),
    /// An error status with a small JSON body, as providers send.
    Status(u16),
}

impl FakeReply {
    /// A text reply streamed in these pieces, then `finish_reason: stop`.
    pub fn text(pieces: &[&str]) -> Self {
        let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), None)];
        events.extend(pieces.iter().map(|p| chunk(json!({"content": p}), None)));
        events.push(chunk(json!({}), Some("stop")));
        Self::events(events)
    }

    /// One call of `name`, its arguments split into these pieces over several chunks, as
    /// OpenAI streams them (id, type and name in the first chunk only).
    pub fn tool_call(name: &str, argument_pieces: &[&str]) -> Self {
        let first = json!({"tool_calls": [{
            "index": 0, "id": "call_fake_1", "type": "function",
            "function": {"name": name, "arguments": ""}
        }]});
        let mut events = vec![chunk(json!({"role": "assistant", "content": null}), None)];
        events.push(chunk(first, None));
        events.extend(argument_pieces.iter().map(|p| {
            chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}), None)
        }));
        events.push(chunk(json!({}), Some("tool_calls")));
        Self::events(events)
    }

    /// The model's signal that the passages do not answer.
    pub fn insufficient_context(reason: &str) -> Self {
        let arguments = json!({ "reason": reason }).to_string();
        let (a, b) = arguments.split_at(arguments.len() / 2);
        Self::tool_call(crate::INSUFFICIENT_CONTEXT, &[a, b])
    }

    /// Arbitrary events (completion chunks, or anything else a test wants to send).
    pub fn events(events: Vec<Value>) -> Self {
        Self::Events { events, pause: Duration::ZERO, done: true }
    }

    pub fn status(code: u16) -> Self {
        Self::Status(code)
    }

    /// The same reply with a pause before each event, to watch pieces arrive one by one.
    pub fn paced(self, pause: Duration) -> Self {
        match self {
            Self::Events { events, done, .. } => Self::Events { events, pause, done },
            other => other,
        }
    }
}

/// A streamed completion chunk with this delta.
pub fn chunk(delta: Value, finish_reason: Option<&str>) -> Value {
    json!({
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
    })
}

/// What the server was sent.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// Path and query, e.g. `/v1/chat/completions`.
    pub uri: String,
    pub headers: HeaderMap,
    /// The JSON body (`Value::Null` if it was not JSON).
    pub body: Value,
}

#[derive(Default)]
struct State {
    script: VecDeque<FakeReply>,
    last: Option<FakeReply>,
    requests: Vec<RecordedRequest>,
}

/// The running server; it stops when dropped.
pub struct FakeChatServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeChatServer {
    /// Starts on an ephemeral loopback port. Requests get the script's replies in order;
    /// once it runs out, the last reply repeats (an empty script answers 404).
    pub async fn start(script: impl IntoIterator<Item = FakeReply>) -> Self {
        let state = Arc::new(Mutex::new(State {
            script: script.into_iter().collect(),
            ..State::default()
        }));
        let listener =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binding a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let shared = state.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let state = shared.clone();
            async move { answer(&state, uri, headers, &body) }
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state, task }
    }

    /// `http://127.0.0.1:PORT/v1`, as an operator would configure it.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends replies to the script.
    pub fn push(&self, reply: FakeReply) {
        self.state.lock().expect("fake server state").script.push_back(reply);
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().expect("fake server state").requests.clone()
    }
}

impl Drop for FakeChatServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn answer(state: &Mutex<State>, uri: Uri, headers: HeaderMap, body: &[u8]) -> Response {
    let reply = {
        let mut s = state.lock().expect("fake server state");
        s.requests.push(RecordedRequest {
            uri: uri.to_string(),
            headers,
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
        });
        let next = s.script.pop_front().or_else(|| s.last.clone());
        s.last.clone_from(&next);
        next
    };
    let sse = |stream| {
        ([(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")], stream)
            .into_response()
    };
    match reply {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(FakeReply::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = json!({"error": {"message": "scripted failure", "type": "server_error"}});
            (status, axum::Json(body)).into_response()
        }
        Some(FakeReply::Events { events, pause, done }) => {
            let mut frames: Vec<String> = events.iter().map(frame).collect();
            if done {
                frames.push("data: [DONE]\n\n".to_owned());
            }
            let body = stream::iter(frames).then(move |f| async move {
                tokio::time::sleep(pause).await;
                Ok::<_, Infallible>(Bytes::from(f))
            });
            sse(Body::from_stream(body))
        }
        Some(FakeReply::Stall(events)) => {
            let frames = events.iter().map(|e| Ok::<_, Infallible>(Bytes::from(frame(e))));
            let body = stream::iter(frames.collect::<Vec<_>>()).chain(stream::pending());
            sse(Body::from_stream(body))
        }
    }
}

fn frame(event: &Value) -> String {
    format!("data: {event}\n\n")
}
