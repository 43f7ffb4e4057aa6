//! The outbound policy on webhooks: private targets refused before any connection, and on
//! every redirect.

use std::time::Duration;

use serde_json::Map;
use switchboard_tools::{WebhookClient, WebhookPolicy};
use tokio::net::TcpListener;

use crate::hooks::{hook, local_client};
use crate::server::HookServer;

fn strict_client() -> WebhookClient {
    WebhookClient::new(WebhookPolicy::default()).expect("client")
}

#[tokio::test]
async fn private_literals_are_refused_under_the_default_policy() {
    for url in [
        "https://127.0.0.1/",
        "https://10.1.2.3/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
    ] {
        let error =
            hook(url.to_owned(), "POST").call(&strict_client(), &Map::new()).await.unwrap_err();
        // Refused before the request starts (no address literal reaches the connector).
        assert_eq!(error.code(), "refused_address", "{url}: {error}");
        assert!(error.to_string().contains("address"), "{url}: {error}");
    }
}

#[tokio::test]
async fn nothing_reaches_a_listener_behind_a_refused_literal_or_name() {
    // Arrange: a listener the refused URLs point at, to prove no connection is made.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();

    for url in [format!("https://127.0.0.1:{port}/"), format!("https://localhost:{port}/hook")] {
        // Act
        let error =
            hook(url.clone(), "POST").call(&strict_client(), &Map::new()).await.unwrap_err();

        // Assert
        assert_eq!(error.code(), "refused_address", "{url}: {error}");
        assert!(error.to_string().contains("loopback"), "{url}: {error}");
    }
    let accepted = tokio::time::timeout(Duration::from_millis(300), listener.accept()).await;
    assert!(accepted.is_err(), "a refused URL was connected to");
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_at_resolution() {
    let error = hook("https://localhost/".to_owned(), "GET")
        .call(&strict_client(), &Map::new())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "refused_address", "{error}");
    assert!(error.to_string().contains("localhost is a loopback address"), "{error}");
}

#[tokio::test]
async fn a_redirect_to_the_metadata_service_or_a_private_network_is_refused() {
    let server = HookServer::start().await;
    for target in
        ["http://169.254.169.254/latest/meta-data", "http://10.0.0.1/", "http://[::ffff:10.0.0.1]/"]
    {
        let tool = hook(server.url(&format!("/redirect?to={target}")), "POST");
        let error = tool.call(&local_client(), &Map::new()).await.unwrap_err();
        assert_eq!(error.code(), "refused_address", "{target}: {error}");
    }
    // Only the redirecting hops reached a server; the refused targets were never requested.
    assert!(server.received().iter().all(|r| r.path == "/redirect"));
}
