//! Company configuration: `GET/PUT /api/admin/config`, identity-secret rotation, the public
//! widget config, and the origin policy of the public routes.

use crate::helpers::{Reply, TestApp, spawn_app, test_config};
use chrono::Utc;
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_domain::CompanyId;
use switchboard_server::auth::identity;
use switchboard_server::crypto::{ConfigCipher, SecretField};

const CONFIG: &str = "/api/admin/config";

async fn put(app: &TestApp, token: &str, body: Value) -> Reply {
    app.call(Method::PUT, CONFIG, Some(token), Some(body)).await
}

/// The field names of a validation error, in order.
fn bad_fields(reply: &Reply) -> Vec<String> {
    let details = reply.assert_error(400, "validation_error");
    let fields = details["fields"].as_array().expect("fields");
    fields.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect()
}

/// Sends `method path` with an `Origin` header (and a JSON body for POST).
async fn from_origin(
    app: &TestApp,
    method: Method,
    path: &str,
    origin: &str,
    body: Option<Value>,
) -> Reply {
    let mut req = app.client.request(method, app.url(path)).header("origin", origin);
    if let Some(b) = body {
        req = req.json(&b);
    }
    crate::helpers::read(req.send().await.unwrap()).await
}

#[tokio::test]
async fn admins_read_defaults_and_update_only_the_fields_given() {
    let app = spawn_app().await;
    let (admin, _) = app.register("cfg").await;
    let before = app.get(CONFIG, Some(&admin)).await.assert_ok(200).clone();
    assert_eq!(before["brandingPrimaryColor"], "#2563eb");
    assert_eq!(before["allowedOrigins"], json!([]));
    assert_eq!(before["identitySecretSet"], false);
    assert_eq!(before["ai"]["provider"], "builtin");
    assert_eq!(before["ai"]["apiKeySet"], false);

    let update = json!({
        "agentName": "Ava",
        "brandingPrimaryColor": "#A1B2C3",
        "brandingLogo": "https://cdn.cfg.example/logo.png",
        "allowedOrigins": ["https://Shop.cfg.example/", "http://localhost:3000"],
        "ai": {"provider": "openai", "model": "gpt-4o-mini", "baseUrl": "http://llm.internal:8080/v1", "faqThreshold": 0.8}
    });
    let after = put(&app, &admin, update).await.assert_ok(200).clone();
    assert_eq!(after["agentName"], "Ava");
    assert_eq!(after["brandingPrimaryColor"], "#a1b2c3", "stored normalised");
    assert_eq!(
        after["allowedOrigins"],
        json!(["https://shop.cfg.example", "http://localhost:3000"])
    );
    assert_eq!(after["ai"]["model"], "gpt-4o-mini");
    assert_eq!(after["ai"]["faqThreshold"], 0.8);
    assert_eq!(after["ai"]["answerThreshold"], Value::Null);
    for untouched in ["agentPersona", "brandingName", "greetingMessage", "identityRequired"] {
        assert_eq!(after[untouched], before[untouched], "{untouched} changed");
    }
    assert_eq!(app.get(CONFIG, Some(&admin)).await.assert_ok(200), &after, "GET agrees");

    // A later update of other fields keeps these, and null clears the nullable ones.
    let later = json!({"greetingMessage": "Hi!", "brandingLogo": null, "ai": {"model": null}});
    let later = put(&app, &admin, later).await.assert_ok(200).clone();
    assert_eq!(later["greetingMessage"], "Hi!");
    assert_eq!(later["brandingLogo"], Value::Null);
    assert_eq!(later["ai"]["model"], Value::Null);
    assert_eq!(later["ai"]["provider"], "openai", "AI settings merge");
    assert_eq!(later["ai"]["faqThreshold"], 0.8);
    assert_eq!(later["agentName"], "Ava");
    app.shutdown().await;
}

#[tokio::test]
async fn invalid_updates_name_every_bad_field_and_change_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.register("badcfg").await;
    let before = app.get(CONFIG, Some(&admin)).await.assert_ok(200).clone();
    let bad = json!({
        "agentName": "Eve",
        "brandingPrimaryColor": "blue",
        "brandingLogo": "http://insecure.example/logo.png",
        "allowedOrigins": ["https://ok.example", "https://shop.example/path", "ftp://x.example"],
        "identityRequired": true,
        "greetingMessage": null,
        "colour": "#000000",
        "ai": {"provider": "skynet", "baseUrl": "file:///etc/passwd", "faqThreshold": 1.5, "answerThreshold": -0.1, "temperature": 2}
    });
    let reply = put(&app, &admin, bad).await;
    assert_eq!(
        bad_fields(&reply),
        [
            "colour",
            "greetingMessage",
            "brandingLogo",
            "brandingPrimaryColor",
            "allowedOrigins[1]",
            "allowedOrigins[2]",
            "identityRequired",
            "ai.temperature",
            "ai.provider",
            "ai.baseUrl",
            "ai.faqThreshold",
            "ai.answerThreshold",
        ]
    );
    let too_many: Vec<String> = (0..51).map(|i| format!("https://s{i}.example")).collect();
    let reply = put(&app, &admin, json!({"allowedOrigins": too_many})).await;
    assert_eq!(bad_fields(&reply), ["allowedOrigins"]);
    let long_logo = format!("https://cdn.example/{}", "a".repeat(2048));
    let reply = put(&app, &admin, json!({"brandingLogo": long_logo, "agentName": ""})).await;
    assert_eq!(bad_fields(&reply), ["agentName", "brandingLogo"]);
    // A wrongly typed field is named too.
    let reply = put(&app, &admin, json!({"agentName": 5})).await;
    assert_eq!(bad_fields(&reply), ["agentName"]);
    let reply = put(&app, &admin, json!({"ai": {"faqThreshold": "high"}})).await;
    assert_eq!(bad_fields(&reply), ["ai.faqThreshold"]);
    put(&app, &admin, json!([1, 2])).await.assert_error(400, "validation_error");

    let raw = app.client.put(app.url(CONFIG)).bearer_auth(&admin).body("agentName=x").send();
    crate::helpers::read(raw.await.unwrap()).await.assert_error(415, "unsupported_media_type");

    assert_eq!(app.get(CONFIG, Some(&admin)).await.assert_ok(200), &before, "nothing changed");
    app.shutdown().await;
}

#[tokio::test]
async fn only_admins_may_read_or_change_the_configuration() {
    let app = spawn_app().await;
    let world = app.world().await;
    let secret_path = "/api/admin/config/identity-secret";
    let bad_body = json!({"brandingPrimaryColor": "nope"});
    for token in [&world.a.agent, &world.a.customer] {
        app.get(CONFIG, Some(token)).await.assert_error(403, "forbidden");
        put(&app, token, bad_body.clone()).await.assert_error(403, "forbidden");
        app.post(secret_path, Some(token), json!({})).await.assert_error(403, "forbidden");
    }
    app.get(CONFIG, None).await.assert_error(401, "unauthorized");
    let anonymous = app.call(Method::PUT, CONFIG, None, Some(bad_body)).await;
    anonymous.assert_error(401, "unauthorized");
    app.post(secret_path, None, json!({})).await.assert_error(401, "unauthorized");
    // Each admin sees and changes only its own company.
    put(&app, &world.a.admin, json!({"agentName": "Alpha bot"})).await.assert_ok(200);
    let b = app.get(CONFIG, Some(&world.b.admin)).await;
    assert_ne!(b.assert_ok(200)["agentName"], "Alpha bot");
    app.shutdown().await;
}

#[tokio::test]
async fn the_ai_api_key_is_write_only_and_encrypted_at_rest() {
    let app = spawn_app().await;
    let (admin, company) = app.register("aikey").await;
    let company: CompanyId = company.parse().unwrap();
    let key = "sk-test-0123456789-very-secret";
    let reply = put(&app, &admin, json!({"ai": {"provider": "openai", "apiKey": key}})).await;
    assert_eq!(reply.assert_ok(200)["ai"]["apiKeySet"], true);
    assert!(!reply.text.contains(key), "PUT echoed the key");
    let got = app.get(CONFIG, Some(&admin)).await;
    assert_eq!(got.assert_ok(200)["ai"]["apiKeySet"], true);
    assert!(!got.text.contains(key) && !got.text.contains("apiKeyEncrypted"), "GET leaked it");

    let stored = app.db.get_agent_config(company).await.unwrap().ai_settings;
    assert!(!stored.to_string().contains(key), "the column holds the plaintext: {stored}");
    let sealed = stored["apiKeyEncrypted"].as_str().expect("ciphertext stored");
    let cipher = ConfigCipher::from_config(&test_config());
    assert_eq!(cipher.decrypt(company, SecretField::AiApiKey, sealed).as_deref(), Ok(key));

    // Updating other AI settings keeps the key; null removes it.
    let kept = put(&app, &admin, json!({"ai": {"answerThreshold": 0.4}})).await;
    assert_eq!(kept.assert_ok(200)["ai"]["apiKeySet"], true);
    let cleared = put(&app, &admin, json!({"ai": {"apiKey": null}})).await;
    assert_eq!(cleared.assert_ok(200)["ai"]["apiKeySet"], false);
    app.shutdown().await;
}

#[tokio::test]
async fn the_widget_config_is_public_and_shows_branding_only() {
    let app = spawn_app().await;
    let (admin, company) = app.register("widget").await;
    let update = json!({
        "agentName": "Wendy", "agentPersona": "internal notes", "brandingName": "Widget Co",
        "brandingLogo": "https://cdn.widget.example/l.png", "brandingPrimaryColor": "#123456",
        "greetingMessage": "Welcome!", "allowedOrigins": [], "ai": {"apiKey": "sk-hidden"}
    });
    put(&app, &admin, update).await.assert_ok(200);
    let reply = app.get(&format!("/api/widget/config/{company}"), None).await;
    assert_eq!(
        reply.assert_ok(200),
        &json!({
            "agentName": "Wendy", "brandingName": "Widget Co",
            "brandingLogo": "https://cdn.widget.example/l.png", "primaryColor": "#123456",
            "greetingMessage": "Welcome!"
        })
    );
    let unknown = format!("/api/widget/config/{}", CompanyId::new());
    app.get(&unknown, None).await.assert_error(404, "not_found");
    app.get("/api/widget/config/not-a-uuid", None).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn cors_preflights_succeed_from_any_origin_on_public_routes_only() {
    let app = spawn_app().await;
    let (admin, company) = app.register("preflight").await;
    put(&app, &admin, json!({"allowedOrigins": ["https://shop.example"]})).await.assert_ok(200);
    let widget = format!("/api/widget/config/{company}");
    let public = [
        (widget.as_str(), "GET"),
        ("/api/auth/customer/register", "POST"),
        ("/api/auth/customer/authenticate", "POST"),
    ];
    for (path, method) in public {
        let r = app
            .client
            .request(Method::OPTIONS, app.url(path))
            .header("origin", "https://anyone.example")
            .header("access-control-request-method", method)
            .header("access-control-request-headers", "content-type,authorization")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        let h = r.headers();
        assert_eq!(h["access-control-allow-origin"], "https://anyone.example", "{path}");
        assert!(h["access-control-allow-methods"].to_str().unwrap().contains(method));
        let allowed_headers = h["access-control-allow-headers"].to_str().unwrap();
        assert!(
            allowed_headers.contains("content-type") && allowed_headers.contains("authorization")
        );
        assert_eq!(h["access-control-max-age"], "600");
        assert!(h.get("access-control-allow-credentials").is_none(), "{path}: credentials");
    }
    // The staff API stays same-origin, the admin config included.
    let r = from_origin(&app, Method::GET, CONFIG, "https://shop.example", None).await;
    assert!(r.headers.get("access-control-allow-origin").is_none());
    app.shutdown().await;
}

#[tokio::test]
async fn allowed_origins_are_enforced_on_actual_requests() {
    let app = spawn_app().await;
    let (admin, company) = app.register("origins").await;
    let widget = format!("/api/widget/config/{company}");
    let auth = "/api/auth/customer/authenticate";
    let body = json!({"companyId": company});

    // No list: any origin.
    from_origin(&app, Method::GET, &widget, "https://anyone.example", None).await.assert_ok(200);
    put(&app, &admin, json!({"allowedOrigins": ["https://shop.example"]})).await.assert_ok(200);

    let r = from_origin(&app, Method::GET, &widget, "https://evil.example", None).await;
    r.assert_error(403, "forbidden");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("origin is not allowed"));
    let r = from_origin(&app, Method::POST, auth, "https://evil.example", Some(body.clone())).await;
    r.assert_error(403, "forbidden");
    let register = json!({"companyId": company, "email": "c@origins.example", "password": "correct horse battery"});
    let r = from_origin(&app, Method::POST, "/api/auth/customer/register", "null", Some(register))
        .await;
    r.assert_error(403, "forbidden");

    let r = from_origin(&app, Method::GET, &widget, "https://shop.example", None).await;
    r.assert_ok(200);
    assert_eq!(r.headers["access-control-allow-origin"], "https://shop.example");
    let r = from_origin(&app, Method::POST, auth, "https://shop.example", Some(body.clone())).await;
    r.assert_ok(200);
    assert_eq!(r.headers["access-control-allow-origin"], "https://shop.example");
    // No Origin header: not a browser on another site (the company's own server, say).
    app.post(auth, None, body).await.assert_ok(200);

    put(&app, &admin, json!({"allowedOrigins": []})).await.assert_ok(200);
    from_origin(&app, Method::GET, &widget, "https://evil.example", None).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn a_rotated_identity_secret_is_shown_once_and_replaces_the_old_one() {
    let app = spawn_app().await;
    let (admin, company) = app.register("rotate").await;
    let company_id: CompanyId = company.parse().unwrap();
    let path = "/api/admin/config/identity-secret";
    let first = app.post(path, Some(&admin), json!({})).await;
    let first = first.assert_ok(200)["identitySecret"].as_str().unwrap().to_owned();
    assert_eq!(first.len(), 64);
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));

    let config = app.get(CONFIG, Some(&admin)).await;
    assert_eq!(config.assert_ok(200)["identitySecretSet"], true);
    assert!(!config.text.contains(&first), "GET shows the secret");
    let stored = app.db.get_identity_settings(company_id).await.unwrap().secret.unwrap();
    assert!(!stored.contains(&first), "the secret is stored in plaintext");

    let ts = Utc::now().timestamp();
    let signed = |secret: &str| json!({"companyId": company, "userId": "site-user-7", "timestamp": ts, "userHash": identity::sign(secret, "site-user-7", ts)});
    let auth = "/api/auth/customer/authenticate";
    app.post(auth, None, signed(&first)).await.assert_ok(200);

    let second = app.post(path, Some(&admin), json!({})).await;
    let second = second.assert_ok(200)["identitySecret"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let old = app.post(auth, None, signed(&first)).await;
    old.assert_error(401, "unauthorized");
    assert_eq!(old.body["error"]["details"]["reason"], "identity_invalid");
    app.post(auth, None, signed(&second)).await.assert_ok(200);

    // With a secret set, identity can be made mandatory; anonymous sign-in then stops.
    let required = put(&app, &admin, json!({"identityRequired": true})).await;
    assert_eq!(required.assert_ok(200)["identityRequired"], true);
    let anonymous = app.post(auth, None, json!({"companyId": company})).await;
    anonymous.assert_error(401, "unauthorized");
    app.post(auth, None, signed(&second)).await.assert_ok(200);
    app.shutdown().await;
}

/// `ai.baseUrl` is where conversations and the stored key will be sent: it must be a public
/// address unless the operator allows private ones, and a new origin drops the old key.
#[tokio::test]
async fn the_ai_base_url_obeys_the_outbound_policy_and_keeps_keys_with_their_origin() {
    let app = spawn_app().await;
    let (admin, _) = app.register("outbound").await;
    for url in [
        "http://127.0.0.1:11434/v1",
        "http://localhost:8080/v1",
        "http://[::1]/v1",
        "http://10.1.2.3/v1",
        "http://169.254.169.254/latest",
        "http://[::ffff:192.168.0.1]/v1",
    ] {
        let reply = put(&app, &admin, json!({"ai": {"baseUrl": url}})).await;
        assert_eq!(bad_fields(&reply), ["ai.baseUrl"], "{url}");
    }
    let view = app.get(CONFIG, Some(&admin)).await.assert_ok(200).clone();
    assert_eq!(view["ai"]["baseUrl"], Value::Null, "nothing was stored");

    let with_key = json!({"ai": {"baseUrl": "https://8.8.8.8/v1", "apiKey": "sk-one"}});
    assert_eq!(put(&app, &admin, with_key).await.assert_ok(200)["ai"]["apiKeySet"], true);
    // Same origin, another path: the key stays.
    let same = json!({"ai": {"baseUrl": "https://8.8.8.8/openai/v1"}});
    assert_eq!(put(&app, &admin, same).await.assert_ok(200)["ai"]["apiKeySet"], true);
    // Another origin without a key: the old key is dropped, not sent to the new host.
    let moved = json!({"ai": {"baseUrl": "https://1.1.1.1/v1"}});
    let after = put(&app, &admin, moved).await.assert_ok(200).clone();
    assert_eq!(after["ai"]["apiKeySet"], false, "{after}");
    assert_eq!(after["ai"]["baseUrl"], "https://1.1.1.1/v1");
    // Another origin with a new key in the same request keeps the new key; clearing the URL
    // (back to the provider's default) drops it again.
    let both = json!({"ai": {"baseUrl": "https://8.8.4.4/v1", "apiKey": "sk-two"}});
    assert_eq!(put(&app, &admin, both).await.assert_ok(200)["ai"]["apiKeySet"], true);
    let cleared = put(&app, &admin, json!({"ai": {"baseUrl": null}})).await.assert_ok(200).clone();
    assert_eq!(cleared["ai"]["apiKeySet"], false, "{cleared}");
    // Changing other AI settings leaves the key alone.
    put(&app, &admin, json!({"ai": {"apiKey": "sk-three"}})).await.assert_ok(200);
    let model = put(&app, &admin, json!({"ai": {"model": "m"}})).await.assert_ok(200).clone();
    assert_eq!(model["ai"]["apiKeySet"], true);
    app.shutdown().await;

    // An operator running a model server next to Switchboard allows private addresses.
    let mut config = test_config();
    config.allow_private_outbound = true;
    let app = crate::helpers::spawn_app_with(config).await;
    let (admin, _) = app.register("outbound-open").await;
    let local = json!({"ai": {"baseUrl": "http://127.0.0.1:11434/v1"}});
    assert_eq!(
        put(&app, &admin, local).await.assert_ok(200)["ai"]["baseUrl"],
        "http://127.0.0.1:11434/v1"
    );
    app.shutdown().await;
}
