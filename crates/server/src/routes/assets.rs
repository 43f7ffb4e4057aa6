//! The dashboard and widget assets, embedded in the binary at build time from `web/dist`.
//! Until the web app is built, a small placeholder page stands in for `index.html`.
//!
//! Caching: Vite puts a content hash in every name under `/assets/`, so those are cached for
//! a year as immutable; `index.html` and the other root files (favicon…) keep their names
//! across releases, so they are revalidated on every use (`no-cache`).
//!
//! The dashboard routes in the browser (`/login`, `/agents`, …): a GET of any path that is
//! not under `/api/` or `/assets/`, is not an embedded file and does not look like a file
//! name (no dot in its last segment) is answered with `index.html`, and the client-side
//! router shows the page. Everything else that no route matched stays a 404 (the error
//! envelope middleware gives it the API's JSON body).

use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

// A relative folder is resolved against this crate's manifest directory. (A
// `$CARGO_MANIFEST_DIR/…` path would need rust-embed's `interpolate-folder-path` feature;
// without it the path names no folder and `allow_missing` hides that.)
#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct WebDist;

const PLACEHOLDER: &str = include_str!("../../assets/placeholder.html");

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index)).route("/assets/{*path}", get(asset))
}

async fn index() -> Response {
    match WebDist::get("index.html") {
        Some(file) => html_page(file.data.into_owned()),
        None => placeholder(),
    }
}

fn html_page(body: Vec<u8>) -> Response {
    let mut response = Html(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    response
}

fn placeholder() -> Response {
    let mut response = Html(PLACEHOLDER).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    response
}

async fn asset(Path(path): Path<String>, request: HeaderMap) -> Response {
    match WebDist::get(&format!("assets/{path}")) {
        Some(file) => file_response(file, IMMUTABLE, &request),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file with its type, cache policy and an ETag (its SHA-256), or `304 Not Modified`
/// when the browser already holds this version: `/widget.js` is revalidated on every page
/// of every site that embeds it, and should cost a round trip, not the script, each time.
fn file_response(
    file: rust_embed::EmbeddedFile,
    cache: &'static str,
    request: &HeaderMap,
) -> Response {
    let etag = format!("\"{}\"", hex::encode(file.metadata.sha256_hash()));
    let cache = (header::CACHE_CONTROL, cache.to_owned());
    if holds(request, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), cache]).into_response();
    }
    let mime = file.metadata.mimetype().to_owned();
    ([(header::CONTENT_TYPE, mime), (header::ETAG, etag), cache], file.data.into_owned())
        .into_response()
}

/// Whether `If-None-Match` names `etag` (or `*`).
fn holds(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// What answers when no route matched: an embedded root file, `index.html` for a
/// client-side route, or 404.
pub async fn fallback(method: Method, uri: Uri, request: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::NOT_FOUND.into_response();
    }
    match resolve(uri.path()) {
        Fallback::File(name) => match WebDist::get(&name) {
            Some(file) => file_response(file, REVALIDATE, &request),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Fallback::ClientRoute => match WebDist::get("index.html") {
            Some(file) => html_page(file.data.into_owned()),
            // Without a built dashboard there are no client routes: only `/` shows the
            // placeholder, as before.
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Fallback::NotFound => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Fallback {
    /// An embedded file at the root of `web/dist` (favicon.svg, robots.txt…).
    File(String),
    /// A page of the single-page app: serve `index.html`.
    ClientRoute,
    NotFound,
}

fn resolve(path: &str) -> Fallback {
    let relative = path.trim_start_matches('/');
    if is_under(path, "/api") || is_under(path, "/assets") {
        return Fallback::NotFound;
    }
    if relative.split('/').any(|segment| segment == "..") {
        return Fallback::NotFound;
    }
    if !relative.is_empty() && WebDist::get(relative).is_some() {
        return Fallback::File(relative.to_owned());
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        // Looks like a file that is not there (e.g. /widget.js before it is built):
        // a 404 rather than a page of HTML under a script's name.
        return Fallback::NotFound;
    }
    Fallback::ClientRoute
}

fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_and_asset_paths_are_never_client_routes() {
        for path in
            ["/api", "/api/", "/api/nope", "/api/admin/agents/1/x", "/assets", "/assets/x.js"]
        {
            assert_eq!(resolve(path), Fallback::NotFound, "{path}");
        }
    }

    #[test]
    fn page_paths_are_client_routes() {
        for path in
            ["/login", "/agents", "/agents/0190a1b2-c3d4", "/agent", "/apiary", "/assetsx/y"]
        {
            assert_eq!(resolve(path), Fallback::ClientRoute, "{path}");
        }
    }

    #[test]
    fn a_matching_etag_is_held_and_others_are_not() {
        let etag = "\"abc\"";
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(holds(&with("\"abc\""), etag));
        assert!(holds(&with("\"x\", W/\"abc\""), etag));
        assert!(holds(&with("*"), etag));
        assert!(!holds(&with("\"abd\""), etag));
        assert!(!holds(&HeaderMap::new(), etag));
    }

    #[test]
    fn missing_file_names_and_dot_segments_are_404() {
        // Names no build writes, so the test holds with or without web/dist.
        for path in ["/no-such-script.js", "/no-such.txt", "/a/b.map", "/x/../index.html"] {
            assert_eq!(resolve(path), Fallback::NotFound, "{path}");
        }
    }
}
