//! The customer socket: messages sent over it are handled like `POST /api/chat`, replies and
//! status changes arrive as frames, and a widget that reconnects catches up from the record.

use crate::chat::{FAQS, company_with_faqs, messages, open};
use crate::helpers::spawn_app;
use crate::sockets::{customer_socket, frames_until, next_frame, send_json};
use serde_json::json;

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
