//! Webhook tools against the local recording server, with loopback and plain http allowed
//! (and nothing else private).

use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use switchboard_tools::{ToolError, WebhookClient, WebhookPolicy, WebhookTool};

use crate::server::HookServer;

pub const SECRET: &str = "sk-live-5f2a9c1e7b3d";

pub fn local_client() -> WebhookClient {
    let policy =
        WebhookPolicy { allow_loopback: true, allow_http: true, ..WebhookPolicy::default() };
    WebhookClient::new(policy).expect("client")
}

pub fn hook(url: String, method: &str) -> WebhookTool {
    WebhookTool {
        url,
        method: method.to_owned(),
        headers: [("X-Api-Key".to_owned(), SecretString::from(SECRET))].into(),
        timeout_ms: Some(2_000),
    }
}

fn args(value: Value) -> Map<String, Value> {
    value.as_object().expect("an object").clone()
}

#[tokio::test]
async fn the_arguments_arrive_as_a_json_body_with_the_secret_header() {
    // Arrange
    let server = HookServer::start().await;
    let tool = hook(server.url("/echo"), "POST");

    // Act
    let result = tool.call(&local_client(), &args(json!({"orderId": "A-1", "amount": 5}))).await;

    // Assert
    assert_eq!(result.expect("called"), json!({"ok": true, "order": {"id": "A-1"}}));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method, Method::POST);
    assert_eq!(received[0].json(), json!({"orderId": "A-1", "amount": 5}));
    assert_eq!(received[0].header("x-api-key"), Some(SECRET));
    assert_eq!(received[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_get_carries_the_arguments_as_its_query() {
    let server = HookServer::start().await;
    let tool = hook(server.url("/echo?v=2"), "GET");
    let call = args(json!({"orderId": "A 1&x", "n": 3, "tags": ["a", "b"], "skip": null}));

    tool.call(&local_client(), &call).await.expect("called");

    let received = &server.received()[0];
    assert_eq!(received.method, Method::GET);
    assert!(received.body.is_empty());
    assert_eq!(received.query.as_deref(), Some("v=2&n=3&orderId=A+1%26x&tags=a&tags=b"));
    assert_eq!(received.header("x-api-key"), Some(SECRET));
}

#[tokio::test]
async fn an_error_status_is_named_without_the_secret_the_server_echoed() {
    let server = HookServer::start().await;
    let error =
        hook(server.url("/fail"), "POST").call(&local_client(), &Map::new()).await.unwrap_err();

    assert_eq!(error.code(), "upstream_status");
    let shown = error.to_string();
    assert!(shown.starts_with("the webhook answered HTTP 500: database down"), "{shown}");
    assert!(!shown.contains(SECRET) && !format!("{error:?}").contains(SECRET), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

#[tokio::test]
async fn replies_over_the_cap_are_refused_with_or_without_a_length() {
    let server = HookServer::start().await;
    for path in ["/big", "/big-stream"] {
        let error =
            hook(server.url(path), "GET").call(&local_client(), &Map::new()).await.unwrap_err();
        assert_eq!(error.code(), "too_large", "{path}: {error}");
    }
}

#[tokio::test]
async fn a_reply_that_is_not_json_is_refused_and_an_empty_one_is_null() {
    let server = HookServer::start().await;
    let error =
        hook(server.url("/text"), "GET").call(&local_client(), &Map::new()).await.unwrap_err();
    assert_eq!(error.code(), "invalid_response", "{error}");
    let empty = hook(server.url("/empty"), "DELETE").call(&local_client(), &Map::new()).await;
    assert_eq!(empty, Ok(Value::Null));
}

#[tokio::test]
async fn a_slow_server_times_out_on_the_tools_deadline() {
    let server = HookServer::start().await;
    let mut tool = hook(server.url("/slow"), "POST");
    tool.timeout_ms = Some(300);

    let started = Instant::now();
    let error = tool.call(&local_client(), &Map::new()).await.unwrap_err();

    assert_eq!(error.code(), "timeout", "{error}");
    assert!(error.to_string().contains("300 ms"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_its_method_and_headers() {
    let server = HookServer::start().await;
    let result =
        hook(server.url("/moved"), "PUT").call(&local_client(), &args(json!({"a": 1}))).await;

    assert_eq!(result.expect("followed")["ok"], json!(true));
    let received = server.received();
    assert_eq!(received.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(), ["/moved", "/echo"]);
    assert_eq!(received[1].method, Method::PUT);
    assert_eq!(received[1].json(), json!({"a": 1}));
    assert_eq!(received[1].header("x-api-key"), Some(SECRET));
}

#[tokio::test]
async fn a_redirect_to_another_origin_does_not_carry_the_secret() {
    // Arrange: `localhost` is another origin than `127.0.0.1`, on the same server.
    let server = HookServer::start().await;
    let elsewhere = format!("http://localhost:{}/echo", server.addr.port());
    let tool = hook(server.url(&format!("/redirect?to={elsewhere}")), "POST");

    // Act
    let result = tool.call(&local_client(), &args(json!({"a": 1}))).await;

    // Assert: followed as a GET (a 302 after a POST), without the tool's header.
    assert_eq!(result.expect("followed")["ok"], json!(true));
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].method, Method::GET);
    assert_eq!(received[1].header("x-api-key"), None);
}

#[tokio::test]
async fn redirects_stop_after_three() {
    let server = HookServer::start().await;
    let error =
        hook(server.url("/loop"), "GET").call(&local_client(), &Map::new()).await.unwrap_err();
    assert_eq!(error, ToolError::TooManyRedirects(3));
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn an_invalid_config_is_refused_before_any_request() {
    let server = HookServer::start().await;
    let mut tool = hook(server.url("/echo"), "TRACE");
    tool.timeout_ms = Some(60_000);
    let error = tool.call(&local_client(), &Map::new()).await.unwrap_err();
    assert_eq!(error.code(), "invalid_config");
    assert!(error.to_string().contains("method") && error.to_string().contains("timeoutMs"));
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let tool = hook(format!("http://127.0.0.1:{port}/"), "POST");
    let error = tool.call(&local_client(), &Map::new()).await.unwrap_err();
    assert_eq!(error.code(), "unreachable", "{error}");
    assert!(!error.to_string().contains(SECRET));
}
