//! Customer sign-in: anonymous, registered, and identified by the company's site.

use crate::helpers::spawn_app;
use chrono::Utc;
use serde_json::json;
use switchboard_domain::{CompanyId, EmailAddress};
use switchboard_server::auth::identity;
use switchboard_server::crypto::{ConfigCipher, SecretField};
use switchboard_storage::IdentitySettings;

/// The identity secret as the server stores it: encrypted under the test signing key.
fn sealed(company: CompanyId, secret: &str) -> String {
    let cipher = ConfigCipher::from_config(&crate::helpers::test_config());
    cipher.encrypt(company, SecretField::IdentitySecret, secret)
}

#[tokio::test]
async fn anonymous_customers_get_a_token_that_fixes_their_company() {
    let app = spawn_app().await;
    let (_, company) = app.register("anon").await;
    let reply =
        app.post("/api/auth/customer/authenticate", None, json!({"companyId": company})).await;
    let data = reply.assert_ok(200);
    assert_eq!(data["customer"]["anonymous"], true);
    let me = app.get("/api/auth/me", data["token"].as_str()).await;
    let me = me.assert_ok(200);
    assert_eq!(me["companyId"], company);
    assert_eq!(me["role"], "customer");
    assert_eq!(me["id"], data["customer"]["id"]);

    let unknown = json!({"companyId": CompanyId::new()});
    app.post("/api/auth/customer/authenticate", None, unknown).await.assert_error(404, "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn registered_customers_sign_in_with_email_and_password_per_company() {
    let app = spawn_app().await;
    let (_, company) = app.register("shop").await;
    let (_, other) = app.register("othershop").await;
    let body = json!({"companyId": company, "email": "Cust@Example.com", "password": "blue suede shoes", "name": "Cus"});
    let data =
        app.post("/api/auth/customer/register", None, body.clone()).await.assert_ok(201).clone();
    assert_eq!(data["customer"]["anonymous"], false);
    assert_eq!(data["customer"]["email"], "cust@example.com");
    app.post("/api/auth/customer/register", None, body.clone()).await.assert_error(409, "conflict");
    let mut elsewhere = body.clone();
    elsewhere["companyId"] = json!(other);
    app.post("/api/auth/customer/register", None, elsewhere).await.assert_ok(201);

    let login =
        json!({"companyId": company, "email": "cust@example.com", "password": "blue suede shoes"});
    let signed_in = app.post("/api/auth/customer/authenticate", None, login).await;
    assert_eq!(signed_in.assert_ok(200)["customer"]["id"], data["customer"]["id"]);
    let wrong =
        json!({"companyId": company, "email": "cust@example.com", "password": "suede blue shoes"});
    app.post("/api/auth/customer/authenticate", None, wrong)
        .await
        .assert_error(401, "invalid_credentials");
    app.shutdown().await;
}

#[tokio::test]
async fn site_identified_customers_need_a_fresh_correct_hash() {
    let app = spawn_app().await;
    let (_, company) = app.register("ident").await;
    let company_id: CompanyId = company.parse().unwrap();
    let secret = "identity-secret-for-tests";
    let settings = IdentitySettings { secret: Some(sealed(company_id, secret)), required: false };
    app.db.set_identity_settings(company_id, settings, Utc::now()).await.unwrap();

    let now = Utc::now().timestamp();
    let signed = |user: &str, ts: i64| json!({"companyId": company, "userId": user, "timestamp": ts, "userHash": identity::sign(secret, user, ts)});
    let first = app.post("/api/auth/customer/authenticate", None, signed("u-1", now)).await;
    let first = first.assert_ok(200).clone();
    assert_eq!(first["customer"]["externalId"], "u-1");
    assert_eq!(first["customer"]["anonymous"], false);
    let again = app.post("/api/auth/customer/authenticate", None, signed("u-1", now)).await;
    assert_eq!(
        again.assert_ok(200)["customer"]["id"],
        first["customer"]["id"],
        "the same site user is the same customer"
    );

    let mut forged = signed("u-1", now);
    forged["userId"] = json!("u-2");
    let reason = |r: &crate::helpers::Reply| r.body["error"]["details"]["reason"].clone();
    let r = app.post("/api/auth/customer/authenticate", None, forged).await;
    r.assert_error(401, "unauthorized");
    assert_eq!(reason(&r), "identity_invalid");
    let r = app.post("/api/auth/customer/authenticate", None, signed("u-1", now - 7200)).await;
    r.assert_error(401, "unauthorized");
    assert_eq!(reason(&r), "identity_stale");

    // Anonymous visitors are welcome until the company makes identity mandatory.
    app.post("/api/auth/customer/authenticate", None, json!({"companyId": company}))
        .await
        .assert_ok(200);
    let settings = IdentitySettings { secret: Some(sealed(company_id, secret)), required: true };
    app.db.set_identity_settings(company_id, settings, Utc::now()).await.unwrap();
    let r = app.post("/api/auth/customer/authenticate", None, json!({"companyId": company})).await;
    r.assert_error(401, "unauthorized");
    assert_eq!(reason(&r), "identity_required");
    let r = app
        .post(
            "/api/auth/customer/register",
            None,
            json!({"companyId": company, "email": "x@y.example", "password": "blue suede shoes"}),
        )
        .await;
    r.assert_error(401, "unauthorized");
    app.post("/api/auth/customer/authenticate", None, signed("u-3", now)).await.assert_ok(200);
    app.shutdown().await;
}

#[tokio::test]
async fn customers_cannot_reach_staff_routes() {
    let app = spawn_app().await;
    let (_, company) = app.register("custstaff").await;
    let token = app.anonymous_customer(&company).await;
    app.get("/api/admin/audit-log", Some(&token)).await.assert_error(403, "forbidden");
    let change = json!({"currentPassword": "x", "newPassword": "tangerine bicycle 42"});
    app.post("/api/auth/change-password", Some(&token), change)
        .await
        .assert_error(403, "forbidden");
    app.shutdown().await;
}

#[tokio::test]
async fn a_signed_identity_does_not_vouch_for_an_unsigned_email() {
    let app = spawn_app().await;
    let (_, company) = app.register("identmail").await;
    let company_id: CompanyId = company.parse().unwrap();
    let secret = "identity-secret-for-tests";
    let settings = IdentitySettings { secret: Some(sealed(company_id, secret)), required: false };
    app.db.set_identity_settings(company_id, settings, Utc::now()).await.unwrap();

    let now = Utc::now().timestamp();
    let body = json!({
        "companyId": company, "userId": "u-7", "timestamp": now,
        "userHash": identity::sign(secret, "u-7", now), "email": "ceo@victim.example",
    });
    let r = app.post("/api/auth/customer/authenticate", None, body.clone()).await;
    let data = r.assert_ok(200).clone();
    assert_eq!(data["customer"]["externalId"], "u-7");
    assert_eq!(data["customer"]["email"], serde_json::Value::Null, "the unsigned email is dropped");
    let me = app.get("/api/auth/me", data["token"].as_str()).await;
    assert_eq!(me.assert_ok(200)["email"], serde_json::Value::Null);
    let found = app
        .db
        .find_customer_by_email(company_id, &EmailAddress::parse("ceo@victim.example").unwrap())
        .await
        .unwrap();
    assert!(found.is_none(), "nothing was stored under the claimed email");
    // The real owner of that address can still register it.
    let owner = json!({"companyId": company, "email": "ceo@victim.example", "password": "blue suede shoes"});
    app.post("/api/auth/customer/register", None, owner).await.assert_ok(201);
    app.shutdown().await;
}
