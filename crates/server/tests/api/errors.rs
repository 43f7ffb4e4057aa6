//! Every failure, whoever produces it, is the API's error envelope with the right status.

use crate::helpers::{registration, spawn_app, spawn_app_with, test_config};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::json;

#[tokio::test]
async fn unknown_routes_are_a_404_envelope() {
    let app = spawn_app().await;
    app.get("/api/does-not-exist", None).await.assert_error(404, "not_found");
    app.post("/api/does/not/exist", None, json!({})).await.assert_error(404, "not_found");
    app.get("/assets/missing.js", None).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn a_wrong_method_is_a_405_envelope_that_names_the_allowed_ones() {
    let app = spawn_app().await;
    let reply = app.call(reqwest::Method::DELETE, "/health", None, None).await;
    reply.assert_error(405, "method_not_allowed");
    let allow = reply.headers.get("allow").expect("Allow header").to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "Allow: {allow}");
    app.get("/api/auth/register", None).await.assert_error(405, "method_not_allowed");
    app.shutdown().await;
}

#[tokio::test]
async fn malformed_json_is_a_400_not_a_500() {
    let app = spawn_app().await;
    for body in ["{not json", "", "[1,2", "\"just a string\"", "null", "{\"companyName\": }"] {
        let r = app
            .client
            .post(app.url("/api/auth/register"))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let reply = crate::helpers::read(r).await;
        reply.assert_error(400, "validation_error");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_missing_field_is_named_in_the_details() {
    let app = spawn_app().await;
    let mut body = registration("missing");
    body.as_object_mut().unwrap().remove("adminEmail");
    let reply = app.post("/api/auth/register", None, body).await;
    let details = reply.assert_error(400, "validation_error");
    assert_eq!(details["fields"][0]["field"], "adminEmail");
    assert_eq!(details["fields"][0]["message"], "is required");
    app.shutdown().await;
}

#[tokio::test]
async fn invalid_fields_are_named_with_the_rule_they_break() {
    let app = spawn_app().await;
    let cases = [
        ("adminEmail", json!("not-an-email"), "email"),
        ("adminPassword", json!("short"), "at least 8"),
        ("adminPassword", json!("x".repeat(129)), "at most 128"),
        ("companyName", json!("   "), "empty"),
        ("companyName", json!(5), "string"),
    ];
    for (field, value, expected) in cases {
        let mut body = registration("invalid");
        body[field] = value;
        let reply = app.post("/api/auth/register", None, body).await;
        let details = reply.assert_error(400, "validation_error");
        assert_eq!(details["fields"][0]["field"], field, "{}", reply.text);
        let message = details["fields"][0]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{field}: {message:?} should mention {expected:?}");
    }
    // Nothing was written by any of the rejected requests.
    app.post("/api/auth/register", None, registration("invalid")).await.assert_ok(201);
    app.shutdown().await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;
    for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
        let mut req = app.client.post(app.url("/api/auth/register")).body("companyName=x");
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        let reply = crate::helpers::read(req.send().await.unwrap()).await;
        reply.assert_error(415, "unsupported_media_type");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn an_oversized_body_is_a_413_whether_or_not_its_length_is_announced() {
    let mut config = test_config();
    config.max_body_bytes = 1024;
    let app = spawn_app_with(config).await;
    let mut body = registration("big");
    body["companyName"] = json!("x".repeat(4096));
    let reply = app.post("/api/auth/register", None, body.clone()).await;
    reply.assert_error(413, "payload_too_large");

    // Chunked, with no Content-Length: the limit must still hold while reading.
    let bytes = serde_json::to_vec(&body).unwrap();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(256).map(|c| Ok(c.to_vec())).collect();
    let stream = futures_util::stream::iter(chunks);
    let r = app
        .client
        .post(app.url("/api/auth/register"))
        .header(CONTENT_TYPE, "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    crate::helpers::read(r).await.assert_error(413, "payload_too_large");
    app.shutdown().await;
}

#[tokio::test]
async fn garbage_input_never_produces_a_server_error() {
    let app = spawn_app().await;
    let bodies = [
        json!({}),
        json!([]),
        json!(42),
        json!({"companyName": null, "companyEmail": [], "adminName": {}, "adminEmail": 1.5, "adminPassword": true}),
        json!({"companyName": "\u{0}\u{1}", "companyEmail": "a@b.c", "adminName": "x", "adminEmail": "a@b.c", "adminPassword": "12345678"}),
        json!({"email": "a@b.c", "password": "x", "companyId": "not-a-uuid"}),
        json!({"email": "a@b.c", "password": "x", "companyId": "00000000-0000-0000-0000-000000000000"}),
    ];
    for path in ["/api/auth/register", "/api/auth/login", "/api/auth/logout"] {
        for body in &bodies {
            let reply = app.post(path, None, body.clone()).await;
            assert!(
                reply.status.is_client_error(),
                "{path} {body}: {} {}",
                reply.status,
                reply.text
            );
            assert_eq!(reply.body["success"], json!(false));
        }
    }
    app.shutdown().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_the_callers() {
    let app = spawn_app().await;
    let generated = app.get("/health", None).await;
    assert!(generated.headers.get("x-request-id").is_some());
    let r = app
        .client
        .get(app.url("/nope"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("x-request-id").unwrap(), "trace-me-123");
    app.shutdown().await;
}
