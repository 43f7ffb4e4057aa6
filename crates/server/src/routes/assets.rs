//! The dashboard and widget assets, embedded in the binary at build time from `web/dist`.
//! Until the web app is built, a small placeholder page stands in for `index.html`.

use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct WebDist;

const PLACEHOLDER: &str = include_str!("../../assets/placeholder.html");

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index)).route("/assets/{*path}", get(asset))
}

async fn index() -> Response {
    match WebDist::get("index.html") {
        Some(file) => Html(file.data.into_owned()).into_response(),
        None => Html(PLACEHOLDER).into_response(),
    }
}

async fn asset(Path(path): Path<String>) -> Response {
    let Some(file) = WebDist::get(&format!("assets/{path}")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = file.metadata.mimetype().to_owned();
    (
        [
            (header::CONTENT_TYPE, mime),
            // Vite puts a content hash in every asset name, so they never change in place.
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
        ],
        file.data.into_owned(),
    )
        .into_response()
}
