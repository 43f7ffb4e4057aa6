//! `POST /api/chat` and `GET /api/chat/{sessionId}/messages`: a conversation opens with the
//! greeting, answers from the company's FAQs and documents, hands off honestly, keeps its
//! messages in order under concurrent sends, and admits only the conversation's own callers.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use switchboard_engine::HANDOFF_REPLY;

/// FAQs whose answers tell apart which question a reply answers.
pub const FAQS: [(&str, &str); 4] = [
    ("When are you open?", "We are open nine to five, Monday to Friday."),
    ("Where is your shop?", "Our shop is at 12 Harbour Street."),
    ("How much is delivery?", "Delivery costs four pounds, free over fifty."),
    ("Can I pay with PayPal?", "Yes, we take PayPal and all major cards."),
];

/// A company with [`FAQS`]; returns (admin token, company id).
pub async fn company_with_faqs(app: &TestApp, tag: &str) -> (String, String) {
    let (admin, company) = app.register(tag).await;
    for (question, answer) in FAQS {
        let faq = json!({"question": question, "answer": answer});
        app.post("/api/ai/faqs", Some(&admin), faq).await.assert_ok(201);
    }
    (admin, company)
}

pub async fn chat(app: &TestApp, token: Option<&str>, body: Value) -> crate::helpers::Reply {
    app.post("/api/chat", token, body).await
}

/// Starts a conversation anonymously; returns the whole `data`.
pub async fn open(app: &TestApp, company: &str, message: &str) -> Value {
    chat(app, None, json!({"companyId": company, "message": message})).await.assert_ok(200).clone()
}

pub async fn messages(app: &TestApp, session: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/chat/{session}/messages?limit=200"), None).await;
    reply.assert_ok(200).as_array().expect("a list").clone()
}

#[tokio::test]
async fn a_conversation_opens_with_the_greeting_and_answers_from_the_faqs() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "greeting").await;
    let greeting = "Hello! Ask me anything about our shop.";
    let config = json!({"greetingMessage": greeting});
    app.call(reqwest::Method::PUT, "/api/admin/config", Some(&admin), Some(config))
        .await
        .assert_ok(200);

    let data = open(&app, &company, "what time do you open").await;
    let session = data["sessionId"].as_str().unwrap();
    assert_eq!(session.len(), 32, "a 128-bit hex secret");
    assert!(session.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(data["greeting"]["content"], greeting);
    assert_eq!(data["status"], "ai");
    assert_eq!(data["reply"]["sender"], "ai");
    assert_eq!(data["reply"]["content"], FAQS[0].1);
    assert_eq!(data["message"]["sender"], "customer");

    // The next message continues the same conversation, without a second greeting.
    let next = chat(&app, None, json!({"companyId": company, "message": "where is the shop located?", "sessionId": session}))
        .await;
    let next = next.assert_ok(200);
    assert_eq!(next["conversationId"], data["conversationId"]);
    assert!(next["greeting"].is_null());
    assert_eq!(next["reply"]["content"], FAQS[1].1);

    // Everything was stored, in order, before it was acknowledged.
    let stored = messages(&app, session).await;
    let senders: Vec<&str> = stored.iter().map(|m| m["sender"].as_str().unwrap()).collect();
    assert_eq!(senders, ["ai", "customer", "ai", "customer", "ai"]);
    assert_eq!(stored[0]["content"], greeting);
    assert_eq!(stored[1]["id"], data["message"]["id"]);
    assert_eq!(stored[2]["id"], data["reply"]["messageId"]);
    assert_eq!(stored[4]["content"], FAQS[1].1);

    // The messages page: the cursor is the last message's id.
    let first = app.get(&format!("/api/chat/{session}/messages?limit=2"), None).await;
    assert_eq!(first.assert_ok(200).as_array().unwrap().len(), 2);
    let cursor = first.body["nextCursor"].as_str().unwrap().to_owned();
    let rest = app.get(&format!("/api/chat/{session}/messages?cursor={cursor}"), None).await;
    let rest = rest.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(rest.len(), 3);
    assert_eq!(rest[0]["id"], stored[2]["id"]);
    app.shutdown().await;
}

#[tokio::test]
async fn questions_the_knowledge_cannot_answer_are_handed_off_and_the_ai_falls_silent() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "handoff").await;
    let data = open(&app, &company, "Do you repair helicopter engines?").await;
    assert_eq!(data["reply"]["content"], HANDOFF_REPLY);
    assert_eq!(data["status"], "human");
    let session = data["sessionId"].as_str().unwrap();

    // Waiting for a person: the AI says nothing more, even to a question it could answer.
    let more = chat(
        &app,
        None,
        json!({"companyId": company, "message": "When are you open?", "sessionId": session}),
    )
    .await;
    let more = more.assert_ok(200);
    assert!(more["reply"].is_null(), "the AI spoke while a person was awaited: {more}");
    assert_eq!(more["status"], "human");

    let list = app.get("/api/admin/conversations?status=human", Some(&admin)).await;
    let list = list.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], data["conversationId"]);
    assert!(list[0]["handedOffAt"].is_string());
    app.shutdown().await;
}

#[tokio::test]
async fn concurrent_sends_get_their_own_replies_in_order() {
    let app = spawn_app().await;
    let (_, company) = company_with_faqs(&app, "order").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap().to_owned();
    let questions = [
        "Where is your shop?",
        "How much is delivery?",
        "Can I pay with PayPal?",
        "When are you open?",
    ];
    let sends = questions.iter().map(|q| {
        chat(&app, None, json!({"companyId": company, "message": q, "sessionId": session}))
    });
    let replies = futures_util::future::join_all(sends).await;
    for (q, reply) in questions.iter().zip(&replies) {
        let d = reply.assert_ok(200);
        let expected = FAQS.iter().find(|(question, _)| question == q).unwrap().1;
        assert_eq!(d["reply"]["content"], expected, "the reply to {q:?} answered another message");
    }
    // Stored strictly alternating: every reply right after its own question.
    let stored = messages(&app, &session).await;
    assert_eq!(stored.len(), 1 + 2 * (1 + questions.len()));
    for pair in stored[1..].chunks(2) {
        assert_eq!(pair[0]["sender"], "customer");
        assert_eq!(pair[1]["sender"], "ai");
        let (_, answer) = FAQS.iter().find(|(q, _)| *q == pair[0]["content"]).unwrap();
        assert_eq!(pair[1]["content"], *answer, "interleaved turns: {stored:#?}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn sessions_of_other_companies_and_customers_are_refused() {
    let app = spawn_app().await;
    let (_, alpha) = company_with_faqs(&app, "alpha").await;
    let (_, bravo) = company_with_faqs(&app, "bravo").await;
    let alice = app.anonymous_customer(&alpha).await;
    let bob = app.anonymous_customer(&alpha).await;
    let bravo_customer = app.anonymous_customer(&bravo).await;

    let data =
        chat(&app, Some(&alice), json!({"companyId": alpha, "message": "When are you open?"}))
            .await;
    let session = data.assert_ok(200)["sessionId"].as_str().unwrap().to_owned();
    let continue_as = |token: Option<String>, company: String| {
        let body = json!({"companyId": company, "message": "hello", "sessionId": session});
        let app = &app;
        async move { chat(app, token.as_deref(), body).await }
    };
    // Its own customer may go on; another customer, another company's customer, or the
    // sessionId sent with another company's id may not.
    continue_as(Some(alice.clone()), alpha.clone()).await.assert_ok(200);
    continue_as(Some(bob.clone()), alpha.clone()).await.assert_error(404, "not_found");
    continue_as(Some(bravo_customer.clone()), bravo.clone()).await.assert_error(404, "not_found");
    continue_as(None, bravo.clone()).await.assert_error(404, "not_found");
    let path = format!("/api/chat/{session}/messages");
    app.get(&path, Some(&bob)).await.assert_error(404, "not_found");
    app.get(&path, Some(&bravo_customer)).await.assert_error(404, "not_found");
    app.get(&path, Some(&alice)).await.assert_ok(200);
    // Unknown and malformed sessionIds look the same.
    for bad in ["0123456789abcdef0123456789abcdef", "short", "../../etc"] {
        let body = json!({"companyId": alpha, "message": "hi", "sessionId": bad});
        chat(&app, None, body).await.assert_error(404, "not_found");
    }
    app.get("/api/chat/0123456789abcdef0123456789abcdef/messages", None)
        .await
        .assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn bad_messages_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "limits").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap();
    for message in [String::new(), "   ".to_owned(), "x".repeat(4001)] {
        let body = json!({"companyId": company, "message": message, "sessionId": session});
        chat(&app, None, body).await.assert_error(400, "validation_error");
    }
    let body = json!({"companyId": company, "message": "hi", "surprise": true});
    chat(&app, None, body).await.assert_error(400, "validation_error");
    // A struct's fields as an array are not a body of this API.
    let fields = chat(&app, None, json!([company, "hi", null, session])).await;
    assert_eq!(fields.assert_error(400, "validation_error")["fields"][0]["field"], "body");
    assert_eq!(messages(&app, session).await.len(), 3, "a refused message was stored");
    // Staff do not chat as customers.
    let body = json!({"companyId": company, "message": "hi"});
    chat(&app, Some(&admin), body).await.assert_error(403, "forbidden");

    // A company that requires signed identities refuses anonymous new conversations.
    app.post("/api/admin/config/identity-secret", Some(&admin), json!({})).await.assert_ok(200);
    let identity = json!({"identityRequired": true});
    app.call(reqwest::Method::PUT, "/api/admin/config", Some(&admin), Some(identity))
        .await
        .assert_ok(200);
    let reply = chat(&app, None, json!({"companyId": company, "message": "hi"})).await;
    reply.assert_error(401, "unauthorized");
    assert_eq!(reply.body["error"]["details"]["reason"], "identity_required");
    app.shutdown().await;
}

#[tokio::test]
async fn the_public_chat_obeys_the_companys_allowed_origins() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "origins").await;
    let config = json!({"allowedOrigins": ["https://shop.example.com"]});
    app.call(reqwest::Method::PUT, "/api/admin/config", Some(&admin), Some(config))
        .await
        .assert_ok(200);
    let send = |origin: &'static str| {
        app.client
            .post(app.url("/api/chat"))
            .header("origin", origin)
            .json(&json!({"companyId": company, "message": "When are you open?"}))
            .send()
    };
    let allowed = crate::helpers::read(send("https://shop.example.com").await.unwrap()).await;
    let session = allowed.assert_ok(200)["sessionId"].as_str().unwrap().to_owned();
    let refused = crate::helpers::read(send("https://evil.example.net").await.unwrap()).await;
    refused.assert_error(403, "forbidden");
    let history = app
        .client
        .get(app.url(&format!("/api/chat/{session}/messages")))
        .header("origin", "https://evil.example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(history.status(), 403);
    app.shutdown().await;
}

#[tokio::test]
async fn a_closed_conversation_takes_no_more_messages() {
    let app = spawn_app().await;
    let (_, company) = company_with_faqs(&app, "closed").await;
    let agent = app
        .add_staff(
            &company,
            "agent@closed.example.com",
            switchboard_domain::Role::CompanyAgent,
            false,
        )
        .await;
    let agent = agent["token"].as_str().unwrap().to_owned();
    let data = open(&app, &company, "When are you open?").await;
    let (session, id) =
        (data["sessionId"].as_str().unwrap(), data["conversationId"].as_str().unwrap());
    let base = format!("/api/agent/conversations/{id}");
    app.post(&format!("{base}/takeover"), Some(&agent), json!({})).await.assert_ok(200);
    app.post(&format!("{base}/close"), Some(&agent), json!({"resolution": "answered"}))
        .await
        .assert_ok(200);
    let body = json!({"companyId": company, "message": "one more thing", "sessionId": session});
    chat(&app, None, body).await.assert_error(409, "conflict");
    app.shutdown().await;
}

/// The acceptance journey: an FAQ's curated answer, then a passage of an uploaded document
/// with its citation, then an honest handoff, in one conversation.
#[tokio::test]
async fn faq_then_document_then_neither_gives_answer_citation_and_handoff() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "journey").await;
    let content = "Returns policy.\n\nYou can return unused items within 30 days. \
        Refunds reach your card within five working days of the parcel arriving.";
    let doc = json!({"title": "Returns policy", "content": content, "format": "markdown"});
    let doc = app.post("/api/ai/knowledge-base", Some(&admin), doc).await;
    let document = doc.assert_ok(201)["id"].as_str().unwrap().to_owned();
    app.wait_for_document(&admin, &document).await;

    let first = open(&app, &company, "what are your opening hours?").await;
    assert_eq!(first["reply"]["content"], FAQS[0].1);
    assert!(first["reply"]["citations"].as_array().unwrap().is_empty());
    let session = first["sessionId"].as_str().unwrap();

    let body = json!({"companyId": company, "message": "can I send back something I did not use", "sessionId": session});
    let second = chat(&app, None, body).await;
    let second = second.assert_ok(200);
    let reply = &second["reply"];
    assert!(
        reply["content"].as_str().unwrap().contains("You can return unused items within 30 days."),
        "{reply}"
    );
    assert_eq!(reply["citations"][0]["documentId"], document.as_str());
    assert_eq!(reply["citations"][0]["title"], "Returns policy");
    assert_eq!(second["status"], "ai");

    let body = json!({"companyId": company, "message": "Do you sell tickets to the opera?", "sessionId": session});
    let third = chat(&app, None, body).await;
    let third = third.assert_ok(200);
    assert_eq!(third["reply"]["content"], HANDOFF_REPLY);
    assert_eq!(third["status"], "human");
    app.shutdown().await;
}
