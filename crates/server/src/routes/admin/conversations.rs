//! `/api/admin/conversations`: every conversation of the company, filtered by status, owner
//! and category, and one conversation with its messages.

use crate::auth::AdminCtx;
use crate::envelope::{Data, Envelope, Listed, Page};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use switchboard_domain::{CategoryLabel, ConversationId, UserId};
use switchboard_engine::ConversationStatus;
use switchboard_engine::views::{ConversationDetail, ConversationView};
use switchboard_storage::ConversationFilter;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_conversations)).routes(routes!(get_conversation))
}

/// The filters, read beside [`PageParams`] from the same query string.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ConversationFilters {
    /// Only conversations in this status.
    status: Option<ConversationStatus>,
    /// Only conversations this agent owns.
    agent_id: Option<UserId>,
    /// Only conversations the classifier put in this category.
    category: Option<CategoryLabel>,
}

/// The company's conversations, newest first.
#[utoipa::path(get, path = "/api/admin/conversations", tag = "admin", security(("bearer" = [])),
    params(ConversationFilters, PageParams),
    responses(
        (status = 200, description = "Conversations newest first", body = Page<ConversationView>),
        AdminOnly, QueryParams,
    ))]
async fn list_conversations(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(filters): ApiQuery<ConversationFilters>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Listed<ConversationView>> {
    let filter = ConversationFilter {
        status: filters.status.map(|s| s.as_str().to_owned()),
        agent: filters.agent_id,
        category: filters.category.map(|c| c.as_str().to_owned()),
        visible_to: None,
    };
    let page = state.conversations.list(admin.company_id, filter, page.into_request()?).await?;
    Ok(Listed { items: page.items, next_cursor: page.next_cursor })
}

/// One conversation with its messages, oldest first.
#[utoipa::path(get, path = "/api/admin/conversations/{conversationId}", tag = "admin",
    security(("bearer" = [])), params(("conversationId" = ConversationId, Path)),
    responses(
        (status = 200, description = "The conversation and its messages", body = Envelope<ConversationDetail>),
        AdminOnly, PathId,
    ))]
async fn get_conversation(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ConversationId>,
) -> ApiResult<Data<ConversationDetail>> {
    Ok(Data(state.conversations.detail(admin.company_id, id, None).await?))
}
