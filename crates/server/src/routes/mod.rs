//! The route table. Each resource module exposes `router()` returning an `OpenApiRouter`,
//! so the OpenAPI document is generated from the same registrations that serve requests.

mod admin;
mod agent;
mod ai;
mod api_doc;
mod assets;
mod auth;
mod chat;
mod events;
mod feedback;
mod links;
pub(crate) mod metrics_range;
mod ops;
pub(crate) mod paging;
mod public;
pub(crate) mod responses;
pub(crate) mod socket_slots;
mod widget;

use crate::middleware;
use crate::state::AppState;
use api_doc::ApiDoc;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// Every documented route, with the OpenAPI document they produce.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(ops::router())
        .merge(auth::router())
        .merge(admin::router())
        .merge(public::router())
        .merge(agent::router())
        .merge(ai::router())
        // Called from the widget, so behind the same CORS policy as the other public routes.
        .merge(feedback::router().layer(public::cors()))
        .merge(chat::router())
        .merge(events::router())
        .split_for_parts();
    links::add_create_links(&mut doc);
    (router, doc)
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    let request_id = HeaderName::from_static("x-request-id");
    let limits = &state.config;
    let layers = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([
            axum::http::header::AUTHORIZATION,
            axum::http::header::COOKIE,
        ]))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(middleware::trace::make_span))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(axum::middleware::from_fn(middleware::envelope::ensure_error_envelope))
        .layer(CatchPanicLayer::new())
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
        // The largest body any route takes; routes below narrow it (DefaultBodyLimit).
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes.max(limits.max_upload_bytes)))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes));
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .merge(assets::router())
        // The dashboard's client-side routes get `index.html`; anything else unmatched
        // (unknown /api/* paths included) stays a 404 envelope.
        .fallback(assets::fallback)
        // Metrics sit inside the router (route_layer) so the matched path is known.
        .route_layer(axum::middleware::from_fn(middleware::metrics::track))
        .layer(layers)
        .with_state(state)
}
