//! Agents and admins in conversations: the agent's list, takeover silencing the AI, writing
//! to the customer, release back to the AI, close asking for feedback, the admin's filtered
//! view, and the staff event socket that reports it all to those who may see it.

use crate::chat::{FAQS, chat, company_with_faqs, open};
use crate::helpers::{TestApp, spawn_app};
use crate::sockets::{customer_socket, frames_until, staff_socket, stays_quiet};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_domain::Role;
use switchboard_engine::{CLOSED_NOTE, JOINED_NOTE, RELEASED_NOTE};

async fn agent(app: &TestApp, company: &str, email: &str) -> (String, String) {
    let login = app.add_staff(company, email, Role::CompanyAgent, false).await;
    (login["token"].as_str().unwrap().to_owned(), login["user"]["id"].as_str().unwrap().to_owned())
}

fn ids(reply: &Value) -> Vec<String> {
    reply.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn takeover_silences_the_ai_and_the_agent_talks_releases_and_closes() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "takeover").await;
    let (ann, ann_id) = agent(&app, &company, "ann@takeover.example.com").await;
    let (ben, _) = agent(&app, &company, "ben@takeover.example.com").await;
    let data = open(&app, &company, "When are you open?").await;
    let (session, id) = (
        data["sessionId"].as_str().unwrap().to_owned(),
        data["conversationId"].as_str().unwrap().to_owned(),
    );
    let base = format!("/api/agent/conversations/{id}");
    let mut widget = customer_socket(&app, &session, None).await;
    let mut ann_events = staff_socket(&app, &ann).await;
    let mut ben_events = staff_socket(&app, &ben).await;

    // Live and unowned: both agents see it; neither may write before taking it over.
    for token in [&ann, &ben] {
        let list = app.get("/api/agent/conversations", Some(token)).await;
        assert_eq!(ids(list.assert_ok(200)), [id.as_str()]);
    }
    app.post(&format!("{base}/messages"), Some(&ann), json!({"content": "hi"}))
        .await
        .assert_error(409, "conflict");

    let taken = app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await;
    let taken = taken.assert_ok(200);
    assert_eq!(taken["status"], "human");
    assert_eq!(taken["assignedAgentId"], ann_id.as_str());
    let frames = frames_until(&mut widget, |f| f["type"] == "message").await;
    assert!(frames.iter().any(|f| f["type"] == "status" && f["status"] == "human"));
    assert_eq!(frames.last().unwrap()["content"], JOINED_NOTE);
    let updates = frames_until(&mut ann_events, |f| f["type"] == "conversation.updated").await;
    assert_eq!(updates.last().unwrap()["data"]["assignedAgentId"], ann_id.as_str());

    // Now Ann's: Ben no longer sees it and cannot touch it.
    let list = app.get("/api/agent/conversations", Some(&ben)).await;
    assert!(ids(list.assert_ok(200)).is_empty());
    for action in ["takeover", "release", "close"] {
        app.post(&format!("{base}/{action}"), Some(&ben), json!({}))
            .await
            .assert_error(404, "not_found");
    }
    app.get(&base, Some(&ben)).await.assert_error(404, "not_found");

    // The customer writes: no AI reply, and the message reaches Ann but not Ben.
    let body = json!({"companyId": company, "message": FAQS[1].0, "sessionId": session});
    let sent = chat(&app, None, body).await;
    assert!(sent.assert_ok(200)["reply"].is_null(), "the AI spoke in a person's conversation");
    let created = frames_until(&mut ann_events, |f| {
        f["type"] == "message.created" && f["data"]["sender"] == "customer"
    })
    .await;
    assert_eq!(created.last().unwrap()["data"]["content"], FAQS[1].0);
    if let Some(leak) = stays_quiet(&mut ben_events, Duration::from_millis(300)).await {
        assert_ne!(leak["data"]["content"], FAQS[1].0, "Ben saw Ann's conversation: {leak}");
    }

    // Ann answers; the widget gets it.
    let said = app
        .post(&format!("{base}/messages"), Some(&ann), json!({"content": "Happy to help!"}))
        .await;
    assert_eq!(said.assert_ok(201)["sender"], "agent");
    let frames =
        frames_until(&mut widget, |f| f["type"] == "message" && f["sender"] == "agent").await;
    assert_eq!(frames.last().unwrap()["content"], "Happy to help!");

    // Released: the AI answers again.
    let released = app.post(&format!("{base}/release"), Some(&ann), json!({})).await;
    assert_eq!(released.assert_ok(200)["status"], "ai");
    assert!(released.body["data"]["assignedAgentId"].is_null());
    let frames =
        frames_until(&mut widget, |f| f["type"] == "message" && f["content"] == RELEASED_NOTE)
            .await;
    assert!(frames.iter().any(|f| f["type"] == "status" && f["status"] == "ai"));
    let body = json!({"companyId": company, "message": FAQS[2].0, "sessionId": session});
    assert_eq!(chat(&app, None, body).await.assert_ok(200)["reply"]["content"], FAQS[2].1);

    // Closed by its owner: the customer is asked for feedback.
    app.post(&format!("{base}/takeover"), Some(&ann), json!({})).await.assert_ok(200);
    let closed =
        app.post(&format!("{base}/close"), Some(&ann), json!({"resolution": "answered"})).await;
    let closed = closed.assert_ok(200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["resolution"], "answered");
    let frames =
        frames_until(&mut widget, |f| f["type"] == "status" && f["status"] == "closed").await;
    assert_eq!(frames.last().unwrap()["feedbackRequested"], true);
    let note = frames_until(&mut widget, |f| f["type"] == "message").await;
    assert_eq!(note.last().unwrap()["content"], CLOSED_NOTE);
    app.post(&format!("{base}/close"), Some(&ann), json!({})).await.assert_error(409, "conflict");

    // The admin sees it all, filtered, with its messages.
    let by = |query: &str| {
        let path = format!("/api/admin/conversations?{query}");
        let (app, admin) = (&app, &admin);
        async move { app.get(&path, Some(admin)).await }
    };
    assert_eq!(ids(by("status=closed").await.assert_ok(200)), [id.as_str()]);
    assert_eq!(ids(by(&format!("agentId={ann_id}")).await.assert_ok(200)), [id.as_str()]);
    assert!(ids(by("status=ai").await.assert_ok(200)).is_empty());
    by("status=sleeping").await.assert_error(400, "validation_error");
    let detail = app.get(&format!("/api/admin/conversations/{id}"), Some(&admin)).await;
    let detail = detail.assert_ok(200);
    let senders: Vec<&str> = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["sender"].as_str().unwrap())
        .collect();
    assert_eq!(
        senders,
        [
            "ai", "customer", "ai", "system", "customer", "agent", "system", "customer", "ai",
            "system", "system"
        ]
    );
    // The agent's own detail view works while it owns it; a closed one it owned stays visible.
    app.get(&base, Some(&ann)).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn new_conversations_are_classified_for_agents() {
    let app = spawn_app().await;
    let (admin, company) = app.register("classified").await;
    let data = open(&app, &company, "My credit card was charged two times this month").await;
    let id = data["conversationId"].as_str().unwrap();
    // The company's first request trains its model, so its verdict may land just after.
    let mut detail = Value::Null;
    for _ in 0..600 {
        let reply = app.get(&format!("/api/admin/conversations/{id}"), Some(&admin)).await;
        detail = reply.assert_ok(200).clone();
        if !detail["category"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(detail["category"], "billing", "{detail:#}");
    assert_eq!(detail["classification"]["category"]["label"], "billing");
    assert!(!detail["classification"]["category"]["reasons"].as_array().unwrap().is_empty());
    assert!(["negative", "neutral", "positive"].contains(&detail["sentiment"].as_str().unwrap()));
    let list = app.get("/api/admin/conversations?category=billing", Some(&admin)).await;
    assert_eq!(ids(list.assert_ok(200)), [id]);
    let list = app.get("/api/admin/conversations?category=shipping", Some(&admin)).await;
    assert!(ids(list.assert_ok(200)).is_empty());
    app.shutdown().await;
}

#[tokio::test]
async fn the_event_socket_admits_staff_only_and_reports_agent_status() {
    let app = spawn_app().await;
    let (admin, company) = app.register("events").await;
    let (ann, ann_id) = agent(&app, &company, "ann@events.example.com").await;
    let (other_admin, _) = app.register("elsewhere").await;
    let mut admin_events = staff_socket(&app, &admin).await;
    let mut other_events = staff_socket(&app, &other_admin).await;

    let status = app.post("/api/agent/status", Some(&ann), json!({"status": "busy"})).await;
    status.assert_ok(200);
    let frames = frames_until(&mut admin_events, |f| f["type"] == "agent.status").await;
    let data = &frames.last().unwrap()["data"];
    assert_eq!(
        (data["agentId"].as_str().unwrap(), data["status"].as_str().unwrap()),
        (ann_id.as_str(), "busy")
    );
    assert!(
        stays_quiet(&mut other_events, Duration::from_millis(300)).await.is_none(),
        "another company heard it"
    );

    // A customer token, a bad token or none at all opens nothing; the header works too.
    let customer = app.anonymous_customer(&company).await;
    for url in [
        format!("ws://{}/api/events?access_token={customer}", app.address),
        format!("ws://{}/api/events?access_token=garbage", app.address),
        format!("ws://{}/api/events", app.address),
    ] {
        assert!(tokio_tungstenite::connect_async(url).await.is_err());
    }
    let plain = app.get("/api/events", Some(&customer)).await;
    plain.assert_error(403, "forbidden");
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}/api/events",
            app.address
        ))
        .unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {ann}").parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_ok());

    // Logging out ends the socket at its next heartbeat; a new one is refused at once.
    app.call(Method::POST, "/api/auth/logout", Some(&admin), None).await;
    let url = format!("ws://{}/api/events?access_token={admin}", app.address);
    assert!(tokio_tungstenite::connect_async(url).await.is_err());
    app.shutdown().await;
}
