//! `/api/admin/*`: company administration, for company admins only.

mod audit;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(audit::router())
}
