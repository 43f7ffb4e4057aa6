//! The OpenAPI document's frame: metadata, security scheme, tags and shared schemas and
//! responses. Paths are added by the routers themselves (see `routes::api`).
//!
//! How a route documents its responses (`tests/api/openapi.rs` fails otherwise):
//! - success: `body = Envelope<View>` (`Data`, `Created`) or `body = Page<View>` (`Listed`,
//!   with `params(PageParams)`), both from `crate::envelope`; never the bare payload;
//! - errors: list the sets of `routes::responses` for what the handler extracts: `AdminOnly` /
//!   `AgentOnly` / `SignedIn`, `JsonBody` (400, 413, 415), `QueryParams` (400), `PathId` (404),
//!   `Throttled` (429 + Retry-After); only a status with its own meaning (409, a public route's
//!   401/403/404) is written inline, as `(status = 409, description = "…", body = ErrorBody)`;
//! - links: none to write; a `POST /x` answering 201 with `data.id` links itself to `/x/{id}…`.

use super::responses;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard API",
        description = "Multi-tenant customer-service AI platform. Every success is `{\"success\": true, \"data\": …}`; every failure is `{\"success\": false, \"error\": {\"code\", \"message\", \"details\"}}`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    components(
        schemas(
            crate::error::ErrorBody,
            crate::error::ErrorDetail,
            switchboard_engine::ConversationStatus,
        ),
        responses(
            responses::ValidationFailed,
            responses::Unauthorized,
            responses::Forbidden,
            responses::NotFound,
            responses::PayloadTooLarge,
            responses::UnsupportedMediaType,
            responses::RateLimited,
        )
    ),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "auth", description = "Registration, login and sessions"),
        (name = "admin", description = "Company administration (company admins only)"),
        (name = "public", description = "Called by the widget and customers' own code"),
        (name = "widget", description = "Public routes for the embeddable chat widget (cross-origin)"),
        (name = "agent", description = "An agent's own status and work (company agents only)"),
        (name = "knowledge", description = "Documents, FAQs and retrieval testing (company admins only)"),
        (name = "classification", description = "Labelled examples that teach the request classifier (company admins only)"),
        (name = "automation", description = "Tools and workflows the AI runs (company admins only)"),
        (name = "live", description = "The staff event socket (admins and agents)"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}
