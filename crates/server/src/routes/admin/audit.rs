//! The company's security audit log.

use crate::auth::AdminCtx;
use crate::envelope::{Listed, Page};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::routes::paging::PageParams;
use crate::routes::responses::{AdminOnly, QueryParams};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use switchboard_domain::AuditId;
use switchboard_storage::AuditEntry;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_log))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    id: AuditId,
    /// A dotted verb: `auth.login`, `auth.login_failed`, `auth.password_changed`, …
    action: String,
    actor_id: Option<String>,
    target_id: Option<String>,
    client_addr: Option<String>,
    details: serde_json::Value,
    created_at: DateTime<Utc>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            action: e.action,
            actor_id: e.actor_id.map(|u| u.to_string()),
            target_id: e.target_id.map(|u| u.to_string()),
            client_addr: e.client_addr,
            details: e.details,
            created_at: e.created_at,
        }
    }
}

/// Security events of the caller's company, newest first.
#[utoipa::path(get, path = "/api/admin/audit-log", tag = "admin", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page of entries", body = Page<AuditEntryView>),
        AdminOnly, QueryParams,
    ))]
async fn list_audit_log(
    State(state): State<AppState>,
    admin: AdminCtx,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<Listed<AuditEntryView>> {
    let page = params.into_request().map_err(ApiError::from)?;
    let page = state.db.list_audit(admin.company_id, page).await?;
    Ok(Listed {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    })
}
