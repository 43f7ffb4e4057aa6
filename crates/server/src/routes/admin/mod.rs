//! `/api/admin/*`: company administration, for company admins only.

mod agents;
mod agents_status;
mod agents_view;
mod audit;
mod config;
mod config_outbound;
mod config_update;
mod conversations;
mod performance;
mod queue;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(agents::router())
        .merge(agents_status::router())
        .merge(audit::router())
        .merge(config::router())
        .merge(conversations::router())
        .merge(performance::router())
        .merge(queue::router())
}
