use std::time::Duration;

use serde_json::json;
use switchboard_llm::fake::{FakeChatServer, FakeReply};
use switchboard_llm::{Citation, CuratedAnswer, LlmError, ResponderAction};

use crate::helpers::{Fixture, OPEN, run, settings};

#[tokio::test]
async fn a_streamed_answer_is_relayed_piece_by_piece_and_cites_only_given_passages() {
    let pieces = ["Unused items ", "can be returned ", "within 30 days [P1]", " for free [P7]."];
    let server =
        FakeChatServer::start([FakeReply::text(&pieces).paced(Duration::from_millis(80))]).await;
    let fx = Fixture::new();
    let out = run(OPEN, &settings(&server.base_url()), fx.turn("Can I send it back?")).await;

    let got: Vec<&str> = out.deltas.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(got, pieces, "every piece relayed, in order");
    // Streamed, not buffered: the first piece came long before the reply was over.
    let first = out.deltas[0].1;
    assert!(out.ended - first >= Duration::from_millis(200), "{:?}", out.ended - first);
    assert!(first - out.started < Duration::from_secs(2));

    let p = &fx.passages[0];
    assert_eq!(
        out.result.unwrap(),
        ResponderAction::Answer {
            content: "Unused items can be returned within 30 days [P1] for free.".into(),
            citations: vec![Citation {
                document_id: p.document_id.to_string(),
                title: "Returns policy".into(),
                excerpt: "You can return unused items within 30 days.".into(),
            }],
        }
    );
}

#[tokio::test]
async fn the_request_carries_the_persona_passages_history_tools_and_key() {
    let server = FakeChatServer::start([FakeReply::text(&["Hello!"])]).await;
    let fx = Fixture::new();
    out_ok(run(OPEN, &settings(&server.base_url()), fx.turn("Where is my parcel?")).await);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.uri, "/v1/chat/completions");
    assert_eq!(r.headers["authorization"], "Bearer sk-test-secret");
    assert!(r.headers.get("api-key").is_none(), "the Azure header only for Azure URLs");
    let b = &r.body;
    assert_eq!(b["model"], "smol-test");
    assert_eq!(b["stream"], true);
    assert!((b["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);

    let system = b["messages"][0]["content"].as_str().unwrap();
    assert_eq!(b["messages"][0]["role"], "system");
    assert!(system.starts_with("You are Ava, the friendly assistant of Acme."), "{system}");
    assert!(system.contains("ONLY the numbered passages"), "{system}");
    assert!(system.contains("insufficient_context"), "{system}");
    assert!(system.contains("[P1] Returns policy\nYou can return unused items within 30 days."));
    assert!(system.contains("[P2] Shipping\nStandard shipping takes 3 to 5 working days."));

    let rest: Vec<(&str, &str)> = b["messages"].as_array().unwrap()[1..]
        .iter()
        .map(|m| (m["role"].as_str().unwrap(), m["content"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rest,
        [
            ("assistant", "Hello! How can I help?"),
            ("user", "Hi there"),
            ("assistant", "Sam here."),
            ("user", "Where is my parcel?"),
        ],
        "history as user/assistant turns, platform notices left out"
    );

    let tools = b["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["function"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["insufficient_context", "track_order"]);
    assert!(tools.iter().all(|t| t["type"] == "function"));
    assert_eq!(tools[0]["function"]["parameters"]["required"], json!(["reason"]));
    assert_eq!(tools[1]["function"]["parameters"], fx.tools[0].parameters);
}

/// FAQs the match was not sure of are shown after the passages as `[F1]`…, with the rule for
/// them; an answer taken from one carries no marker and no citation, only passages are cited.
#[tokio::test]
async fn curated_answers_are_offered_after_the_passages_and_never_cited() {
    let pieces = ["Use the reset link [F1]", " on the sign-in page [P2, F2]."];
    let server = FakeChatServer::start([FakeReply::text(&pieces)]).await;
    let mut fx = Fixture::new();
    for (question, answer) in [
        ("How do I reset my password?", "Use the reset link on the sign-in page."),
        ("How do I change my email?", "Change it under Settings, then Account."),
    ] {
        fx.faqs.push(CuratedAnswer { question: question.into(), answer: answer.into() });
    }
    let out = run(OPEN, &settings(&server.base_url()), fx.turn("I forgot my password")).await;

    let p = &fx.passages[1];
    assert_eq!(
        out.result.unwrap(),
        ResponderAction::Answer {
            content: "Use the reset link on the sign-in page [P2].".into(),
            citations: vec![Citation {
                document_id: p.document_id.to_string(),
                title: "Shipping".into(),
                excerpt: p.text.clone(),
            }],
        }
    );
    let body = &server.requests()[0].body;
    let system = body["messages"][0]["content"].as_str().unwrap();
    let passages = system.find("[P2] Shipping").expect("the passages");
    let faqs = system.find("Curated answers:").expect("the curated answers");
    assert!(passages < faqs, "{system}");
    assert!(system[faqs..].contains(
        "[F1] Question: How do I reset my password?\nAnswer: Use the reset link on the sign-in page."
    ));
    assert!(system[faqs..].contains("[F2] Question: How do I change my email?"), "{system}");
    assert!(system.contains("without citing it"), "{system}");

    // Without curated answers the prompt says nothing of them.
    let server = FakeChatServer::start([FakeReply::text(&["Hello!"])]).await;
    out_ok(run(OPEN, &settings(&server.base_url()), Fixture::new().turn("hi")).await);
    let system = server.requests()[0].body["messages"][0]["content"].to_string();
    assert!(!system.contains("Curated answers") && !system.contains("[F1]"), "{system}");
}

#[tokio::test]
async fn azure_urls_keep_their_query_and_get_the_api_key_header() {
    let server = FakeChatServer::start([FakeReply::text(&["Hi"])]).await;
    let base = format!("http://{}/openai/deployments/gpt?api-version=2024-06-01", server.addr());
    let fx = Fixture::new();
    out_ok(run(OPEN, &settings(&base), fx.turn("hello")).await);
    let r = &server.requests()[0];
    assert_eq!(r.uri, "/openai/deployments/gpt/chat/completions?api-version=2024-06-01");
    assert_eq!(r.headers["api-key"], "sk-test-secret");
}

#[tokio::test]
async fn a_tool_call_streamed_in_pieces_is_parsed() {
    let server = FakeChatServer::start([FakeReply::tool_call(
        "track_order",
        &["{\"or", "der\": \"A-", "42\"}"],
    )])
    .await;
    let fx = Fixture::new();
    let out = run(OPEN, &settings(&server.base_url()), fx.turn("Where is A-42?")).await;
    assert!(out.deltas.is_empty());
    assert_eq!(
        out.result.unwrap(),
        ResponderAction::ToolCall {
            tool: "track_order".into(),
            arguments: json!({"order": "A-42"})
        }
    );
}

#[tokio::test]
async fn bad_tool_calls_are_errors() {
    let server = FakeChatServer::start([
        FakeReply::tool_call("track_order", &["{\"order\": ", "A-42}"]),
        FakeReply::tool_call("delete_everything", &["{}"]),
    ])
    .await;
    let fx = Fixture::new();
    let s = settings(&server.base_url());
    for _ in 0..2 {
        let err = run(OPEN, &s, fx.turn("Where is A-42?")).await.result.unwrap_err();
        assert!(matches!(err, LlmError::Protocol(_)), "{err}");
    }
    assert_eq!(server.requests().len(), 2, "a protocol error is not retried");
}

#[tokio::test]
async fn insufficient_context_and_an_empty_reply_hand_off() {
    let server = FakeChatServer::start([
        FakeReply::insufficient_context("The passages say nothing about warranties."),
        FakeReply::text(&["", "  "]),
    ])
    .await;
    let fx = Fixture::new();
    let s = settings(&server.base_url());
    let out = run(OPEN, &s, fx.turn("Is there a warranty?")).await;
    assert_eq!(
        out.result.unwrap(),
        ResponderAction::Handoff { reason: "The passages say nothing about warranties.".into() }
    );
    let out = run(OPEN, &s, fx.turn("Is there a warranty?")).await;
    assert!(matches!(out.result.unwrap(), ResponderAction::Handoff { .. }));
}

fn out_ok(out: crate::helpers::Outcome) {
    if let Err(e) = out.result {
        panic!("the call failed: {e}");
    }
}
