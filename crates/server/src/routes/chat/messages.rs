use crate::envelope::{Listed, Page};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::feedback::OptionalCustomer;
use crate::routes::paging::PageParams;
use crate::routes::responses::QueryParams;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use switchboard_domain::MessageId;
use switchboard_engine::views::MessageView;

/// The conversation so far, oldest first, for a widget that reloads or reconnects. The
/// cursor is the last message's id: pass it to read what came after.
#[utoipa::path(get, path = "/api/chat/{sessionId}/messages", tag = "public",
    params(("sessionId" = String, Path, description = "The conversation's sessionId"), PageParams),
    responses(
        (status = 200, description = "Messages oldest first; `nextCursor` while more follow", body = Page<MessageView>),
        (status = 401, description = "An invalid token", body = ErrorBody),
        (status = 403, description = "A staff token, or an `Origin` the company does not allow", body = ErrorBody),
        (status = 404, description = "An unknown sessionId, or one of another company or customer", body = ErrorBody),
        QueryParams,
    ))]
pub async fn chat_messages(
    State(state): State<AppState>,
    OptionalCustomer(caller): OptionalCustomer,
    headers: HeaderMap,
    ApiPath(session_id): ApiPath<String>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<MessageView>> {
    let page = params.into_request()?;
    let after = match &page.after {
        None => None,
        Some(cursor) => Some(
            cursor
                .as_str()
                .parse::<uuid::Uuid>()
                .map(MessageId::from_uuid)
                .map_err(|_| ApiError::validation("cursor", "is not a cursor of this list"))?,
        ),
    };
    let conversation = super::conversation_for(&state, &session_id, caller).await?;
    crate::tenancy::admit(&state, conversation.company_id, &headers).await?;
    let limit = page.limit.get();
    let mut items = state
        .conversations
        .messages(conversation.company_id, conversation.id, after, limit + 1)
        .await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok(Listed { items, next_cursor })
}
