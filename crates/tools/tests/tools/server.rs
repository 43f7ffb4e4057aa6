//! A webhook server on 127.0.0.1 that records every request and answers by path:
//! `/echo` (JSON `{"ok": true}`), `/fail` (500 echoing the `x-api-key` header, as careless
//! servers do), `/text` (plain text), `/big` and `/big-stream` (over the reply cap, with and
//! without a length), `/empty` (204), `/slow` (answers after 3 s), `/redirect?to=URL` (302),
//! `/moved` (307 to `/echo`) and `/loop` (302 to itself).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde_json::{Value, json};

/// What one request carried.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

pub struct HookServer {
    pub addr: SocketAddr,
    log: Log,
}

impl HookServer {
    pub async fn start() -> Self {
        let log = Log::default();
        let app = axum::Router::new().fallback(answer).with_state(log.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self { addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.log.lock().expect("log").clone()
    }
}

pub const BIG: usize = 300 * 1024;

async fn answer(State(log): State<Log>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.expect("body").to_vec();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let key = parts.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    log.lock().expect("log").push(Received {
        method: parts.method,
        path: path.clone(),
        query: query.clone(),
        headers: parts.headers,
        body,
    });
    match path.as_str() {
        "/echo" => axum::Json(json!({"ok": true, "order": {"id": "A-1"}})).into_response(),
        "/fail" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("database down; request had x-api-key={key}"),
        )
            .into_response(),
        "/text" => "hello, not json".into_response(),
        "/empty" => StatusCode::NO_CONTENT.into_response(),
        "/big" => big_json().into_response(),
        "/big-stream" => {
            // No Content-Length: the cap must hold while reading.
            let chunks =
                (0..(BIG / 1024)).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b' '; 1024])));
            Response::new(Body::from_stream(stream::iter(chunks)))
        }
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            axum::Json(json!({"late": true})).into_response()
        }
        "/redirect" => {
            let to = query.as_deref().and_then(|q| q.strip_prefix("to=")).unwrap_or("/echo");
            redirect(StatusCode::FOUND, &percent_decode(to))
        }
        "/moved" => redirect(StatusCode::TEMPORARY_REDIRECT, "/echo"),
        "/loop" => redirect(StatusCode::FOUND, "/loop"),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn big_json() -> String {
    format!("{{\"padding\": \"{}\"}}", "x".repeat(BIG))
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(header::LOCATION, to.to_owned())]).into_response()
}

fn percent_decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("x={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
