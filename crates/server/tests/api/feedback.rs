//! `POST /api/feedback`: one rating per conversation, only from its customer.

use crate::helpers::{TestApp, World, spawn_app};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use switchboard_domain::{CompanyId, ConversationId, CustomerId};
use switchboard_storage::NewConversation;

/// An anonymous customer of `company`: its token and id.
async fn customer(app: &TestApp, company: &str) -> (String, String) {
    let r = app.post("/api/auth/customer/authenticate", None, json!({"companyId": company})).await;
    let data = r.assert_ok(200);
    (
        data["token"].as_str().unwrap().to_owned(),
        data["customer"]["id"].as_str().unwrap().to_owned(),
    )
}

/// Arranges a conversation directly in storage (conversations cannot be started over HTTP
/// yet) and returns its id and sessionId.
async fn conversation(app: &TestApp, company: &str, customer: Option<&str>) -> (String, String) {
    let session_id = format!("sess-{}", uuid::Uuid::now_v7().simple());
    let company: CompanyId = company.parse().unwrap();
    let new = NewConversation {
        id: ConversationId::new(),
        customer_id: customer.map(|c| c.parse::<CustomerId>().unwrap()),
        session_hash: switchboard_engine::session::session_hash(&session_id),
        category: None,
        now: Utc::now(),
    };
    let c = app.db.create_conversation(company, new).await.expect("create conversation");
    (c.id.to_string(), session_id)
}

fn body(company: &str, conversation: &str, extra: Value) -> Value {
    let mut b = json!({"companyId": company, "conversationId": conversation, "rating": 4});
    b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    b
}

#[tokio::test]
async fn the_sessionid_proves_ownership_once_and_the_rating_reaches_the_log() {
    let app = spawn_app().await;
    let World { a, .. } = app.world().await;
    let (conv, sid) = conversation(&app, &a.company_id, None).await;
    let req = body(
        &a.company_id,
        &conv,
        json!({"sessionId": sid, "rating": 5, "comment": "  Quick and kind  "}),
    );
    let r = app.post("/api/feedback", None, req.clone()).await;
    let data = r.assert_ok(201);
    assert_eq!(data["conversationId"], conv.as_str());
    assert_eq!((&data["rating"], &data["comment"]), (&json!(5), &json!("Quick and kind")));
    assert!(data["id"].is_string() && data["createdAt"].is_string());

    let again = app.post("/api/feedback", None, req).await;
    again.assert_error(409, "conflict");

    let company: CompanyId = a.company_id.parse().unwrap();
    let now = Utc::now();
    let events = app
        .db
        .list_events(company, now - Duration::hours(1), now + Duration::hours(1))
        .await
        .unwrap();
    // The conversation's own events are there too; feedback adds one, not one per attempt.
    let events: Vec<_> = events.into_iter().filter(|e| e.kind.starts_with("feedback")).collect();
    assert_eq!(events.len(), 1, "one event, not one per attempt: {events:?}");
    assert_eq!(events[0].kind, "feedback.submitted");
    assert_eq!(events[0].data["rating"], 5);
    assert!(events[0].data.get("comment").is_none(), "free text stays out of the log");

    let metrics = app.get("/api/admin/performance/company", Some(&a.admin)).await;
    assert_eq!(
        metrics.assert_ok(200)["csat"],
        json!({"count": 1, "mean": 5.0, "positiveShare": 1.0})
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_customer_token_proves_ownership_but_only_its_own() {
    let app = spawn_app().await;
    let World { a, b } = app.world().await;
    let (owner_token, owner_id) = customer(&app, &a.company_id).await;
    let (other_token, _) = customer(&app, &a.company_id).await;
    let (conv, sid) = conversation(&app, &a.company_id, Some(&owner_id)).await;
    let req = body(&a.company_id, &conv, json!({}));

    // Another customer of the same company, even holding the sessionId.
    let with_sid = body(&a.company_id, &conv, json!({"sessionId": sid}));
    app.post("/api/feedback", Some(&other_token), with_sid).await.assert_error(404, "not_found");
    app.post("/api/feedback", Some(&other_token), req.clone()).await.assert_error(404, "not_found");
    // A customer of company B naming A's company.
    app.post("/api/feedback", Some(&b.customer), req.clone()).await.assert_error(404, "not_found");
    // Claiming to be someone else.
    let claim = body(&a.company_id, &conv, json!({"customerId": uuid::Uuid::now_v7()}));
    app.post("/api/feedback", Some(&owner_token), claim).await.assert_error(404, "not_found");

    let ok = body(&a.company_id, &conv, json!({"customerId": owner_id, "comment": ""}));
    let r = app.post("/api/feedback", Some(&owner_token), ok).await;
    assert_eq!(r.assert_ok(201)["comment"], Value::Null, "a blank comment is none");
    app.shutdown().await;
}

#[tokio::test]
async fn without_proof_or_with_the_wrong_one_nothing_is_recorded() {
    let app = spawn_app().await;
    let World { a, b } = app.world().await;
    let (conv, sid) = conversation(&app, &a.company_id, None).await;
    let no_proof = app.post("/api/feedback", None, body(&a.company_id, &conv, json!({}))).await;
    assert_eq!(no_proof.assert_error(401, "unauthorized")["reason"], "proof_required");
    // Without proof, a bad body is still a 401: the fields are judged only after the proof.
    for bad in [json!({"rating": 9}), json!({"companyId": "acme"}), json!({"surprise": 1})] {
        let mut req = body(&a.company_id, &conv, json!({}));
        req.as_object_mut().unwrap().extend(bad.as_object().unwrap().clone());
        let r = app.post("/api/feedback", None, req).await;
        assert_eq!(r.assert_error(401, "unauthorized")["reason"], "proof_required", "{bad}");
    }
    let r = app.post("/api/feedback", None, json!({})).await;
    r.assert_error(401, "unauthorized");
    let wrong = body(&a.company_id, &conv, json!({"sessionId": "guess"}));
    app.post("/api/feedback", None, wrong).await.assert_error(404, "not_found");
    // The right sessionId under another company's id, and an unknown conversation.
    let elsewhere = body(&b.company_id, &conv, json!({"sessionId": sid}));
    app.post("/api/feedback", None, elsewhere).await.assert_error(404, "not_found");
    let unknown =
        body(&a.company_id, &ConversationId::new().to_string(), json!({"sessionId": sid}));
    app.post("/api/feedback", None, unknown).await.assert_error(404, "not_found");
    let nowhere = body(&CompanyId::new().to_string(), &conv, json!({"sessionId": sid}));
    app.post("/api/feedback", None, nowhere).await.assert_error(404, "not_found");
    // Staff do not rate conversations; a bad token is a 401 even on a public route.
    let req = body(&a.company_id, &conv, json!({"sessionId": sid}));
    app.post("/api/feedback", Some(&a.admin), req.clone()).await.assert_error(403, "forbidden");
    app.post("/api/feedback", Some(&a.agent), req.clone()).await.assert_error(403, "forbidden");
    app.post("/api/feedback", Some("garbage"), req.clone()).await.assert_error(401, "unauthorized");
    // After all that, the real owner can still rate it.
    app.post("/api/feedback", None, req).await.assert_ok(201);
    app.shutdown().await;
}

fn fields(details: &Value) -> Vec<&str> {
    details["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let World { a, .. } = app.world().await;
    let (conv, sid) = conversation(&app, &a.company_id, None).await;
    let cases = [
        (json!({"rating": 0}), "rating"),
        (json!({"rating": 6}), "rating"),
        (json!({"rating": 4.5}), "rating"),
        (json!({"rating": "5"}), "rating"),
        (json!({"comment": "x".repeat(2001)}), "comment"),
        (json!({"sessionId": ""}), "sessionId"),
        (json!({"companyId": "acme"}), "companyId"),
        (json!({"conversationId": 7}), "conversationId"),
        (json!({"surprise": true}), "surprise"),
    ];
    for (extra, field) in cases {
        let mut req = body(&a.company_id, &conv, json!({"sessionId": sid}));
        req.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let r = app.post("/api/feedback", None, req.clone()).await;
        let details = r.assert_error(400, "validation_error");
        assert_eq!(fields(details), [field], "{req}");
    }
    let mut missing = body(&a.company_id, &conv, json!({"sessionId": sid}));
    missing.as_object_mut().unwrap().remove("rating");
    let r = app.post("/api/feedback", None, missing).await;
    assert_eq!(fields(r.assert_error(400, "validation_error")), ["rating"]);
    // 2000 characters is fine.
    let long = body(&a.company_id, &conv, json!({"sessionId": sid, "comment": "y".repeat(2000)}));
    app.post("/api/feedback", None, long).await.assert_ok(201);
    app.shutdown().await;
}
