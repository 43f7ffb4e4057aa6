//! `GET /api/admin/agents-status`: who is available right now, and how loaded.

use super::agents_view::AgentView;
use crate::auth::AdminCtx;
use crate::envelope::Ok;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_domain::{AgentStatus, PageLimit, UserId, UserStatus};
use switchboard_storage::PageRequest;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(agents_status))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentPresenceView {
    agent_id: UserId,
    name: String,
    status: AgentStatus,
    last_seen_at: Option<DateTime<Utc>>,
    open_items: u32,
}

/// Every active agent's availability, last-seen time and open items.
#[utoipa::path(get, path = "/api/admin/agents-status", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "One row per active agent", body = Vec<AgentPresenceView>),
        (status = 401, description = "No or invalid token", body = crate::openapi::ErrorBody),
        (status = 403, description = "Not a company admin", body = crate::openapi::ErrorBody),
    ))]
async fn agents_status(
    State(state): State<AppState>,
    admin: AdminCtx,
) -> ApiResult<Ok<Vec<AgentPresenceView>>> {
    let mut rows = Vec::new();
    let mut page =
        PageRequest { limit: PageLimit::parse(PageLimit::MAX).unwrap_or_default(), after: None };
    loop {
        let batch = state.db.list_agents(admin.0.company_id, page.clone()).await?;
        rows.extend(
            batch
                .items
                .into_iter()
                .map(AgentView::from)
                .filter(|a| a.account_status == UserStatus::Active)
                .map(|a| AgentPresenceView {
                    agent_id: a.id,
                    name: a.name,
                    status: a.status,
                    last_seen_at: a.last_seen_at,
                    open_items: a.open_items,
                }),
        );
        match batch.next_cursor {
            Some(c) => page.after = switchboard_domain::Cursor::parse(&c).ok(),
            None => break,
        }
    }
    Result::Ok(Ok(rows))
}
