//! The routes a company's own website calls from the browser: the chat widget's config and
//! customer sign-in (and feedback, merged beside them). They are the only cross-origin
//! surface; the staff API stays same-origin and gets no CORS headers at all.
//!
//! Two layers of origin policy: the CORS layer here mirrors any request origin and answers
//! every preflight, because which origins a company allows depends on the company id inside
//! the request, which a preflight does not carry; [`crate::tenancy::admit`] then enforces the
//! company's `allowedOrigins` on the actual request.

use super::{auth, widget};
use crate::state::AppState;
use axum::http::{Method, header};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(widget::router()).merge(auth::customer_router()).layer(cors())
}

/// Browser access for the public routes. No credentials: the widget authenticates with a
/// bearer token it holds, never with cookies, so a mirrored origin grants nothing ambient.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(false)
        .max_age(Duration::from_secs(600))
}
