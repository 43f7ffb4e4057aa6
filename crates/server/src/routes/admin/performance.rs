//! `/api/admin/performance/*`: the company's and each agent's metrics.

use crate::auth::AdminCtx;
use crate::envelope::{Data, Envelope};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::metrics_range::{RangeParams, load_events};
use crate::routes::responses::{AdminOnly, PathId, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use switchboard_ai::analytics::{CompanyMetrics, Metrics, Scope, company_report, compute};
use switchboard_domain::{Role, UserId};
use switchboard_storage::StorageError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(company_performance)).routes(routes!(agent_performance))
}

/// The company's metrics over `[from, to)`, with a daily series and counts by category,
/// priority and sentiment. Medians average the two middle values; p90 is nearest-rank;
/// statistics without data are `null`.
#[utoipa::path(get, path = "/api/admin/performance/company", tag = "admin", security(("bearer" = [])),
    params(RangeParams),
    responses(
        (status = 200, description = "The company's metrics", body = Envelope<CompanyMetrics>),
        AdminOnly, QueryParams,
    ))]
async fn company_performance(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(range): ApiQuery<RangeParams>,
) -> ApiResult<Data<CompanyMetrics>> {
    let (from, to) = range.resolve(Utc::now())?;
    let events = load_events(&state, admin.company_id, from, to).await?;
    Ok(Data(company_report(&events, from, to)))
}

/// One agent's metrics over `[from, to)`: the conversations the agent worked in, with the
/// agent's own response times and decisions.
#[utoipa::path(get, path = "/api/admin/performance/agents/{agentId}", tag = "admin", security(("bearer" = [])),
    params(("agentId" = String, Path, description = "The agent's user id"), RangeParams),
    responses(
        (status = 200, description = "The agent's metrics", body = Envelope<Metrics>),
        AdminOnly, QueryParams, PathId,
    ))]
async fn agent_performance(
    State(state): State<AppState>,
    admin: AdminCtx,
    // Taken as text so the query is validated (400) before existence is decided (404).
    ApiPath(agent_id): ApiPath<String>,
    ApiQuery(range): ApiQuery<RangeParams>,
) -> ApiResult<Data<Metrics>> {
    let (from, to) = range.resolve(Utc::now())?;
    let agent_id: UserId = agent_id.parse().map_err(|_| ApiError::NotFound)?;
    match state.db.get_user(admin.company_id, agent_id).await {
        Ok(user) if user.role == Role::CompanyAgent => {}
        // Admins are staff too, but this endpoint is about agents.
        Ok(_) | Err(StorageError::NotFound) => return Err(ApiError::NotFound),
        Err(e) => return Err(e.into()),
    }
    let events = load_events(&state, admin.company_id, from, to).await?;
    Ok(Data(compute(&events, from, to, Scope::Agent(agent_id.as_uuid()))))
}
