//! `/api/agent/status`: an agent sets and reads its own availability. Each call also counts
//! as a sign of life for the sweep that sets silent agents offline. Going online drains the
//! routing queue (the agent may get waiting work at once); going offline hands the agent's
//! open items back to the queue, routed to whoever is present.

use crate::auth::AgentCtx;
use crate::envelope::{Data, Envelope};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::routes::responses::{AgentOnly, JsonBody};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchboard_domain::AgentStatus;
use switchboard_engine::bus::{LiveEvent, LiveKind};
use switchboard_storage::AgentSummary;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_status, get_status))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStatusRequest {
    status: AgentStatus,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    status: AgentStatus,
    last_seen_at: Option<DateTime<Utc>>,
    open_items: u32,
}

impl From<AgentSummary> for StatusView {
    fn from(a: AgentSummary) -> Self {
        Self { status: a.status, last_seen_at: a.last_seen_at, open_items: a.open_items }
    }
}

/// Sets the caller's availability: online, offline, busy or away. Online agents are given
/// waiting work; going offline hands the caller's open items back to the queue.
#[utoipa::path(post, path = "/api/agent/status", tag = "agent", security(("bearer" = [])),
    request_body = SetStatusRequest,
    responses(
        (status = 200, description = "The new status", body = Envelope<StatusView>),
        AgentOnly, JsonBody,
    ))]
async fn set_status(
    State(state): State<AppState>,
    agent: AgentCtx,
    ApiJson(req): ApiJson<SetStatusRequest>,
) -> ApiResult<Data<StatusView>> {
    let company = agent.company_id;
    let summary = state.db.set_agent_status(company, agent.user_id, req.status, Utc::now()).await?;
    state.conversations.bus().publish(LiveEvent {
        company: agent.company_id,
        conversation: None,
        owner: None,
        kind: LiveKind::AgentStatus {
            agent: agent.user_id,
            status: req.status.as_str().to_owned(),
        },
    });
    let summary = match req.status {
        AgentStatus::Online => {
            state.conversations.drain_queue(company).await;
            // What the drain gave the agent counts against its capacity already.
            state.db.get_agent(company, agent.user_id).await?
        }
        AgentStatus::Offline => {
            state.conversations.agent_unavailable(company, agent.user_id).await;
            state.db.get_agent(company, agent.user_id).await?
        }
        // Busy or away: the agent keeps its work but gets no more.
        AgentStatus::Busy | AgentStatus::Away => summary,
    };
    Ok(Data(summary.into()))
}

/// The caller's availability and load.
#[utoipa::path(get, path = "/api/agent/status", tag = "agent", security(("bearer" = [])),
    responses(
        (status = 200, description = "The current status", body = Envelope<StatusView>),
        AgentOnly,
    ))]
async fn get_status(State(state): State<AppState>, agent: AgentCtx) -> ApiResult<Data<StatusView>> {
    state.db.touch_agent(agent.company_id, agent.user_id, Utc::now()).await?;
    Ok(Data(state.db.get_agent(agent.company_id, agent.user_id).await?.into()))
}
