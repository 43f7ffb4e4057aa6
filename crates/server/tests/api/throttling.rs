//! Password-guess throttling under concurrency, per-address rate limits on the costly
//! unauthenticated routes, and the client address behind a trusted proxy.

use crate::helpers::{Reply, TestApp, read, spawn_app, spawn_app_with, test_config};
use futures_util::future::join_all;
use serde_json::{Value, json};

/// Fires `n` identical POSTs at once and returns every reply.
async fn burst(
    app: &TestApp,
    n: usize,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Vec<Reply> {
    join_all((0..n).map(|_| app.post(path, token, body.clone()))).await
}

/// How many replies had each status, after checking every 429 is a proper envelope.
fn tally(replies: &[Reply], verified_status: u16) -> (usize, usize) {
    let mut verified = 0;
    let mut refused = 0;
    for r in replies {
        match r.status.as_u16() {
            429 => {
                let details = r.assert_error(429, "rate_limited");
                assert!(details["retryAfterSeconds"].as_u64().unwrap() >= 1, "{}", r.text);
                assert!(r.headers.contains_key("retry-after"), "429 without Retry-After");
                refused += 1;
            }
            s if s == verified_status => verified += 1,
            s => panic!("unexpected status {s}: {}", r.text),
        }
    }
    (verified, refused)
}

#[tokio::test]
async fn fifty_concurrent_wrong_logins_verify_at_most_the_allowance() {
    let app = spawn_app().await;
    let (_, company) = app.register("parallel").await;
    let wrong = json!({"email": "admin@parallel.example.com", "password": "nope nope nope", "companyId": company});
    let replies = burst(&app, 50, "/api/auth/login", None, wrong).await;
    let (verified, refused) = tally(&replies, 401);
    assert!((1..=5).contains(&verified), "{verified} guesses were verified; the allowance is 5");
    assert_eq!(verified + refused, 50);
    // The account is now blocked: even the right password waits.
    let right = json!({"email": "admin@parallel.example.com", "password": "correct horse battery", "companyId": company});
    app.post("/api/auth/login", None, right).await.assert_error(429, "rate_limited");
    app.shutdown().await;
}

#[tokio::test]
async fn fifty_concurrent_wrong_customer_passwords_verify_at_most_the_allowance() {
    let app = spawn_app().await;
    let (_, company) = app.register("parcust").await;
    let register =
        json!({"companyId": company, "email": "c@parcust.example", "password": "blue suede shoes"});
    app.post("/api/auth/customer/register", None, register).await.assert_ok(201);
    let wrong =
        json!({"companyId": company, "email": "c@parcust.example", "password": "suede blue shoes"});
    let replies = burst(&app, 50, "/api/auth/customer/authenticate", None, wrong).await;
    let (verified, _) = tally(&replies, 401);
    assert!((1..=5).contains(&verified), "{verified} guesses were verified; the allowance is 5");
    let right =
        json!({"companyId": company, "email": "c@parcust.example", "password": "blue suede shoes"});
    let r = app.post("/api/auth/customer/authenticate", None, right).await;
    r.assert_error(429, "rate_limited");
    app.shutdown().await;
}

#[tokio::test]
async fn fifty_concurrent_wrong_current_passwords_verify_at_most_the_allowance() {
    let app = spawn_app().await;
    let (token, _) = app.register("parchange").await;
    let change =
        json!({"currentPassword": "not my password", "newPassword": "tangerine bicycle 42"});
    let replies = burst(&app, 50, "/api/auth/change-password", Some(&token), change).await;
    let (verified, _) = tally(&replies, 400);
    assert!((1..=5).contains(&verified), "{verified} guesses were verified; the allowance is 5");
    let right =
        json!({"currentPassword": "correct horse battery", "newPassword": "tangerine bicycle 42"});
    let r = app.post("/api/auth/change-password", Some(&token), right).await;
    r.assert_error(429, "rate_limited");
    app.shutdown().await;
}

#[tokio::test]
async fn costly_unauthenticated_routes_are_rate_limited_per_address() {
    let mut config = test_config();
    config.auth_requests_per_minute = 1;
    config.auth_requests_burst = 3;
    let app = spawn_app_with(config).await;
    let (_, company) = app.register("limited-1").await;
    app.register("limited-2").await;
    let anonymous = json!({"companyId": company});
    app.post("/api/auth/customer/authenticate", None, anonymous.clone()).await.assert_ok(200);
    // The burst of 3 is spent, across routes: each costly route now answers 429.
    let r = app.post("/api/auth/register", None, crate::helpers::registration("limited-3")).await;
    let details = r.assert_error(429, "rate_limited");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert_eq!(details["retryAfterSeconds"].as_u64(), Some(retry));
    app.post("/api/auth/customer/authenticate", None, anonymous)
        .await
        .assert_error(429, "rate_limited");
    let customer =
        json!({"companyId": company, "email": "x@limited.example", "password": "blue suede shoes"});
    app.post("/api/auth/customer/register", None, customer).await.assert_error(429, "rate_limited");
    let login = json!({"email": "admin@limited-1.example.com", "password": "correct horse battery", "companyId": company});
    app.post("/api/auth/login", None, login).await.assert_error(429, "rate_limited");
    app.shutdown().await;
}

#[tokio::test]
async fn new_conversations_count_against_the_address_and_continuing_one_does_not() {
    let mut config = test_config();
    config.auth_requests_per_minute = 1;
    config.auth_requests_burst = 3;
    let app = spawn_app_with(config).await;
    // The registration spends one of the burst of 3; two conversations spend the rest.
    let (_, company) = app.register("chat-limited").await;
    let first = json!({"companyId": company, "message": "Hello"});
    let started = app.post("/api/chat", None, first.clone()).await;
    let session = started.assert_ok(200)["sessionId"].as_str().unwrap().to_owned();
    let socket = format!("/api/chat/ws?companyId={company}");
    assert_eq!(crate::sockets::upgrade_status(&app, &socket, &[]).await, 101);

    // The next start is refused, over HTTP and over the socket, and stores nothing.
    let r = app.post("/api/chat", None, first).await;
    r.assert_error(429, "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(crate::sockets::upgrade_status(&app, &socket, &[]).await, 429);
    // The conversation already started goes on, and so does its socket.
    let more = json!({"companyId": company, "message": "Are you there?", "sessionId": session});
    app.post("/api/chat", None, more).await.assert_ok(200);
    let own = format!("/api/chat/ws?sessionId={session}");
    assert_eq!(crate::sockets::upgrade_status(&app, &own, &[]).await, 101);
    // Nothing answers "Hello" in an empty knowledge base, so it was handed to a person.
    let stored = crate::chat::messages(&app, &session).await;
    let senders: Vec<&str> = stored.iter().map(|m| m["sender"].as_str().unwrap()).collect();
    assert_eq!(senders, ["ai", "customer", "ai", "customer"], "greeting, handoff, the message");
    app.shutdown().await;
}

/// POST with an `X-Forwarded-For` header.
async fn post_from(app: &TestApp, forwarded_for: &str, path: &str, body: Value) -> Reply {
    let req = app.client.post(app.url(path)).header("x-forwarded-for", forwarded_for).json(&body);
    read(req.send().await.expect("request sent")).await
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_limited_separately() {
    let mut config = test_config();
    config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    config.auth_requests_per_minute = 1;
    config.auth_requests_burst = 2;
    let app = spawn_app_with(config).await;
    let register = |tag: &str| crate::helpers::registration(tag);
    // The client forges a left-most entry; the proxy's appended address is what counts.
    let a = "198.51.100.1, 203.0.113.1";
    post_from(&app, a, "/api/auth/register", register("proxy-a1")).await.assert_ok(201);
    post_from(&app, a, "/api/auth/register", register("proxy-a2")).await.assert_ok(201);
    let r =
        post_from(&app, "198.51.100.2, 203.0.113.1", "/api/auth/register", register("a3")).await;
    r.assert_error(429, "rate_limited");
    // Another client behind the same proxy has its own allowance.
    let r = post_from(&app, "203.0.113.2", "/api/auth/register", register("proxy-b1")).await;
    let data = r.assert_ok(201).clone();
    // And the audit log records the client, not the proxy.
    let token = data["token"].as_str().unwrap();
    let log = app.get("/api/admin/audit-log", Some(token)).await;
    let entries = log.assert_ok(200).as_array().unwrap().clone();
    let registered = entries.iter().find(|e| e["action"] == "company.registered").unwrap();
    assert_eq!(registered["clientAddr"], "203.0.113.2", "{registered}");
    app.shutdown().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_failed_logins_block_only_their_client() {
    let mut config = test_config();
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = spawn_app_with(config).await;
    let (_, company) = app.register("proxy-login").await;
    let guess = |i: usize| json!({"email": format!("user{i}@proxy-login.example.com"), "password": "guess guess", "companyId": company});
    for i in 0..20 {
        post_from(&app, "203.0.113.7", "/api/auth/login", guess(i))
            .await
            .assert_error(401, "invalid_credentials");
    }
    post_from(&app, "203.0.113.7", "/api/auth/login", guess(99))
        .await
        .assert_error(429, "rate_limited");
    // IPv6 neighbours in the same /64 are the same client.
    let v6 = |i: usize| format!("2001:db8:7:7::{i:x}");
    for i in 0..20 {
        post_from(&app, &v6(i + 1), "/api/auth/login", guess(100 + i))
            .await
            .assert_error(401, "invalid_credentials");
    }
    post_from(&app, "2001:db8:7:7:ffff::1", "/api/auth/login", guess(199))
        .await
        .assert_error(429, "rate_limited");
    // Everyone else behind the proxy signs in as usual.
    let right = json!({"email": "admin@proxy-login.example.com", "password": "correct horse battery", "companyId": company});
    post_from(&app, "203.0.113.8", "/api/auth/login", right).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn from_an_untrusted_peer_the_forwarded_header_is_ignored() {
    let mut config = test_config();
    config.auth_requests_per_minute = 1;
    config.auth_requests_burst = 2;
    let app = spawn_app_with(config).await;
    let register = |tag: &str| crate::helpers::registration(tag);
    post_from(&app, "203.0.113.1", "/api/auth/register", register("direct-1")).await.assert_ok(201);
    let r = post_from(&app, "203.0.113.2", "/api/auth/register", register("direct-2")).await;
    let token = r.assert_ok(201)["token"].as_str().unwrap().to_owned();
    // A fresh forged address does not buy a fresh allowance.
    let r = post_from(&app, "203.0.113.3", "/api/auth/register", register("direct-3")).await;
    r.assert_error(429, "rate_limited");
    let log = app.get("/api/admin/audit-log", Some(&token)).await;
    let entries = log.assert_ok(200).as_array().unwrap().clone();
    let registered = entries.iter().find(|e| e["action"] == "company.registered").unwrap();
    assert_eq!(registered["clientAddr"], "127.0.0.1", "{registered}");
    app.shutdown().await;
}
