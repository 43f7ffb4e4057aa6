//! The audit log of security events, readable by the company's admins.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn security_events_are_recorded_newest_first_and_page_by_cursor() {
    let app = spawn_app().await;
    let (admin, company) = app.register("audited").await;
    let bad = json!({"email": "admin@audited.example.com", "password": "wrong guess", "companyId": company});
    app.post("/api/auth/login", None, bad).await.assert_error(401, "invalid_credentials");
    let good = json!({"email": "admin@audited.example.com", "password": "correct horse battery", "companyId": company});
    let second = app.post("/api/auth/login", None, good).await.assert_ok(200)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post("/api/auth/logout", Some(&second), json!({})).await.assert_ok(200);

    let all = app.get("/api/admin/audit-log", Some(&admin)).await;
    let actions: Vec<String> = all
        .assert_ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, ["auth.logout", "auth.login", "auth.login_failed", "company.registered"]);
    assert!(all.body["nextCursor"].is_null());

    let first = app.get("/api/admin/audit-log?limit=3", Some(&admin)).await;
    assert_eq!(first.assert_ok(200).as_array().unwrap().len(), 3);
    let cursor = first.body["nextCursor"].as_str().expect("a next cursor").to_owned();
    let rest =
        app.get(&format!("/api/admin/audit-log?limit=3&cursor={cursor}"), Some(&admin)).await;
    let rest = rest.assert_ok(200).as_array().unwrap().clone();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["action"], "company.registered");

    app.get("/api/admin/audit-log?limit=0", Some(&admin))
        .await
        .assert_error(400, "validation_error");
    app.get("/api/admin/audit-log?limit=201", Some(&admin))
        .await
        .assert_error(400, "validation_error");
    app.get("/api/admin/audit-log?cursor=%27;drop", Some(&admin))
        .await
        .assert_error(400, "validation_error");
    app.shutdown().await;
}
