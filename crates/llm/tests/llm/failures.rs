use std::time::Duration;

use serde_json::json;
use switchboard_llm::fake::{FakeChatServer, FakeReply, chunk};
use switchboard_llm::{LlmError, OutboundPolicy, ResponderAction};

use crate::helpers::{Fixture, OPEN, run, settings};

#[tokio::test]
async fn server_errors_and_rate_limits_are_retried_before_any_delta() {
    let server = FakeChatServer::start([
        FakeReply::status(500),
        FakeReply::status(429),
        FakeReply::text(&["Within 30 days [P1]."]),
    ])
    .await;
    let fx = Fixture::new();
    let out = run(OPEN, &settings(&server.base_url()), fx.turn("Returns?")).await;
    assert!(matches!(out.result.unwrap(), ResponderAction::Answer { .. }));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_provider_that_keeps_failing_gives_up_after_max_retries() {
    let server = FakeChatServer::start([FakeReply::status(500)]).await;
    let fx = Fixture::new();
    let err = run(OPEN, &settings(&server.base_url()), fx.turn("Returns?")).await.result;
    assert!(matches!(err, Err(LlmError::Status(500))), "{err:?}");
    assert_eq!(server.requests().len(), 3, "the first attempt and two retries");

    // A client error is the caller's fault: asking again would not help.
    let server = FakeChatServer::start([FakeReply::status(401)]).await;
    let err = run(OPEN, &settings(&server.base_url()), fx.turn("Returns?")).await.result;
    assert!(matches!(err, Err(LlmError::Status(401))), "{err:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(!format!("{err:?}").contains("sk-test-secret"));
}

#[tokio::test]
async fn a_stalled_provider_times_out_within_the_limit() {
    let server = FakeChatServer::start([FakeReply::Stall(vec![])]).await;
    let fx = Fixture::new();
    let mut s = settings(&server.base_url());
    s.timeout = Duration::from_millis(600);
    let out = run(OPEN, &s, fx.turn("Returns?")).await;
    assert!(matches!(out.result, Err(LlmError::Timeout)), "{:?}", out.result);
    let took = out.ended - out.started;
    assert!(took >= Duration::from_millis(600) && took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn nothing_is_retried_once_deltas_were_relayed() {
    let piece = chunk(json!({"content": "Within 30"}), None);
    let server = FakeChatServer::start([
        FakeReply::Stall(vec![piece.clone()]),
        FakeReply::Events { events: vec![piece], pause: Duration::ZERO, done: false },
    ])
    .await;
    let fx = Fixture::new();
    let mut s = settings(&server.base_url());
    s.timeout = Duration::from_millis(500);
    let out = run(OPEN, &s, fx.turn("Returns?")).await;
    assert!(matches!(out.result, Err(LlmError::Timeout)), "{:?}", out.result);
    assert_eq!(out.deltas.len(), 1);
    assert_eq!(server.requests().len(), 1);

    // The stream closes mid-reply, without a finish reason or [DONE].
    s.timeout = Duration::from_secs(10);
    let out = run(OPEN, &s, fx.turn("Returns?")).await;
    assert!(matches!(out.result, Err(LlmError::Interrupted(_))), "{:?}", out.result);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_as_such() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let fx = Fixture::new();
    let mut s = settings(&format!("http://127.0.0.1:{port}/v1"));
    s.max_retries = 1;
    let err = run(OPEN, &s, fx.turn("Returns?")).await.result;
    assert!(matches!(err, Err(LlmError::Unreachable(_))), "{err:?}");
}

#[tokio::test]
async fn loopback_providers_are_refused_unless_the_operator_allows_private_addresses() {
    let server = FakeChatServer::start([FakeReply::text(&["Hi"])]).await;
    let fx = Fixture::new();
    let strict = OutboundPolicy::default();
    let port = server.addr().port();
    // A literal is judged before the request; a name by the resolver, at connect time.
    for base in [server.base_url(), format!("http://localhost:{port}/v1")] {
        let err = run(strict, &settings(&base), fx.turn("Returns?")).await.result;
        assert!(matches!(err, Err(LlmError::Refused(_))), "{base}: {err:?}");
    }
    assert!(server.requests().is_empty(), "nothing reached the server");
    let ok = run(OPEN, &settings(&format!("http://localhost:{port}/v1")), fx.turn("x")).await;
    assert!(ok.result.is_ok(), "{:?}", ok.result);
}
