//! Layers below the handlers (routing, body limits, timeouts, panics) answer with bare
//! status codes. This middleware gives those responses the API's error envelope, so that
//! clients can rely on one shape for every failure.

use crate::error::envelope_for_status;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

pub async fn ensure_error_envelope(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return response;
    }
    let mut replaced = envelope_for_status(status);
    // Keep headers that carry meaning for the client, such as `Allow` on a 405.
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = response.headers().get(&name) {
            replaced.headers_mut().insert(name, v.clone());
        }
    }
    replaced
}
