//! `/api/agent/conversations`: an agent's conversations and the live ones nobody owns yet,
//! and what the agent does in them (take over, write, release, close). Another agent's
//! conversation is a 404, exactly like another company's.

use crate::auth::AgentCtx;
use crate::envelope::{Created, Data, Envelope, Listed, Page};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, at_most_chars, optional_json, parse_json};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AgentOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;
use switchboard_domain::ConversationId;
use switchboard_engine::ConversationStatus;
use switchboard_engine::views::{ConversationDetail, ConversationView, MessageView};
use switchboard_storage::ConversationFilter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_my_conversations))
        .routes(routes!(get_my_conversation))
        .routes(routes!(take_over_conversation))
        .routes(routes!(send_agent_message))
        .routes(routes!(release_conversation))
        .routes(routes!(close_conversation))
}

/// `?status=`; read beside [`PageParams`] from the same query string.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParam {
    /// Only conversations in this status.
    status: Option<ConversationStatus>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentMessage {
    /// 1 to 4000 characters.
    #[schema(min_length = 1, max_length = 4000)]
    content: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// How it ended, in the agent's words (at most 1000 characters).
    #[schema(max_length = 1000)]
    resolution: Option<String>,
}

/// The caller's conversations plus the company's live ones that no person owns yet,
/// newest first.
#[utoipa::path(get, path = "/api/agent/conversations", tag = "agent", security(("bearer" = [])),
    params(StatusParam, PageParams),
    responses(
        (status = 200, description = "Conversations newest first", body = Page<ConversationView>),
        AgentOnly, QueryParams,
    ))]
async fn list_my_conversations(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiQuery(StatusParam { status }): ApiQuery<StatusParam>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Listed<ConversationView>> {
    let filter = ConversationFilter {
        status: status.map(|s| s.as_str().to_owned()),
        visible_to: Some(agent.user_id),
        ..Default::default()
    };
    let page = state.conversations.list(agent.company_id, filter, page.into_request()?).await?;
    Ok(Listed { items: page.items, next_cursor: page.next_cursor })
}

/// One conversation the caller may see, with its messages.
#[utoipa::path(get, path = "/api/agent/conversations/{conversationId}", tag = "agent",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    responses(
        (status = 200, description = "The conversation and its messages, oldest first", body = Envelope<ConversationDetail>),
        AgentOnly, PathId,
    ))]
async fn get_my_conversation(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Data<ConversationDetail>> {
    Ok(Data(state.conversations.detail(agent.company_id, id, Some(agent.user_id)).await?))
}

/// Takes the conversation over: the AI stops answering and the caller owns it.
#[utoipa::path(post, path = "/api/agent/conversations/{conversationId}/takeover", tag = "agent",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    responses(
        (status = 200, description = "The conversation, now the caller's", body = Envelope<ConversationView>),
        (status = 409, description = "The conversation is closed, or changed meanwhile", body = ErrorBody),
        AgentOnly, PathId,
    ))]
async fn take_over_conversation(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Data<ConversationView>> {
    let outcome = state.conversations.take_over(agent.company_id, id, agent.user_id).await?;
    Ok(Data(outcome.conversation.into()))
}

/// Writes to the customer in a conversation the caller owns.
#[utoipa::path(post, path = "/api/agent/conversations/{conversationId}/messages", tag = "agent",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    request_body = AgentMessage,
    responses(
        (status = 201, description = "The message as stored and delivered", body = Envelope<MessageView>),
        (status = 409, description = "Not taken over by the caller yet, or closed", body = ErrorBody),
        AgentOnly, PathId, JsonBody,
    ))]
async fn send_agent_message(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(raw): ApiJson<serde_json::Value>,
) -> ApiResult<Created<MessageView>> {
    // Another company's or agent's conversation is a 404 whatever the body says.
    state.conversations.visible_to_agent(agent.company_id, id, agent.user_id).await?;
    let req: AgentMessage = parse_json(raw)?;
    let outcome =
        state.conversations.agent_says(agent.company_id, id, agent.user_id, &req.content).await?;
    outcome
        .message
        .map(Created)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a message without its record")))
}

/// Gives a conversation the caller owns back to the AI.
#[utoipa::path(post, path = "/api/agent/conversations/{conversationId}/release", tag = "agent",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    responses(
        (status = 200, description = "The conversation, answered by the AI again", body = Envelope<ConversationView>),
        (status = 409, description = "Not the caller's, or not in a person's hands", body = ErrorBody),
        AgentOnly, PathId,
    ))]
async fn release_conversation(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Data<ConversationView>> {
    let outcome = state.conversations.release(agent.company_id, id, agent.user_id).await?;
    Ok(Data(outcome.conversation.into()))
}

/// Closes a conversation the caller owns; the customer is asked for feedback.
#[utoipa::path(post, path = "/api/agent/conversations/{conversationId}/close", tag = "agent",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    request_body(content = Option<CloseRequest>, description = "Optional; an empty body closes without a resolution"),
    responses(
        (status = 200, description = "The closed conversation", body = Envelope<ConversationView>),
        (status = 409, description = "Not taken over by the caller yet, or already closed", body = ErrorBody),
        AgentOnly, PathId, JsonBody,
    ))]
async fn close_conversation(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiPath(id): ApiPath<ConversationId>,
    body: Bytes,
) -> ApiResult<Data<ConversationView>> {
    state.conversations.visible_to_agent(agent.company_id, id, agent.user_id).await?;
    // The body is optional: an empty one closes without a resolution.
    let resolution = optional_json::<CloseRequest>(&body)?.and_then(|req| req.resolution);
    at_most_chars("resolution", resolution.as_deref(), 1000)?;
    let outcome =
        state.conversations.close(agent.company_id, id, agent.user_id, resolution).await?;
    Ok(Data(outcome.conversation.into()))
}
