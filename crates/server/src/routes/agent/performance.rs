//! `GET /api/agent/performance`: an agent's own metrics.

use crate::auth::AgentCtx;
use crate::envelope::{Data, Envelope};
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::routes::metrics_range::{RangeParams, load_events};
use crate::routes::responses::{AgentOnly, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::Utc;
use switchboard_ai::analytics::{Metrics, Scope, compute};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(own_performance))
}

/// The caller's metrics over `[from, to)`, defined as for
/// `GET /api/admin/performance/agents/{agentId}`.
#[utoipa::path(get, path = "/api/agent/performance", tag = "agent", security(("bearer" = [])),
    params(RangeParams),
    responses(
        (status = 200, description = "The caller's metrics", body = Envelope<Metrics>),
        AgentOnly, QueryParams,
    ))]
async fn own_performance(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiQuery(range): ApiQuery<RangeParams>,
) -> ApiResult<Data<Metrics>> {
    let (from, to) = range.resolve(Utc::now())?;
    let events = load_events(&state, agent.company_id, from, to).await?;
    Ok(Data(compute(&events, from, to, Scope::Agent(agent.user_id.as_uuid()))))
}
