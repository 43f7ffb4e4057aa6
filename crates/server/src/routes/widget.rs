//! What the embeddable chat widget needs before anyone signs in: the company's branding.

use crate::envelope::{Data, Envelope};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiPath;
use crate::routes::responses::PathId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Serialize;
use switchboard_domain::CompanyId;
use switchboard_storage::AgentConfig;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(widget_config))
}

/// The public subset of the agent configuration; anything else (persona, AI settings,
/// allowed origins) stays with the admins.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetConfig {
    agent_name: String,
    branding_name: String,
    /// An https URL, or null for none.
    branding_logo: Option<String>,
    /// `#rrggbb`.
    primary_color: String,
    greeting_message: String,
}

impl From<AgentConfig> for WidgetConfig {
    fn from(c: AgentConfig) -> Self {
        Self {
            agent_name: c.agent_name,
            branding_name: c.branding_name,
            branding_logo: c.branding_logo,
            primary_color: c.branding_primary_color,
            greeting_message: c.greeting_message,
        }
    }
}

/// The chat widget's branding for a company. Callable cross-origin; when the company lists
/// allowed origins, a browser on any other origin is refused. An unknown, malformed or
/// suspended company is a 404.
#[utoipa::path(get, path = "/api/widget/config/{companyId}", tag = "widget",
    params(("companyId" = String, Path, format = "uuid", description = "The company whose widget this is")),
    responses(
        (status = 200, description = "The widget's branding", body = Envelope<WidgetConfig>),
        (status = 403, description = "The request's Origin is not in the company's allowedOrigins", body = ErrorBody),
        PathId,
    ))]
async fn widget_config(
    State(state): State<AppState>,
    ApiPath(company): ApiPath<CompanyId>,
    headers: HeaderMap,
) -> ApiResult<Data<WidgetConfig>> {
    let config = crate::tenancy::admit(&state, company, &headers).await?;
    Ok(Data(config.into()))
}
