//! Operational endpoints for load balancers, orchestrators and Prometheus.

use crate::envelope::{Data, Envelope};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(ready)).routes(routes!(metrics))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    status: &'static str,
    database: &'static str,
    /// `hybrid` (BM25 + embeddings) or `lexical` (BM25 only: no embedding model loaded).
    retrieval: &'static str,
    /// The embedding model in use, if any.
    embedding_model: Option<String>,
}

/// Liveness: the process is up and serving HTTP.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Envelope<Health>)))]
async fn health() -> Data<Health> {
    Data(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

/// Readiness: the database answers. A load balancer should route traffic only while this is 200.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Envelope<Readiness>),
        (status = 503, description = "The database is unreachable", body = ErrorBody),
    ))]
async fn ready(State(state): State<AppState>) -> ApiResult<Data<Readiness>> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error.message = %e, "readiness check failed");
        ApiError::Unavailable
    })?;
    let retrieval = state.knowledge.status();
    Ok(Data(Readiness {
        status: "ready",
        database: state.db.kind().as_str(),
        retrieval: retrieval.mode,
        embedding_model: retrieval.embedding_model,
    }))
}

/// Prometheus text exposition of request counts and latencies.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
