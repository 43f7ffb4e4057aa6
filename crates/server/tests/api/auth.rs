//! Registration, login, logout and the session behind every token.

use crate::helpers::{AGENT_PASSWORD, TestApp, registration, spawn_app};
use serde_json::json;
use switchboard_domain::{CompanyId, EmailAddress, Role, UserId};

#[tokio::test]
async fn registering_creates_the_company_and_signs_the_admin_in() {
    let app = spawn_app().await;
    let reply = app.post("/api/auth/register", None, registration("acme")).await;
    let data = reply.assert_ok(201);
    assert_eq!(data["user"]["role"], "company_admin");
    assert_eq!(data["user"]["email"], "admin@acme.example.com");
    assert_eq!(data["user"]["companyId"], data["companyId"]);
    let token = data["token"].as_str().unwrap();

    let me = app.get("/api/auth/me", Some(token)).await;
    assert_eq!(me.assert_ok(200)["id"], data["user"]["id"]);
    app.shutdown().await;
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_phc_strings() {
    let app = spawn_app().await;
    let (_, company) = app.register("hashing").await;
    let company: CompanyId = company.parse().unwrap();
    let email = EmailAddress::parse("admin@hashing.example.com").unwrap();
    let user = app.db.find_user_by_email(company, &email).await.unwrap().expect("admin exists");
    assert!(
        user.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        user.password_hash
    );
    assert!(!user.password_hash.contains("correct horse"));
    app.shutdown().await;
}

#[tokio::test]
async fn a_company_email_can_register_only_once() {
    let app = spawn_app().await;
    app.register("twice").await;
    let mut again = registration("twice");
    again["adminEmail"] = json!("other-admin@twice.example.com");
    app.post("/api/auth/register", None, again).await.assert_error(409, "conflict");
    app.shutdown().await;
}

/// Each login is refused with `401 invalid_credentials` and the very same message.
async fn refused_alike(app: &TestApp, bodies: impl IntoIterator<Item = serde_json::Value>) {
    let mut messages = Vec::new();
    for body in bodies {
        let reply = app.post("/api/auth/login", None, body).await;
        reply.assert_error(401, "invalid_credentials");
        messages.push(reply.body["error"]["message"].clone());
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
}

#[tokio::test]
async fn login_gives_the_same_answer_for_a_wrong_password_an_unknown_email_or_company() {
    let app = spawn_app().await;
    let (_, company) = app.register("login").await;
    let ok = app
        .post("/api/auth/login", None, json!({"email": "ADMIN@login.example.com", "password": "correct horse battery", "companyId": company}))
        .await;
    let data = ok.assert_ok(200);
    assert_eq!(data["mustChangePassword"], false);
    assert!(app.get("/api/auth/me", data["token"].as_str()).await.status.is_success());

    let wrong = [
        json!({"email": "admin@login.example.com", "password": "wrong password", "companyId": company}),
        json!({"email": "nobody@login.example.com", "password": "correct horse battery", "companyId": company}),
        json!({"email": "admin@login.example.com", "password": "correct horse battery", "companyId": CompanyId::new()}),
    ];
    refused_alike(&app, wrong).await;
    app.shutdown().await;
}

#[tokio::test]
async fn email_and_password_alone_sign_in_when_they_name_exactly_one_account() {
    let app = spawn_app().await;
    let (_, solo) = app.register("solo").await;
    let alone = json!({"email": "admin@solo.example.com", "password": "correct horse battery"});
    let reply = app.post("/api/auth/login", None, alone).await;
    let data = reply.assert_ok(200);
    assert_eq!(data["companyId"], solo.as_str());
    assert_eq!(data["user"]["email"], "admin@solo.example.com");

    // The same agent email in two companies: without a company, nobody can tell which.
    let (_, first) = app.register("first-co").await;
    let (_, second) = app.register("second-co").await;
    let shared = "sam@shared.example.com";
    let in_first = app.add_staff(&first, shared, Role::CompanyAgent, false).await;
    app.add_staff(&second, shared, Role::CompanyAgent, false).await;
    let ambiguous = json!({"email": shared, "password": AGENT_PASSWORD});
    let refused = app.post("/api/auth/login", None, ambiguous.clone()).await;
    refused.assert_error(401, "invalid_credentials");
    let with_company = json!({"email": shared, "password": AGENT_PASSWORD, "companyId": first});
    app.post("/api/auth/login", None, with_company).await.assert_ok(200);

    // Every failure reads the same: ambiguous, unknown, wrong password.
    let wrong = [
        ambiguous.clone(),
        json!({"email": "nobody@solo.example.com", "password": "correct horse battery"}),
        json!({"email": "admin@solo.example.com", "password": "wrong password"}),
    ];
    refused_alike(&app, wrong).await;

    // Once the second account is deactivated, the first is the only one left.
    let second_id: UserId = {
        let company: CompanyId = second.parse().unwrap();
        let email = EmailAddress::parse(shared).unwrap();
        let user = app.db.find_user_by_email(company, &email).await.unwrap().unwrap();
        app.db.deactivate_agent(company, user.id, chrono::Utc::now()).await.unwrap();
        user.id
    };
    let reply = app.post("/api/auth/login", None, ambiguous).await;
    let data = reply.assert_ok(200);
    assert_eq!(data["companyId"], first.as_str());
    assert_eq!(data["user"]["id"], in_first["user"]["id"]);
    assert_ne!(data["user"]["id"], second_id.to_string());
    app.shutdown().await;
}

#[tokio::test]
async fn logout_revokes_the_token_at_once_and_only_that_token() {
    let app = spawn_app().await;
    let (first, company) = app.register("logout").await;
    let second = app
        .post("/api/auth/login", None, json!({"email": "admin@logout.example.com", "password": "correct horse battery", "companyId": company}))
        .await
        .assert_ok(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/api/auth/logout", Some(&first), json!({})).await.assert_ok(200);
    app.get("/api/auth/me", Some(&first)).await.assert_error(401, "unauthorized");
    app.post("/api/auth/logout", Some(&first), json!({})).await.assert_error(401, "unauthorized");
    app.get("/api/auth/me", Some(&second)).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401() {
    let app = spawn_app().await;
    let (token, _) = app.register("tokens").await;
    app.get("/api/auth/me", None).await.assert_error(401, "unauthorized");
    app.get("/api/auth/me", Some("not.a.jwt")).await.assert_error(401, "unauthorized");
    // A well-formed token with a tampered payload fails its signature.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    app.get("/api/auth/me", Some(&parts.join("."))).await.assert_error(401, "unauthorized");
    let r = app
        .client
        .get(app.url("/api/auth/me"))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    crate::helpers::read(r).await.assert_error(401, "unauthorized");
    app.shutdown().await;
}

#[tokio::test]
async fn a_suspended_company_loses_its_sessions_until_it_is_restored() {
    use switchboard_storage::CompanyStatus;
    let app = spawn_app().await;
    let (admin, company) = app.register("suspended").await;
    let (other, _) = app.register("still-active").await;
    let customer = app.anonymous_customer(&company).await;
    let id: CompanyId = company.parse().unwrap();
    app.db.set_company_status(id, CompanyStatus::Suspended, chrono::Utc::now()).await.unwrap();

    for token in [&admin, &customer] {
        let r = app.get("/api/auth/me", Some(token)).await;
        r.assert_error(401, "unauthorized");
        assert_eq!(r.body["error"]["details"]["reason"], "company_suspended", "{}", r.text);
    }
    app.get("/api/admin/audit-log", Some(&admin)).await.assert_error(401, "unauthorized");
    let login = json!({"email": "admin@suspended.example.com", "password": "correct horse battery", "companyId": company});
    app.post("/api/auth/login", None, login.clone()).await.assert_error(401, "invalid_credentials");
    app.get("/api/auth/me", Some(&other)).await.assert_ok(200);

    app.db.set_company_status(id, CompanyStatus::Active, chrono::Utc::now()).await.unwrap();
    app.get("/api/auth/me", Some(&admin)).await.assert_ok(200);
    app.post("/api/auth/login", None, login).await.assert_ok(200);
    app.shutdown().await;
}
