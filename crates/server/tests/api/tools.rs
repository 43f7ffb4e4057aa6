//! Tools over HTTP: create, defaults, read, partial updates, delete, refusals naming the
//! field (JSON Schema, script, webhook target), unique names, webhook header secrets that
//! never come back, and tools that workflows call.

use crate::helpers::{Reply, TestApp, spawn_app, test_config};
use crate::knowledge::fields;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use switchboard_domain::{CompanyId, ToolId};
use switchboard_server::crypto::{ConfigCipher, SecretField};

const TOOLS: &str = "/api/ai/tools";
const SECRET: &str = "Bearer sk-live-7a1f";

fn function_tool(name: &str) -> Value {
    json!({
        "name": name,
        "description": "Looks an order up.",
        "type": "function",
        "parameters": {"type": "object", "properties": {"order": {"type": "string"}},
                       "required": ["order"]},
        "config": {"script": "`order ${args.order} is on its way`"},
        "requiresApproval": true,
        "enabled": false,
    })
}

fn webhook_tool(name: &str) -> Value {
    json!({
        "name": name,
        "description": "Refunds an order.",
        "type": "webhook",
        "config": {"url": "https://api.example.com/refund", "method": "POST",
                   "headers": {"Authorization": SECRET, "X-Team": "support"}, "timeoutMs": 5000},
    })
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> Reply {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

fn path(tool: &Value) -> String {
    format!("{TOOLS}/{}", tool["id"].as_str().expect("id"))
}

#[tokio::test]
async fn a_tool_is_created_read_changed_in_part_and_deleted() {
    let app = spawn_app().await;
    let (admin, _) = app.register("toolcrud").await;
    let body = function_tool("lookup_order");
    let reply = app.post(TOOLS, Some(&admin), body.clone()).await;
    let tool = reply.assert_ok(201).clone();
    for key in
        ["name", "description", "type", "parameters", "config", "requiresApproval", "enabled"]
    {
        assert_eq!(tool[key], body[key], "{key}: {}", reply.text);
    }
    assert!(tool["createdAt"].is_string() && tool["updatedAt"].is_string());
    assert_eq!(app.get(&path(&tool), Some(&admin)).await.assert_ok(200), &tool);
    let list = app.get(TOOLS, Some(&admin)).await;
    assert_eq!(list.assert_ok(200), &json!([tool.clone()]));

    let reply = put(&app, &path(&tool), &admin, json!({"description": "Finds an order."})).await;
    let changed = reply.assert_ok(200).clone();
    assert_eq!(changed["description"], "Finds an order.");
    for key in ["id", "name", "type", "parameters", "config", "requiresApproval", "enabled"] {
        assert_eq!(changed[key], tool[key], "{key} changed: {}", reply.text);
    }
    let reply =
        put(&app, &path(&tool), &admin, json!({"enabled": true, "name": "find_order"})).await;
    let renamed = reply.assert_ok(200);
    assert_eq!((&renamed["enabled"], &renamed["name"]), (&json!(true), &json!("find_order")));

    app.call(Method::DELETE, &path(&tool), Some(&admin), None).await.assert_ok(200);
    app.get(&path(&tool), Some(&admin)).await.assert_error(404, "not_found");
    let again = app.call(Method::DELETE, &path(&tool), Some(&admin), None).await;
    again.assert_error(404, "not_found");
    assert_eq!(app.get(TOOLS, Some(&admin)).await.assert_ok(200), &json!([]));
    app.shutdown().await;
}

#[tokio::test]
async fn a_bare_tool_gets_the_defaults() {
    let app = spawn_app().await;
    let (admin, _) = app.register("tooldefaults").await;
    let bare = json!({"name": "ping", "description": "Answers pong.", "type": "function",
                      "config": {"script": "\"pong\""}});
    let reply = app.post(TOOLS, Some(&admin), bare).await;
    let tool = reply.assert_ok(201);
    assert_eq!(
        (&tool["parameters"], &tool["requiresApproval"], &tool["enabled"]),
        (&json!({"type": "object", "properties": {}}), &json!(false), &json!(true)),
        "{}",
        reply.text
    );
    app.shutdown().await;
}

#[tokio::test]
async fn invalid_tools_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let (admin, _) = app.register("toolinvalid").await;
    let with = |base: Value, extra: Value| {
        let mut body = base;
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let f = || function_tool("lookup_order");
    let w = || webhook_tool("refund_order");
    let webhook_config = |config: Value| with(w(), json!({"config": config}));
    let cases = [
        (json!({"description": "d", "type": "function", "config": {"script": "1"}}), "name"),
        (with(f(), json!({"description": null})), "description"),
        (json!({"name": "a", "description": "d", "config": {"script": "1"}}), "type"),
        (json!({"name": "a", "description": "d", "type": "function"}), "config"),
        (with(f(), json!({"name": "Lookup-Order"})), "name"),
        (with(f(), json!({"name": "x".repeat(65)})), "name"),
        (with(f(), json!({"description": "d".repeat(1025)})), "description"),
        (with(f(), json!({"type": "script"})), "type"),
        (with(f(), json!({"parameters": []})), "parameters"),
        (with(f(), json!({"parameters": {"type": "string"}})), "parameters"),
        // Valid JSON, but not JSON Schema: the compiler refuses it.
        (
            with(
                f(),
                json!({"parameters": {"type": "object", "properties": {"a": {"type": "nonsense"}}}}),
            ),
            "parameters",
        ),
        (
            with(
                f(),
                json!({"parameters": {"type": "object", "properties": {"a": {"minLength": "three"}}}}),
            ),
            "parameters",
        ),
        (with(f(), json!({"config": {}})), "config"),
        (with(f(), json!({"config": {"script": "let x = ;"}})), "config.script"),
        (with(f(), json!({"config": {"script": "1", "url": "https://x.example"}})), "config"),
        (webhook_config(json!({"url": "ftp://files.example.com/x"})), "config.url"),
        // Plain http is refused unless the operator allows private targets.
        (webhook_config(json!({"url": "http://api.example.com/refund"})), "config.url"),
        (webhook_config(json!({"url": "https://10.0.0.7/refund"})), "config.url"),
        (webhook_config(json!({"url": "https://169.254.169.254/latest/meta-data"})), "config.url"),
        (webhook_config(json!({"url": "https://127.0.0.1:8443/"})), "config.url"),
        (webhook_config(json!({"url": "https://a.example", "method": "TRACE"})), "config.method"),
        (
            webhook_config(json!({"url": "https://a.example", "timeoutMs": 600000})),
            "config.timeoutMs",
        ),
        (
            webhook_config(json!({"url": "https://a.example", "headers": {"Host": "internal"}})),
            "config.headers.Host",
        ),
        (
            webhook_config(json!({"url": "https://a.example", "headers": {"X-A": "a\r\nX-B: b"}})),
            "config.headers.X-A",
        ),
        (webhook_config(json!({"url": "https://a.example", "extra": true})), "config"),
        // A mask on create has no stored value to keep.
        (
            webhook_config(json!({"url": "https://a.example", "headers": {"X-Key": "********"}})),
            "config.headers.X-Key",
        ),
        (with(f(), json!({"enabled": "yes"})), "enabled"),
        (with(f(), json!({"unknown": 1})), "unknown"),
    ];
    for (body, field) in cases {
        let reply = app.post(TOOLS, Some(&admin), body.clone()).await;
        let named = fields(&reply);
        assert!(named.contains(&field.to_owned()), "{body}: expected {field} in {named:?}");
    }
    assert_eq!(app.get(TOOLS, Some(&admin)).await.assert_ok(200), &json!([]), "nothing stored");
    // The same shapes pass once fixed.
    app.post(TOOLS, Some(&admin), f()).await.assert_ok(201);
    app.post(TOOLS, Some(&admin), w()).await.assert_ok(201);
    app.shutdown().await;
}

#[tokio::test]
async fn tool_names_are_unique_in_a_company() {
    let app = spawn_app().await;
    let (admin, _) = app.register("tooldup").await;
    let (other, _) = app.register("tooldupother").await;
    app.post(TOOLS, Some(&admin), function_tool("lookup_order")).await.assert_ok(201);
    let dup = app.post(TOOLS, Some(&admin), webhook_tool("lookup_order")).await;
    dup.assert_error(409, "conflict");
    let second = app.post(TOOLS, Some(&admin), function_tool("track_parcel")).await;
    let second = second.assert_ok(201).clone();
    let rename = put(&app, &path(&second), &admin, json!({"name": "lookup_order"})).await;
    rename.assert_error(409, "conflict");
    app.post(TOOLS, Some(&other), function_tool("lookup_order")).await.assert_ok(201);
    app.shutdown().await;
}

/// The sealed header values of a stored tool, opened with the test server's key.
async fn stored_headers(
    app: &TestApp,
    company: &str,
    tool: &Value,
) -> Option<BTreeMap<String, String>> {
    let company: CompanyId = company.parse().unwrap();
    let id: ToolId = tool["id"].as_str().unwrap().parse().unwrap();
    let stored = app.db.get_tool(company, id).await.expect("stored tool");
    assert!(!stored.spec.config.to_string().contains(SECRET), "the config holds no secret");
    let sealed = stored.secrets?;
    assert!(!sealed.contains(SECRET) && !sealed.contains("sk-live"), "sealed: {sealed}");
    let cipher = ConfigCipher::from_config(&test_config());
    let plain = cipher.decrypt(company, SecretField::ToolHeaders, &sealed).expect("opens");
    Some(serde_json::from_str(&plain).expect("a map"))
}

#[tokio::test]
async fn webhook_header_values_are_sealed_and_never_returned() {
    let app = spawn_app().await;
    let (admin, company) = app.register("toolsecret").await;
    let reply = app.post(TOOLS, Some(&admin), webhook_tool("refund_order")).await;
    let tool = reply.assert_ok(201).clone();
    assert!(!reply.text.contains(SECRET) && !reply.text.contains("support"), "{}", reply.text);
    let masked = json!({"Authorization": "********", "X-Team": "********"});
    assert_eq!(tool["config"]["headers"], masked);
    assert_eq!(tool["config"]["url"], "https://api.example.com/refund");
    for read in [app.get(&path(&tool), Some(&admin)).await, app.get(TOOLS, Some(&admin)).await] {
        assert!(read.status.is_success() && !read.text.contains(SECRET), "{}", read.text);
    }
    let want = BTreeMap::from([
        ("Authorization".to_owned(), SECRET.to_owned()),
        ("X-Team".to_owned(), "support".to_owned()),
    ]);
    assert_eq!(stored_headers(&app, &company, &tool).await, Some(want.clone()));

    // The masks sent back (and any other change) keep the stored values.
    let reply = put(&app, &path(&tool), &admin, json!({"description": "Refunds."})).await;
    assert_eq!(reply.assert_ok(200)["config"]["headers"], masked);
    assert_eq!(stored_headers(&app, &company, &tool).await, Some(want.clone()));
    let config = json!({"url": "https://api.example.com/v2/refund",
                        "headers": {"Authorization": "********", "X-Team": "billing"}});
    let reply = put(&app, &path(&tool), &admin, json!({"config": config})).await;
    assert_eq!(reply.assert_ok(200)["config"]["headers"], masked, "{}", reply.text);
    let mut changed = want.clone();
    changed.insert("X-Team".into(), "billing".into());
    assert_eq!(stored_headers(&app, &company, &tool).await, Some(changed.clone()));

    // A mask for a header never stored is refused, and nothing changes.
    let config = json!({"url": "https://api.example.com/refund", "headers": {"X-New": "********"}});
    let reply = put(&app, &path(&tool), &admin, json!({"config": config})).await;
    assert_eq!(fields(&reply), ["config.headers.X-New"]);
    assert_eq!(stored_headers(&app, &company, &tool).await, Some(changed));

    // Headers left out are dropped; a function tool has no secrets.
    let config = json!({"url": "https://api.example.com/refund"});
    let reply = put(&app, &path(&tool), &admin, json!({"config": config})).await;
    assert_eq!(reply.assert_ok(200)["config"]["headers"], json!({}));
    assert_eq!(stored_headers(&app, &company, &tool).await, None);

    let log = app.get("/api/admin/audit-log?limit=200", Some(&admin)).await;
    let actions: Vec<&str> = log
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions.iter().filter(|a| a.starts_with("tool.")).count(), 4, "{actions:?}");
    assert!(!log.text.contains(SECRET) && !log.text.contains("support"), "{}", log.text);
    app.shutdown().await;
}

#[tokio::test]
async fn a_tool_a_workflow_calls_keeps_its_name_and_cannot_be_deleted() {
    let app = spawn_app().await;
    let (admin, _) = app.register("toolinuse").await;
    let (tool_id, workflow_id) = app.tool_and_workflow(&admin).await;
    let tool_path = format!("{TOOLS}/{tool_id}");
    let refused = app.call(Method::DELETE, &tool_path, Some(&admin), None).await;
    refused.assert_error(409, "conflict");
    assert!(refused.text.contains("Refunds"), "names the workflow: {}", refused.text);
    put(&app, &tool_path, &admin, json!({"name": "give_refund"}))
        .await
        .assert_error(409, "conflict");
    // Anything but the name may change.
    put(&app, &tool_path, &admin, json!({"enabled": false})).await.assert_ok(200);

    let workflow = format!("/api/ai/workflows/{workflow_id}");
    app.call(Method::DELETE, &workflow, Some(&admin), None).await.assert_ok(200);
    app.call(Method::DELETE, &tool_path, Some(&admin), None).await.assert_ok(200);
    app.shutdown().await;
}
