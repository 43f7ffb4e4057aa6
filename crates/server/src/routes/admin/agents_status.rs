//! `GET /api/admin/agents-status`: who is available right now, and how loaded.

use super::agents_view::AgentView;
use crate::auth::AdminCtx;
use crate::envelope::{Listed, Page};
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_domain::{AgentStatus, Cursor, UserId, UserStatus};
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

/// Every active agent's availability, last-seen time and open items, a page at a time in
/// the order of `GET /api/admin/agents`.
#[utoipa::path(get, path = "/api/admin/agents-status", tag = "admin", security(("bearer" = [])), params(PageParams),
    responses(
        (status = 200, description = "One row per active agent", body = Page<AgentPresenceView>),
        AdminOnly, QueryParams,
    ))]
async fn agents_status(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<AgentPresenceView>> {
    let mut page = params.into_request()?;
    let limit = page.limit.get() as usize;
    // Deactivated agents are skipped, so one stored page may not fill a page of rows: read on
    // until `limit + 1` active rows show that more remain, or the agents run out.
    let mut rows = Vec::with_capacity(limit + 1);
    loop {
        let batch = state.db.list_agents(admin.company_id, page.clone()).await?;
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
            Some(c) if rows.len() <= limit => page.after = Cursor::parse(&c).ok(),
            _ => break,
        }
    }
    let next_cursor = (rows.len() > limit).then(|| {
        rows.truncate(limit);
        rows.last().map(|r| r.agent_id.to_string())
    });
    Ok(Listed { items: rows, next_cursor: next_cursor.flatten() })
}
