//! Password rules, temporary passwords, changing passwords, throttling and key rotation.

use crate::helpers::{AGENT_PASSWORD, registration, spawn_app, spawn_app_with, test_config};
use serde_json::json;
use switchboard_domain::Role;
use switchboard_server::SigningKey;

#[tokio::test]
async fn the_most_common_passwords_are_refused() {
    let app = spawn_app().await;
    for pw in ["password1", "12345678", "qwertyuiop", "iloveyou"] {
        let mut body = registration("weak");
        body["adminPassword"] = json!(pw);
        let details = app
            .post("/api/auth/register", None, body)
            .await
            .assert_error(400, "validation_error")
            .clone();
        assert_eq!(details["fields"][0]["field"], "adminPassword");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_temporary_password_allows_only_me_logout_and_change_password() {
    let app = spawn_app().await;
    let (_, company) = app.register("temp").await;
    let login =
        app.add_staff(&company, "temp-admin@temp.example.com", Role::CompanyAdmin, true).await;
    assert_eq!(login["mustChangePassword"], true);
    let token = login["token"].as_str().unwrap();

    app.get("/api/admin/audit-log", Some(token))
        .await
        .assert_error(403, "password_change_required");
    assert_eq!(
        app.get("/api/auth/me", Some(token)).await.assert_ok(200)["mustChangePassword"],
        true
    );

    let change =
        json!({"currentPassword": AGENT_PASSWORD, "newPassword": "a much better passphrase"});
    app.post("/api/auth/change-password", Some(token), change).await.assert_ok(200);
    app.get("/api/admin/audit-log", Some(token)).await.assert_ok(200);
    assert_eq!(
        app.get("/api/auth/me", Some(token)).await.assert_ok(200)["mustChangePassword"],
        false
    );
    app.shutdown().await;
}

#[tokio::test]
async fn changing_the_password_revokes_every_other_session() {
    let app = spawn_app().await;
    let (first, company) = app.register("change").await;
    let login = json!({"email": "admin@change.example.com", "password": "correct horse battery", "companyId": company});
    let second = app.post("/api/auth/login", None, login.clone()).await.assert_ok(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let wrong = json!({"currentPassword": "not it at all", "newPassword": "tangerine bicycle 42"});
    let details = app
        .post("/api/auth/change-password", Some(&first), wrong)
        .await
        .assert_error(400, "validation_error")
        .clone();
    assert_eq!(details["fields"][0]["field"], "currentPassword");
    let weak = json!({"currentPassword": "correct horse battery", "newPassword": "password1"});
    app.post("/api/auth/change-password", Some(&first), weak)
        .await
        .assert_error(400, "validation_error");

    let good =
        json!({"currentPassword": "correct horse battery", "newPassword": "tangerine bicycle 42"});
    app.post("/api/auth/change-password", Some(&first), good).await.assert_ok(200);
    app.get("/api/auth/me", Some(&first)).await.assert_ok(200);
    app.get("/api/auth/me", Some(&second)).await.assert_error(401, "unauthorized");
    app.post("/api/auth/login", None, login.clone()).await.assert_error(401, "invalid_credentials");
    let mut new_login = login;
    new_login["password"] = json!("tangerine bicycle 42");
    app.post("/api/auth/login", None, new_login).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account_with_retry_after() {
    let app = spawn_app().await;
    let (_, company) = app.register("throttle").await;
    let wrong = json!({"email": "admin@throttle.example.com", "password": "nope nope", "companyId": company});
    for _ in 0..5 {
        app.post("/api/auth/login", None, wrong.clone())
            .await
            .assert_error(401, "invalid_credentials");
    }
    let blocked = app.post("/api/auth/login", None, wrong.clone()).await;
    blocked.assert_error(429, "rate_limited");
    let retry: u64 = blocked.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
    // Even the right password waits out the block, so guessing gains nothing from it.
    let right = json!({"email": "admin@throttle.example.com", "password": "correct horse battery", "companyId": company});
    app.post("/api/auth/login", None, right).await.assert_error(429, "rate_limited");
    // Another account from the same address is not blocked by this account's failures.
    let (_, other) = app.register("throttle-other").await;
    let other_login = json!({"email": "admin@throttle-other.example.com", "password": "correct horse battery", "companyId": other});
    app.post("/api/auth/login", None, other_login).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn one_address_guessing_at_many_accounts_is_throttled() {
    let app = spawn_app().await;
    let (_, company) = app.register("spray").await;
    for i in 0..20 {
        let body = json!({"email": format!("user{i}@spray.example.com"), "password": "guess guess", "companyId": company});
        app.post("/api/auth/login", None, body).await.assert_error(401, "invalid_credentials");
    }
    let body = json!({"email": "user99@spray.example.com", "password": "guess guess", "companyId": company});
    app.post("/api/auth/login", None, body).await.assert_error(429, "rate_limited");
    app.shutdown().await;
}

#[tokio::test]
async fn tokens_signed_with_a_previous_key_still_verify_after_rotation() {
    let old = SigningKey {
        kid: "old".into(),
        secret: "the-old-signing-secret-0123456789abcdef".to_owned().into(),
    };
    let mut config = test_config();
    config.signing_key = old.clone();
    let app = spawn_app_with(config).await;
    let (old_token, _) = app.register("rotate").await;
    let db = app.db.clone();

    // Same database, new server: the new key signs, the old one only verifies.
    let mut rotated = test_config();
    rotated.previous_keys = vec![old];
    let next = switchboard_server::Application::build(rotated, db.clone()).await.unwrap();
    let address = next.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(next.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let me = client
        .get(format!("http://{address}/api/auth/me"))
        .bearer_auth(&old_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    // A server that no longer lists the old key refuses its tokens.
    let forgetful = switchboard_server::Application::build(test_config(), db).await.unwrap();
    let forgetful_address = forgetful.local_addr();
    let (stop2, stopped2) = tokio::sync::oneshot::channel::<()>();
    let server2 = tokio::spawn(forgetful.run_until_stopped(async {
        let _ = stopped2.await;
    }));
    let me = client
        .get(format!("http://{forgetful_address}/api/auth/me"))
        .bearer_auth(&old_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let _ = (stop.send(()), stop2.send(()));
    let _ = (server.await, server2.await);
    app.shutdown().await;
}
