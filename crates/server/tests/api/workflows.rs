//! Workflows over HTTP: create (every trigger and step type, exactly as api.md writes them),
//! defaults, partial updates, delete, unique names, and validation errors that name the step
//! for each kind of mistake.

use crate::helpers::{Reply, TestApp, spawn_app};
use crate::knowledge::fields;
use reqwest::Method;
use serde_json::{Value, json};

const WORKFLOWS: &str = "/api/ai/workflows";

fn refund_steps() -> Value {
    json!([
        {"type": "message", "content": "Sorry about that, let's fix it."},
        {"type": "ask", "field": "order", "prompt": "What is your order number?",
         "pattern": "\\b[0-9]{6}\\b"},
        {"type": "tool", "tool": "refund_order", "arguments": {"order": "{{order}}"}},
        {"type": "set_priority", "priority": "high"},
        {"type": "message", "content": "Order {{order}} is refunded."},
        {"type": "handoff", "reason": "confirm the refund"},
        {"type": "close"}
    ])
}

fn refund_workflow() -> Value {
    json!({
        "name": "Refunds",
        "description": "Refunds an order after asking for its number.",
        "trigger": {"type": "keyword", "keywords": ["refund", "money back"]},
        "steps": refund_steps(),
        "enabled": false,
    })
}

/// A company with the `refund_order` tool; returns the admin's token.
async fn company_with_tool(app: &TestApp, tag: &str) -> String {
    let (admin, _) = app.register(tag).await;
    let tool = json!({"name": "refund_order", "description": "Refunds an order.",
        "type": "function", "config": {"script": "\"done\""}});
    app.post("/api/ai/tools", Some(&admin), tool).await.assert_ok(201);
    admin
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

#[tokio::test]
async fn a_workflow_is_created_read_changed_in_part_and_deleted() {
    let app = spawn_app().await;
    let admin = company_with_tool(&app, "wfcrud").await;
    let body = refund_workflow();
    let reply = app.post(WORKFLOWS, Some(&admin), body.clone()).await;
    let workflow = reply.assert_ok(201).clone();
    for key in ["name", "description", "trigger", "steps", "enabled"] {
        assert_eq!(workflow[key], body[key], "{key}: {}", reply.text);
    }
    let path = format!("{WORKFLOWS}/{}", workflow["id"].as_str().unwrap());
    assert_eq!(app.get(&path, Some(&admin)).await.assert_ok(200), &workflow);
    assert_eq!(app.get(WORKFLOWS, Some(&admin)).await.assert_ok(200), &json!([workflow.clone()]));

    let trigger = json!({"type": "category", "categories": ["billing"]});
    let reply = put(&app, &path, &admin, json!({"trigger": trigger, "enabled": true})).await;
    let changed = reply.assert_ok(200).clone();
    assert_eq!((&changed["trigger"], &changed["enabled"]), (&trigger, &json!(true)));
    for key in ["id", "name", "description", "steps", "createdAt"] {
        assert_eq!(changed[key], workflow[key], "{key} changed: {}", reply.text);
    }
    let reply = put(&app, &path, &admin, json!({"steps": [{"type": "close"}]})).await;
    assert_eq!(reply.assert_ok(200)["steps"], json!([{"type": "close"}]));

    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_ok(200);
    app.get(&path, Some(&admin)).await.assert_error(404, "not_found");
    app.call(Method::DELETE, &path, Some(&admin), None).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn a_bare_workflow_gets_the_defaults_and_names_are_unique() {
    let app = spawn_app().await;
    let admin = company_with_tool(&app, "wfdefaults").await;
    let bare = json!({"name": "Welcome", "trigger": {"type": "conversation_start"},
                      "steps": [{"type": "message", "content": "Hi there!"}]});
    let reply = app.post(WORKFLOWS, Some(&admin), bare.clone()).await;
    let created = reply.assert_ok(201);
    assert_eq!((&created["description"], &created["enabled"]), (&json!(""), &json!(true)));
    app.post(WORKFLOWS, Some(&admin), bare).await.assert_error(409, "conflict");
    let other = app.post(WORKFLOWS, Some(&admin), refund_workflow()).await;
    let path = format!("{WORKFLOWS}/{}", other.assert_ok(201)["id"].as_str().unwrap());
    put(&app, &path, &admin, json!({"name": "Welcome"})).await.assert_error(409, "conflict");
    app.shutdown().await;
}

/// Each kind of mistake is a 400 whose field names the step, and whose message names the
/// step's index and type.
#[tokio::test]
async fn validation_errors_name_the_step() {
    let app = spawn_app().await;
    let admin = company_with_tool(&app, "wfinvalid").await;
    let with_steps = |steps: Value| json!({"name": "W", "trigger": {"type": "keyword", "keywords": ["help"]}, "steps": steps});
    let ask = json!({"type": "ask", "field": "order", "prompt": "Order?", "pattern": "[0-9]+"});
    let close = json!({"type": "close"});
    let cases = [
        // unknown step type
        (with_steps(json!([close, {"type": "launch_rocket"}])), "steps[1].type", "step 1"),
        // a reference to a field no earlier ask collects (later ones do not count)
        (
            with_steps(json!([{"type": "message", "content": "About {{order}}"}, ask])),
            "steps[0].content",
            "message step 0",
        ),
        (
            with_steps(json!([ask, {"type": "tool", "tool": "refund_order",
                                 "arguments": {"order": "{{order}}", "note": "{{reason}}"}}])),
            "steps[1].arguments.note",
            "tool step 1",
        ),
        // a bad pattern
        (
            with_steps(
                json!([close, close, {"type": "ask", "field": "o", "prompt": "?", "pattern": "([0-9"}]),
            ),
            "steps[2].pattern",
            "ask step 2",
        ),
        // a tool the company does not have
        (
            with_steps(json!([{"type": "tool", "tool": "launch_rocket"}])),
            "steps[0].tool",
            "tool step 0",
        ),
        // a field missing from a step
        (
            with_steps(json!([{"type": "ask", "field": "o", "pattern": "x"}])),
            "steps[0].prompt",
            "ask step 0",
        ),
        (
            with_steps(json!([{"type": "set_priority", "priority": "urgent"}])),
            "steps[0].priority",
            "set_priority step 0",
        ),
        (
            with_steps(json!([{"type": "handoff", "reason": "r".repeat(501)}])),
            "steps[0].reason",
            "handoff step 0",
        ),
        // limits
        (with_steps(json!([])), "steps", "at least one"),
        (with_steps(json!(vec![close.clone(); 51])), "steps", "at most 50"),
        (
            json!({"name": "W", "trigger": {"type": "keyword", "keywords": vec!["k"; 51]}, "steps": [close]}),
            "trigger.keywords",
            "1 to 50",
        ),
        (
            json!({"name": "W", "trigger": {"type": "sometimes"}, "steps": [close]}),
            "trigger.type",
            "sometimes",
        ),
        (json!({"trigger": {"type": "conversation_start"}, "steps": [close]}), "name", "required"),
        (json!({"name": "W", "steps": [close]}), "trigger", "required"),
        (json!({"name": "W", "trigger": {"type": "conversation_start"}}), "steps", "required"),
        (
            json!({"name": "W", "trigger": {"type": "conversation_start"}, "steps": {"type": "close"}}),
            "steps",
            "invalid type",
        ),
    ];
    for (body, field, says) in cases {
        let reply = app.post(WORKFLOWS, Some(&admin), body.clone()).await;
        let named = fields(&reply);
        assert!(named.contains(&field.to_owned()), "{body}: expected {field} in {named:?}");
        assert!(reply.text.contains(says), "{body}: expected {says:?} in {}", reply.text);
    }
    assert_eq!(app.get(WORKFLOWS, Some(&admin)).await.assert_ok(200), &json!([]), "nothing stored");

    // An update is checked whole, against the tools as they are now.
    let reply = app.post(WORKFLOWS, Some(&admin), refund_workflow()).await;
    let path = format!("{WORKFLOWS}/{}", reply.assert_ok(201)["id"].as_str().unwrap());
    let steps = json!([{"type": "message", "content": "Hi {{name}}"}]);
    let reply = put(&app, &path, &admin, json!({"steps": steps})).await;
    assert_eq!(fields(&reply), ["steps[0].content"]);
    let stored = app.get(&path, Some(&admin)).await;
    assert_eq!(stored.assert_ok(200)["steps"], refund_steps(), "a refused update changes nothing");
    app.shutdown().await;
}
