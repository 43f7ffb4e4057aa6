//! The customer socket: live frames of one conversation, and messages sent over it.
//!
//! Frames (api.md, "Live updates"): `message` (a whole message), `delta` (a piece of an AI
//! reply being streamed), `status`, `typing`, and `error` when a message sent over the socket
//! is refused. The socket subscribes to the bus before it reads anything, and with
//! `?after=<messageId>` it first replays what was stored after that message, so a widget
//! that reconnects misses nothing (it may see a message twice; ids tell them apart).
//!
//! Opened with `?companyId=` instead of a sessionId, the socket starts a conversation with
//! the first message sent over it and answers `session` (`{sessionId, conversationId}`)
//! before the conversation's frames, so the first reply streams too.

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::routes::feedback::OptionalCustomer;
use crate::routes::responses::Throttled;
use crate::state::AppState;
use axum::extract::State;
use axum::extract::ws::{Message as Frame, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use switchboard_domain::{CompanyId, ConversationId, MessageId};
use switchboard_engine::bus::{LiveEvent, LiveKind};
use switchboard_engine::{Conversations, EngineError};
use tokio::sync::{broadcast, mpsc};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SocketParams {
    /// The conversation's sessionId. Leave it out and give `companyId` to start a new
    /// conversation with the first message sent over the socket.
    #[param(min_length = 32, max_length = 32)]
    session_id: Option<String>,
    /// Without a sessionId: the company whose widget starts a conversation. The socket then
    /// waits for the first `{"type":"message"}` frame, answers `{"type":"session",
    /// sessionId, conversationId}` and is that conversation's socket from then on, so even
    /// the first reply streams.
    company_id: Option<CompanyId>,
    /// The last message the widget has; the socket first sends what came after it.
    after: Option<String>,
    /// A customer token, for clients that cannot send an `Authorization` header (browsers).
    #[allow(dead_code)]
    access_token: Option<String>,
}

/// The customer a socket's token names: from the `Authorization` header or, for browsers,
/// the `access_token` query parameter; none without a token.
pub struct SocketCustomer(Option<(CompanyId, switchboard_domain::CustomerId)>);

impl axum::extract::FromRequestParts<AppState> for SocketCustomer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        crate::extract::access_token_as_bearer(parts);
        Ok(Self(OptionalCustomer::from_request_parts(parts, state).await?.0))
    }
}

/// Largest frame a customer may send; a message is at most 4000 characters.
const MAX_INBOUND_FRAME: usize = 64 * 1024;
/// Messages sent over the socket and not yet handled; more are refused, not queued.
const INBOX: usize = 8;
/// How long a new-conversation socket waits for its first message before it closes. The
/// widget opens it to send that message, so only an idle (or hostile) client waits long;
/// each waiting socket holds a task and a bus subscription.
const FIRST_MESSAGE_WITHIN: Duration = Duration::from_secs(30);

/// Opens the customer socket of a conversation.
#[utoipa::path(get, path = "/api/chat/ws", tag = "public", params(SocketParams),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket request, neither sessionId nor companyId, or a malformed parameter", body = ErrorBody),
        (status = 401, description = "An invalid token, or (starting a conversation) the company requires signed identities and none was sent", body = ErrorBody),
        (status = 403, description = "A staff token, or an `Origin` the company does not allow", body = ErrorBody),
        // 429: too many new conversations from the address, or 8 sockets of the conversation open.
        (status = 404, description = "An unknown sessionId, one of another company or customer, or no such (active) company", body = ErrorBody),
        Throttled,
    ))]
pub async fn chat_socket(
    State(state): State<AppState>,
    SocketCustomer(caller): SocketCustomer,
    client: crate::auth::ClientAddr,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<SocketParams>,
    upgrade: WebSocketUpgrade,
) -> ApiResult<Response> {
    let after = match params.after.as_deref() {
        None => None,
        Some(raw) => Some(
            raw.parse::<uuid::Uuid>()
                .map(MessageId::from_uuid)
                .map_err(|_| ApiError::validation("after", "is not a message id"))?,
        ),
    };
    let upgrade = upgrade.max_message_size(MAX_INBOUND_FRAME);
    let Some(session_id) = params.session_id else {
        let company = params.company_id.ok_or_else(|| {
            ApiError::validation("sessionId", "is required, or companyId to start a conversation")
        })?;
        // As `POST /api/chat` without a sessionId: a customer token fixes the company.
        if caller.is_some_and(|(c, _)| c != company) {
            return Err(ApiError::NotFound);
        }
        let config = crate::tenancy::admit(&state, company, &headers).await?;
        if caller.is_none() && config.identity_required {
            return Err(ApiError::UnauthorizedBecause {
                reason: "identity_required",
                message: "this company requires a signed-in customer".to_owned(),
            });
        }
        // As `POST /api/chat`: a new conversation counts against the address's allowance.
        state.auth_rate_limit.admit(client)?;
        let customer = caller.map(|(_, c)| c);
        return Ok(upgrade.on_upgrade(move |socket| start(state, socket, company, customer)));
    };
    let conversation = super::conversation_for(&state, &session_id, caller).await?;
    crate::tenancy::admit(&state, conversation.company_id, &headers).await?;
    let (company, id) = (conversation.company_id, conversation.id);
    let slot = state.socket_slots.take(id.as_uuid())?;
    Ok(upgrade.on_upgrade(move |socket| async move {
        serve(state, socket, company, id, after).await;
        drop(slot);
    }))
}

/// A socket that starts its conversation: waits for the first message, opens the
/// conversation with it, tells the widget its sessionId and then serves it like any other.
async fn start(
    state: AppState,
    mut socket: WebSocket,
    company: CompanyId,
    customer: Option<switchboard_domain::CustomerId>,
) {
    // Subscribed before the conversation exists, so the greeting and the first reply's
    // deltas, published while it opens, are all relayed.
    let live = state.conversations.bus().subscribe();
    let opened = loop {
        let text = match tokio::time::timeout(FIRST_MESSAGE_WITHIN, socket.recv()).await {
            Ok(Some(Ok(Frame::Text(text)))) => text,
            Ok(Some(Ok(Frame::Close(_)) | Err(_)) | None) | Err(_) => return,
            Ok(Some(Ok(_))) => continue,
        };
        let content = match parse(&text) {
            Ok(Some(content)) => content,
            Ok(None) => continue,
            Err(refusal) => {
                if send(&mut socket, &refusal).await.is_err() {
                    return;
                }
                continue;
            }
        };
        match state.conversations.open(company, customer, &content).await {
            Ok(opened) => break (opened, content),
            Err(e) => {
                if send(&mut socket, &engine_refusal(&e, company, None)).await.is_err() {
                    return;
                }
            }
        }
    };
    let (opened, first) = opened;
    let id = opened.conversation.id;
    let frame = json!({
        "type": "session",
        "sessionId": opened.session_id,
        "conversationId": id.to_string(),
    });
    if send(&mut socket, &frame).await.is_err() {
        return;
    }
    relay(state, socket, company, id, live, Some(first)).await;
}

async fn serve(
    state: AppState,
    mut socket: WebSocket,
    company: CompanyId,
    id: ConversationId,
    after: Option<MessageId>,
) {
    let live = state.conversations.bus().subscribe();
    if let Some(after) = after {
        let missed = state.conversations.messages(company, id, Some(after), 1000).await;
        for m in missed.unwrap_or_default() {
            let frame = message_frame(&m);
            if send(&mut socket, &frame).await.is_err() {
                return;
            }
        }
    }
    relay(state, socket, company, id, live, None).await;
}

/// Relays the conversation's live frames and hands the messages sent over the socket (the
/// `first`, when given, before them) to one worker that handles them in order.
async fn relay(
    state: AppState,
    mut socket: WebSocket,
    company: CompanyId,
    id: ConversationId,
    mut live: broadcast::Receiver<std::sync::Arc<LiveEvent>>,
    first: Option<String>,
) {
    // One worker handles this socket's messages in the order they came, and the socket
    // keeps relaying live frames (the reply's deltas among them) meanwhile.
    let (inbox, queue) = mpsc::channel::<String>(INBOX);
    if let Some(first) = first {
        let _ = inbox.try_send(first);
    }
    let (refusals_tx, mut refusals) = mpsc::channel::<serde_json::Value>(INBOX);
    let worker =
        tokio::spawn(handle_messages(state.conversations.clone(), company, id, queue, refusals_tx));
    let mut ping = tokio::time::interval(state.config.socket_ping);
    let silent_limit = state.config.socket_silence_limit();
    let mut last_heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            event = live.recv() => match event {
                Ok(event) => {
                    if let Some(frame) = frame_for(&event, id)
                        && send(&mut socket, &frame).await.is_err()
                    {
                        break;
                    }
                }
                // Fell behind: the widget catches up from the messages route.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let frame = json!({"type": "resync"});
                    if send(&mut socket, &frame).await.is_err() { break; }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            Some(refusal) = refusals.recv() => {
                if send(&mut socket, &refusal).await.is_err() { break; }
            }
            inbound = socket.recv() => match inbound {
                Some(Ok(Frame::Text(text))) => {
                    last_heard = tokio::time::Instant::now();
                    if let Some(refusal) = accept(&text, &inbox)
                        && send(&mut socket, &refusal).await.is_err()
                    {
                        break;
                    }
                }
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > silent_limit {
                    break;
                }
                if socket.send(Frame::Ping(Default::default())).await.is_err() { break; }
            }
        }
    }
    // Messages already accepted are still handled: they were acknowledged to nobody, but
    // the customer typed them and the reply will be there on reload.
    drop(inbox);
    let _ = worker.await;
}

/// Queues a `{"type":"message","content"}` frame, or says why it was not.
fn accept(text: &Utf8Bytes, inbox: &mpsc::Sender<String>) -> Option<serde_json::Value> {
    match parse(text) {
        Ok(Some(content)) => match inbox.try_send(content) {
            Ok(()) => None,
            Err(_) => {
                Some(refusal("rate_limited", "too many messages at once; wait for the replies"))
            }
        },
        Ok(None) => None,
        Err(refusal) => Some(refusal),
    }
}

/// A message's content, `None` for a frame that asks nothing (`typing`), or the refusal.
fn parse(text: &Utf8Bytes) -> Result<Option<String>, serde_json::Value> {
    #[derive(Deserialize)]
    struct Inbound {
        #[serde(rename = "type")]
        kind: String,
        content: Option<String>,
    }
    let Ok(frame) = serde_json::from_str::<Inbound>(text.as_str()) else {
        return Err(refusal("validation_error", "frames are JSON objects with a `type`"));
    };
    match (frame.kind.as_str(), frame.content) {
        ("message", Some(content)) => Ok(Some(content)),
        ("message", None) => Err(refusal("validation_error", "a message needs `content`")),
        ("typing", _) => Ok(None),
        _ => Err(refusal("validation_error", "unknown frame type")),
    }
}

fn refusal(code: &str, message: &str) -> serde_json::Value {
    json!({"type": "error", "code": code, "message": message})
}

/// The `error` frame for a message the engine would not take.
fn engine_refusal(
    e: &EngineError,
    company: CompanyId,
    id: Option<ConversationId>,
) -> serde_json::Value {
    match e {
        EngineError::Closed => refusal("conflict", "the conversation is closed"),
        EngineError::Invalid(m) => refusal("validation_error", m),
        other => {
            tracing::error!(error = %other, %company, conversation = ?id, "socket message failed");
            refusal("internal", "the message could not be handled")
        }
    }
}

async fn handle_messages(
    engine: std::sync::Arc<Conversations>,
    company: CompanyId,
    id: ConversationId,
    mut queue: mpsc::Receiver<String>,
    refusals: mpsc::Sender<serde_json::Value>,
) {
    while let Some(content) = queue.recv().await {
        // The stored message and the reply reach the socket over the bus.
        if let Err(e) = engine.customer_says(company, id, &content).await {
            let _ = refusals.send(engine_refusal(&e, company, Some(id))).await;
        }
    }
}

/// The customer's frame for an event of its conversation; `None` for anything else.
fn frame_for(event: &LiveEvent, id: ConversationId) -> Option<serde_json::Value> {
    if event.conversation != Some(id) {
        return None;
    }
    Some(match &event.kind {
        LiveKind::Message(m) => message_frame(m),
        LiveKind::Delta { message_id, content } => {
            json!({"type": "delta", "messageId": message_id.to_string(), "content": content})
        }
        LiveKind::Status { status, feedback_requested } => {
            json!({"type": "status", "status": status.as_str(), "feedbackRequested": feedback_requested})
        }
        LiveKind::Typing { sender } => json!({"type": "typing", "sender": sender}),
        LiveKind::AgentStatus { .. }
        | LiveKind::Approval { .. }
        | LiveKind::Queue { .. }
        | LiveKind::Owner { .. } => {
            return None;
        }
    })
}

/// `{"type":"message", id, conversationId, sender, content, citations, createdAt}`.
fn message_frame(m: &switchboard_engine::views::MessageView) -> serde_json::Value {
    let mut frame = serde_json::to_value(m).unwrap_or_else(|_| json!({}));
    frame["type"] = json!("message");
    frame
}

async fn send(socket: &mut WebSocket, frame: &serde_json::Value) -> Result<(), axum::Error> {
    socket.send(Frame::Text(frame.to_string().into())).await
}
