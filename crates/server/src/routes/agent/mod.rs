//! `/api/agent/*`: routes for company agents about their own work.

mod approvals;
mod conversations;
mod performance;
mod status;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(status::router())
        .merge(performance::router())
        .merge(conversations::router())
        .merge(approvals::router())
}
