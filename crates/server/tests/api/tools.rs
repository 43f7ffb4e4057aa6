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

// ---- POST /api/ai/tools/:toolId/test ----

/// A function tool of `script`, with one required string argument `order`; returns its path.
async fn script_tool(app: &TestApp, admin: &str, name: &str, script: &str) -> String {
    let mut body = function_tool(name);
    body["config"] = json!({"script": script});
    let reply = app.post(TOOLS, Some(admin), body).await;
    format!("{}/test", path(reply.assert_ok(201)))
}

/// Runs a tool through the test route; returns `data`.
async fn run(app: &TestApp, admin: &str, test_path: &str, arguments: Value) -> Value {
    let reply = app.post(test_path, Some(admin), json!({"arguments": arguments})).await;
    let data = reply.assert_ok(200).clone();
    assert!(data["durationMs"].is_u64(), "{}", reply.text);
    data
}

#[tokio::test]
async fn a_function_tool_runs_and_returns_its_map() {
    let app = spawn_app().await;
    let (admin, _) = app.register("tooltestmap").await;
    let script = r#"#{ order: args.order, status: "shipped", items: [1, 2], message: `Order ${args.order} has shipped.` }"#;
    let test = script_tool(&app, &admin, "track_order", script).await;

    let data = run(&app, &admin, &test, json!({"order": "A-17"})).await;

    assert_eq!(data["ok"], json!(true), "{data}");
    assert_eq!(
        data["result"],
        json!({"order": "A-17", "status": "shipped", "items": [1, 2], "message": "Order A-17 has shipped."})
    );
    assert!(data.get("error").is_none(), "{data}");
    // A body without arguments is `{}`, which this schema refuses.
    let reply = app.post(&test, Some(&admin), json!({})).await;
    assert_eq!(fields(&reply), ["arguments.order"]);

    // The call that ran is in the audit log (who, which tool, how it went), without its
    // arguments or result; the refused one is not.
    let log = app.get("/api/admin/audit-log?limit=200", Some(&admin)).await;
    let log = log.assert_ok(200);
    let tested: Vec<&Value> =
        log.as_array().unwrap().iter().filter(|e| e["action"] == "tool.tested").collect();
    assert_eq!(tested.len(), 1, "{log}");
    assert_eq!(tested[0]["details"]["name"], "track_order");
    assert_eq!(tested[0]["details"]["ok"], true);
    assert!(!log.to_string().contains("A-17"), "{log}");
    app.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_stops_runaway_scripts_quickly_with_a_clear_error() {
    let app = spawn_app().await;
    let (admin, _) = app.register("tooltestlimits").await;
    let cases = [
        ("endless_loop", "loop { }", ["timeout", "limit_exceeded"], "the script ran too"),
        (
            "huge_string",
            r#"let s = "xxxxxxxx"; loop { s += s; } s"#,
            ["limit_exceeded", "limit_exceeded"],
            "grew beyond its limit",
        ),
        (
            "deep_recursion",
            "fn down(n) { down(n + 1) } down(0)",
            ["limit_exceeded", "limit_exceeded"],
            "nested too many function calls",
        ),
        (
            "huge_map",
            "let m = #{}; let i = 0; loop { m[`key${i}`] = i; i += 1; } m",
            ["limit_exceeded", "limit_exceeded"],
            "limit",
        ),
        ("raises", r#"throw "no such order""#, ["script_error", "script_error"], "no such order"),
    ];
    for (name, script, codes, says) in cases {
        let test = script_tool(&app, &admin, name, script).await;
        let started = std::time::Instant::now();

        let data = run(&app, &admin, &test, json!({"order": "1"})).await;

        let elapsed = started.elapsed();
        assert_eq!(data["ok"], json!(false), "{name}: {data}");
        let code = data["error"]["code"].as_str().unwrap_or_default();
        assert!(codes.contains(&code), "{name}: {data}");
        let message = data["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{name}: {message}");
        assert!(elapsed < std::time::Duration::from_secs(5), "{name} took {elapsed:?}");
        assert!(data.get("result").is_none(), "{name}: {data}");
    }
    // The server is still answering, and a good script still runs.
    let test = script_tool(&app, &admin, "fine", "args.order + \"!\"").await;
    assert_eq!(run(&app, &admin, &test, json!({"order": "ok"})).await["result"], "ok!");
    app.shutdown().await;
}

#[tokio::test]
async fn arguments_the_schema_refuses_are_a_400_naming_each_field() {
    let app = spawn_app().await;
    let (admin, _) = app.register("tooltestschema").await;
    let body = json!({
        "name": "refund", "description": "Refunds an order.", "type": "function",
        "parameters": {"type": "object", "additionalProperties": false,
            "required": ["orderNumber", "amount"],
            "properties": {
                "orderNumber": {"type": "string", "pattern": "^[0-9]{5,}$"},
                "amount": {"type": "number", "minimum": 0},
                "lines": {"type": "array", "items": {"type": "object",
                    "properties": {"sku": {"type": "string"}}, "required": ["sku"]}}}},
        "config": {"script": "#{ refunded: args.orderNumber }"},
    });
    let tool = app.post(TOOLS, Some(&admin), body).await.assert_ok(201).clone();
    let test = format!("{}/test", path(&tool));
    let cases: [(Value, &[&str]); 6] = [
        (json!({"amount": 5}), &["arguments.orderNumber"]),
        (json!({"orderNumber": "12", "amount": 5}), &["arguments.orderNumber"]),
        (
            json!({"orderNumber": 12345, "amount": -1}),
            &["arguments.amount", "arguments.orderNumber"],
        ),
        (json!({}), &["arguments.amount", "arguments.orderNumber"]),
        (
            json!({"orderNumber": "12345", "amount": 1, "lines": [{"sku": "a"}, {}]}),
            &["arguments.lines.1.sku"],
        ),
        (json!({"orderNumber": "12345", "amount": 1, "coupon": "x"}), &["arguments"]),
    ];
    for (arguments, want) in cases {
        let reply = app.post(&test, Some(&admin), json!({"arguments": arguments})).await;
        let mut named = fields(&reply);
        named.sort();
        assert_eq!(named, want, "{arguments}: {}", reply.text);
    }
    // Not an object at all, or an unknown body field: refused before the tool is looked up.
    for body in [json!({"arguments": [1]}), json!({"arguments": "x"}), json!({"args": {}})] {
        let reply = app.post(&test, Some(&admin), body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
    }
    let good = json!({"arguments": {"orderNumber": "12345", "amount": 2.5}});
    let data = app.post(&test, Some(&admin), good).await.assert_ok(200).clone();
    assert_eq!(data["result"], json!({"refunded": "12345"}));
    app.shutdown().await;
}

#[tokio::test]
async fn only_the_companys_admin_may_test_its_tools() {
    let app = spawn_app().await;
    let (admin, company) = app.register("tooltestroles").await;
    let (other_admin, _) = app.register("tooltestother").await;
    let test = script_tool(&app, &admin, "ping", "\"pong\"").await;
    let agent = app
        .add_staff(
            &company,
            "agent@tooltestroles.example.com",
            switchboard_domain::Role::CompanyAgent,
            false,
        )
        .await;
    let agent = agent["token"].as_str().unwrap();
    let customer = app.anonymous_customer(&company).await;
    let body = json!({"arguments": {"order": "1"}});

    app.post(&test, Some(agent), body.clone()).await.assert_error(403, "forbidden");
    app.post(&test, Some(&customer), body.clone()).await.assert_error(403, "forbidden");
    app.post(&test, None, body.clone()).await.assert_error(401, "unauthorized");
    app.post(&test, Some(&other_admin), body.clone()).await.assert_error(404, "not_found");
    let missing = format!("{TOOLS}/{}/test", ToolId::new());
    app.post(&missing, Some(&admin), body.clone()).await.assert_error(404, "not_found");
    app.post(&format!("{TOOLS}/nope/test"), Some(&admin), body.clone())
        .await
        .assert_error(404, "not_found");
    // A disabled tool can still be tried out by its admin.
    assert_eq!(run(&app, &admin, &test, json!({"order": "1"})).await["result"], "pong");
    app.shutdown().await;
}

/// A webhook receiver on 127.0.0.1 that records each request: `/ok` answers JSON, `/fail`
/// a 500 that echoes the `authorization` header (as careless servers do).
struct Receiver {
    addr: std::net::SocketAddr,
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, reqwest::header::HeaderMap, Value)>>>,
}

impl Receiver {
    async fn start() -> Self {
        use axum::http::{HeaderMap, StatusCode, Uri};
        use axum::response::IntoResponse;
        let seen: std::sync::Arc<std::sync::Mutex<Vec<(String, HeaderMap, Value)>>> =
            std::sync::Arc::default();
        let log = seen.clone();
        let app =
            axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
                let log = log.clone();
                async move {
                    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
                    let key = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    log.lock().unwrap().push((uri.path().to_owned(), headers, json.clone()));
                    match uri.path() {
                        "/ok" => axum::Json(
                            json!({"refunded": true, "message": "Refund sent.", "echo": json}),
                        )
                        .into_response(),
                        _ => {
                            (StatusCode::INTERNAL_SERVER_ERROR, format!("db down; you sent {key}"))
                                .into_response()
                        }
                    }
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { addr, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn hook(name: &str, url: &str) -> Value {
    json!({"name": name, "description": "Refunds an order.", "type": "webhook",
           "parameters": {"type": "object", "properties": {"orderNumber": {"type": "string"}},
                          "required": ["orderNumber"]},
           "config": {"url": url, "headers": {"Authorization": SECRET}, "timeoutMs": 3000}})
}

#[tokio::test]
async fn a_webhook_tool_gets_its_secret_header_which_the_api_never_shows() {
    // The receiver listens on loopback, which the operator must allow.
    let mut config = test_config();
    config.allow_private_outbound = true;
    let app = crate::helpers::spawn_app_with(config).await;
    let (admin, _) = app.register("tooltesthook").await;
    let receiver = Receiver::start().await;
    let tool = app.post(TOOLS, Some(&admin), hook("refund", &receiver.url("/ok"))).await;
    let test = format!("{}/test", path(tool.assert_ok(201)));

    let reply = app.post(&test, Some(&admin), json!({"arguments": {"orderNumber": "55555"}})).await;

    let data = reply.assert_ok(200);
    assert_eq!(data["ok"], json!(true), "{}", reply.text);
    assert_eq!(
        data["result"],
        json!({"refunded": true, "message": "Refund sent.", "echo": {"orderNumber": "55555"}})
    );
    assert!(!reply.text.contains(SECRET), "{}", reply.text);
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1.get("authorization").unwrap(), SECRET);
    assert_eq!(seen[0].2, json!({"orderNumber": "55555"}));

    // A failing receiver that echoes the header: the error names the status, not the secret.
    let tool = app.post(TOOLS, Some(&admin), hook("refund_fail", &receiver.url("/fail"))).await;
    let test = format!("{}/test", path(tool.assert_ok(201)));
    let reply = app.post(&test, Some(&admin), json!({"arguments": {"orderNumber": "1"}})).await;
    let data = reply.assert_ok(200);
    assert_eq!((&data["ok"], &data["error"]["code"]), (&json!(false), &json!("upstream_status")));
    assert!(data["error"]["message"].as_str().unwrap().contains("HTTP 500"), "{}", reply.text);
    assert!(!reply.text.contains("sk-live"), "{}", reply.text);
    assert_eq!(receiver.seen.lock().unwrap().len(), 2, "the failing call was made");
    // Arguments the schema refuses never reach the receiver.
    let reply = app.post(&test, Some(&admin), json!({"arguments": {}})).await;
    assert_eq!(fields(&reply), ["arguments.orderNumber"]);
    assert_eq!(receiver.seen.lock().unwrap().len(), 2);
    app.shutdown().await;
}

#[tokio::test]
async fn under_the_default_policy_private_targets_are_refused_without_a_connection() {
    let app = spawn_app().await;
    let (admin, company) = app.register("tooltestssrf").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Address literals are refused when saved; tools stored while the operator allowed
    // private targets (written here straight to storage) are refused again when they run.
    let targets = [
        format!("https://127.0.0.1:{port}/hook"),
        "https://10.0.0.1/hook".to_owned(),
        "https://169.254.169.254/latest/meta-data".to_owned(),
        format!("http://127.0.0.1:{port}/plain-http"),
    ];
    let company_id: CompanyId = company.parse().unwrap();
    for (i, url) in targets.iter().enumerate() {
        let refused = app.post(TOOLS, Some(&admin), hook(&format!("saved_{i}"), url)).await;
        assert_eq!(fields(&refused), ["config.url"], "{url}");
        let spec = switchboard_domain::ToolSpec {
            name: switchboard_domain::ToolName::parse(&format!("stored_{i}")).unwrap(),
            description: "Refunds an order.".into(),
            kind: switchboard_domain::ToolKind::Webhook,
            parameters: json!({"type": "object"}),
            config: json!({"url": url, "headers": {}}),
            requires_approval: false,
            enabled: true,
        };
        let stored = app
            .db
            .create_tool(company_id, ToolId::new(), spec, None, chrono::Utc::now())
            .await
            .unwrap();
        let test = format!("{TOOLS}/{}/test", stored.id);

        let data = run(&app, &admin, &test, json!({})).await;

        assert_eq!(
            (&data["ok"], &data["error"]["code"]),
            (&json!(false), &json!("refused_address")),
            "{url}: {data}"
        );
    }
    // A name that resolves to loopback passes the save check and is refused at resolution.
    let by_name = app
        .post(TOOLS, Some(&admin), hook("by_name", &format!("https://localhost:{port}/hook")))
        .await;
    let test = format!("{}/test", path(by_name.assert_ok(201)));
    let data = run(&app, &admin, &test, json!({"orderNumber": "1"})).await;
    assert_eq!(
        (&data["ok"], &data["error"]["code"]),
        (&json!(false), &json!("refused_address")),
        "{data}"
    );
    assert!(data["error"]["message"].as_str().unwrap().contains("loopback"), "{data}");
    let accepted =
        tokio::time::timeout(std::time::Duration::from_millis(300), listener.accept()).await;
    assert!(accepted.is_err(), "a refused target was connected to");
    app.shutdown().await;
}
