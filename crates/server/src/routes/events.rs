//! `GET /api/events`: the staff socket. Frames `{type, data}` of type `message.created`,
//! `conversation.updated`, `agent.status`, `approval.created`, `approval.updated` and
//! `queue.updated`, only of the caller's company, and for an agent
//! only what it may see (its own conversations and the live ones nobody owns).
//!
//! Browsers cannot set headers on a WebSocket, so the token may come as `access_token` in
//! the query string; request spans never record the URI, so it is not logged. The socket's
//! heartbeat keeps an agent's presence fresh, and checks that the session still lives: a
//! revoked session's socket is closed at the next beat.

use crate::auth::StaffCtx;
use crate::error::{ApiResult, ErrorBody};
use crate::routes::responses::Throttled;
use crate::state::AppState;
use axum::extract::ws::{CloseFrame, Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};
use switchboard_domain::Role;
use switchboard_engine::bus::{LiveEvent, LiveKind};
use tokio::sync::broadcast;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Documents the query string; [`SocketCaller`] reads it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EventsParams {
    /// The staff token, for clients that cannot send an `Authorization` header (browsers).
    access_token: Option<String>,
}

/// Opens the staff event socket.
#[utoipa::path(get, path = "/api/events", tag = "live", security(("bearer" = [])),
    params(EventsParams),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket request", body = ErrorBody),
        (status = 401, description = "No token, or not a live staff session", body = ErrorBody),
        (status = 403, description = "A customer token, or a temporary password not yet changed", body = ErrorBody),
        // 429: the login session already has 8 event sockets open.
        Throttled,
    ))]
async fn events(
    State(state): State<AppState>,
    SocketCaller(caller): SocketCaller,
    upgrade: WebSocketUpgrade,
) -> ApiResult<Response> {
    let slot = state.socket_slots.take(caller.session_id.as_uuid())?;
    Ok(upgrade.max_message_size(4 * 1024).on_upgrade(move |socket| async move {
        serve(state, socket, caller).await;
        drop(slot);
    }))
}

/// A staff caller authenticated by the `Authorization` header or, failing that, by the
/// `access_token` query parameter.
struct SocketCaller(StaffCtx);

impl FromRequestParts<AppState> for SocketCaller {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        crate::extract::access_token_as_bearer(parts);
        Ok(SocketCaller(StaffCtx::from_request_parts(parts, state).await?))
    }
}

async fn serve(state: AppState, mut socket: WebSocket, caller: StaffCtx) {
    let mut live = state.conversations.bus().subscribe();
    // Each beat pings the console, touches the agent's presence and re-checks the session.
    let mut beat = tokio::time::interval(state.config.socket_ping);
    let silent_limit = state.config.socket_silence_limit();
    let mut last_heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            event = live.recv() => match event {
                Ok(event) => {
                    let Some(frame) = frame_for(&event, &caller) else { continue };
                    if send(&mut socket, &frame).await.is_err() {
                        break;
                    }
                }
                // Fell behind: the console reloads from the REST routes.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if send(&mut socket, &json!({"type": "resync", "data": {}})).await.is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            inbound = socket.recv() => match inbound {
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => break,
                // Anything the client sends (pongs included) is a sign of life.
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
            },
            _ = beat.tick() => {
                if last_heard.elapsed() > silent_limit {
                    break;
                }
                if !heartbeat(&state, &caller).await {
                    let bye = CloseFrame { code: 4001, reason: "session ended".into() };
                    let _ = socket.send(Frame::Close(Some(bye))).await;
                    break;
                }
                if socket.send(Frame::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
}

/// Touches an agent's presence; `false` once the session is revoked or expired.
async fn heartbeat(state: &AppState, caller: &StaffCtx) -> bool {
    let now = Utc::now();
    match state.db.get_session(caller.company_id, caller.session_id).await {
        Ok(session) if session.is_live(now) => {}
        Ok(_) | Err(switchboard_storage::StorageError::NotFound) => return false,
        // A database hiccup is not the caller's fault: keep the socket, try at the next beat.
        Err(e) => {
            tracing::warn!(error = %e, "staff socket heartbeat could not read the session");
            return true;
        }
    }
    if caller.role == Role::CompanyAgent
        && let Err(e) = state.db.touch_agent(caller.company_id, caller.user_id, now).await
    {
        tracing::warn!(error = %e, "staff socket heartbeat could not touch presence");
    }
    true
}

/// The caller's frame for an event, or `None` when the caller may not see it (or staff
/// consoles do not show it, like streamed deltas).
fn frame_for(event: &LiveEvent, caller: &StaffCtx) -> Option<Value> {
    if event.company != caller.company_id {
        return None;
    }
    if caller.role == Role::CompanyAgent && !event.visible_to_agent(caller.user_id) {
        return None;
    }
    let conversation_id = event.conversation.map(|c| c.to_string());
    let (kind, data) = match &event.kind {
        LiveKind::Message(m) => ("message.created", serde_json::to_value(m).ok()?),
        LiveKind::Status { status, feedback_requested } => (
            "conversation.updated",
            json!({
                "id": conversation_id,
                "status": status.as_str(),
                "assignedAgentId": event.owner.map(|o| o.to_string()),
                "feedbackRequested": feedback_requested,
            }),
        ),
        LiveKind::Owner { status } => (
            "conversation.updated",
            json!({
                "id": conversation_id,
                "status": status.as_str(),
                "assignedAgentId": event.owner.map(|o| o.to_string()),
                "feedbackRequested": false,
            }),
        ),
        LiveKind::AgentStatus { agent, status } => {
            ("agent.status", json!({"agentId": agent.to_string(), "status": status}))
        }
        LiveKind::Approval { created, data } => {
            (if *created { "approval.created" } else { "approval.updated" }, data.clone())
        }
        LiveKind::Queue { data } => ("queue.updated", data.clone()),
        LiveKind::Delta { .. } | LiveKind::Typing { .. } => return None,
    };
    Some(json!({"type": kind, "data": data}))
}

async fn send(socket: &mut WebSocket, frame: &Value) -> Result<(), axum::Error> {
    socket.send(Frame::Text(frame.to_string().into())).await
}
