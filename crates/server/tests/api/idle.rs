//! Conversations the customer walked away from while the AI held them are closed by the idle
//! sweep, with a request for feedback, and count as the AI's resolutions; ones waiting for a
//! person are left alone.

use crate::chat::{company_with_faqs, open};
use crate::helpers::spawn_app;
use crate::sockets::{customer_socket, frames_until};
use serde_json::json;
use switchboard_engine::CLOSED_NOTE;

#[tokio::test]
async fn quiet_ai_conversations_close_with_a_feedback_request_and_count_as_ai_resolved() {
    let app = spawn_app().await;
    let (admin, company) = company_with_faqs(&app, "idle").await;
    let answered = open(&app, &company, "When are you open?").await;
    let waiting = open(&app, &company, "Do you repair helicopter engines?").await;
    assert_eq!(waiting["status"], "human");
    let session = answered["sessionId"].as_str().unwrap();
    let mut widget = customer_socket(&app, session, None).await;

    // Nothing is idle yet.
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    assert_eq!(app.conversations.close_idle(an_hour_ago).await.unwrap(), 0);
    // Everything before now is: only the AI's conversation closes.
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(app.conversations.close_idle(now).await.unwrap(), 1);
    assert_eq!(app.conversations.close_idle(now).await.unwrap(), 0, "closed twice");

    let frames = frames_until(&mut widget, |f| f["type"] == "message").await;
    assert!(frames.iter().any(|f| f["status"] == "closed" && f["feedbackRequested"] == true));
    assert_eq!(frames.last().unwrap()["content"], CLOSED_NOTE);
    let id = answered["conversationId"].as_str().unwrap();
    let detail = app.get(&format!("/api/admin/conversations/{id}"), Some(&admin)).await;
    let detail = detail.assert_ok(200);
    assert_eq!((&detail["status"], &detail["resolution"]), (&json!("closed"), &json!("inactive")));
    let other = waiting["conversationId"].as_str().unwrap();
    let other = app.get(&format!("/api/admin/conversations/{other}"), Some(&admin)).await;
    assert_eq!(other.assert_ok(200)["status"], "human");

    // The customer may still rate it, and analytics counts an AI-only resolution.
    let rating =
        json!({"companyId": company, "conversationId": id, "sessionId": session, "rating": 5});
    app.post("/api/feedback", None, rating).await.assert_ok(201);
    let report = app.get("/api/admin/performance/company", Some(&admin)).await;
    let report = report.assert_ok(200);
    assert_eq!(report["conversations"]["closed"], 1, "{report:#}");
    assert_eq!(report["aiResolutionRate"], 1.0);
    assert_eq!(report["csat"]["mean"], 5.0);
    app.shutdown().await;
}
