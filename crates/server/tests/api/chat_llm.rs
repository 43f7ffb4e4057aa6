//! The OpenAI-compatible responder through the whole server, against a local server that
//! speaks the chat-completions protocol: streamed deltas relayed to the widget, citations of
//! the passages it was given, tool calls and the insufficient-context signal handed off, and
//! the builtin responder answering when the provider fails.

use crate::helpers::{TestApp, spawn_app_with, test_config};
use crate::sockets::{customer_socket, frames_until, new_conversation_socket, send_json};
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_engine::HANDOFF_REPLY;
use switchboard_llm::fake::{FakeChatServer, FakeReply};

const RETURNS: &str = "Returns policy. You can return unused items within 30 days. \
    Refunds reach your card within five working days.";

async fn llm_app() -> TestApp {
    let mut config = test_config();
    // The provider under test listens on loopback.
    config.allow_private_outbound = true;
    spawn_app_with(config).await
}

/// A company answering through `provider`, with one indexed document; returns (admin,
/// company, document id).
async fn company_on(app: &TestApp, tag: &str, base_url: &str) -> (String, String, String) {
    let (admin, company) = app.register(tag).await;
    let ai = json!({"ai": {"provider": "openai", "baseUrl": base_url, "model": "tiny", "apiKey": "sk-test-key"}});
    app.call(Method::PUT, "/api/admin/config", Some(&admin), Some(ai)).await.assert_ok(200);
    let doc = json!({"title": "Returns", "content": RETURNS, "format": "text"});
    let doc = app.post("/api/ai/knowledge-base", Some(&admin), doc).await;
    let id = doc.assert_ok(201)["id"].as_str().unwrap().to_owned();
    app.wait_for_document(&admin, &id).await;
    (admin, company, id)
}

async fn ask(app: &TestApp, company: &str, message: &str, session: Option<&str>) -> Value {
    let mut body = json!({"companyId": company, "message": message});
    if let Some(s) = session {
        body["sessionId"] = json!(s);
    }
    app.post("/api/chat", None, body).await.assert_ok(200).clone()
}

#[tokio::test]
async fn streamed_tokens_reach_the_widget_and_only_given_passages_are_cited() {
    let app = llm_app().await;
    let fake = FakeChatServer::start([
        FakeReply::text(&["Hello", "!"]),
        FakeReply::text(&["You can return ", "unused items ", "within 30 days [P1]", " or [P7]."]),
    ])
    .await;
    let (_, company, document) = company_on(&app, "stream", &fake.base_url()).await;
    let first = ask(&app, &company, "hi there", None).await;
    assert_eq!(first["reply"]["content"], "Hello!");
    let session = first["sessionId"].as_str().unwrap().to_owned();

    let mut widget = customer_socket(&app, &session, None).await;
    send_json(
        &mut widget,
        json!({"type": "message", "content": "can I send back something I did not use"}),
    )
    .await;
    let frames = frames_until(&mut widget, |f| f["type"] == "message" && f["sender"] == "ai").await;
    let deltas: Vec<&Value> = frames.iter().filter(|f| f["type"] == "delta").collect();
    assert!(deltas.len() >= 3, "the reply was not streamed: {frames:#?}");
    let reply = frames.last().unwrap();
    assert!(deltas.iter().all(|d| d["messageId"] == reply["id"]));
    let streamed: String = deltas.iter().map(|d| d["content"].as_str().unwrap()).collect();
    assert!(streamed.starts_with("You can return unused items within 30 days"), "{streamed}");
    // [P7] was never given to the model, so it is not a citation.
    assert_eq!(reply["content"], "You can return unused items within 30 days [P1] or.");
    let citations = reply["citations"].as_array().unwrap();
    assert_eq!(citations.len(), 1, "{reply}");
    assert_eq!(citations[0]["documentId"], document.as_str());

    // The provider got the persona, the passage with its id, the history and the key.
    let request = fake.requests().pop().unwrap();
    assert_eq!(request.headers["authorization"], "Bearer sk-test-key");
    assert_eq!(request.body["stream"], true);
    let prompt = request.body["messages"].to_string();
    assert!(prompt.contains("[P1]") && prompt.contains("within 30 days"), "{prompt}");
    assert!(prompt.contains("hi there") && prompt.contains("Hello!"), "no history: {prompt}");
    app.shutdown().await;
}

/// No tools are offered until the company defines some, so a call of any function other
/// than the handoff signal is a protocol breach: the builtin responder answers instead.
/// The insufficient-context call, parsed from its streamed pieces, is a handoff.
#[tokio::test]
async fn insufficient_context_is_a_handoff_and_unoffered_calls_are_refused() {
    let app = llm_app().await;
    let fake = FakeChatServer::start([
        FakeReply::tool_call("refund_order", &["{\"order", "Id\": \"A-1\"}"]),
        FakeReply::insufficient_context("nothing about helicopters"),
    ])
    .await;
    let (admin, company, document) = company_on(&app, "tools", &fake.base_url()).await;
    let refund = ask(&app, &company, "when will my refund reach my card?", None).await;
    assert_eq!(refund["status"], "ai");
    assert!(refund["reply"]["content"].as_str().unwrap().contains("five working days"), "{refund}");
    assert_eq!(refund["reply"]["citations"][0]["documentId"], document.as_str());

    let unknown = ask(&app, &company, "do you fix helicopters?", None).await;
    assert_eq!(unknown["reply"]["content"], HANDOFF_REPLY);
    assert_eq!(unknown["status"], "human");
    let waiting = app.get("/api/admin/conversations?status=human", Some(&admin)).await;
    let waiting = waiting.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["id"], unknown["conversationId"]);
    assert_eq!(fake.requests().len(), 2);
    app.shutdown().await;
}

#[tokio::test]
async fn a_failing_or_unreachable_provider_falls_back_to_the_builtin_responder() {
    let app = llm_app().await;
    let fake = FakeChatServer::start([FakeReply::status(500)]).await;
    let (admin, company, document) = company_on(&app, "fallback", &fake.base_url()).await;
    let answer = ask(&app, &company, "can I send back something I did not use", None).await;
    assert_eq!(answer["status"], "ai");
    let reply = &answer["reply"];
    assert!(
        reply["content"].as_str().unwrap().contains("return unused items within 30 days"),
        "{reply}"
    );
    assert_eq!(reply["citations"][0]["documentId"], document.as_str());
    assert!(fake.requests().len() >= 2, "the provider was not retried");

    // Nothing listens on the new address: the builtin responder answers at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let ai = json!({"ai": {"baseUrl": format!("http://{closed}/v1")}});
    app.call(Method::PUT, "/api/admin/config", Some(&admin), Some(ai)).await.assert_ok(200);
    let again = ask(&app, &company, "how long do I have to return unused items?", None).await;
    assert!(again["reply"]["content"].as_str().unwrap().contains("30 days"), "{again}");
    app.shutdown().await;
}

/// The company's enabled tools are offered to the model as functions: a call of a plain tool
/// runs it and answers with its result; a call of one that requires approval becomes an
/// approval request and the AI falls silent.
#[tokio::test]
async fn the_models_tool_calls_run_the_companys_tools_or_wait_for_approval() {
    let app = llm_app().await;
    let fake = FakeChatServer::start([
        FakeReply::tool_call("order_status", &["{\"orderNumber\"", ": \"55555\"}"]),
        FakeReply::tool_call("issue_refund", &["{\"orderNumber\": \"55555\"}"]),
    ])
    .await;
    let (admin, company, _) = company_on(&app, "calls", &fake.base_url()).await;
    let params = json!({"type": "object", "required": ["orderNumber"],
        "properties": {"orderNumber": {"type": "string"}}});
    let status_tool = json!({"name": "order_status", "description": "Where an order is.",
        "type": "function", "parameters": params,
        "config": {"script": "`Order ${args.orderNumber} left our warehouse today.`"}});
    app.post("/api/ai/tools", Some(&admin), status_tool).await.assert_ok(201);
    let refund_tool = json!({"name": "issue_refund", "description": "Refunds an order.",
        "type": "function", "parameters": params, "requiresApproval": true,
        "config": {"script": "`Refunded ${args.orderNumber}.`"}});
    app.post("/api/ai/tools", Some(&admin), refund_tool).await.assert_ok(201);

    let first = ask(&app, &company, "where is my order 55555?", None).await;
    assert_eq!(first["reply"]["content"], "Order 55555 left our warehouse today.", "{first}");
    assert_eq!(first["status"], "ai");
    let offered = fake.requests()[0].body["tools"].to_string();
    assert!(offered.contains("order_status") && offered.contains("issue_refund"), "{offered}");

    let session = first["sessionId"].as_str().unwrap();
    let second = ask(&app, &company, "please refund it", Some(session)).await;
    assert_eq!(second["status"], "awaiting_approval", "{second}");
    assert_eq!(second["reply"]["content"], switchboard_engine::APPROVAL_PENDING_REPLY);
    let queue = app.get("/api/admin/queue", Some(&admin)).await;
    let queue = queue.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["proposedAction"]["tool"], "issue_refund");
    assert_eq!(queue[0]["status"], "pending");
    app.shutdown().await;
}

/// A widget that starts its conversation over the socket sees even the first reply stream.
#[tokio::test]
async fn the_first_reply_streams_to_a_socket_that_started_the_conversation() {
    let app = llm_app().await;
    let fake =
        FakeChatServer::start([FakeReply::text(&["You can ", "return unused ", "items [P1]."])])
            .await;
    let (_, company, document) = company_on(&app, "firststream", &fake.base_url()).await;
    let mut widget = new_conversation_socket(&app, &company).await;
    send_json(
        &mut widget,
        json!({"type": "message", "content": "can I send back something I did not use"}),
    )
    .await;
    let frames = frames_until(&mut widget, |f| {
        f["type"] == "message"
            && f["sender"] == "ai"
            && !f["citations"].as_array().unwrap().is_empty()
    })
    .await;
    assert_eq!(frames[0]["type"], "session");
    let deltas: Vec<&Value> = frames.iter().filter(|f| f["type"] == "delta").collect();
    assert_eq!(deltas.len(), 3, "the first reply was not streamed: {frames:#?}");
    let reply = frames.last().unwrap();
    assert!(deltas.iter().all(|d| d["messageId"] == reply["id"]));
    assert_eq!(reply["citations"][0]["documentId"], document.as_str());
    app.shutdown().await;
}

/// An FAQ the match is sure of is answered with its curated answer, without the model; FAQs
/// it is not sure of reach the model as curated answers it may answer with, uncited. FAQs
/// the question does not come near, and disabled ones, are not shown.
#[tokio::test]
async fn faqs_under_the_threshold_are_offered_to_the_model_and_a_sure_one_is_answered_at_once() {
    let app = llm_app().await;
    let fake = FakeChatServer::start([FakeReply::text(&[
        "Use the reset link [F1]",
        " on the sign-in page.",
    ])])
    .await;
    let (admin, company, _) = company_on(&app, "nearfaq", &fake.base_url()).await;
    let answer = "Use the reset link on the sign-in page; it arrives within five minutes.";
    let faqs = [
        json!({"question": "How do I reset my password?", "answer": answer,
            "variants": ["I forgot my password", "password reset"]}),
        json!({"question": "What are your opening hours?", "answer": "Nine to five, weekdays."}),
        json!({"question": "Can I change my password?", "answer": "Not shown.", "enabled": false}),
    ];
    for faq in faqs {
        app.post("/api/ai/faqs", Some(&admin), faq).await.assert_ok(201);
    }

    let sure = ask(&app, &company, "How do I reset my password?", None).await;
    assert_eq!(sure["reply"]["content"], answer, "{sure}");
    assert!(fake.requests().is_empty(), "the model was asked about a sure FAQ");

    // Closest phrasing at cosine 0.53, confidence 0.82: near, but under a strict threshold.
    let strict = json!({"ai": {"faqThreshold": 0.9}});
    app.call(Method::PUT, "/api/admin/config", Some(&admin), Some(strict)).await.assert_ok(200);
    let near = ask(&app, &company, "my login stopped working", None).await;
    assert_eq!(near["status"], "ai", "{near}");
    assert_eq!(near["reply"]["content"], "Use the reset link on the sign-in page.");
    assert_eq!(near["reply"]["citations"], json!([]), "a curated answer is not a source");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let system = requests[0].body["messages"][0]["content"].as_str().unwrap();
    let offered = format!("[F1] Question: How do I reset my password?\nAnswer: {answer}");
    assert!(system.contains(&offered), "{system}");
    assert!(!system.contains("opening hours") && !system.contains("Not shown"), "{system}");
    assert!(!system.contains("[F2]"), "{system}");
    app.shutdown().await;
}
