//! WebSocket clients for the tests: the customer socket and the staff event socket, read a
//! JSON frame at a time with a deadline so that a missing frame fails instead of hanging.

use crate::helpers::TestApp;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

pub type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

const DEADLINE: Duration = Duration::from_secs(20);

pub async fn customer_socket(app: &TestApp, session: &str, after: Option<&str>) -> Socket {
    let mut url = format!("ws://{}/api/chat/ws?sessionId={session}", app.address);
    if let Some(after) = after {
        url.push_str(&format!("&after={after}"));
    }
    connect_async(url).await.expect("the customer socket opens").0
}

pub async fn staff_socket(app: &TestApp, token: &str) -> Socket {
    let url = format!("ws://{}/api/events?access_token={token}", app.address);
    connect_async(url).await.expect("the staff socket opens").0
}

/// The next JSON frame; pings and pongs are skipped (the deadline covers them too, so a
/// server pinging often cannot keep a missing frame waiting forever).
pub async fn next_frame(socket: &mut Socket) -> Value {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("a frame within the deadline")
            .expect("the socket is open")
            .expect("a readable frame");
        match frame {
            Message::Text(text) => return serde_json::from_str(&text).expect("a JSON frame"),
            Message::Close(c) => panic!("the socket closed: {c:?}"),
            _ => continue,
        }
    }
}

/// Frames until one satisfies `wanted`, which is returned with those before it.
pub async fn frames_until(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let frame = next_frame(socket).await;
        let done = wanted(&frame);
        seen.push(frame);
        if done {
            return seen;
        }
    }
}

pub async fn send_json(socket: &mut Socket, value: Value) {
    socket.send(Message::Text(value.to_string().into())).await.expect("the frame is sent");
}

/// Whether nothing but pings arrives for `quiet`.
pub async fn stays_quiet(socket: &mut Socket, quiet: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + quiet;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return None,
            Ok(Some(Ok(Message::Text(text)))) => return serde_json::from_str(&text).ok(),
            Ok(Some(Ok(_))) => continue,
            Ok(_) => return None,
        }
    }
}

/// Whether the socket stays open for `span`, read all along (so every ping is answered).
pub async fn stays_open(socket: &mut Socket, span: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + span;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return true,
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return false,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

/// Whether the server has closed the socket: what it sent before (pings) is read first.
pub async fn was_closed(socket: &mut Socket) -> bool {
    !stays_open(socket, Duration::from_secs(5)).await
}

/// A socket that starts a new conversation of `company` with its first message.
pub async fn new_conversation_socket(app: &TestApp, company: &str) -> Socket {
    let url = format!("ws://{}/api/chat/ws?companyId={company}", app.address);
    connect_async(url).await.expect("the new-conversation socket opens").0
}

/// The status an upgrade to `path_and_query` gets, with the given extra headers.
pub async fn upgrade_status(app: &TestApp, path_and_query: &str, headers: &[(&str, &str)]) -> u16 {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{}{path_and_query}", app.address)
        .into_client_request()
        .expect("a valid request");
    for (name, value) in headers {
        request.headers_mut().insert(
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    match connect_async(request).await {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("the upgrade failed without an HTTP answer: {e}"),
    }
}
