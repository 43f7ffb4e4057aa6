//! The customer socket: messages sent over it are handled like `POST /api/chat`, replies and
//! status changes arrive as frames, and a widget that reconnects catches up from the record.

use crate::chat::{FAQS, company_with_faqs, messages, open};
use crate::helpers::{spawn_app, spawn_app_with, test_config};
use crate::sockets::{
    customer_socket, frames_until, new_conversation_socket, next_frame, send_json, staff_socket,
    stays_open, upgrade_status, was_closed,
};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn messages_over_the_socket_get_their_replies_in_order() {
    let app = spawn_app().await;
    let (_, company) = company_with_faqs(&app, "socket").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap().to_owned();
    let mut socket = customer_socket(&app, &session, None).await;

    // Two messages at once: each reply follows its own message.
    send_json(&mut socket, json!({"type": "message", "content": FAQS[1].0})).await;
    send_json(&mut socket, json!({"type": "message", "content": FAQS[2].0})).await;
    let frames =
        frames_until(&mut socket, |f| f["type"] == "message" && f["content"] == FAQS[2].1).await;
    let messages_seen: Vec<(&str, &str)> = frames
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| (f["sender"].as_str().unwrap(), f["content"].as_str().unwrap()))
        .collect();
    assert_eq!(
        messages_seen,
        [("customer", FAQS[1].0), ("ai", FAQS[1].1), ("customer", FAQS[2].0), ("ai", FAQS[2].1)]
    );
    assert!(frames.iter().any(|f| f["type"] == "typing" && f["sender"] == "ai"));

    // Every frame's message is already stored (committed before it was announced).
    let stored = messages(&app, &session).await;
    for f in frames.iter().filter(|f| f["type"] == "message") {
        assert!(stored.iter().any(|m| m["id"] == f["id"]), "announced before stored: {f}");
    }

    // Bad frames are answered with an error frame; the socket stays open.
    send_json(&mut socket, json!({"type": "message"})).await;
    assert_eq!(next_frame(&mut socket).await["type"], "error");
    send_json(&mut socket, json!({"type": "message", "content": "x".repeat(4001)})).await;
    let refusal = frames_until(&mut socket, |f| f["type"] == "error").await;
    assert_eq!(refusal.last().unwrap()["code"], "validation_error");
    assert_eq!(messages(&app, &session).await.len(), stored.len(), "a refused message was stored");
    app.shutdown().await;
}

#[tokio::test]
async fn a_reconnecting_widget_catches_up_from_the_record() {
    let app = spawn_app().await;
    let (_, company) = company_with_faqs(&app, "catchup").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap().to_owned();
    let last_seen = data["reply"]["messageId"].as_str().unwrap().to_owned();

    // While the widget is away, two more turns happen over HTTP.
    for (question, _) in &FAQS[1..3] {
        let body = json!({"companyId": company, "message": question, "sessionId": session});
        app.post("/api/chat", None, body).await.assert_ok(200);
    }
    let mut socket = customer_socket(&app, &session, Some(&last_seen)).await;
    let mut missed = Vec::new();
    for _ in 0..4 {
        let frame = next_frame(&mut socket).await;
        assert_eq!(frame["type"], "message");
        missed.push(frame["content"].as_str().unwrap().to_owned());
    }
    assert_eq!(missed, [FAQS[1].0, FAQS[1].1, FAQS[2].0, FAQS[2].1]);

    // An unknown sessionId or a malformed `after` never opens a socket.
    let url =
        format!("ws://{}/api/chat/ws?sessionId=0123456789abcdef0123456789abcdef", app.address);
    assert!(tokio_tungstenite::connect_async(url).await.is_err());
    let url = format!("ws://{}/api/chat/ws?sessionId={session}&after=nope", app.address);
    assert!(tokio_tungstenite::connect_async(url).await.is_err());
    app.shutdown().await;
}

#[tokio::test]
async fn a_socket_opened_with_the_company_starts_the_conversation_with_its_first_message() {
    let app = spawn_app().await;
    let (_, company) = company_with_faqs(&app, "socketstart").await;
    let mut socket = new_conversation_socket(&app, &company).await;

    // Refused first messages change nothing; the socket keeps waiting for a good one.
    send_json(&mut socket, json!({"type": "message", "content": "   "})).await;
    assert_eq!(next_frame(&mut socket).await["code"], "validation_error");
    send_json(&mut socket, json!({"type": "hello"})).await;
    assert_eq!(next_frame(&mut socket).await["code"], "validation_error");
    send_json(&mut socket, json!({"type": "typing"})).await;

    send_json(&mut socket, json!({"type": "message", "content": FAQS[0].0})).await;
    let session = next_frame(&mut socket).await;
    assert_eq!(session["type"], "session", "the sessionId comes first: {session}");
    let session_id = session["sessionId"].as_str().unwrap().to_owned();
    assert_eq!(session_id.len(), 32);
    let frames = frames_until(&mut socket, |f| {
        f["type"] == "message" && f["sender"] == "ai" && f["content"] == FAQS[0].1
    })
    .await;
    let seen: Vec<&str> = frames
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["sender"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ["ai", "customer", "ai"], "greeting, the message, the reply: {frames:#?}");
    assert!(
        frames
            .iter()
            .all(|f| f["type"] != "message" || f["conversationId"] == session["conversationId"])
    );

    // It is now that conversation's socket, and the sessionId works everywhere else.
    send_json(&mut socket, json!({"type": "message", "content": FAQS[1].0})).await;
    frames_until(&mut socket, |f| f["type"] == "message" && f["content"] == FAQS[1].1).await;
    let stored = messages(&app, &session_id).await;
    let contents: Vec<&str> = stored.iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(&contents[1..], [FAQS[0].0, FAQS[0].1, FAQS[1].0, FAQS[1].1]);
    app.shutdown().await;
}

#[tokio::test]
async fn a_new_conversation_socket_obeys_the_same_rules_as_post_chat() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "socketrules").await;
    let (_, other) = app.register("socketrules-other").await;
    let path = format!("/api/chat/ws?companyId={company}");
    assert_eq!(
        upgrade_status(&app, "/api/chat/ws", &[]).await,
        400,
        "neither sessionId nor companyId"
    );
    assert_eq!(upgrade_status(&app, "/api/chat/ws?companyId=nope", &[]).await, 400);
    let unknown = "/api/chat/ws?companyId=01900000-0000-7000-8000-000000000000";
    assert_eq!(upgrade_status(&app, unknown, &[]).await, 404);
    let staff = format!("Bearer {admin}");
    assert_eq!(
        upgrade_status(&app, &path, &[("authorization", &staff)]).await,
        403,
        "a staff token"
    );

    // A customer token of another company: as if the company did not exist.
    let customer =
        app.post("/api/auth/customer/authenticate", None, json!({"companyId": other})).await;
    let token = format!("Bearer {}", customer.assert_ok(200)["token"].as_str().unwrap());
    assert_eq!(upgrade_status(&app, &path, &[("authorization", &token)]).await, 404);
    let other_token = token.trim_start_matches("Bearer ");
    let by_query = format!("{path}&access_token={other_token}");
    assert_eq!(upgrade_status(&app, &by_query, &[]).await, 404, "the same token as access_token");

    // A browser passes its customer token as access_token: the conversation is that customer's.
    let own =
        app.post("/api/auth/customer/authenticate", None, json!({"companyId": company})).await;
    let own = own.assert_ok(200).clone();
    let url = format!("ws://{}{path}&access_token={}", app.address, own["token"].as_str().unwrap());
    let mut socket = tokio_tungstenite::connect_async(url).await.expect("opens").0;
    send_json(&mut socket, json!({"type": "message", "content": FAQS[0].0})).await;
    let session = next_frame(&mut socket).await;
    let id = session["conversationId"].as_str().unwrap();
    let conversation = app.get(&format!("/api/admin/conversations/{id}"), Some(&admin)).await;
    assert_eq!(conversation.assert_ok(200)["customerId"], own["customer"]["id"]);

    // The company's allowed origins, and its demand for signed identities.
    let config = json!({"allowedOrigins": ["https://shop.example.com"]});
    app.call(reqwest::Method::PUT, "/api/admin/config", Some(&admin), Some(config))
        .await
        .assert_ok(200);
    assert_eq!(upgrade_status(&app, &path, &[("origin", "https://evil.example.com")]).await, 403);
    assert_eq!(upgrade_status(&app, &path, &[("origin", "https://shop.example.com")]).await, 101);
    app.post("/api/admin/config/identity-secret", Some(&admin), json!({})).await.assert_ok(200);
    let identity = json!({"identityRequired": true});
    app.call(reqwest::Method::PUT, "/api/admin/config", Some(&admin), Some(identity))
        .await
        .assert_ok(200);
    assert_eq!(upgrade_status(&app, &path, &[("origin", "https://shop.example.com")]).await, 401);
    let signed = format!("{path}&access_token={}", own["token"].as_str().unwrap());
    let status = upgrade_status(&app, &signed, &[("origin", "https://shop.example.com")]).await;
    assert_eq!(status, 101, "a customer token satisfies the identity requirement");
    app.shutdown().await;
}

/// Upgrades to `path` until one is let in, for as long as a closed socket may take to
/// free its place on the server.
async fn opens_again(app: &crate::helpers::TestApp, path: &str) -> bool {
    for _ in 0..50 {
        if upgrade_status(app, path, &[]).await == 101 {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn a_conversation_and_a_staff_session_hold_at_most_eight_sockets() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "slots").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap().to_owned();
    let other = open(&app, &company, "Hello").await["sessionId"].as_str().unwrap().to_owned();

    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(customer_socket(&app, &session, None).await);
    }
    let path = format!("/api/chat/ws?sessionId={session}");
    assert_eq!(upgrade_status(&app, &path, &[]).await, 429, "a ninth socket was let in");
    // Another conversation of the same company is not affected.
    assert_eq!(upgrade_status(&app, &format!("/api/chat/ws?sessionId={other}"), &[]).await, 101);
    // The held sockets still work, and closing one frees its place.
    send_json(&mut held[0], json!({"type": "message", "content": FAQS[1].0})).await;
    let frames = frames_until(&mut held[7], |f| f["content"] == FAQS[1].1).await;
    assert_eq!(frames.last().unwrap()["sender"], "ai");
    let mut closing = held.pop().unwrap();
    closing.close(None).await.expect("the socket closes");
    drop(closing);
    assert!(opens_again(&app, &path).await, "a closed socket's place was not freed");

    // The staff socket: at most eight per login session.
    let mut staff = Vec::new();
    for _ in 0..8 {
        staff.push(crate::sockets::staff_socket(&app, &admin).await);
    }
    let events = format!("/api/events?access_token={admin}");
    assert_eq!(upgrade_status(&app, &events, &[]).await, 429);
    let mut closing = staff.pop().unwrap();
    closing.close(None).await.expect("the socket closes");
    drop(closing);
    assert!(opens_again(&app, &events).await, "a closed staff socket's place was not freed");
    app.shutdown().await;
}

/// A client that answers no ping (a phone gone from the network leaves no close behind) is
/// closed after two and a half pings, freeing its place; one that answers stays open. Both
/// sockets, with the ping at one second.
#[tokio::test]
async fn a_silent_client_is_closed_and_frees_its_place_and_an_answering_one_stays() {
    let mut config = test_config();
    config.socket_ping = Duration::from_secs(1);
    let app = spawn_app_with(config).await;
    let (admin, company) = company_with_faqs(&app, "silence").await;
    let data = open(&app, &company, "When are you open?").await;
    let session = data["sessionId"].as_str().unwrap().to_owned();
    let mut answering = customer_socket(&app, &session, None).await;
    let mut answering_staff = staff_socket(&app, &admin).await;
    let (mut silent, mut silent_staff) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        silent.push(customer_socket(&app, &session, None).await);
        silent_staff.push(staff_socket(&app, &admin).await);
    }
    let path = format!("/api/chat/ws?sessionId={session}");
    let events = format!("/api/events?access_token={admin}");
    assert_eq!(upgrade_status(&app, &path, &[]).await, 429, "eight customer sockets held");
    assert_eq!(upgrade_status(&app, &events, &[]).await, 429, "eight staff sockets held");

    // Four seconds, past the limit of two and a half pings: only the read sockets answer.
    let span = Duration::from_secs(4);
    let (customer_open, staff_open) =
        tokio::join!(stays_open(&mut answering, span), stays_open(&mut answering_staff, span));
    assert!(customer_open && staff_open, "a socket that answered its pings was closed");
    for socket in silent.iter_mut().chain(silent_staff.iter_mut()) {
        assert!(was_closed(socket).await, "a silent socket was left open");
    }
    assert!(opens_again(&app, &path).await, "a silent socket's place was not freed");
    assert!(opens_again(&app, &events).await, "a silent staff socket's place was not freed");

    // The socket that answered still carries the conversation.
    send_json(&mut answering, json!({"type": "message", "content": FAQS[1].0})).await;
    let frames = frames_until(&mut answering, |f| f["content"] == FAQS[1].1).await;
    assert_eq!(frames.last().unwrap()["sender"], "ai");
    app.shutdown().await;
}
