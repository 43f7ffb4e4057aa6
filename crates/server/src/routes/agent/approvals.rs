//! `/api/agent/approvals`: the approval requests routed to the caller, and deciding them.
//! A request assigned to someone else is a 404 to an agent, exactly like another company's.
//! Admins may decide any open request themselves (the escalated ones wait for them), through
//! the same decision routes. As on the other agent routes, a request the caller may not see
//! is a 404 before its body is judged.

use crate::auth::{AgentCtx, StaffCtx};
use crate::envelope::{Data, Envelope, Listed, Page};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, at_most_chars, optional_json, parse_json};
use crate::routes::paging::PageParams;
use crate::routes::responses::{AgentOnly, JsonBody, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use switchboard_domain::{ApprovalId, Role};
use switchboard_engine::{ApprovalView, Decider};
use switchboard_storage::{ApprovalFilter, ApprovalRequest, ApprovalStatus};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The longest note, reason or message to the customer, in characters.
const MAX_NOTE_CHARS: usize = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_my_approvals))
        .routes(routes!(approve_request))
        .routes(routes!(reject_request))
        .routes(routes!(escalate_request))
}

/// `?status=`: `pending`, `approved`, `rejected` or `escalated`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApprovalStatusParam {
    /// Only requests in this status.
    #[param(value_type = Option<String>)]
    status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// Kept with the decision (at most 1000 characters).
    #[schema(max_length = 1000)]
    note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RejectRequest {
    /// Why, for the staff (1–1000 characters); the customer does not see it.
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
    /// Words for the customer, added to the polite refusal it is sent (at most 1000).
    #[schema(max_length = 1000)]
    customer_message: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {
    /// Why it needs an admin (1–1000 characters).
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
}

/// The approval requests routed to the caller, highest priority and urgency first, then
/// oldest.
#[utoipa::path(get, path = "/api/agent/approvals", tag = "agent", security(("bearer" = [])),
    params(ApprovalStatusParam, PageParams),
    responses(
        (status = 200, description = "The caller's requests in queue order", body = Page<ApprovalView>),
        AgentOnly, QueryParams,
    ))]
async fn list_my_approvals(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiQuery(ApprovalStatusParam { status }): ApiQuery<ApprovalStatusParam>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Listed<ApprovalView>> {
    let status = status
        .map(|s| ApprovalStatus::parse(&s))
        .transpose()
        .map_err(|e| ApiError::validation("status", e))?;
    let page = page.into_request()?;
    let filter = ApprovalFilter { status, priority: None, agent: Some(agent.user_id) };
    let found = state.db.list_approvals(agent.company_id, filter, page).await?;
    let items = found.items.into_iter().map(ApprovalView::from).collect();
    Ok(Listed { items, next_cursor: found.next_cursor })
}

/// Approves the request: the proposed action runs now, its outcome is stored with the
/// request and posted to the conversation, and the conversation's workflow goes on. An
/// admin may approve any open request; an agent only its own.
#[utoipa::path(post, path = "/api/agent/approvals/{requestId}/approve", tag = "agent",
    security(("bearer" = [])), params(("requestId" = String, Path, description = "The approval request's id")),
    request_body(content = Option<ApproveRequest>, description = "Optional; an empty body approves without a note"),
    responses(
        (status = 200, description = "The decided request with the action's outcome", body = Envelope<ApprovalView>),
        (status = 409, description = "Already decided or escalated", body = ErrorBody),
        AgentOnly, PathId, JsonBody,
    ))]
async fn approve_request(
    State(state): State<AppState>,
    staff: StaffCtx,
    ApiPath(id): ApiPath<ApprovalId>,
    body: axum::body::Bytes,
) -> ApiResult<Data<ApprovalView>> {
    let (request, by) = visible(&state, &staff, id).await?;
    let note = optional_json::<ApproveRequest>(&body)?.and_then(|req| req.note);
    let note = bounded("note", note, false)?;
    let decided = state.conversations.approve(&request, by, note).await?;
    Ok(Data(decided.into()))
}

/// Rejects the request: the action never runs, and the customer is told politely (with
/// `customerMessage` when given; never the internal `reason`).
#[utoipa::path(post, path = "/api/agent/approvals/{requestId}/reject", tag = "agent",
    security(("bearer" = [])), params(("requestId" = String, Path, description = "The approval request's id")),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "The decided request", body = Envelope<ApprovalView>),
        (status = 409, description = "Already decided or escalated", body = ErrorBody),
        AgentOnly, PathId, JsonBody,
    ))]
async fn reject_request(
    State(state): State<AppState>,
    staff: StaffCtx,
    ApiPath(id): ApiPath<ApprovalId>,
    ApiJson(raw): ApiJson<serde_json::Value>,
) -> ApiResult<Data<ApprovalView>> {
    let (request, by) = visible(&state, &staff, id).await?;
    let req: RejectRequest = parse_json(raw)?;
    let reason = bounded("reason", Some(req.reason), true)?.unwrap_or_default();
    let to_customer = bounded("customerMessage", req.customer_message, false)?;
    let decided = state.conversations.reject(&request, by, reason, to_customer).await?;
    Ok(Data(decided.into()))
}

/// Sends a pending request to the admins' queue with its priority raised one level.
#[utoipa::path(post, path = "/api/agent/approvals/{requestId}/escalate", tag = "agent",
    security(("bearer" = [])), params(("requestId" = String, Path, description = "The approval request's id")),
    request_body = EscalateRequest,
    responses(
        (status = 200, description = "The escalated request", body = Envelope<ApprovalView>),
        (status = 409, description = "Not pending any more", body = ErrorBody),
        AgentOnly, PathId, JsonBody,
    ))]
async fn escalate_request(
    State(state): State<AppState>,
    staff: StaffCtx,
    ApiPath(id): ApiPath<ApprovalId>,
    ApiJson(raw): ApiJson<serde_json::Value>,
) -> ApiResult<Data<ApprovalView>> {
    let (request, by) = visible(&state, &staff, id).await?;
    let req: EscalateRequest = parse_json(raw)?;
    let reason = bounded("reason", Some(req.reason), true)?.unwrap_or_default();
    let escalated = state.conversations.escalate(&request, by, reason).await?;
    Ok(Data(escalated.into()))
}

fn decider(staff: &StaffCtx) -> Decider {
    Decider { user: staff.user_id, admin: staff.role == Role::CompanyAdmin }
}

/// The request as the caller may decide it, read before the body is judged: another
/// company's or another agent's request is a 404 whatever the body says.
async fn visible(
    state: &AppState,
    staff: &StaffCtx,
    id: ApprovalId,
) -> ApiResult<(ApprovalRequest, Decider)> {
    let by = decider(staff);
    Ok((state.conversations.approval_for(staff.company_id, id, by).await?, by))
}

/// Trims `text`; blank is `None` (an error when `required`); longer than the limit is a 400.
fn bounded(field: &str, text: Option<String>, required: bool) -> ApiResult<Option<String>> {
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if required && text.is_none() {
        return Err(ApiError::validation(field, "must not be empty"));
    }
    at_most_chars(field, text.as_deref(), MAX_NOTE_CHARS)?;
    Ok(text)
}
