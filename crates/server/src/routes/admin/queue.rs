//! `/api/admin/queue`: the company's approval requests as the routing queue works them
//! (priority, then urgency, highest first, then oldest), and an admin's choice of agent for
//! an open one.

use crate::auth::AdminCtx;
use crate::envelope::{Data, Envelope, Listed, Page};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, parse_json};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use switchboard_domain::{ApprovalId, Priority, UserId};
use switchboard_engine::ApprovalView;
use switchboard_storage::{ApprovalFilter, ApprovalStatus};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_queue)).routes(routes!(reassign_request))
}

/// The filters, read beside [`PageParams`] from the same query string.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct QueueFilters {
    /// Only requests in this status: `pending`, `approved`, `rejected` or `escalated`.
    #[param(value_type = Option<String>)]
    status: Option<String>,
    /// Only requests of this priority.
    priority: Option<Priority>,
    /// Only requests waiting for (or decided while with) this agent.
    agent_id: Option<UserId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReassignRequest {
    /// The agent of the company who is to decide it.
    agent_id: UserId,
}

/// The company's approval requests in queue order: priority, then urgency (highest first),
/// then oldest.
#[utoipa::path(get, path = "/api/admin/queue", tag = "admin", security(("bearer" = [])),
    params(QueueFilters, PageParams),
    responses(
        (status = 200, description = "Approval requests in queue order", body = Page<ApprovalView>),
        AdminOnly, QueryParams,
    ))]
async fn list_queue(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(filters): ApiQuery<QueueFilters>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Listed<ApprovalView>> {
    let status = filters
        .status
        .map(|s| ApprovalStatus::parse(&s))
        .transpose()
        .map_err(|e| ApiError::validation("status", e))?;
    let page = page.into_request()?;
    let filter = ApprovalFilter { status, priority: filters.priority, agent: filters.agent_id };
    let found = state.db.list_approvals(admin.company_id, filter, page).await?;
    let items = found.items.into_iter().map(ApprovalView::from).collect();
    Ok(Listed { items, next_cursor: found.next_cursor })
}

/// Gives an open request to another agent of the company, over routing and capacity; its
/// status stays as it was (an escalated one goes back to an agent). The new assignee and
/// the admins hear `approval.updated`.
#[utoipa::path(post, path = "/api/admin/queue/{requestId}/reassign", tag = "admin",
    security(("bearer" = [])),
    params(("requestId" = String, Path, description = "The approval request's id")),
    request_body = ReassignRequest,
    responses(
        (status = 200, description = "The request, now the agent's", body = Envelope<ApprovalView>),
        (status = 409, description = "Already decided, or the agent is deactivated", body = ErrorBody),
        AdminOnly, PathId, JsonBody,
    ))]
async fn reassign_request(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiPath(id): ApiPath<ApprovalId>,
    ApiJson(raw): ApiJson<serde_json::Value>,
) -> ApiResult<Data<ApprovalView>> {
    // Another company's request is a 404 whatever the body says.
    state.db.get_approval(admin.company_id, id).await?;
    let req: ReassignRequest = parse_json(raw)?;
    let request = state
        .conversations
        .reassign_approval(admin.company_id, id, req.agent_id, admin.user_id)
        .await?;
    Ok(Data(request.into()))
}
