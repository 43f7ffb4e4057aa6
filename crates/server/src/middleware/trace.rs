//! Request spans named after the matched route, carrying the request id so that log lines
//! of one request can be found together. Headers are not recorded (they carry tokens).

use axum::extract::MatchedPath;
use axum::http::Request;
use tracing::Span;

pub fn make_span<B>(request: &Request<B>) -> Span {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
    let request_id =
        request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!(
        "http",
        method = %request.method(),
        route,
        request_id,
        status = tracing::field::Empty,
    )
}
