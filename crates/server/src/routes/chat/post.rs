use crate::auth::ClientAddr;
use crate::envelope::{Data, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::routes::feedback::OptionalCustomer;
use crate::routes::responses::{JsonBody, Throttled};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use switchboard_ai::Citation;
use switchboard_domain::CompanyId;
use switchboard_engine::views::MessageView;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChatRequest {
    company_id: CompanyId,
    /// 1 to 4000 characters.
    #[schema(min_length = 1, max_length = 4000)]
    message: String,
    /// The site's own id for the visitor. Informational only: a customer is identified by
    /// a customer token (signed identities go through `/api/auth/customer/authenticate`).
    #[schema(max_length = 256)]
    user_id: Option<String>,
    /// The conversation to continue; absent, a new one starts.
    #[schema(min_length = 32, max_length = 32)]
    session_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatReply {
    pub content: String,
    pub citations: Vec<Citation>,
    /// `ai` (the only sender of a synchronous reply).
    pub sender: String,
    pub message_id: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatResponse {
    /// The conversation's secret: keep it to continue, reload or open the socket.
    session_id: String,
    conversation_id: String,
    /// The customer's message as stored.
    message: MessageView,
    /// The AI's answer; `null` while a person owns the conversation or is awaited.
    reply: Option<ChatReply>,
    /// `ai`, `awaiting_approval`, `human` or `closed`.
    status: String,
    /// The company's greeting, on the first message of a new conversation.
    greeting: Option<MessageView>,
}

/// Sends a customer message and answers with the AI's reply. Without `sessionId` a new
/// conversation starts with the company's greeting. The message is stored before the
/// answer is given; messages of one conversation are handled strictly in order.
#[utoipa::path(post, path = "/api/chat", tag = "public",
    request_body = ChatRequest,
    responses(
        (status = 200, description = "The stored message, the reply and the conversation's status", body = Envelope<ChatResponse>),
        (status = 401, description = "An invalid token, or the company requires signed identities and none was sent", body = ErrorBody),
        (status = 403, description = "A staff token, or an `Origin` the company does not allow", body = ErrorBody),
        (status = 404, description = "No such (active) company, an unknown sessionId, or one of another company or customer", body = ErrorBody),
        (status = 409, description = "The conversation is closed", body = ErrorBody),
        JsonBody, Throttled,
    ))]
pub async fn chat(
    State(state): State<AppState>,
    OptionalCustomer(caller): OptionalCustomer,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ChatRequest>,
) -> ApiResult<Data<ChatResponse>> {
    if req.user_id.as_ref().is_some_and(|u| u.len() > 256) {
        return Err(ApiError::validation("userId", "must be at most 256 characters"));
    }
    // A customer token fixes the company.
    if caller.is_some_and(|(company, _)| company != req.company_id) {
        return Err(ApiError::NotFound);
    }
    let config = crate::tenancy::admit(&state, req.company_id, &headers).await?;
    let engine = &state.conversations;
    let (conversation, session_id, greeting) = match &req.session_id {
        Some(session_id) => {
            let c = super::conversation_for(&state, session_id, caller).await?;
            if c.company_id != req.company_id {
                return Err(ApiError::NotFound);
            }
            (c, session_id.clone(), None)
        }
        None => {
            if caller.is_none() && config.identity_required {
                return Err(ApiError::UnauthorizedBecause {
                    reason: "identity_required",
                    message: "this company requires a signed-in customer".to_owned(),
                });
            }
            // A new conversation costs rows, an embedding and a classification, and needs
            // no account: it counts against the address's allowance like a sign-up.
            state.auth_rate_limit.admit(client)?;
            let opened = engine.open(req.company_id, caller.map(|(_, c)| c), &req.message).await?;
            (opened.conversation, opened.session_id, Some(opened.greeting))
        }
    };
    let turn = engine.customer_says(conversation.company_id, conversation.id, &req.message).await?;
    Ok(Data(ChatResponse {
        session_id,
        conversation_id: turn.conversation.id.to_string(),
        message: turn.message,
        reply: turn.reply.map(|r| ChatReply {
            content: r.content,
            citations: r.citations,
            sender: r.sender,
            message_id: r.id,
        }),
        status: turn.conversation.status,
        greeting,
    }))
}
